"""The plan as CSV (rebal.present.csv), next to the portfolio file, never over an existing file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rebal.core.numbers import cents
from rebal.core.planner.types import Plan
from rebal.core.trade_order import in_placing_order
from rebal.model.portfolio import SavedPlan
from rebal.present.csv import COLUMNS, plan_csv, write_csv
from rebal.store.atomic import write_atomic


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
    portfolio_path: Path,
    plan: Plan,
    today: dt.date,
    saved: SavedPlan | None = None,
    accounts: Sequence[str] = (),
) -> Path:
    """Write the plan's CSV, with each trade's status from `saved` (the file's saved plan),
    the trades in the order the app lists them (`accounts`: the file's order)."""
    target = export_path(portfolio_path, today)
    listed = replace(plan, trades=tuple(in_placing_order(plan.trades, accounts)))
    write_atomic(target, plan_csv(listed, saved), None)
    return target


def export_saved_trades(
    portfolio_path: Path, saved: SavedPlan, today: dt.date, accounts: Sequence[str] = ()
) -> Path:
    """Write the saved plan's trades (step 4 shows it as the current plan) with their
    statuses, in the same columns and order as a new plan's CSV."""
    target = export_path(portfolio_path, today)
    rows = [
        (t.account, t.ticker, t.action, t.shares, cents(t.amount), t.reason, t.status)
        for t in in_placing_order(saved.trades, accounts)
    ]
    write_atomic(target, write_csv(COLUMNS, rows), None)
    return target
