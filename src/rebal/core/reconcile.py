"""How far each trade of a saved plan has gone, read from the holdings now.

A saved plan records each traded position's shares when it was saved
(`shares_before`). After the user trades at the broker and imports the new
positions, the change in that position, in the trade's direction, says
where the trade stands:

- `not started`: the position has not moved;
- `partial`: it moved part of the way;
- `done`: it moved by the trade's shares;
- `contradicted`: it moved the other way, or by more than the trade
  (another trade, a transfer, or the wrong account);
- `unknown`: the file does not say (a plan saved before rebal recorded
  positions, or the account is gone).

"Not moved" and "moved by the trade" allow a tolerance of 1% of the trade's
shares (at least 0.001 share), so a reinvested dividend or a broker's
rounding of fractional shares does not flip a trade's reading. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rebal.core.numbers import ZERO, div, exact, mul
from rebal.core.returns import DatedAmount
from rebal.model import Portfolio, SavedPlan
from rebal.model.portfolio import PlanMode, PlannedTrade
from rebal.present.figures import plural, shares

Progress = Literal["done", "partial", "not started", "contradicted", "unknown"]

TOLERANCE_SHARE = Decimal("0.01")
MIN_TOLERANCE = Decimal("0.001")


@dataclass(frozen=True)
class TradeProgress:
    number: int  # 1-based position in [[plan.trades]], as `rebal check` and `rebal mark` count
    trade: PlannedTrade
    progress: Progress
    moved: Decimal | None  # shares moved in the trade's direction since the save
    note: str  # why, in a line a person can read


@dataclass(frozen=True)
class PlanProgress:
    created: dt.date | dt.datetime
    mode: PlanMode
    trades: list[TradeProgress]

    @property
    def done(self) -> int:
        """Trades whose position moved by the whole trade."""
        return sum(1 for t in self.trades if t.progress == "done")

    @property
    def placed(self) -> int:
        """Trades the user marked placed (an order in flight)."""
        return sum(1 for t in self.trades if t.trade.status == "placed")

    @property
    def unknown(self) -> int:
        return sum(1 for t in self.trades if t.progress == "unknown")


@exact
def trade_progress(trade: PlannedTrade, shares_now: Decimal) -> tuple[Progress, Decimal | None]:
    """Where one trade stands given the account's shares of its ticker now."""
    if trade.shares_before is None:
        return "unknown", None
    change = shares_now - trade.shares_before
    moved = change if trade.action == "buy" else -change
    tolerance = max(MIN_TOLERANCE, mul(TOLERANCE_SHARE, trade.shares))
    if abs(moved) <= tolerance:
        return ("done" if trade.shares <= tolerance else "not started"), moved
    if moved < 0 or moved > trade.shares + tolerance:
        return "contradicted", moved
    if moved >= trade.shares - tolerance:
        return "done", moved
    return "partial", moved


def _note(trade: PlannedTrade, progress: Progress, moved: Decimal | None) -> str:
    if progress == "unknown":
        return (
            "the plan was saved before rebal recorded positions (no shares_before); "
            "mark its trades by hand"
        )
    assert moved is not None
    verb = "bought" if trade.action == "buy" else "sold"
    if progress == "contradicted":
        were = "was" if abs(moved) == 1 else "were"
        if moved < 0:
            other = "sold" if trade.action == "buy" else "bought"
            return f"{plural(-moved, 'share')} {were} {other} instead"
        planned = shares(trade.shares)
        return f"{plural(moved, 'share')} {were} {verb}, more than the {planned} planned"
    if progress == "not started":
        return "the position has not changed since the plan was saved"
    return f"{shares(moved)} of {plural(trade.shares, 'share')} {verb}"


@exact
def reconcile(plan: SavedPlan, portfolio: Portfolio) -> PlanProgress:
    """Every trade of `plan` read against `portfolio`'s holdings now."""
    accounts = {account.name: account for account in portfolio.accounts}
    rows = []
    for number, trade in enumerate(plan.trades, start=1):
        account = accounts.get(trade.account)
        if account is None:
            rows.append(
                TradeProgress(
                    number,
                    trade,
                    "unknown",
                    None,
                    f"there is no account {trade.account!r} in the file now",
                )
            )
            continue
        progress, moved = trade_progress(trade, account.holdings.get(trade.ticker, ZERO))
        rows.append(TradeProgress(number, trade, progress, moved, _note(trade, progress, moved)))
    return PlanProgress(plan.created, plan.mode, rows)


@exact
def traded_class_flows(
    portfolio: Portfolio,
    progress: PlanProgress,
    flows: list[DatedAmount],
    start: dt.date,
    end: dt.date,
) -> dict[str, list[DatedAmount]] | None:
    """Which classes the period's money went into, when the saved plan tells.

    External flows arrive as (or leave from) cash; the plan's trades that
    reconcile as done or partly done move money between cash and their
    classes, dated the day the plan was made, at the plan's amounts. Only
    when every trade reads clearly (none unknown or contradicted) and the
    plan belongs to this period; otherwise None, and class returns are not
    money-weighted (the household's still is).
    """
    made = (
        progress.created.date() if isinstance(progress.created, dt.datetime) else progress.created
    )
    if made < start or any(t.progress in ("unknown", "contradicted") for t in progress.trades):
        return None
    when = min(made, end)
    cash = portfolio.cash_class
    result: dict[str, list[DatedAmount]] = {}
    for flow in flows:
        result.setdefault(cash, []).append(DatedAmount(flow.date, flow.amount, flow.account))
    for row in progress.trades:
        if row.moved is None or row.progress not in ("done", "partial") or not row.trade.shares:
            continue
        share = min(div(row.moved, row.trade.shares), Decimal(1))
        money = mul(row.trade.amount, share)
        signed = money if row.trade.action == "buy" else -money
        security = portfolio.securities.get(row.trade.ticker)
        weights = security.class_weights() if security is not None else {}
        total_weight = sum(weights.values(), ZERO)
        if not total_weight:
            return None  # an unclassified fund: its class cannot be named
        for name, weight in weights.items():
            part = div(mul(signed, weight), total_weight)
            result.setdefault(name, []).append(DatedAmount(when, part))
        result.setdefault(cash, []).append(DatedAmount(when, -signed))
    return result
