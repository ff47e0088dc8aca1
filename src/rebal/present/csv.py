"""The one CSV writer: a plan's trades and skipped lines, safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula
(and tab or carriage return can hide such a start), so a class, ticker, account
or reason from someone else's file could run code when the CSV is opened.
Every text cell that starts with one of them gets a leading `'`, as OWASP
recommends; numbers are written as numbers (`-12.50` stays a number), since
rebal formats them itself. The columns are a public contract (docs/cli.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from rebal.core.numbers import cents
from rebal.core.planner.types import Plan, Skipped, Trade
from rebal.model.portfolio import SavedPlan

COLUMNS = ("account", "ticker", "action", "shares", "amount", "reason", "status")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | Decimal | int


def cell(value: Cell) -> str:
    """One cell as written: text neutralised, numbers in plain notation."""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    out = io.StringIO()
    # RFC 4180 line ends: with "\n" alone, the csv module leaves a field holding a
    # bare "\r" unquoted, and the reader then splits the row there.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(name) for name in columns])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def _key(trade: Trade | Skipped) -> tuple[str, str, str, Decimal, Decimal]:
    return (trade.account, trade.ticker, trade.action, trade.shares, cents(trade.amount))


def trade_statuses(trades: Sequence[Trade], saved: SavedPlan | None) -> list[str]:
    """Each trade's status in the saved plan where the same trade was saved, else "planned".

    The same trade means the same account, ticker, action, shares and amount to
    the cent; each saved trade answers for one planned trade at most.
    """
    remaining: dict[tuple[str, str, str, Decimal, Decimal], list[str]] = {}
    for stored in saved.trades if saved is not None else ():
        key = (stored.account, stored.ticker, stored.action, stored.shares, cents(stored.amount))
        remaining.setdefault(key, []).append(stored.status)
    statuses = []
    for trade in trades:
        matches = remaining.get(_key(trade))
        statuses.append(matches.pop(0) if matches else "planned")
    return statuses


def plan_csv(plan: Plan, saved: SavedPlan | None = None) -> str:
    """The plan's trades (with their status) and then its skipped lines (status "skipped")."""
    rows: list[Sequence[Cell]] = []
    for trade, status in zip(plan.trades, trade_statuses(plan.trades, saved), strict=True):
        rows.append(_row(trade, status))
    rows += [_row(skipped, "skipped") for skipped in plan.skipped]
    return write_csv(COLUMNS, rows)


def _row(trade: Trade | Skipped, status: str) -> tuple[Cell, ...]:
    return (
        trade.account,
        trade.ticker,
        trade.action,
        trade.shares,
        cents(trade.amount),
        trade.reason,
        status,
    )
