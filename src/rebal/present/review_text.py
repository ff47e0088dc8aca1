"""What `rebal check` adds for the review cycle, in words: the money-weighted return
since the last review and the saved plan's progress.

Words and figures only (rebal.present.blocks); rebal.commands lays them out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rebal.core.numbers import display_percent
from rebal.core.reconcile import PlanProgress, TradeProgress
from rebal.core.returns import PeriodReturn, describe_period
from rebal.present import figures
from rebal.present.blocks import Block, Dim, Paragraph, Section, line, table

METHOD = "Modified Dietz"


def period_percent(value: Decimal | None) -> str:
    """A return to one place, half up: "9.1%"; "—" when undefined."""
    return "—" if value is None else f"{display_percent(value, 1)}%"


def period_heading(result: PeriodReturn, *, label: str) -> Paragraph:
    """Two lines: the figure beside the change in value, then the method and period."""
    household = result.household
    if household.rate is None:
        figure = "n/a (withdrawals exceed average capital)"
    else:
        figure = period_percent(household.rate)
        if household.unreliable:
            figure += " (unreliable: average capital is small beside the flows)"
    flows = (
        f"flows {'+' if household.net_flows >= 0 else ''}{figures.amount(household.net_flows)}"
        if result.flows
        else "no flows"
    )
    return Paragraph(
        (
            f"{label}: {figure} (change in value {period_percent(result.change_in_value)}, "
            f"{flows})",
            Dim(
                f"\n{METHOD}, {result.start.isoformat()} to {result.end.isoformat()}, "
                "not annualized"
            ),
        ),
        "bold",
    )


NOT_ATTRIBUTED = (
    "Class returns are not money-weighted: the flows are per account and the file "
    "does not say which classes they bought."
)


def period_block(result: PeriodReturn, *, label: str) -> Block:
    heading = period_heading(result, label=label)
    if not result.flows:
        # Then each class's figure is its change in value, as the return table shows.
        return heading
    columns = ("Class", "Then", "Now", "Money-weighted", "Change")
    rows = [
        (
            row.asset_class,
            figures.amount(row.before),
            figures.amount(row.after),
            period_percent(row.money_weighted),
            period_percent(row.change),
        )
        for row in result.per_class
    ]
    blocks: list[Block] = [heading, table(columns, rows, right=columns[1:])]
    if not result.attributed:
        blocks.append(line(NOT_ATTRIBUTED, "dim"))
    return Section(tuple(blocks))


def returns_blocks(since: PeriodReturn | None, last: PeriodReturn | None) -> list[Block]:
    """The money-weighted return since the last review, else the last completed period's."""
    if since is not None:
        return [period_block(since, label="Money-weighted return since the last review")]
    if last is not None:
        label = f"Money-weighted return in {describe_period(last.start, last.end)}"
        return [period_block(last, label=label)]
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


def progress_cell(row: TradeProgress) -> str:
    return (
        row.progress
        if row.progress in ("not started", "unknown")
        else f"{row.progress}: {row.note}"
    )


# The readings a status already implies: a planned or placed order whose position has
# not moved yet, a done one that shows as done, and any trade saved before positions were.
IMPLIED = {("planned", "not started"), ("placed", "not started"), ("done", "done")}


def status_and_progress(status: str, progress: str) -> str:
    """The status with the holdings' reading beside it when it tells more: "placed",
    "planned, done", "placed, partial"; one cell for a narrow table. A contradiction
    stands alone ("planned, contradicted" is wider than 80 columns leave it): the
    status and what moved are then said beside the trade (`contradiction_note`)."""
    if (status, progress) in IMPLIED or progress == "unknown":
        return status
    if progress == "contradicted":
        return progress
    return f"{status}, {progress}"


def contradiction_note(status: str, note: str) -> str:
    """What a contradicted trade's one cell leaves out: "marked planned; 3 shares were
    sold instead"."""
    return f" (marked {status}; {note})"


NO_SAVED_TRADES = "The saved plan has no trades."
MARK_HINT = "Set a trade's status with: rebal mark FILE N planned|placed|done"
PROGRESS_COLUMNS = ("#", "Action", "Ticker", "Account", "Shares", "Amount", "Status", "Progress")


def saved_plan_block(progress: PlanProgress) -> Section:
    """The summary line and the numbered trades (`rebal mark FILE N STATUS` uses N)."""
    heading = line(plan_summary(progress), "bold")
    if not progress.trades:
        return Section((heading, line(NO_SAVED_TRADES, "dim")))
    rows = [
        (
            str(row.number),
            row.trade.action,
            row.trade.ticker,
            row.trade.account,
            figures.shares(row.trade.shares),
            figures.amount(row.trade.amount),
            row.trade.status,
            progress_cell(row),
        )
        for row in progress.trades
    ]
    blocks: list[Block] = [heading, table(PROGRESS_COLUMNS, rows, right=("#", "Shares", "Amount"))]
    if progress.unknown:
        blocks.append(line(next(r.note for r in progress.trades if r.progress == "unknown"), "dim"))
    blocks.append(line(MARK_HINT, "dim"))
    return Section(tuple(blocks))


def flow_recorded_text(amount: Decimal, account: str, day: dt.date) -> str:
    """ "recorded a contribution of 5,000.00 to Roth IRA on 2026-03-15" (a withdrawal:
    "of 2,500.00 from ...")."""
    kind = "contribution" if amount > 0 else "withdrawal"
    direction = "to" if amount > 0 else "from"
    return (
        f"recorded a {kind} of {figures.amount(abs(amount))} {direction} {account} on "
        f"{day.isoformat()}"
    )


def trade_marked_text(
    number: int, action: str, shares: Decimal, ticker: str, account: str, was: str, now: str
) -> str:
    """ "trade 2, sell 10 VTI in Joint Brokerage, is now placed (was planned)" """
    change = f" (was {was})" if was != now else " (unchanged)"
    return (
        f"trade {number}, {action} {figures.shares(shares)} {ticker} in {account}, "
        f"is now {now}{change}"
    )
