"""The plan's trades as CSV, next to the portfolio file, never over an existing file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from rebal.core.numbers import cents
from rebal.core.planner.types import Plan
from rebal.core.trade_order import in_placing_order
from rebal.store.atomic import write_atomic

COLUMNS = ("account", "ticker", "action", "shares", "amount", "reason")


def trades_csv(plan: Plan, accounts: Sequence[str] = ()) -> str:
    """The trades in the order the app and `rebal plan` list them (`accounts`: file order)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for trade in in_placing_order(plan.trades, accounts):
        writer.writerow(
            (trade.account, trade.ticker, trade.action, trade.shares, cents(trade.amount),
             trade.reason)
        )
    return out.getvalue()


def export_path(portfolio_path: Path, today: dt.date) -> Path:
    """`<name>-trades-<date>.csv`, numbered when that exists already."""
    base = f"{portfolio_path.stem}-trades-{today.isoformat()}"
    candidate = portfolio_path.with_name(base + ".csv")
    number = 2
    while candidate.exists():
        candidate = portfolio_path.with_name(f"{base}-{number}.csv")
        number += 1
    return candidate


def export_trades(
    portfolio_path: Path, plan: Plan, today: dt.date, accounts: Sequence[str] = ()
) -> Path:
    target = export_path(portfolio_path, today)
    write_atomic(target, trades_csv(plan, accounts), None)
    return target
