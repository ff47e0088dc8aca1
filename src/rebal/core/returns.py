"""Seed 002: the weighted-average return since the last snapshot, and drift since.

Each class's return is weighted by its share of the snapshot total:
R = sum(w0_c * r_c). With no money added or taken out this equals the change
in the total, (P1 - P0) / P0; seed 002's cases give exactly 9.05% and 15.5%.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import HUNDRED, ZERO, div, exact, mul, percent_of


@dataclass(frozen=True)
class ClassReturn:
    asset_class: str
    before: Decimal
    after: Decimal
    weight_before: Decimal  # percent of the snapshot total
    weight_after: Decimal | None  # percent of today's total
    change: Decimal | None  # percent return; None when nothing was held before


@dataclass(frozen=True)
class WeightedReturn:
    since: dt.date
    weighted: Decimal  # percent
    per_class: list[ClassReturn]
    total_before: Decimal
    total_after: Decimal


@exact
def weighted_return(
    since: dt.date,
    before: dict[str, Decimal],
    after: dict[str, Decimal],
) -> WeightedReturn | None:
    """Return from class values `before` (the snapshot) to `after` (today).

    None when the snapshot holds nothing, since no return is defined then.
    """
    total_before = sum(before.values(), ZERO)
    total_after = sum(after.values(), ZERO)
    if total_before <= 0:
        return None
    rows = []
    weighted = ZERO
    for name in sorted(set(before) | set(after), key=lambda c: (-before.get(c, ZERO), c)):
        then, now = before.get(name, ZERO), after.get(name, ZERO)
        weight = div(then, total_before)
        change = percent_of(now - then, then) if then else None
        if change is not None:
            weighted += mul(weight, change)
        rows.append(
            ClassReturn(
                asset_class=name,
                before=then,
                after=now,
                weight_before=mul(weight, HUNDRED),
                weight_after=percent_of(now, total_after),
                change=change,
            )
        )
    return WeightedReturn(since, weighted, rows, total_before, total_after)


@exact
def amount_to_shift(values: dict[str, Decimal], targets: dict[str, Decimal]) -> Decimal:
    """Money that must move between classes to restore `targets` (percent).

    Seed 002's second case: $1,575 out of stocks into bonds and cash. Equal to
    the sum of the overweight classes' excess over their target dollars.
    """
    total = sum(values.values(), ZERO)
    excess = ZERO
    for name in set(values) | set(targets):
        over = values.get(name, ZERO) - div(mul(targets.get(name, ZERO), total), HUNDRED)
        if over > 0:
            excess += over
    return excess
