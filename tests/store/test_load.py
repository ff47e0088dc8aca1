"""Loading a portfolio file: every mistake is a located, explained problem, never a traceback."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebal.core.allocation import sector_exposure, style_box
from rebal.core.report import build_report
from rebal.model import Portfolio
from rebal.problems import PortfolioError, Problem
from rebal.store.load import load, parse

FILE = Path("household.toml")

# Line numbers matter: the tests below point into this text.
BASE = """\
[portfolio]
name = "Test household"
as_of = 2026-11-20

[targets]
Stocks = 60
Bonds = 30
Cash = 10

[securities.VTI]
price = 290.12
class = "Stocks"

[securities.BND]
price = 72.50
class = "Bonds"

[[accounts]]
name = "IRA"
cash = 100
holdings = { VTI = 10, BND = 20 }
"""


def check(text: str) -> tuple[Portfolio | None, list[Problem]]:
    return parse(FILE, text)


def errors_of(text: str) -> list[Problem]:
    portfolio, problems = check(text)
    assert portfolio is None, "expected the file to be refused"
    return [p for p in problems if p.severity == "error"]


def the_error(text: str) -> Problem:
    errors = errors_of(text)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_the_base_document_is_valid_and_clean() -> None:
    portfolio, problems = check(BASE)
    assert portfolio is not None
    assert problems == []


# --- TOML syntax ------------------------------------------------------------


def test_a_syntax_error_reads_file_line_column_message() -> None:
    problem = the_error(BASE.replace("price = 72.50", "price = = 72.50"))
    assert (problem.line, problem.column) == (15, 9)
    assert str(problem).startswith("household.toml:15:9: error: TOML syntax error: ")


def test_a_syntax_error_at_the_end_of_the_file_still_has_a_line() -> None:
    problem = the_error(BASE + "[bands\n")
    assert problem.message.startswith("TOML syntax error:")
    assert problem.line is not None
    assert problem.line >= 22


@pytest.mark.parametrize(
    ("old", "new", "where", "message", "hint_part"),
    [
        ("Stocks = 60", "US Stocks = 60", (6, 4), "Expected '=' after a key", '"US Stocks" = 50'),
        ("cash = 100", "cash = $100", (20, 8), "Invalid value", "no $ or commas"),
        ("cash = 100", "cash = 1,000", (20, 9), "Expected newline", "not 1,234.56"),
        (
            "price = 72.50",
            "price = 72.50\nprice = 73",
            (16, 1),
            "`securities.BND.price` is written twice",
            "keep only one",
        ),
        (
            "[securities.BND]",
            "[securities.VTI]",
            (14, 1),
            "the table [securities.VTI] is declared twice",
            "merge the two tables",
        ),
    ],
)
def test_common_syntax_slips_get_a_specific_hint(
    old: str, new: str, where: tuple[int, int], message: str, hint_part: str
) -> None:
    problem = the_error(BASE.replace(old, new))
    assert (problem.line, problem.column) == where
    assert problem.message.startswith(f"TOML syntax error: {message}")
    assert hint_part in problem.hint


# --- unknown keys, at every level -------------------------------------------


@pytest.mark.parametrize(
    ("text", "path", "line", "suggestion"),
    [
        (BASE.replace('name = "Test', 'nmae = "Test'), "portfolio.nmae", 2, "`name`"),
        (BASE + "[bands]\nknd = 'absolute'\n", "bands.knd", 23, "`kind`"),
        (BASE + "cahs = 5\n", "accounts[0].cahs", 22, "`cash`"),
        (BASE.replace('class = "Bonds"', 'clas = "Bonds"'), "securities.BND.clas", 16, "`class`"),
        (
            BASE + "[[history]]\ndate = 2025-11-20\ntotl = 5\ntotal = 5\n",
            "history[0].totl",
            24,
            "`total`",
        ),
        (
            BASE + "[plan]\nmode = 'full'\ncreated = 2026-11-20\ntrade = []\n",
            "plan.trade",
            25,
            "`trades`",
        ),
        (
            BASE + "[plan]\nmode = 'full'\ncreated = 2026-11-20\n"
            "[[plan.trades]]\naccount = 'IRA'\nticker = 'VTI'\naction = 'buy'\n"
            "shares = 1\namount = 290.12\nreson = 'x'\n",
            "plan.trades[0].reson",
            31,
            "`reason`",
        ),
        (BASE + "[target]\nStocks = 1\n", "target", 22, "`targets`"),
    ],
)
def test_unknown_keys_are_errors_with_a_did_you_mean_hint(
    text: str, path: str, line: int, suggestion: str
) -> None:
    problem = the_error(text)
    assert problem.path == path
    assert problem.message == f"unknown key `{path.rsplit('.', 1)[-1].split(']')[-1]}`"
    assert problem.line == line
    assert problem.hint == f"did you mean {suggestion}?"


def test_an_unknown_key_with_no_close_match_lists_the_known_keys() -> None:
    problem = the_error(BASE.replace("cash = 100", "zzzz = 100"))
    assert problem.path == "accounts[0].zzzz"
    assert "known keys:" in problem.hint
    assert "holdings" in problem.hint


# --- references, sums, duplicates -------------------------------------------


def test_a_holding_without_a_securities_entry() -> None:
    problem = the_error(BASE.replace("BND = 20 }", "BND = 20, VXUS = 3 }"))
    assert problem.path == "accounts[0].holdings.VXUS"
    assert (problem.line, problem.column) == (21, 34)
    assert "VXUS" in problem.message
    assert "[securities.VXUS]" in problem.hint


def test_a_misspelt_holding_gets_a_did_you_mean() -> None:
    problem = the_error(BASE.replace("VTI = 10", "VTII = 10"))
    assert problem.path == "accounts[0].holdings.VTII"
    assert problem.hint == "did you mean 'VTI'?"


def test_a_menu_naming_an_unknown_security() -> None:
    problem = the_error(BASE.replace('name = "IRA"', 'name = "IRA"\nmenu = ["VTI", "VXUS"]'))
    assert problem.path == "accounts[0].menu"
    assert problem.line == 20
    assert "VXUS" in problem.message


@pytest.mark.parametrize(("cash", "ok"), [("10.005", True), ("9.995", True), ("10.02", False)])
def test_targets_must_sum_to_100_within_a_hundredth(cash: str, ok: bool) -> None:
    portfolio, problems = check(BASE.replace("Cash = 10", f"Cash = {cash}"))
    if ok:
        assert portfolio is not None
        return
    assert portfolio is None
    [problem] = problems
    assert problem.path == "targets"
    assert problem.line == 5
    assert problem.message == "targets sum to 100.02%, not 100%"
    assert problem.hint.startswith("lower them by 0.02 percentage points")


def test_duplicate_account_names_point_at_each_use() -> None:
    errors = errors_of(BASE + '\n[[accounts]]\nname = "IRA"\n')
    assert [(e.path, e.line) for e in errors] == [
        ("accounts[0].name", 19),
        ("accounts[1].name", 24),
    ]
    assert all("'IRA' is used more than once" in e.message for e in errors)


def test_a_class_held_but_not_targeted_is_a_warning_with_a_suggestion() -> None:
    portfolio, problems = check(BASE.replace('class = "Bonds"', 'class = "Bond"'))
    assert portfolio is not None
    warnings = [p for p in problems if "held but has no target" in p.message]
    assert len(warnings) == 1
    assert warnings[0].severity == "warning"
    assert warnings[0].path == "targets"
    assert warnings[0].line == 5
    assert "did you mean 'Bonds'?" in warnings[0].hint


def test_cash_with_no_target_is_a_warning_not_an_error() -> None:
    text = BASE.replace("Stocks = 60", "Stocks = 70").replace("Cash = 10\n", "")
    portfolio, problems = check(text)
    assert portfolio is not None
    assert [p.severity for p in problems] == ["warning"]
    assert "'Cash'" in problems[0].message


def test_no_class_counting_as_stocks_is_a_warning_naming_equity_classes() -> None:
    # Before: a household of "US Large" and "International" funds loaded silently and
    # step 3 read "Stocks 0.0% now ... Stocks are exactly at their target share".
    text = BASE.replace("Stocks = 60", '"US Large" = 60').replace('"Stocks"', '"US Large"')
    portfolio, problems = check(text)
    assert portfolio is not None
    (warning,) = [p for p in problems if "counts as stocks" in p.message]
    assert warning.severity == "warning"
    assert warning.path == "portfolio"
    assert warning.line == 1
    assert 'equity_classes = ["US Large"]' in warning.hint
    dated = "as_of = 2026-11-20"
    listed = text.replace(dated, dated + '\nequity_classes = ["US Large"]')
    none_are = text.replace(dated, dated + "\nequity_classes = []")
    for named in (BASE, listed, none_are):
        _, problems = check(named)
        assert not [p for p in problems if "counts as stocks" in p.message]


def test_price_zero_unclassified_and_negative_cash_are_warnings() -> None:
    text = (
        BASE.replace("price = 72.50", "price = 0")
        .replace('class = "Stocks"\n', "")
        .replace("cash = 100", "cash = -50")
    )
    portfolio, problems = check(text)
    assert portfolio is not None
    by_path = {p.path: p for p in problems}
    assert by_path["securities.BND.price"].message == "BND is held but its price is 0"
    assert by_path["securities.BND.price"].line == 14
    assert "Unclassified" in by_path["securities.VTI"].message
    assert by_path["accounts[0].cash"].message.startswith("cash is negative (-50)")
    assert {p.severity for p in problems} == {"warning"}


# --- numbers: NaN, infinity, negative, wrong types ----------------------------


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "+nan"])
def test_non_finite_numbers_are_refused(bad: str) -> None:
    problem = the_error(BASE.replace("price = 290.12", f"price = {bad}"))
    assert problem.path == "securities.VTI.price"
    assert problem.line == 11
    assert problem.message == f"price must be a finite number (found {bad.lstrip('+')})"


def test_negative_shares_name_the_holding() -> None:
    problem = the_error(BASE.replace("VTI = 10", "VTI = -10"))
    assert problem.path == "accounts[0].holdings.VTI"
    assert problem.line == 21
    assert problem.message == "shares must be >= 0 (found -10)"
    assert str(problem) == (
        "household.toml:21:14: error: accounts[0].holdings.VTI: shares must be >= 0 "
        "(found -10) (a negative number is not allowed here: use 0 or more)"
    )


def test_a_negative_target_and_one_over_100() -> None:
    assert the_error(BASE.replace("Cash = 10", "Cash = -10")).message == (
        "target must be >= 0 (found -10)"
    )
    problem = the_error(BASE.replace("Stocks = 60", "Stocks = 160"))
    assert problem.path == "targets.Stocks"
    assert problem.hint == "percentages run from 0 to 100"


def test_a_price_written_as_money_text() -> None:
    problem = the_error(BASE.replace("price = 290.12", 'price = "$1,234"'))
    assert problem.path == "securities.VTI.price"
    assert problem.line == 11
    assert problem.message == 'price must be a number (found "$1,234")'
    assert "without quotes, $ or commas" in problem.hint


def test_an_absurdly_large_number_is_a_typo() -> None:
    problem = the_error(BASE.replace("cash = 100", "cash = 1e30"))
    assert problem.path == "accounts[0].cash"
    assert "must be <= 1000000000000000" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ('name = "IRA"', "name = 5", "accounts[0].name", "expected text in quotes, found 5"),
        (
            'name = "IRA"',
            'name = "IRA"\nmenu = "VTI"',
            "accounts[0].menu",
            'expected a list, found "VTI"',
        ),
        (
            "as_of = 2026-11-20",
            'as_of = "next week"',
            "portfolio.as_of",
            'expected a date such as 2026-11-20, found "next week"',
        ),
        (
            "holdings = { VTI = 10, BND = 20 }",
            'holdings = "VTI"',
            "accounts[0].holdings",
            'expected a table, found "VTI"',
        ),
        ("[[accounts]]", "[accounts]", "accounts", "expected a list, found a table"),
        ("cash = 100", "cash = true", "accounts[0].cash", "cash must be a number (found true)"),
    ],
)
def test_wrong_types_say_what_was_expected_and_what_was_found(
    old: str, new: str, path: str, message: str
) -> None:
    problem = the_error(BASE.replace(old, new))
    assert (problem.path, problem.message) == (path, message)
    assert problem.line is not None


def test_a_bad_literal_lists_the_choices() -> None:
    problem = the_error(BASE + '\n[bands]\nkind = "wide"\n')
    assert problem.path == "bands.kind"
    assert problem.message == '"wide" is not allowed here'
    assert "'relative'" in problem.hint


def test_a_missing_required_key_says_which_and_where() -> None:
    problem = the_error(BASE.replace("as_of = 2026-11-20\n", ""))
    assert problem.path == "portfolio.as_of"
    assert problem.message == "required key `as_of` is missing"
    assert problem.hint == "add `as_of = ...` to portfolio"
    assert problem.line == 1


def test_a_missing_table() -> None:
    problem = the_error(BASE.split("[targets]")[0])
    assert problem.message == "the [targets] table is missing"


# --- union fields: one clean problem at the key as written --------------------


def test_a_style_of_the_wrong_shape_is_one_problem_at_style() -> None:
    problem = the_error(BASE.replace('class = "Stocks"', 'class = "Stocks"\nstyle = 5'))
    assert problem.path == "securities.VTI.style"
    assert problem.line == 13
    assert problem.message == "expected text in quotes or a table, found 5"
    assert "large-blend" in problem.hint


def test_a_bad_weight_in_a_style_table_points_at_the_cell() -> None:
    text = BASE.replace('class = "Stocks"', 'class = "Stocks"\nstyle = { "large-blend" = "x" }')
    problem = the_error(text)
    assert problem.path == "securities.VTI.style.large-blend"
    assert (problem.line, problem.column) == (13, 11)
    assert problem.message == 'weight must be a number (found "x")'


def test_an_unknown_style_cell() -> None:
    problem = the_error(BASE.replace('class = "Stocks"', 'class = "Stocks"\nstyle = "huge"'))
    assert problem.path == "securities.VTI.style"
    assert "unknown style-box cell 'huge'" in problem.message


def test_split_fund_weights_must_sum_to_100() -> None:
    text = BASE.replace('class = "Stocks"', "classes = { Stocks = 60, Bonds = 30 }")
    problem = the_error(text)
    assert problem.path == "securities.VTI.classes"
    assert problem.line == 12
    assert problem.message == "`classes` must sum to 100 (they sum to 90)"


def test_a_plan_created_that_is_not_a_date() -> None:
    problem = the_error(BASE + "[plan]\nmode = 'full'\ncreated = 'yesterday'\n")
    assert problem.path == "plan.created"
    assert problem.message == (
        'expected a date such as 2026-11-20 or a date and time, found "yesterday"'
    )


# --- empty and unreadable files ----------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file_says_so(text: str) -> None:
    problem = the_error(text)
    assert problem.message == "the file is empty: there is no portfolio in it"
    assert "[portfolio]" in problem.hint


def test_load_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(BASE.replace("Test household", "Café").encode("latin-1"))
    with pytest.raises(PortfolioError) as raised:
        load(path)
    [problem] = raised.value.problems
    assert problem.message == "the file is not UTF-8 text"
    assert (problem.line, problem.column) == (2, 12)  # the é of Café
    assert str(path) in str(raised.value)


def test_load_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PortfolioError) as raised:
        load(tmp_path / "nope.toml")
    assert "cannot read the file" in raised.value.problems[0].message


def test_load_lists_every_problem_not_just_the_first(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(BASE.replace("price = 290.12", "price = nan").replace("VTI = 10", "VTI = -1"))
    with pytest.raises(PortfolioError) as raised:
        load(path)
    assert {p.path for p in raised.value.problems} == {
        "securities.VTI.price",
        "accounts[0].holdings.VTI",
    }


def test_load_keeps_warnings_text_and_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("\ufeff" + BASE.replace("Cash = 10", "Cash = 5\nGold = 5"), encoding="utf-8")
    loaded = load(path)
    assert loaded.portfolio.targets["Gold"] == 5
    assert loaded.warnings == []
    assert loaded.text.startswith("[portfolio]")
    assert loaded.fingerprint.size == path.stat().st_size


# --- never a traceback, for any input ------------------------------------------

BASE_DATA = tomllib.loads(BASE, parse_float=Decimal)
KEYS = [
    "portfolio", "targets", "bands", "securities", "accounts", "history", "plan", "name",
    "price", "class", "classes", "style", "sectors", "cash", "holdings", "menu", "kind",
    "width", "floor", "per_class", "edges", "total", "date", "as_of", "cash_class",
    "large-blend", "Cash", "Bonds", "VTI", "trades", "mode", "created",
]  # fmt: skip
scalars = st.one_of(
    st.text(max_size=8),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.decimals(),
    st.sampled_from([Decimal("1e999999"), Decimal("1e-999999"), Decimal("-0"), Decimal(100)]),
    st.dates(),
    st.datetimes(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=3),
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


BASE_PATHS = _paths(BASE_DATA)


def _mutated(mutations: list[tuple[tuple[Any, ...], Any]]) -> str | None:
    document: Any = copy.deepcopy(BASE_DATA)
    for path, value in mutations:
        if not path:
            document = value if isinstance(value, dict) else document
            continue
        node = document
        try:
            for part in path[:-1]:
                node = node[part]
            if value is None:
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        return tomli_w.dumps(document)
    except (TypeError, ValueError):
        return None  # tomli-w cannot write every random shape (e.g. mixed arrays)


def _parse_and_use(text: str) -> None:
    portfolio, problems = parse(FILE, text)
    assert portfolio is not None or any(p.severity == "error" for p in problems)
    for problem in problems:
        assert problem.message
        assert str(problem)
    if portfolio is not None:
        build_report(portfolio)
        style_box(portfolio)
        sector_exposure(portfolio)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(BASE_PATHS), st.none() | values), max_size=4))
def test_random_valid_toml_gives_problems_or_a_model_never_an_exception(
    mutations: list[tuple[tuple[Any, ...], Any]],
) -> None:
    text = _mutated(mutations)
    if text is not None:
        _parse_and_use(text)


toml_ish = st.lists(
    st.one_of(
        st.sampled_from(BASE.splitlines()),
        st.sampled_from(["[", "]", "[[accounts]]", "x = {", "= 1", '"', "'''", "a.b = 1"]),
        st.text(max_size=20),
    ),
    max_size=25,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | toml_ish)
def test_random_text_gives_problems_or_a_model_never_an_exception(text: str) -> None:
    _parse_and_use(text)


def test_the_largest_and_the_most_precise_numbers_allowed_do_not_break_the_engine() -> None:
    text = BASE.replace("VTI = 10", "VTI = 0.000000000000000001").replace(
        "cash = 100", "cash = 1e15"
    )
    portfolio, _ = check(text)
    assert portfolio is not None
    assert build_report(portfolio).total > 0
    assert dt.date(2026, 11, 20) == portfolio.portfolio.as_of


def test_a_tiny_exponent_is_refused_at_its_line_before_it_can_overflow_the_engine() -> None:
    [problem] = errors_of(BASE.replace("VTI = 10", "VTI = 1e-999999"))
    assert (problem.path, problem.line) == ("accounts[0].holdings.VTI", 21)
    assert "more than 18 digits after the decimal point (found 1E-999999)" in problem.message


# --- settings that would otherwise be silently ignored ------------------------


def test_band_settings_the_kind_ignores_are_warned_about() -> None:
    text = BASE + '[bands]\nkind = "5/25"\nwidth = 10\nper_class = { Bonds = 3 }\n'
    portfolio, problems = check(text)
    assert portfolio is not None
    # per_class applies under every kind (for 5/25, in points): only the width is ignored.
    assert [(p.path, p.line, p.severity) for p in problems] == [("bands.width", 24, "warning")]
    assert problems[0].message == "`width` does not apply to kind = '5/25' bands, so it is ignored"


def test_the_absolute_relative_pair_on_another_kind_is_warned_about() -> None:
    portfolio, problems = check(BASE + '[bands]\nkind = "absolute"\nabsolute = 3\nrelative = 20\n')
    assert portfolio is not None
    assert [(p.path, p.line) for p in problems] == [("bands.absolute", 24), ("bands.relative", 25)]
    assert 'kind = "5/25"' in problems[0].hint


def test_a_floor_on_absolute_bands_is_warned_about() -> None:
    portfolio, problems = check(BASE + '[bands]\nkind = "absolute"\nfloor = 1\n')
    assert portfolio is not None
    assert [p.path for p in problems] == ["bands.floor"]


def test_a_band_override_for_an_untargeted_class_suggests_the_target() -> None:
    portfolio, problems = check(BASE + "[bands]\nper_class = { Bond = 10 }\n")
    assert portfolio is not None
    [problem] = problems
    assert problem.path == "bands.per_class.Bond"
    assert problem.hint == "did you mean 'Bonds'?"


def test_snapshot_problems_are_warned_about() -> None:
    text = (
        BASE
        + "[[history]]\ndate = 2027-01-01\ntotal = 100\nclasses = { Stocks = 100 }\n"
        + "[[history]]\ndate = 2025-11-20\ntotal = 100\nclasses = { Stocks = 60, Bonds = 30 }\n"
    )
    portfolio, problems = check(text)
    assert portfolio is not None
    assert [(p.path, p.line) for p in problems] == [
        ("history[0].date", 23),
        ("history[1].classes", 29),
    ]
    assert "not used for the return" in problems[0].message
    assert problems[1].message == "the classes add up to 90, but the snapshot's total is 100"


def test_wrong_shapes_come_with_a_hint_on_how_to_write_them() -> None:
    assert the_error(BASE.replace("[[accounts]]", "[accounts]")).hint == (
        "write each entry under its own [[accounts]] header"
    )
    menu = the_error(BASE.replace('name = "IRA"', 'name = "IRA"\nmenu = "VTI"'))
    assert menu.hint == 'write a list in brackets: menu = ["A", "B"]'
    split = the_error(BASE.replace('class = "Stocks"', "classes = { Stocks = 60, Bonds = 30 }"))
    assert split.hint == "make the class percentages add up to 100"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | toml_ish.map(lambda text: text.encode("utf-8", "replace")))
def test_load_of_any_bytes_gives_a_portfolio_or_a_portfolio_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "any.toml"
    path.write_bytes(data)
    problems: list[Problem] = []
    try:
        load(path)
    except PortfolioError as error:
        problems = error.problems
        assert problems
    assert all(str(path) in str(problem) for problem in problems)


def test_problems_are_listed_in_file_order() -> None:
    text = (
        BASE.replace("VTI = 10", "VTI = -10")
        .replace('class = "Stocks"', 'class = "Stocks"\nstyle = 5')
        .replace("price = 290.12", "price = nan")
    )
    assert [(p.path, p.line) for p in errors_of(text)] == [
        ("securities.VTI.price", 11),
        ("securities.VTI.style", 13),
        ("accounts[0].holdings.VTI", 22),
    ]


def test_cross_table_mistakes_are_reported_together_with_field_errors() -> None:
    text = (
        BASE.replace("price = 290.12", 'price = "$290.12"')
        .replace("Cash = 10", "Cash = 5")
        .replace("BND = 20 }", "BND = 20, VXUS = 1 }")
    )
    assert [(p.path, p.line) for p in errors_of(text)] == [
        ("targets", 5),
        ("securities.VTI.price", 11),
        ("accounts[0].holdings.VXUS", 21),
    ]


def test_no_sum_error_echoes_an_invalid_target() -> None:
    problem = the_error(BASE.replace("Cash = 10", 'Cash = "ten"'))
    assert problem.path == "targets.Cash"


def test_sums_are_shown_as_plain_numbers_even_for_exponent_notation() -> None:
    problem = the_error(BASE.replace("Stocks = 60", "Stocks = 5e1"))
    assert problem.message == "targets sum to 90%, not 100%"
    assert problem.hint == "raise them by 10 percentage points in total so they add up to 100"


def test_targets_over_100_are_told_to_come_down() -> None:
    problem = the_error(BASE.replace("Stocks = 60", "Stocks = 62.5"))
    assert problem.message == "targets sum to 102.5%, not 100%"
    assert problem.hint == "lower them by 2.5 percentage points in total so they add up to 100"


# --- dates written in quotes ------------------------------------------------


def test_a_quoted_as_of_is_read_as_the_date_with_a_warning_saying_how_to_write_it() -> None:
    portfolio, problems = check(BASE.replace("as_of = 2026-11-20", 'as_of = "2026-11-20"'))

    assert portfolio is not None
    assert portfolio.portfolio.as_of == dt.date(2026, 11, 20)
    [warning] = problems
    assert warning.severity == "warning"
    assert (warning.path, warning.line) == ("portfolio.as_of", 3)
    assert warning.message == (
        'the date is written in quotes ("2026-11-20"), which TOML reads as text; '
        "rebal reads it as the date 2026-11-20"
    )
    assert warning.hint == "remove the quotes: as_of = 2026-11-20"


def test_quoted_dates_in_history_and_prices_are_flagged_too() -> None:
    text = (
        BASE.replace("price = 72.50", 'price = 72.50\nprice_as_of = "2026-11-19"')
        + '\n[[history]]\ndate = "2025-11-20"\ntotal = 100\n'
    )
    portfolio, problems = check(text)

    assert portfolio is not None
    assert [p.path for p in problems] == ["securities.BND.price_as_of", "history[0].date"]


def test_a_quoted_text_that_is_no_date_is_an_error() -> None:
    problem = the_error(BASE.replace("as_of = 2026-11-20", 'as_of = "Nov 20, 2026"'))
    assert problem.path == "portfolio.as_of"
    assert "expected a date" in problem.message


# --- [plan] inputs written by hand --------------------------------------------

PLAN = '\n[plan]\nmode = "full"\ncreated = 2026-11-20\ninputs = { INPUTS }\n'


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('min_trade = "500.00"', Decimal("500.00")),  # as rebal writes it
        ("min_trade = 500", Decimal(500)),
        ("min_trade = 1", Decimal(1)),  # a number, never mistaken for true
        ("min_trade = 250.5", Decimal("250.5")),
    ],
)
def test_plan_inputs_accept_hand_written_numbers(written: str, read: Decimal) -> None:
    portfolio, problems = check(BASE + PLAN.replace("INPUTS", written + ", whole_shares = true"))

    assert problems == []
    assert portfolio is not None
    assert portfolio.plan is not None
    assert Decimal(str(portfolio.plan.inputs["min_trade"])) == read
    assert portfolio.plan.inputs["whole_shares"] is True


def test_plan_inputs_still_refuse_nan() -> None:
    problem = the_error(BASE + PLAN.replace("INPUTS", "min_trade = nan"))
    assert problem.path == "plan.inputs.min_trade"
    assert "finite number" in problem.message


def test_a_choice_written_in_the_wrong_case_is_told_the_right_spelling() -> None:
    problem = the_error(BASE + '\n[bands]\nkind = "Relative"\n')
    assert problem.path == "bands.kind"
    assert problem.message == '"Relative" is not allowed here'
    assert problem.hint == 'write it in lower case: "relative"'


def test_one_broker_id_on_two_accounts_is_an_error() -> None:
    text = (
        BASE.replace('name = "IRA"', 'name = "IRA"\nbroker_id = "Z123"')
        + '\n[[accounts]]\nname = "Roth"\nbroker_id = "Z123"\n'
    )
    errors = errors_of(text)

    assert [(p.path, p.line) for p in errors] == [
        ("accounts[0].broker_id", 20),
        ("accounts[1].broker_id", 26),
    ]
    assert errors[0].message == "broker_id 'Z123' is also the broker_id of 'Roth'"
    assert "correct or remove" in errors[0].hint
