"""The one rounding policy: exact arithmetic, cents by largest remainder, half-up display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebal.core.numbers import (
    CENT,
    cents,
    display_percent,
    div,
    exact,
    exact_context,
    percent_of,
    round_half_up,
    split_to_cents,
)

D = Decimal


def test_seed_002_return_shows_9_1_half_up_where_half_even_would_show_9_0() -> None:
    weighted = D("9.05")
    assert display_percent(weighted, 1) == "9.1"
    # The trap the policy exists for: Python's default rounding is half-even.
    assert str(weighted.quantize(D("0.1"))) == "9.0"


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (D("70.6146"), 1, "70.6"),
        (D("19.7157"), 1, "19.7"),
        (D("9.6745"), 1, "9.7"),
        (D("72.7273"), 2, "72.73"),
        (D("0.125"), 2, "0.13"),
        (D("-0.125"), 2, "-0.13"),
        (D("21.004"), 2, "21.00"),
        (D("5"), 2, "5.00"),
    ],
)
def test_display_percent_rounds_half_up(value: Decimal, places: int, shown: str) -> None:
    assert display_percent(value, places) == shown


def test_display_percent_of_an_undefined_share_is_a_dash() -> None:
    assert display_percent(None) == "—"
    assert percent_of(D(5), D(0)) is None


def test_a_tiny_negative_drift_is_not_shown_as_minus_zero() -> None:
    assert display_percent(D("-0.001"), 2) == "0.00"
    assert cents(D("-0.004")) == D("0.00")
    assert str(cents(D("-0.004"))) == "0.00"


def test_cents_rounds_half_up_and_copes_with_large_totals() -> None:
    assert cents(D("2166.665")) == D("2166.67")
    assert cents(D("2166.664999")) == D("2166.66")
    # 30 significant digits would overflow the ambient 28-digit context.
    assert cents(D("123456789012345678901234567.891")) == D("123456789012345678901234567.89")


def test_one_third_of_100_in_cents_is_33_34_then_33_33_twice() -> None:
    third = div(D(100), D(3))
    split = split_to_cents({"a": third, "b": third, "c": third})
    assert split == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    assert sum(split.values()) == D(100)


def test_split_to_cents_meets_a_given_total() -> None:
    parts = {"VTI": D("2166.6666"), "BND": D("833.3333")}
    split = split_to_cents(parts, total=D("3000.00"))
    assert split == {"VTI": D("2166.67"), "BND": D("833.33")}


def test_split_to_cents_rounds_an_uneven_total_to_cents_first() -> None:
    split = split_to_cents({"a": D("1.001"), "b": D("1.001")}, total=D("2.005"))
    assert sum(split.values()) == D("2.01")


def test_split_to_cents_handles_sells_and_buys_together() -> None:
    parts = {"sell": D("-1000.005"), "buy1": D("600.0025"), "buy2": D("400.0025")}
    split = split_to_cents(parts, total=D(0))
    assert sum(split.values()) == 0
    assert all(abs(split[k] - parts[k]) < CENT for k in parts)


def test_split_to_cents_is_deterministic_whatever_the_key_order() -> None:
    third = div(D(1), D(3))
    forward = split_to_cents({"x": third, "y": third, "z": third})
    backward = split_to_cents({"z": third, "y": third, "x": third})
    assert forward == backward == {"x": D("0.34"), "y": D("0.33"), "z": D("0.33")}


amounts = st.decimals(
    min_value=D("-1000000"), max_value=D("1000000"), allow_nan=False, allow_infinity=False, places=6
)


@given(st.dictionaries(st.text(min_size=1, max_size=4), amounts, min_size=1, max_size=12))
def test_split_to_cents_parts_always_sum_to_the_rounded_total(parts: dict[str, Decimal]) -> None:
    split = split_to_cents(parts)
    with localcontext(exact_context()):
        exact_total = sum(parts.values(), D(0))
    assert set(split) == set(parts)
    assert sum(split.values()) == cents(exact_total)
    for key, value in split.items():
        assert value == value.quantize(CENT)
        # Largest remainder never moves a part by a cent or more.
        assert abs(value - parts[key]) < CENT


@given(
    st.lists(amounts, min_size=1, max_size=8),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2),
)
def test_split_to_cents_meets_any_whole_cent_total(values: list[Decimal], total: Decimal) -> None:
    parts = {f"p{i}": value for i, value in enumerate(values)}
    assert sum(split_to_cents(parts, total=total).values()) == total


def test_round_half_up_to_whole_numbers() -> None:
    assert round_half_up(D("2.5"), 0) == D(3)
    assert round_half_up(D("-2.5"), 0) == D(-3)


# Figures of any width: the 50 digits the engine computes at, past them (a 5,000-digit
# number typed into a field) and tiny ones, each rounded to 0-9 places.
_FIGURES = st.builds(
    lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
    st.integers(0, 1),
    st.lists(st.integers(0, 9), min_size=1, max_size=120)
    | st.lists(st.integers(0, 9), min_size=4990, max_size=5000),
    st.integers(-80, 60),
)


@given(_FIGURES, st.integers(0, 9))
def test_round_half_up_matches_rounding_at_any_precision(value: Decimal, places: int) -> None:
    """Whatever the width: the same figure as half-up rounding with digits to spare
    (never an error, never "-0")."""
    spare = Context(prec=len(value.as_tuple().digits) + 200)
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=spare)
    rounded = round_half_up(value, places)
    assert rounded == expected
    assert rounded.as_tuple().exponent == -places
    assert not (rounded.is_zero() and rounded.is_signed())


def test_exact_computes_at_50_digits_whatever_the_callers_context() -> None:
    @exact
    def third_of(value: Decimal) -> Decimal:
        return value / 3

    with localcontext() as ctx:
        ctx.prec = 5
        assert third_of(D(1)) == div(D(1), D(3))
        assert len(third_of(D(1)).as_tuple().digits) == 50
        # The caller's context is left as it was.
        assert D(1) / 3 == D("0.33333")
