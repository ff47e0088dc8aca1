"""The one rounding policy of rebal.

Compute exactly, decide on unrounded values, and round only for output:
- money to cents with a largest-remainder split, so parts always sum to the whole;
- percentages for display with ROUND_HALF_UP (the seed's 9.05% shows as 9.1%;
  Python's default half-even would print 9.0%).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextvars import ContextVar
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
    getcontext,
    localcontext,
)
from typing import ParamSpec, TypeVar

# Enough digits that 1/3 or 1/11 carried through a plan never loses a cent.
PRECISION = 50
CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)

K = TypeVar("K", bound=Hashable)
P = ParamSpec("P")
R = TypeVar("R")

# The context of every exact operation. Its methods (`EXACT.divide(a, b)`) compute
# under it without making it current: the same result as `a / b` inside
# `localcontext(exact_context())`, at a quarter of the cost (entering a context
# was most of the time of `rebal check`'s report). Only its flags ever change,
# and nothing reads them (no trap is set on Inexact or Rounded).
EXACT = Context(prec=PRECISION)

# The context `exact` made current, so a nested exact function keeps it instead
# of entering another; a caller who switched contexts in between gets a fresh one.
_entered: ContextVar[Context | None] = ContextVar("rebal_exact_context", default=None)

# 10 ** -places, the quantum `round_half_up` rounds to.
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(8)}


def exact_context() -> Context:
    return Context(prec=PRECISION)


def exact(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with every Decimal operation at PRECISION digits.

    Python's ambient context keeps 28 digits, so a plain `+` or `sum()` of
    50-digit quotients would quietly round; the engine's public functions
    compute under this context instead, whatever the caller's context is.
    """

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if getcontext() is _entered.get():
            return function(*args, **kwargs)
        with localcontext(EXACT) as context:
            token = _entered.set(context)
            try:
                return function(*args, **kwargs)
            finally:
                _entered.reset(token)

    return run


def div(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Exact-enough division at PRECISION digits, whatever the ambient context."""
    return EXACT.divide(numerator, denominator)


def mul(a: Decimal, b: Decimal) -> Decimal:
    return EXACT.multiply(a, b)


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent; None when the whole is zero (shown as an em dash)."""
    if whole == 0:
        return None
    return div(part * HUNDRED, whole)


def cents(amount: Decimal) -> Decimal:
    """Round one money amount to cents, half up (for single figures, not splits)."""
    return round_half_up(amount, 2)


def display_percent(value: Decimal | None, places: int = 2) -> str:
    """A percentage for people: half-up to `places` decimals, em dash when undefined."""
    if value is None:
        return "—"
    return format(round_half_up(value, places), "f")


def round_half_up(value: Decimal, places: int) -> Decimal:
    """`value` to `places` decimals, ties away from zero; never "-0.00".

    Runs at PRECISION digits so that large amounts do not overflow the
    ambient 28-digit context, and wider still for a figure with more digits
    than that (a 5,000-digit number typed into a field), which would otherwise
    raise instead of rounding.
    """
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = Decimal(1).scaleb(-places)
    # Tried at PRECISION first, which nearly every figure fits: deciding the width
    # beforehand cost more than the rounding (rebal check rounds some 70 times a file).
    try:
        rounded = value.quantize(quantum, rounding=ROUND_HALF_UP, context=EXACT)
    except InvalidOperation:
        wide = Context(prec=value.adjusted() + places + 2)
        rounded = value.quantize(quantum, rounding=ROUND_HALF_UP, context=wide)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def decimal_places(number: Decimal) -> int:
    """Digits after the decimal point, trailing zeros not counted; 0 for nan and inf."""
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    zeros = len(digits) - len(bytes(digits).rstrip(b"\0"))
    return max(0, -exponent - zeros)


def floor_to(value: Decimal, step: Decimal) -> Decimal:
    """Largest multiple of `step` not above `value`."""
    steps = EXACT.divide(value, step).to_integral_value(rounding=ROUND_FLOOR, context=EXACT)
    return EXACT.multiply(steps, step)


def split_to_cents(parts: Mapping[K, Decimal], total: Decimal | None = None) -> dict[K, Decimal]:
    """Round each part to cents so that the rounded parts sum to `total` exactly.

    `total` defaults to the exact sum of the parts rounded half up to cents; a
    given total is itself rounded half up to cents first. The
    largest-remainder method floors every part, then hands the missing cents
    one by one to the parts with the largest remainders; ties go to the larger
    part, then to the earlier key in sorted order, so the result is
    deterministic. A $100 split in thirds is 33.34 / 33.33 / 33.33.
    """
    if not parts:
        return {}
    with localcontext(EXACT):
        target = cents(sum(parts.values(), ZERO) if total is None else total)
        floored = {key: floor_to(value, CENT) for key, value in parts.items()}
        missing = int((target - sum(floored.values(), ZERO)) / CENT)  # exact: all whole cents
        order: Sequence[K]
        if missing >= 0:
            order = sorted(
                parts,
                key=lambda k: (-(parts[k] - floored[k]), -parts[k], str(k)),
            )
            step = CENT
        else:
            # More cents handed out than the total allows: take them back from
            # the parts with the smallest remainders first.
            order = sorted(parts, key=lambda k: (parts[k] - floored[k], parts[k], str(k)))
            step = -CENT
            missing = -missing
        # Normally fewer cents are missing than there are parts; a total far
        # from the parts' sum is spread evenly first, so this stays O(n log n).
        rounds, extra = divmod(missing, len(order))
        result = {key: value + step * rounds for key, value in floored.items()}
        for key in order[:extra]:
            result[key] += step
        return result
