"""`rebal plan`'s text in words: the plan's header line, the trades by account under
their titles, what was skipped, the cash left, the classes before and after, the
drift left, the new-money answer and the notes.

Words and figures only (rebal.present.blocks); rebal.commands lays them out as
plain lines or rich tables. The sentences are functions of their own
(`options_text`, `account_title`, ...) so the app can say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rebal.core.numbers import ZERO
from rebal.core.report import ClassRow, Report
from rebal.core.trade_order import in_placing_order
from rebal.present import figures
from rebal.present.blocks import BLANK, Block, Dim, Paragraph, Table, line, table
from rebal.present.plan_words import NEW_MONEY_LEAD, new_money_answer
from rebal.present.report_text import out_of_band_line, report_header, status_cell
from rebal.present.rows import column_cents
from rebal.present.tax import tax_blocks

if TYPE_CHECKING:
    # Type names only: `rebal check` never imports the planner package.
    from rebal.core.planner.types import Plan, PlanOptions, Residual, Skipped, Trade

__all__ = [
    "NO_TRADES",
    "account_title",
    "action_word",
    "before_after_table",
    "cash_left_table",
    "csv_written_text",
    "new_money_paragraph",
    "note_line",
    "options_text",
    "out_of_band_line",
    "plan_blocks",
    "plan_header",
    "residual_table",
    "saved_text",
    "trade_table",
    "trades_by_account",
]

NO_TRADES = "No trades: nothing would bring the household closer to its targets."
SKIPPED_TITLE = "Skipped (not traded)"
CASH_LEFT_TITLE = "Cash left in accounts"
BEFORE_AFTER_TITLE = "Classes before and after the trades"
RESIDUAL_TITLE = "Drift the plan cannot remove"
TRADE_COLUMNS = ("Action", "Ticker", "Shares", "Amount", "Reason")


def action_word(action: str) -> str:
    """How a trade's action reads in the text: "SELL" stands out, "buy" does not."""
    return action.upper() if action == "sell" else action


def trade_table(rows: Iterable[Trade | Skipped], *, title: str | None = None) -> Table:
    """Trades (or trades skipped), one a row: action, ticker, shares, amount, reason."""
    return table(
        TRADE_COLUMNS,
        [
            (
                action_word(row.action),
                row.ticker,
                figures.shares(row.shares),
                figures.amount(row.amount),
                row.reason,
            )
            for row in rows
        ],
        right=("Shares", "Amount"),
        title=title,
    )


def account_title(
    account: str, sold: Decimal, bought: Decimal, cash_left: Decimal | None = None
) -> str:
    """ "Jordan 401(k): sell 7,464.78, buy 4,208.98, cash left 3,255.80" """
    title = f"{account}: sell {figures.amount(sold)}, buy {figures.amount(bought)}"
    if cash_left is not None:
        title += f", cash left {figures.amount(cash_left)}"
    return title


def trades_by_account(
    trades: Iterable[Trade], leftover_cash: Mapping[str, Decimal], accounts: Sequence[str] = ()
) -> list[Block]:
    """Each account's trades under its title, in the order to place them."""
    grouped: dict[str, list[Trade]] = {}
    for trade in in_placing_order(trades, accounts):
        grouped.setdefault(trade.account, []).append(trade)
    if not grouped:
        return [line(NO_TRADES)]
    blocks: list[Block] = []
    for account, rows in grouped.items():
        bought = sum((t.amount for t in rows if t.action == "buy"), ZERO)
        sold = sum((t.amount for t in rows if t.action == "sell"), ZERO)
        title = account_title(account, sold, bought, leftover_cash.get(account))
        blocks += [trade_table(rows, title=title), BLANK]
    return blocks


def cash_left_table(leftover: Mapping[str, Decimal]) -> Table:
    return table(
        ("Account", "Cash left"),
        [(account, figures.amount(cash)) for account, cash in leftover.items()],
        right=("Cash left",),
        title=CASH_LEFT_TITLE,
    )


def before_after_table(before: Sequence[ClassRow], after: Sequence[ClassRow]) -> Table:
    actual_before = {row.asset_class: row for row in before}
    values_after = column_cents([row.value for row in after])
    rows = []
    for row, value in zip(after, values_after, strict=True):
        previous = actual_before.get(row.asset_class)
        rows.append(
            (
                row.asset_class,
                figures.percent(row.target),
                figures.percent(previous.actual if previous else None),
                figures.percent(row.actual),
                figures.amount(value),
                status_cell(row.status),
            )
        )
    return table(
        ("Class", "Target", "Before", "After", "Value after", "Status after"),
        rows,
        right=("Target", "Before", "After", "Value after"),
        title=BEFORE_AFTER_TITLE,
    )


def residual_table(residual: Iterable[Residual]) -> Table:
    return table(
        ("Class", "Drift left", "Why"),
        [(r.asset_class, figures.amount(r.drift), r.reason) for r in residual],
        right=("Drift left",),
        title=RESIDUAL_TITLE,
    )


def options_text(options: PlanOptions, accounts: Sequence[str]) -> str:
    """ "Plan: mode full; new money 5,000.00 to Roth; whole shares; ..." """
    text = f"Plan: mode {options.mode}"
    if options.new_money:
        where = ", ".join(f"{figures.amount(v)} to {k}" for k, v in options.new_money.items())
        text += f"; new money {where}"
    if options.whole_shares:
        text += "; whole shares"
    if options.min_trade:
        text += f"; minimum trade {figures.amount(options.min_trade)}"
    if options.only is not None:
        text += "; trading only in " + ", ".join(a for a in accounts if a in options.only)
    avoided = [name for name, avoid in options.avoid_selling.items() if avoid]
    allowed = [name for name, avoid in options.avoid_selling.items() if not avoid]
    if avoided:
        text += "; avoid selling in " + ", ".join(avoided)
    if allowed:
        text += "; selling allowed in " + ", ".join(allowed)
    return text


def plan_header(
    report: Report, plan: Plan, *, as_of: dt.date, file: Path, details: bool = False
) -> Paragraph:
    """`rebal check`'s header, the plan's options and, with `details`, its method."""
    header = report_header(report, as_of=as_of, file=file)
    accounts = [row.account for row in report.accounts]
    pieces = (*header.pieces, "\n" + options_text(plan.options, accounts))
    if details:
        pieces += (Dim(f"\nMethod: {plan.method}"),)
    return Paragraph(pieces, header.style)


def new_money_paragraph(plan: Plan, currency: str = "USD") -> Paragraph:
    band = plan.new_money_to_band
    pieces: tuple[str, ...] = (f"{NEW_MONEY_LEAD}: {new_money_answer(band, currency)}",)
    if band.reason:
        pieces += (Dim(f"\n  {band.reason}"),)
    return Paragraph(pieces)


def note_line(note: str) -> Paragraph:
    return line(f"Note: {note}", "dim")


def plan_blocks(
    report: Report, plan: Plan, *, as_of: dt.date, file: Path, details: bool = False
) -> list[Block]:
    """The `rebal plan` text: trades by account, skips, leftovers, classes before and
    after, residual drift, the tax part, the new-money answer and the notes.

    How the plan was computed (the solver's method line) is for `details` only:
    it says nothing a person needs to place the trades.
    """
    blocks: list[Block] = [plan_header(report, plan, as_of=as_of, file=file, details=details)]
    blocks.append(BLANK)
    blocks += trades_by_account(
        plan.trades, plan.leftover_cash, [row.account for row in report.accounts]
    )
    if plan.skipped:
        blocks += [trade_table(plan.skipped, title=SKIPPED_TITLE), BLANK]
    leftover = {k: v for k, v in plan.leftover_cash.items() if v}
    if leftover:
        blocks += [cash_left_table(leftover), BLANK]
    blocks += [before_after_table(plan.before, plan.after), BLANK]
    if plan.residual:
        blocks += [residual_table(plan.residual), BLANK]
    blocks += tax_blocks(plan.tax)
    blocks.append(new_money_paragraph(plan, report.currency))
    blocks += [note_line(note) for note in plan.notes]
    return blocks


def saved_text(plan: Plan, total: Decimal, backup: str) -> str:
    """What saving a plan did: "saved the plan (3 trades), its new money (5,000.00) as
    flows and a snapshot of 793,894.95; the previous version is in FILE~"."""
    flows = sum((abs(amount) for amount in plan.options.new_money.values()), ZERO)
    recorded = f", its new money ({figures.amount(flows)}) as flows" if flows else ""
    return (
        f"saved the plan ({figures.plural(len(plan.trades), 'trade')}){recorded} and a snapshot of "
        f"{figures.amount(total)}; the previous version is in {backup}"
    )


def csv_written_text(plan: Plan) -> str:
    """ "wrote 3 trades and 1 skipped line as CSV" """
    return (
        f"wrote {figures.plural(len(plan.trades), 'trade')} and "
        f"{figures.plural(len(plan.skipped), 'skipped line')} as CSV"
    )
