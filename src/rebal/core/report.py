"""The household at a glance: totals, the class table with bands, accounts, return.

Both the CLI and the app show this; they format it, they never recompute it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.allocation import class_exposure
from rebal.core.bands import Band, Status, band_for, status
from rebal.core.numbers import ZERO, exact, percent_of
from rebal.core.reconcile import PlanProgress, reconcile, traded_class_flows
from rebal.core.returns import (
    DatedAmount,
    PeriodReturn,
    WeightedReturn,
    last_completed_period,
    period_return,
    weighted_return,
)
from rebal.core.valuation import account_value, household_total
from rebal.model import Bands, Portfolio


@dataclass(frozen=True)
class ClassRow:
    asset_class: str
    target: Decimal  # percent
    actual: Decimal | None  # percent of the total; None when the total is zero
    value: Decimal
    band: Band
    status: Status

    @property
    def drift(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.target


@dataclass(frozen=True)
class AccountRow:
    account: str
    value: Decimal
    cash: Decimal
    kind: str  # as the file writes it ("401k")
    tax_treatment: str  # what it means ("traditional")


@dataclass(frozen=True)
class Report:
    name: str
    currency: str
    total: Decimal
    classes: list[ClassRow]
    accounts: list[AccountRow]
    weighted_return: WeightedReturn | None
    # Money-weighted (Modified Dietz) return since the latest snapshot, flows
    # counted; None without a snapshot or on its day (see `last_period`).
    money_weighted: PeriodReturn | None = None
    # The period between the two latest snapshots: what "last review" shows
    # once a review is saved and the current period has no days yet.
    last_period: PeriodReturn | None = None
    plan_progress: PlanProgress | None = None

    @property
    def out_of_band(self) -> list[ClassRow]:
        return [row for row in self.classes if row.status != "in"]


@exact
def class_table(
    exposure: Mapping[str, Decimal],
    targets: Mapping[str, Decimal],
    policy: Bands,
) -> list[ClassRow]:
    """One row per class (targeted or held), targets in file order, extras after."""
    total = sum(exposure.values(), ZERO)
    names = list(targets) + sorted(c for c in exposure if c not in targets)
    rows = []
    for name in names:
        target = targets.get(name, ZERO)
        value = exposure.get(name, ZERO)
        actual = percent_of(value, total)
        band = band_for(target, policy, name)
        rows.append(ClassRow(name, target, actual, value, band, status(actual, band, policy)))
    return rows


@exact
def build_report(
    portfolio: Portfolio,
    targets: Mapping[str, Decimal] | None = None,
    policy: Bands | None = None,
) -> Report:
    """The report for `portfolio`, optionally with edited targets or band policy."""
    exposure = class_exposure(portfolio)
    snapshot = portfolio.latest_snapshot()
    wr = None
    money_weighted = None
    progress = None if portfolio.plan is None else reconcile(portfolio.plan, portfolio)
    as_of = portfolio.portfolio.as_of
    if snapshot is not None:
        wr = weighted_return(snapshot.date, dict(snapshot.classes), exposure)
        # Pending flows all happened after the latest snapshot, by the file's rule.
        flows = [DatedAmount(f.date, f.amount, f.account) for f in portfolio.flows]
        class_flows = None
        if flows and portfolio.plan is not None and progress is not None:
            class_flows = traded_class_flows(portfolio, progress, flows, snapshot.date, as_of)
        money_weighted = period_return(
            snapshot.date, as_of, snapshot.classes, exposure, flows, class_flows
        )
    return Report(
        name=portfolio.portfolio.name,
        currency=portfolio.portfolio.currency,
        total=household_total(portfolio),
        classes=class_table(
            exposure,
            portfolio.effective_targets() if targets is None else targets,
            portfolio.bands if policy is None else policy,
        ),
        accounts=[
            AccountRow(a.name, account_value(portfolio, a), a.cash, a.kind, a.tax_treatment)
            for a in portfolio.accounts
        ],
        weighted_return=wr,
        money_weighted=money_weighted,
        last_period=last_completed_period(portfolio.history, as_of),
        plan_progress=progress,
    )
