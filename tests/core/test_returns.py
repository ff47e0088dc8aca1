"""Seed 002: the weighted-average return since the last snapshot, drift, the amount to shift."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rebal.core.numbers import display_percent, div, exact_context
from rebal.core.report import build_report
from rebal.core.returns import amount_to_shift, weighted_return
from rebal.store.load import load

D = Decimal
A_YEAR_AGO = dt.date(2025, 11, 20)
START = {"Stocks": D(35000), "Bonds": D(10000), "Cash": D(5000)}
TARGETS = {"Stocks": D(70), "Bonds": D(20), "Cash": D(10)}


def test_seed_002_first_case_is_exactly_9_05_percent_shown_as_9_1() -> None:
    # Stocks +10%, bonds +7.5%, cash +5.5%.
    now = {"Stocks": D(38500), "Bonds": D(10750), "Cash": D(5275)}
    result = weighted_return(A_YEAR_AGO, START, now)
    assert result is not None
    assert result.total_after == D(54525)
    assert result.weighted == D("9.05")
    assert display_percent(result.weighted, 1) == "9.1"
    by_class = {row.asset_class: row for row in result.per_class}
    assert by_class["Stocks"].change == D(10)
    assert by_class["Bonds"].change == D("7.5")
    assert by_class["Cash"].change == D("5.5")
    assert [by_class[c].weight_before for c in ("Stocks", "Bonds", "Cash")] == [70, 20, 10]
    drifted = [by_class[c].weight_after for c in ("Stocks", "Bonds", "Cash")]
    assert [display_percent(w, 2) for w in drifted] == ["70.61", "19.72", "9.67"]
    assert [display_percent(w, 1) for w in drifted] == ["70.6", "19.7", "9.7"]


def test_seed_002_second_case_is_15_5_percent_and_1575_to_shift() -> None:
    # Stocks +20%, bonds and cash +5%.
    now = {"Stocks": D(42000), "Bonds": D(10500), "Cash": D(5250)}
    result = weighted_return(A_YEAR_AGO, START, now)
    assert result is not None
    assert result.weighted == D("15.5")
    assert result.total_after == D(57750)
    stocks = next(row for row in result.per_class if row.asset_class == "Stocks")
    assert stocks.weight_after is not None
    assert display_percent(stocks.weight_after, 2) == "72.73"
    shift = amount_to_shift(now, TARGETS)
    assert shift == D(1575)
    # The seed's "2.7% of stocks" is really 2.73% of the portfolio, 3.75% of stocks.
    assert div(shift * 100, D(42000)) == D("3.75")
    assert display_percent(div(shift * 100, D(57750)), 2) == "2.73"


def test_the_seed_return_sample_file_shows_the_seed_figures(samples: Path) -> None:
    report = build_report(load(samples / "seed_return.toml").portfolio)
    assert report.total == D(54525)
    assert report.weighted_return is not None
    assert report.weighted_return.weighted == D("9.05")
    assert [display_percent(row.actual, 1) for row in report.classes] == ["70.6", "19.7", "9.7"]
    assert report.out_of_band == []


def test_no_return_without_money_in_the_snapshot() -> None:
    assert weighted_return(A_YEAR_AGO, {}, {"Stocks": D(10)}) is None
    assert weighted_return(A_YEAR_AGO, {"Stocks": D(0)}, {"Stocks": D(10)}) is None


def test_a_class_new_since_the_snapshot_has_no_return_and_does_not_count() -> None:
    result = weighted_return(A_YEAR_AGO, {"Stocks": D(100)}, {"Stocks": D(110), "Gold": D(5)})
    assert result is not None
    assert result.weighted == D(10)
    gold = next(row for row in result.per_class if row.asset_class == "Gold")
    assert gold.change is None
    assert gold.weight_before == 0


def test_a_portfolio_on_target_has_nothing_to_shift() -> None:
    assert amount_to_shift(START, TARGETS) == 0


def test_an_untargeted_class_is_shifted_out_entirely() -> None:
    values = {"Stocks": D(70), "Bonds": D(20), "Cash": D(5), "Gold": D(5)}
    assert amount_to_shift(values, {"Stocks": D(70), "Bonds": D(20), "Cash": D(10)}) == D(5)


money = st.decimals(min_value=D("0.01"), max_value=D(10**9), places=2)


@given(st.dictionaries(st.sampled_from(["A", "B", "C", "D"]), st.tuples(money, money), min_size=1))
def test_weighted_return_equals_the_change_in_total_when_nothing_was_added(
    values: dict[str, tuple[Decimal, Decimal]],
) -> None:
    before = {name: pair[0] for name, pair in values.items()}
    after = {name: pair[1] for name, pair in values.items()}
    result = weighted_return(A_YEAR_AGO, before, after)
    assert result is not None
    with localcontext(exact_context()):
        total_before = sum(before.values(), D(0))
        change = (sum(after.values(), D(0)) - total_before) * 100 / total_before
        # Equal to the last of 50 significant digits.
        assert abs(result.weighted - change) <= (abs(change) + 1) * D("1e-45")


@given(st.dictionaries(st.sampled_from(["A", "B", "C"]), money, min_size=1))
def test_amount_to_shift_balances_what_is_over_and_under(values: dict[str, Decimal]) -> None:
    targets = {"A": D(50), "B": D(30), "C": D(20)}
    shift = amount_to_shift(values, targets)
    with localcontext(exact_context()):
        total = sum(values.values(), D(0))
        under = sum(
            (max(D(0), t * total / 100 - values.get(c, D(0))) for c, t in targets.items()),
            D(0),
        )
        assert abs(shift - under) <= (total + 1) * D("1e-45")
