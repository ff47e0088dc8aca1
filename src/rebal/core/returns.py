"""Returns between snapshots: seed 002's weighted average and the money-weighted return.

Seed 002: each class's return is weighted by its share of the snapshot total,
R = sum(w0_c * r_c). With no money added or taken out this equals the change
in the total, (P1 - P0) / P0; seed 002's cases give exactly 9.05% and 15.5%.

With flows (contributions +, withdrawals -) the change in value counts new
money as gain, so the return is money-weighted by Modified Dietz
(docs: tax-and-returns.md section 1), over one period (d0, d1]:

    R = (EV - BV - sum F_i) / (BV + sum w_i * F_i),  w_i = (d1 - t_i) / (d1 - d0)

Flows are taken at the end of their day (GIPS), so a flow on d1 weighs 0 and
one on d0 weighs 1 (it was there all period; a flow listed for a period is
never in its start value). With no flows R is exactly (EV - BV) / BV, which
for seed 002's cases is the weighted average above.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import HUNDRED, ZERO, div, exact, mul, percent_of
from rebal.model import HistorySnapshot


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


# Average capital under this share of the largest amount involved makes the
# return explode (tax-and-returns.md: "near zero it explodes"): flag it.
UNRELIABLE_SHARE = Decimal("0.1")


@dataclass(frozen=True)
class DatedAmount:
    """A flow of money on a day: + into the portfolio (or class), - out of it."""

    date: dt.date
    amount: Decimal
    account: str = ""  # the account it went into or out of, when it is an external flow


@dataclass(frozen=True)
class Dietz:
    """One Modified Dietz computation, with its parts so a reader can check it."""

    start: dt.date
    end: dt.date
    begin: Decimal  # BV
    end_value: Decimal  # EV
    net_flows: Decimal  # sum F_i
    gain: Decimal  # EV - BV - sum F_i
    average_capital: Decimal  # BV + sum w_i F_i
    rate: Decimal | None  # percent; None when the average capital is not positive
    unreliable: bool  # average capital small beside the amounts: the rate is fragile


@exact
def modified_dietz(
    start: dt.date,
    end: dt.date,
    begin: Decimal,
    end_value: Decimal,
    flows: Sequence[DatedAmount],
) -> Dietz | None:
    """The money-weighted return over (start, end]; None for a period of no days.

    A flow dated outside the period is clamped into it (weight 1 before it,
    0 after it): the caller decides which flows belong to the period.
    """
    days = (end - start).days
    if days <= 0:
        return None
    net = sum((flow.amount for flow in flows), ZERO)
    weighted = ZERO
    for flow in flows:
        present = min(max((end - flow.date).days, 0), days)
        weighted += div(flow.amount * present, Decimal(days))
    gain = end_value - begin - net
    capital = begin + weighted
    largest = max([abs(begin), abs(end_value), sum((abs(f.amount) for f in flows), ZERO)])
    rate = div(gain * HUNDRED, capital) if capital > 0 else None
    unreliable = capital > 0 and capital < mul(UNRELIABLE_SHARE, largest)
    return Dietz(start, end, begin, end_value, net, gain, capital, rate, unreliable)


@dataclass(frozen=True)
class ClassPeriod:
    asset_class: str
    before: Decimal
    after: Decimal
    change: Decimal | None  # plain change in value, percent; None when nothing was held
    money_weighted: Decimal | None  # Modified Dietz, percent; None when not attributable


@dataclass(frozen=True)
class PeriodReturn:
    """The return of the household, and of each class, over one period between reviews."""

    household: Dietz
    change_in_value: Decimal | None  # (EV - BV) / BV in percent, flows counted as gain
    flows: tuple[DatedAmount, ...]
    per_class: list[ClassPeriod]
    # Per-class money-weighted figures need class-level flows (which class the
    # new money bought); with account flows only they are None.
    attributed: bool

    @property
    def start(self) -> dt.date:
        return self.household.start

    @property
    def end(self) -> dt.date:
        return self.household.end


@exact
def period_return(
    start: dt.date,
    end: dt.date,
    before: Mapping[str, Decimal],
    after: Mapping[str, Decimal],
    flows: Sequence[DatedAmount] = (),
    class_flows: Mapping[str, Sequence[DatedAmount]] | None = None,
) -> PeriodReturn | None:
    """Return from class values `before` (at `start`) to `after` (at `end`).

    `flows` are the household's external flows in the period. `class_flows`
    says, per class, the money that went in (+) or out (-) of it, trades
    between classes included; without it, and with flows, class returns cannot
    be attributed and only the household's is money-weighted. The class
    numerators and denominators then add up to the household's exactly when
    the class flows net to the external flows. None for a period of no days.
    """
    total_before = sum(before.values(), ZERO)
    total_after = sum(after.values(), ZERO)
    household = modified_dietz(start, end, total_before, total_after, flows)
    if household is None:
        return None
    attributed = class_flows is not None or not flows
    rows = []
    for name in sorted(set(before) | set(after), key=lambda c: (-before.get(c, ZERO), c)):
        then, now = before.get(name, ZERO), after.get(name, ZERO)
        money_weighted = None
        if attributed:
            own = (class_flows or {}).get(name, ())
            result = modified_dietz(start, end, then, now, own)
            money_weighted = None if result is None else result.rate
        rows.append(
            ClassPeriod(
                name, then, now, percent_of(now - then, then) if then else None, money_weighted
            )
        )
    return PeriodReturn(
        household=household,
        change_in_value=percent_of(total_after - total_before, total_before),
        flows=tuple(flows),
        per_class=rows,
        attributed=attributed,
    )


def last_completed_period(
    history: Sequence[HistorySnapshot], until: dt.date
) -> PeriodReturn | None:
    """The latest period between snapshots dated on or before `until`.

    What the header shows once a review is saved: the period just closed
    ("13.0% in the year to 2026-11-20") rather than the zero days since it.
    The flows are those the later snapshot records; they are account flows,
    so class returns are money-weighted only when there were none.
    """
    periods = history_periods(history, until)
    return periods[-1] if periods else None


def describe_period(start: dt.date, end: dt.date) -> str:
    """How a period reads: "the year to 2026-11-20" (give or take a week), else in days."""
    days = (end - start).days
    if abs(days - 365) <= 7:
        return f"the year to {end.isoformat()}"
    return f"the {days} day{'s' if days != 1 else ''} to {end.isoformat()}"


@exact
def history_periods(history: Sequence[HistorySnapshot], until: dt.date) -> list[PeriodReturn]:
    """Every period between consecutive snapshots dated on or before `until`, oldest first.

    Each is money-weighted over the flows its later snapshot records (as in
    `last_completed_period`); snapshots on the same day make no period.
    """
    dated = sorted((h for h in history if h.date <= until), key=lambda h: h.date)
    periods = []
    for first, last in itertools.pairwise(dated):
        flows = [DatedAmount(flow.date, flow.amount, flow.account) for flow in last.flows]
        result = period_return(first.date, last.date, first.classes, last.classes, flows)
        if result is not None:
            periods.append(result)
    return periods
