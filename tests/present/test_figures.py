"""Golden formats of rebal.present.figures: how every figure reads to a person."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebal.core.bands import band_for
from rebal.model.constants import LARGEST_NUMBER
from rebal.model.portfolio import Bands
from rebal.present import figures


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (D("1234.5"), "USD", "$1,234.50"),
        (D("-1234.5"), "USD", "-$1,234.50"),
        (D(0), "USD", "$0.00"),
        # A sign only where the cents show one: -0.004 is no debt.
        (D("-0.004"), "USD", "$0.00"),
        (D("-0.005"), "USD", "-$0.01"),
        (D("0.005"), "USD", "$0.01"),  # half up, not to even
        (D("2.675"), "USD", "$2.68"),
        (D("10"), "EUR", "€10.00"),
        (D("-10"), "GBP", "-£10.00"),
        (D("10"), "CAD", "$10.00"),
        (D("10"), "CHF", "CHF 10.00"),
        (D("-10"), "JPY", "-JPY 10.00"),
    ],
)
def test_money(value: D, currency: str, shown: str) -> None:
    assert figures.money(value, currency) == shown


def test_a_currency_code_never_drives_the_terminal() -> None:
    assert figures.money(D(1), "\x1b[2") == "\\x1b[2 1.00"


def test_amount_and_whole_money() -> None:
    assert figures.amount(D("-1234.505")) == "-1,234.51"
    assert figures.amount(D("-0.001")) == "0.00"
    assert figures.whole_money(D("54524.5")) == "$54,525"
    assert figures.whole_money(D("-0.4"), "EUR") == "€0"
    assert figures.whole_money(D("-1000.5"), "CHF") == "-CHF 1,001"


def test_the_largest_figure_a_file_may_hold_keeps_every_digit() -> None:
    largest = LARGEST_NUMBER * LARGEST_NUMBER  # shares x price at their limits
    assert figures.money(largest) == "$" + f"{10**30:,}" + ".00"
    # 32 significant digits: more than Python's ambient 28, which abs() would round to.
    many = D("-123456789012345678901234567890.12")
    assert figures.money(many) == "-$123,456,789,012,345,678,901,234,567,890.12"
    assert figures.whole_money(many) == "-$123,456,789,012,345,678,901,234,567,890"


def test_a_figure_of_thousands_of_digits_formats_instead_of_raising() -> None:
    # It used to raise decimal.InvalidOperation from the 50-digit rounding context.
    huge = D("9" * 5000)
    shown = figures.money(huge)
    assert shown.startswith("$99,999,")  # 5,000 digits: a group of two first
    assert shown.endswith("999.00")
    assert shown.replace(",", "").count("9") == 5000
    assert figures.percent(D("1e5000"), 1).endswith(".0%")


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (D("9.05"), 1, "9.1%"),  # half up: half-even would print 9.0%
        (D("9.05"), 2, "9.05%"),
        (D("20"), 2, "20.00%"),
        (D("-0.001"), 2, "0.00%"),
        (D("33.3333"), 2, "33.33%"),
        (D("66.665"), 2, "66.67%"),
        (None, 2, "—"),
    ],
)
def test_percent(value: D | None, places: int, shown: str) -> None:
    assert figures.percent(value, places) == shown


def test_percent_as_written() -> None:
    assert figures.percent_as_written(D("20.00")) == "20%"
    assert figures.percent_as_written(D("52.250")) == "52.25%"
    assert figures.percent_as_written(D("100")) == "100%"  # not 1E+2%
    assert figures.fraction_as_percent(D("0.6")) == "60%"
    assert figures.fraction_as_percent(D("1") / D("3")) == "33.33%"
    assert figures.as_written(D("5.000")) == "5"


@pytest.mark.parametrize(
    ("value", "places", "unit", "shown"),
    [
        (D("1.25"), 2, "", "+1.25"),
        (D("-0.5"), 2, "", "-0.50"),
        (D(0), 2, "", "0.00"),
        (D("0.004"), 2, "", "0.00"),  # rounds to nothing: no sign either way
        (D("-0.004"), 2, "", "0.00"),
        (D("0.05"), 1, " pts", "+0.1 pts"),
        (None, 2, " pts", "—"),
    ],
)
def test_signed_points(value: D | None, places: int, unit: str, shown: str) -> None:
    assert figures.signed_points(value, places, unit) == shown


@pytest.mark.parametrize(
    ("count", "long", "shown"),
    [
        (D(1), True, "1 percentage point"),
        (D("1.00"), True, "1 percentage point"),
        (D(2), True, "2 percentage points"),
        (D("2.50"), False, "2.5 points"),
        (D(0), False, "0 points"),
        (1, False, "1 point"),
        (D("0.5"), False, "0.5 points"),
    ],
)
def test_points_grammar(count: D | int, long: bool, shown: str) -> None:
    assert figures.points(count, long=long) == shown


def test_plural() -> None:
    assert figures.plural(1, "account") == "1 account"
    assert figures.plural(3, "account") == "3 accounts"
    assert figures.plural(2, "class", "classes") == "2 classes"


def test_shares_and_numbers_as_written() -> None:
    assert figures.shares(D("10.000000")) == "10"
    assert figures.shares(D("100")) == "100"
    assert figures.shares(D("0.500")) == "0.5"
    assert figures.shares(None) == "—"
    assert figures.number(D("100.00")) == "100"
    assert figures.number(D("100.50")) == "100.50"
    assert figures.number(None) == "—"


def test_status_words() -> None:
    assert [figures.status_word(s) for s in ("over", "under", "in")] == ["OVER", "under", "ok"]
    assert figures.status_word("over", arrow=True) == "▲ OVER"
    assert figures.status_word("under", arrow=True) == "▼ under"
    assert figures.status_word("in", arrow=True) == "ok"


def test_band_text_shows_the_target_as_written_and_two_places_half_up() -> None:
    relative_5 = Bands(kind="relative", width=D(5))
    assert figures.band_text(band_for(D(24), relative_5, "Mid")) == "24% → 22.80–25.20%"
    # 5/25 on 2.5%: 1.875–3.125, half up (the app used to show 3.12, rounding to even).
    gold = band_for(D("2.5"), Bands(kind="5/25"), "Gold")
    assert figures.band_text(gold) == "2.5% → 1.88–3.13%"
    assert figures.band_edges(gold) == "1.88–3.13%"


@given(st.decimals(min_value=-(10**15), max_value=10**15, places=6))
def test_money_and_amount_agree(value: D) -> None:
    amount = figures.amount(value)
    assert figures.money(value) == ("-$" + amount[1:] if amount.startswith("-") else "$" + amount)


def test_json_figures_are_plain_digits_half_up_with_no_exponent() -> None:
    assert figures.json_money(D("54525")) == "54525.00"
    assert figures.json_money(D("-1234.565")) == "-1234.57"
    assert figures.json_money(D("-0.004")) == "0.00"
    assert figures.json_money(D("1E+3")) == "1000.00"
    assert figures.json_percent(D("9.045")) == "9.05"
    assert figures.json_percent(None) is None
    assert figures.json_decimal(D("12.500000")) == "12.500000"
    assert figures.json_decimal(D("1E+2")) == "100"
    assert figures.json_decimal(D("12.500000"), normalized=True) == "12.5"
    assert figures.json_decimal(D("100.00"), normalized=True) == "100"
