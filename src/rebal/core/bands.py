"""Tolerance bands around each class's target, and the in/over/under decision.

All figures are percentages of the whole portfolio. Decisions run on exact
values: 21.004% is over a 19-21% band even though it displays as 21.00%.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rebal.core.numbers import HUNDRED, ZERO, div, exact, mul, round_half_up
from rebal.model import Bands
from rebal.model.portfolio import BandKind

Status = Literal["in", "over", "under"]
WIDTH_PLACES = 4


@dataclass(frozen=True)
class Band:
    target: Decimal
    low: Decimal
    high: Decimal


@exact
def half_width(target: Decimal, policy: Bands, asset_class: str) -> Decimal:
    """How far a class may stray from `target` (both in percent) before it breaches.

    A 0% target has no band at all, whatever the policy: holding anything in a
    class the user does not want is a breach (seed 001: "0% -> any deviation").
    `per_class` overrides the width under every kind, in the kind's own unit:
    percent of the target for relative bands, points for absolute and 5/25.
    """
    if target <= 0:
        return ZERO
    override = policy.per_class.get(asset_class)
    if policy.kind == "absolute":
        return policy.width if override is None else override
    if policy.kind == "5/25":
        if override is not None:
            return override
        # Swedroe's rule (and Lakshmi's -a/-r pair): the smaller of the two.
        return min(policy.absolute, div(mul(policy.relative, target), HUNDRED))
    # Relative (seed 001): `width` percent OF THE TARGET, never below the floor.
    width = policy.width if override is None else override
    return max(div(mul(width, target), HUNDRED), policy.floor)


@exact
def band_for(target: Decimal, policy: Bands, asset_class: str) -> Band:
    h = half_width(target, policy, asset_class)
    return Band(target, max(ZERO, target - h), min(HUNDRED, target + h))


def status(actual: Decimal | None, band: Band, policy: Bands) -> Status:
    """Where `actual` sits against `band` (None: an empty portfolio, which is in band)."""
    if actual is None or actual == band.target:
        return "in"
    if policy.edges == "inside":
        if actual > band.high:
            return "over"
        if actual < band.low:
            return "under"
        return "in"
    if actual >= band.high and actual > band.target:
        return "over"
    if actual <= band.low and actual < band.target:
        return "under"
    return "in"


@exact
def width_keeping_band(
    target: Decimal, old: Bands, new_kind: BandKind, asset_class: str
) -> Decimal | None:
    """The per-class width that gives `asset_class` the same band under `new_kind`.

    A width means percent of the target under "relative" and points under
    "absolute" and "5/25", so the number itself must change for the band to
    stay. None when there is no band to keep (a 0% target).
    """
    if target <= 0:
        return None
    half = half_width(target, old, asset_class)
    width = div(mul(half, HUNDRED), target) if new_kind == "relative" else half
    # Four places keep a band to within 0.0001 points and a width a person can read.
    return round_half_up(width, WIDTH_PLACES).normalize()
