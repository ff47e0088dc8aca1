"""What `rebal check` adds for the review cycle: the money-weighted return and the saved plan.

Like rebal.commands.output: pure functions from results to `--json` dicts (a
public contract, docs/cli.md) and rich renderables; nothing computed here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from rebal.commands.output import columns_table, money, percent
from rebal.core.numbers import display_percent
from rebal.core.reconcile import PlanProgress, TradeProgress
from rebal.core.returns import PeriodReturn, describe_period
from rebal.present import figures
from rebal.present.styled import plain

METHOD = "Modified Dietz"


# --------------------------------------------------------------------- JSON


def period_json(result: PeriodReturn | None) -> dict[str, Any] | None:
    """One period's money-weighted return with its parts (null when there is none)."""
    if result is None:
        return None
    household = result.household
    return {
        "method": METHOD,
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "return": percent(household.rate),
        "change_in_value": percent(result.change_in_value),
        "begin": money(household.begin),
        "end_value": money(household.end_value),
        "net_flows": money(household.net_flows),
        "average_capital": money(household.average_capital),
        "reliable": household.rate is not None and not household.unreliable,
        "flows": [
            {"date": f.date.isoformat(), "account": f.account, "amount": money(f.amount)}
            for f in result.flows
        ],
        "attributed": result.attributed,
        "per_class": [
            {
                "class": row.asset_class,
                "before": money(row.before),
                "after": money(row.after),
                "return": percent(row.money_weighted),
                "change_in_value": percent(row.change),
            }
            for row in result.per_class
        ],
    }


def plan_json(progress: PlanProgress | None) -> dict[str, Any] | None:
    """The saved plan with each trade's status and progress (null when there is none)."""
    if progress is None:
        return None
    return {
        "created": progress.created.isoformat(),
        "mode": progress.mode,
        "done": progress.done,
        "placed": progress.placed,
        "trades": [
            {
                "number": row.number,
                "account": row.trade.account,
                "ticker": row.trade.ticker,
                "action": row.trade.action,
                "shares": format(row.trade.shares.normalize(), "f"),
                "amount": money(row.trade.amount),
                "status": row.trade.status,
                "progress": None if row.progress == "unknown" else row.progress,
                "note": row.note,
            }
            for row in progress.trades
        ],
    }


# -------------------------------------------------------------- human text


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{display_percent(value, 1)}%"


def period_heading(result: PeriodReturn, *, label: str) -> Text:
    """Two lines: the figure beside the change in value, then the method and period."""
    household = result.household
    if household.rate is None:
        figure = "n/a (withdrawals exceed average capital)"
    else:
        figure = _pct(household.rate)
        if household.unreliable:
            figure += " (unreliable: average capital is small beside the flows)"
    flows = (
        f"flows {'+' if household.net_flows >= 0 else ''}{figures.amount(household.net_flows)}"
        if result.flows
        else "no flows"
    )
    text = plain(
        f"{label}: {figure} (change in value {_pct(result.change_in_value)}, {flows})", "bold"
    )
    text.append(
        f"\n{METHOD}, {result.start.isoformat()} to {result.end.isoformat()}, not annualized",
        style="dim",
    )
    return text


def period_renderable(result: PeriodReturn, *, label: str) -> RenderableType:
    heading = period_heading(result, label=label)
    if not result.flows:
        # Then each class's figure is its change in value, as the return table shows.
        return heading
    table = columns_table(
        "Class",
        "Then",
        "Now",
        "Money-weighted",
        "Change",
        right=("Then", "Now", "Money-weighted", "Change"),
    )
    for row in result.per_class:
        table.add_row(
            plain(row.asset_class),
            figures.amount(row.before),
            figures.amount(row.after),
            _pct(row.money_weighted),
            _pct(row.change),
        )
    parts: list[RenderableType] = [heading, table]
    if not result.attributed:
        parts.append(
            plain(
                "Class returns are not money-weighted: the flows are per account and the file "
                "does not say which classes they bought.",
                "dim",
            )
        )
    return Group(*parts)


def returns_renderables(
    since: PeriodReturn | None, last: PeriodReturn | None
) -> list[RenderableType]:
    """The money-weighted return since the last review, else the last completed period's."""
    if since is not None:
        return [period_renderable(since, label="Money-weighted return since the last review")]
    if last is not None:
        label = f"Money-weighted return in {describe_period(last.start, last.end)}"
        return [period_renderable(last, label=label)]
    return []


def plan_summary(progress: PlanProgress) -> str:
    """ "Saved plan of 2026-12-01: 1 of 7 trades look done; 2 placed (mode full)" """
    created = progress.created
    day = created.date() if isinstance(created, dt.datetime) else created
    total = len(progress.trades)
    text = f"Saved plan of {day.isoformat()}: "
    text += f"{progress.done} of {figures.plural(total, 'trade')} look done"
    text += f"; {progress.placed} placed (mode {progress.mode})"
    if progress.unknown == total and total:
        text += " (progress unknown: saved before rebal recorded positions)"
    return text


def _progress_cell(row: TradeProgress) -> str:
    return (
        row.progress
        if row.progress in ("not started", "unknown")
        else f"{row.progress}: {row.note}"
    )


def plan_renderable(progress: PlanProgress) -> RenderableType:
    """The summary line and the numbered trades (`rebal mark FILE N STATUS` uses N)."""
    heading = plain(plan_summary(progress), "bold")
    if not progress.trades:
        return Group(heading, plain("The saved plan has no trades.", "dim"))
    table = columns_table(
        "#",
        "Action",
        "Ticker",
        "Account",
        "Shares",
        "Amount",
        "Status",
        "Progress",
        right=("#", "Shares", "Amount"),
    )
    for row in progress.trades:
        trade = row.trade
        table.add_row(
            str(row.number),
            trade.action,
            plain(trade.ticker),
            plain(trade.account),
            figures.shares(trade.shares),
            figures.amount(trade.amount),
            trade.status,
            plain(_progress_cell(row)),
        )
    parts: list[RenderableType] = [heading, table]
    if progress.unknown:
        parts.append(plain(next(r.note for r in progress.trades if r.progress == "unknown"), "dim"))
    parts.append(plain("Set a trade's status with: rebal mark FILE N planned|placed|done", "dim"))
    return Group(*parts)
