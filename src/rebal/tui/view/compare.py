"""Step 2's slices: the charts, the shift, drift by account, value by account, returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.allocation import (
    ClassDriftByAccount,
    account_class_exposure,
    class_exposure,
    drift_by_account,
)
from rebal.core.report import AccountRow, Report
from rebal.core.returns import PeriodReturn, WeightedReturn, amount_to_shift, history_periods
from rebal.model import Portfolio
from rebal.present.figures import money
from rebal.tui.session import Session, remembered


@dataclass(frozen=True)
class ChartsSlice:
    """Each class now and its target (percent), drawn on one scale."""

    rows: tuple[tuple[str, Decimal | None, Decimal], ...]
    scale: Decimal


@dataclass(frozen=True)
class ShiftSlice:
    amount: Decimal  # what moving between classes would restore every target with
    currency: str


@dataclass(frozen=True)
class AccountDriftSlice:
    rows: tuple[ClassDriftByAccount, ...]
    currency: str


@dataclass(frozen=True)
class ByAccountSlice:
    """Each account's value in each class, as the cells read (money, in file order)."""

    classes: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # the account, then a cell per class


@dataclass(frozen=True)
class AccountsSlice:
    """The accounts pane's: each account's row of the report (value, cash, kind), and
    the file read its holdings' lines are written from when an account is opened."""

    portfolio: Portfolio
    accounts: tuple[AccountRow, ...]


@dataclass(frozen=True)
class ReturnsSlice:
    weighted: WeightedReturn | None
    since: PeriodReturn | None  # money-weighted since the last snapshot
    last: PeriodReturn | None  # the period the last review closed
    currency: str


@dataclass(frozen=True)
class HistorySlice:
    """The periods between snapshots (latest first) and the value over time."""

    periods: tuple[PeriodReturn, ...]
    values: tuple[Decimal, ...]
    first_date: dt.date | None
    currency: str


def charts(report: Report) -> ChartsSlice:
    rows = tuple((row.asset_class, row.actual, row.target) for row in report.classes)
    values = [v for _, now, target in rows for v in (now, target) if v is not None]
    return ChartsSlice(rows, max(values, default=Decimal(100)) or Decimal(100))


def shift(session: Session, report: Report) -> ShiftSlice:
    exposure = remembered(class_exposure, session.loaded.portfolio)
    return ShiftSlice(amount_to_shift(exposure, dict(session.targets)), report.currency)


def _drift_rows(
    portfolio: Portfolio, targets: dict[str, Decimal]
) -> tuple[ClassDriftByAccount, ...]:
    return tuple(drift_by_account(portfolio, targets))


def account_drift(session: Session, report: Report) -> AccountDriftSlice:
    rows = remembered(_drift_rows, session.loaded.portfolio, dict(session.targets))
    return AccountDriftSlice(rows, report.currency)


def _account_cells(
    portfolio: Portfolio, classes: tuple[str, ...], currency: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (account, tuple(money(exposure.get(c, Decimal(0)), currency) for c in classes))
        for account, exposure in account_class_exposure(portfolio).items()
    )


def by_account(session: Session, report: Report) -> ByAccountSlice:
    classes = tuple(row.asset_class for row in report.classes)
    rows = remembered(_account_cells, session.loaded.portfolio, classes, report.currency)
    return ByAccountSlice(classes, rows)


def returns(report: Report) -> ReturnsSlice:
    return ReturnsSlice(report.weighted_return, report.money_weighted, report.last_period,
                        report.currency)


def history(portfolio: Portfolio, report: Report) -> HistorySlice:
    as_of = portfolio.portfolio.as_of
    periods = history_periods(portfolio.history, as_of)
    if not periods:
        return HistorySlice((), (), None, report.currency)
    dated = sorted((h for h in portfolio.history if h.date <= as_of), key=lambda h: h.date)
    values = [h.total for h in dated]
    if dated[-1].date < as_of:
        values.append(report.total)  # today's value ends the line
    return HistorySlice(tuple(reversed(periods)), tuple(values), dated[0].date, report.currency)


def accounts(portfolio: Portfolio, report: Report) -> AccountsSlice:
    return AccountsSlice(portfolio, tuple(report.accounts))
