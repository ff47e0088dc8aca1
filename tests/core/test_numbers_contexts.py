"""The exact arithmetic computes under one shared 50-digit context instead of entering
a fresh one per operation: the results must be the very same Decimals (digits,
exponent and sign) as entering `localcontext(Context(prec=50))` each time, whatever
the caller's context, for huge and tiny values alike, and it must raise the same
errors. The reference below is the per-operation version rebal used before.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    DecimalException,
    localcontext,
)
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core import numbers

PRECISION = 50


def reference_div(numerator: Decimal, denominator: Decimal) -> Decimal:
    with localcontext(Context(prec=PRECISION)):
        return numerator / denominator


def reference_mul(a: Decimal, b: Decimal) -> Decimal:
    with localcontext(Context(prec=PRECISION)):
        return a * b


def reference_round_half_up(value: Decimal, places: int) -> Decimal:
    digits = max(PRECISION, value.adjusted() + places + 2)
    with localcontext(Context(prec=digits)):
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def reference_floor_to(value: Decimal, step: Decimal) -> Decimal:
    with localcontext(Context(prec=PRECISION)):
        return (value / step).to_integral_value(rounding=ROUND_FLOOR) * step


def reference_percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return reference_div(part * Decimal(100), whole)


# Values from a cent to trillions, and the extremes: 60-digit coefficients, 1E+300, 1E-300.
decimals = st.one_of(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    ),
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(int(d) for d in digits), exponent)),
        st.integers(0, 1),
        st.text("0123456789", min_size=1, max_size=60),
        st.integers(-300, 300),
    ),
    # Around the 50 digits where the context's precision starts to matter.
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(int(d) for d in digits), exponent)),
        st.integers(0, 1),
        st.text("0123456789", min_size=30, max_size=60),
        st.integers(-60, 10),
    ),
)
nonzero = decimals.filter(lambda value: not value.is_zero())
ambient = st.builds(
    lambda prec, rounding: Context(prec=prec, rounding=rounding),
    st.integers(1, 80),
    st.sampled_from(
        [ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_DOWN, ROUND_UP, ROUND_FLOOR,
         ROUND_CEILING]
    ),
)


def outcome(function: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """What a call gives: its value as a tuple (so 1.0 and 1.00 differ), or its error's type."""
    try:
        value = function(*args)
    except DecimalException as error:
        return ("raises", type(error))
    if isinstance(value, Decimal):
        return ("value", value.as_tuple())
    return ("value", value)


def same(context: Context, new: Callable[..., Any], old: Callable[..., Any], *args: Any) -> None:
    with localcontext(context):
        assert outcome(new, *args) == outcome(old, *args)


@settings(max_examples=300)
@given(decimals, decimals, ambient)
def test_div_mul_and_percent_are_the_per_operation_results(
    a: Decimal, b: Decimal, context: Context
) -> None:
    same(context, numbers.div, reference_div, a, b)
    same(context, numbers.mul, reference_mul, a, b)
    same(context, numbers.percent_of, reference_percent_of, a, b)


@settings(max_examples=300)
@given(decimals, st.integers(0, 10), ambient)
def test_round_half_up_is_the_per_operation_result(
    value: Decimal, places: int, context: Context
) -> None:
    same(context, numbers.round_half_up, reference_round_half_up, value, places)


@settings(max_examples=200)
@given(decimals, st.sampled_from([Decimal("0.01"), Decimal("0.000001"), Decimal(1)]), ambient)
def test_floor_to_is_the_per_operation_result(
    value: Decimal, step: Decimal, context: Context
) -> None:
    same(context, numbers.floor_to, reference_floor_to, value, step)


def test_dividing_by_zero_raises_as_before() -> None:
    for a in (Decimal(1), Decimal(0)):
        assert outcome(numbers.div, a, Decimal(0)) == outcome(reference_div, a, Decimal(0))
    assert outcome(numbers.div, Decimal(1), Decimal(0))[0] == "raises"


@numbers.exact
def _sum_of_thirds(values: list[Decimal]) -> Decimal:
    return sum((value / 3 for value in values), Decimal(0))


@numbers.exact
def _nested(values: list[Decimal], context: Context) -> tuple[Decimal, Decimal, Decimal]:
    inner = _sum_of_thirds(values)
    with localcontext(context):
        # A caller inside an exact function switching contexts still gets 50 digits.
        switched = _sum_of_thirds(values)
    return inner, switched, sum((value / 3 for value in values), Decimal(0))


@settings(max_examples=100)
@given(st.lists(nonzero, max_size=6), ambient)
def test_exact_functions_nest_at_50_digits_whatever_the_callers_context(
    values: list[Decimal], context: Context
) -> None:
    def reference() -> Decimal:
        with localcontext(Context(prec=PRECISION)):
            return sum((value / 3 for value in values), Decimal(0))

    with localcontext(context):
        expected = reference()
        inner, switched, direct = _nested(values, context)
        alone = _sum_of_thirds(values)
    assert inner.as_tuple() == expected.as_tuple()
    assert switched.as_tuple() == expected.as_tuple()
    assert direct.as_tuple() == expected.as_tuple()
    assert alone.as_tuple() == expected.as_tuple()
