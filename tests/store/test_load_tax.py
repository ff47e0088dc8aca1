"""Loading the tax keys (lots, cost_basis, [tax], wash_group, [location]) and their problems."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from rebal.problems import Problem
from rebal.store.load import parse

FILE = Path("taxes.toml")

# Line numbers matter: the tests point into this text.
BASE = """\
[portfolio]
name = "t"
as_of = 2026-11-20
[targets]
Stocks = 60
Bonds = 40
[tax]
short_term_rate = 35
long_term_rate = 18.8
[securities.VTI]
price = 100
class = "Stocks"
wash_group = "US total market"
[securities.BND]
price = 70
class = "Bonds"
[[accounts]]
name = "Brokerage"
kind = "taxable"
holdings = { VTI = 100, BND = 10 }
lots.VTI = [
  { acquired = 2019-03-04, shares = 60, cost = 5400.00 },
  { acquired = 2026-10-15, shares = 40, cost = 4800.00 },
]
cost_basis.BND = 700.00
[location]
Bonds = ["traditional", "hsa", "roth", "taxable"]
"""


def problems(text: str) -> list[Problem]:
    return parse(FILE, text)[1]


def only_error(text: str) -> Problem:
    portfolio, found = parse(FILE, text)
    assert portfolio is None
    [error] = [p for p in found if p.severity == "error"]
    return error


def test_the_tax_keys_load_into_the_model() -> None:
    portfolio, found = parse(FILE, BASE)

    assert found == []
    assert portfolio is not None
    assert portfolio.tax is not None
    assert portfolio.tax.long_term_rate == Decimal("18.8")
    assert portfolio.tax.gain_budget is None
    assert portfolio.securities["VTI"].wash_group == "US total market"
    brokerage = portfolio.accounts[0]
    assert [lot.acquired for lot in brokerage.lots["VTI"]] == [
        dt.date(2019, 3, 4),
        dt.date(2026, 10, 15),
    ]
    assert brokerage.cost_basis == {"BND": Decimal("700.00")}
    assert portfolio.location == {"Bonds": ["traditional", "hsa", "roth", "taxable"]}


def test_a_file_without_the_tax_keys_has_none_of_them() -> None:
    text = BASE.split("[tax]")[0] + BASE.split("long_term_rate = 18.8\n")[1]
    text = text.replace('wash_group = "US total market"\n', "")
    text = text.split("lots.VTI")[0] + "[location]" + text.split("[location]")[1]
    text = text.replace('[location]\nBonds = ["traditional", "hsa", "roth", "taxable"]\n', "")
    portfolio, found = parse(FILE, text)

    assert found == []
    assert portfolio is not None
    assert portfolio.tax is None
    assert portfolio.location == {}
    assert portfolio.accounts[0].lots == {}
    assert portfolio.accounts[0].cost_basis == {}


def test_lots_that_do_not_add_up_to_the_holding_are_refused_at_the_lots() -> None:
    error = only_error(BASE.replace("shares = 40, cost", "shares = 30, cost"))

    assert (error.line, error.path) == (21, "accounts[0].lots.VTI")
    assert "add up to 90 shares, but 'Brokerage' holds 100" in error.message


def test_a_negative_cost_is_refused_at_its_field() -> None:
    error = only_error(BASE.replace("cost = 4800.00", "cost = -4800.00"))

    assert (error.line, error.path) == (23, "accounts[0].lots.VTI[1].cost")
    assert ">= 0" in error.message


def test_a_lot_acquired_after_the_prices_date_is_refused() -> None:
    error = only_error(BASE.replace("2026-10-15", "2026-11-21"))

    assert (error.line, error.path) == (23, "accounts[0].lots.VTI[1].acquired")
    assert "after the prices' date 2026-11-20" in error.message


def test_lots_for_an_unknown_ticker_are_refused_with_a_suggestion() -> None:
    text = BASE.replace("cost_basis.BND = 700.00", "cost_basis.BND = 700.00\nlots.VTl = []")
    found = [p for p in problems(text) if p.severity == "error"]

    assert [(p.line, p.path) for p in found] == [(26, "accounts[0].lots.VTl")]
    assert "no [securities.VTl] entry" in found[0].message
    assert "did you mean 'VTI'?" in found[0].hint


def test_lots_for_a_security_not_held_are_refused() -> None:
    text = BASE.replace("holdings = { VTI = 100, BND = 10 }", "holdings = { VTI = 100 }")
    error = only_error(text)

    assert error.path == "accounts[0].cost_basis.BND"
    assert "which 'Brokerage' does not hold" in error.message


def test_a_lot_with_zero_shares_or_a_missing_date_is_refused() -> None:
    zero = only_error(BASE.replace("shares = 60, cost", "shares = 0, cost"))
    undated = only_error(BASE.replace("acquired = 2019-03-04, ", ""))

    assert zero.path == "accounts[0].lots.VTI[0].shares"
    assert undated.path == "accounts[0].lots.VTI[0].acquired"


def test_lots_and_cost_basis_for_the_same_ticker_warn_that_the_lots_win() -> None:
    text = BASE.replace("cost_basis.BND = 700.00", "cost_basis.BND = 700.00\ncost_basis.VTI = 1")
    portfolio, found = parse(FILE, text)

    assert portfolio is not None
    [warning] = found
    assert warning.severity == "warning"
    assert warning.path == "accounts[0].cost_basis.VTI"
    assert "the lots are used" in warning.message


def test_basis_in_a_tax_advantaged_account_is_a_warning() -> None:
    portfolio, found = parse(FILE, BASE.replace('kind = "taxable"', 'kind = "roth"'))

    assert portfolio is not None
    [warning] = found
    assert "is a roth account" in warning.message
    assert "still count for wash sales" in warning.message


def test_location_problems() -> None:
    repeated = only_error(BASE.replace('"roth", "taxable"]', '"roth", "roth"]'))
    unknown = only_error(BASE.replace('"hsa", "roth"', '"401k", "roth"'))
    _, found = parse(FILE, BASE.replace("[location]\nBonds", "[location]\nBondz"))

    assert repeated.path == "location.Bonds"
    assert "names roth more than once" in repeated.message
    assert unknown.path == "location.Bonds[1]"
    assert [p.message for p in found] == ["[location] ranks 'Bondz', which has no target"]
    assert found[0].hint == "did you mean 'Bonds'?"


def test_rates_are_percentages_and_required_in_tax() -> None:
    over = only_error(BASE.replace("short_term_rate = 35", "short_term_rate = 135"))
    missing = only_error(BASE.replace("long_term_rate = 18.8\n", ""))

    assert over.path == "tax.short_term_rate"
    assert missing.path == "tax.long_term_rate"


# ------------------------------------------------ messages a hostile tester found wanting


def test_a_lot_of_zero_shares_says_what_is_wrong_and_what_to_do() -> None:
    # Was pydantic's own "Input should be greater than 0", with no hint.
    error = only_error(BASE.replace("shares = 40, cost = 4800.00", "shares = 0, cost = 4800.00"))
    assert error.path == "accounts[0].lots.VTI[1].shares"
    assert error.message == "shares must be > 0 (found 0)"
    assert "remove the lot" in error.hint
    assert "Input should" not in error.message


def test_a_lot_that_is_not_a_table_gets_a_hint_that_is_valid_toml() -> None:
    # Was "write a table: a [accounts[0].lots.VTI[1]] section, or VTI = { name = value }":
    # neither a header that TOML allows nor the key the lot sits under.
    error = only_error(BASE.replace("{ acquired = 2026-10-15, shares = 40, cost = 4800.00 }", "5"))
    assert error.path == "accounts[0].lots.VTI[1]"
    assert "[accounts[0]" not in error.hint
    assert error.hint == (
        "write each lot as { acquired = 2026-01-15, shares = 10, cost = 1000.00 }"
    )


def test_lots_that_are_not_a_list_get_a_hint_with_a_lot() -> None:
    error = only_error(BASE.replace("lots.VTI = [", 'lots.VTI = "x"\nlots.VTX = ['))
    assert error.path == "accounts[0].lots.VTI"
    assert error.hint == (
        "write a list of lots: VTI = [{ acquired = 2026-01-15, shares = 10, cost = 1000.00 }]"
    )


def test_a_table_inside_an_array_of_tables_is_hinted_inline_not_as_a_bad_header() -> None:
    error = only_error(BASE.replace("holdings = { VTI = 100, BND = 10 }", "holdings = 5"))
    assert error.path == "accounts[0].holdings"
    assert "[accounts[0].holdings]" not in error.hint
    assert error.hint == "write a table: holdings = { name = value }"


def test_a_quoted_lot_date_is_read_with_a_warning_like_every_other_date() -> None:
    portfolio, found = parse(FILE, BASE.replace("acquired = 2019-03-04", 'acquired = "2019-03-04"'))
    assert portfolio is not None
    [warning] = found
    assert warning.severity == "warning"
    assert warning.path == "accounts[0].lots.VTI[0].acquired"
    assert warning.hint == "remove the quotes: acquired = 2019-03-04"


PLAN = """\
[plan]
mode = "full"
created = 2026-11-21
inputs = {INPUTS}
"""


def plan_error(inputs: str) -> Problem:
    return only_error(BASE + PLAN.replace("{INPUTS}", inputs))


def test_a_saved_plan_number_beyond_the_limit_says_so_in_words() -> None:
    # Was "expected text in quotes, Input should be less than or equal to 1E+15, true or
    # false or a list, found 1E+300": the number member's own error, in pydantic's words.
    error = plan_error("{ min_trade = 1e300 }")
    assert error.path == "plan.inputs.min_trade"
    assert error.message == "minimum trade must be <= 1000000000000000 (found 1E+300)"
    assert error.hint == "a number this large is surely a typo"


def test_a_number_in_a_list_of_text_is_hinted_in_quotes_without_the_key() -> None:
    # Was 'put it in quotes: targets = "1"', which would replace the whole list.
    error = plan_error("{ targets = [1] }")
    assert error.path == "plan.inputs.targets[0]"
    assert error.hint == 'put it in quotes: "1"'


def test_a_list_where_text_belongs_is_not_hinted_to_be_quoted() -> None:
    # Was 'put it in quotes: targets = "a list"'.
    error = plan_error("{ targets = [[]] }")
    assert error.message == "expected text in quotes, found a list"
    assert error.hint == "write text in quotes here, not a list"
