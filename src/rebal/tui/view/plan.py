"""Step 4's slices of the view: what each of its panes shows, built once per session.

Pure: no Textual, no I/O. The words and figures come from rebal.present; names,
tickers and reasons from the file are made terminal-safe here, once. Each pane's
widget takes its slice through a reactive and only lays it out. `step_four_view`
builds them all; on a big household it runs in a thread worker (the trades' cells
of 3,576 trades are a few hundred milliseconds of formatting), and the trades'
rows of a plan are kept for the next session with the same plan (an option
toggled over the saved plan does not list its trades again).

Styled text is kept as `Line`s: pieces of (text, style), the style a rich style
name ("", "bold", "dim"), so a widget turns a line into rich `Text` as it is.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.cells import cell_len

from rebal.core.tax.gains import tax_applies
from rebal.core.trade_order import in_placing_order
from rebal.present import plan_summary as words
from rebal.present.figures import money, percent, shares, status_word
from rebal.present.plan_words import NEW_MONEY_LEAD, new_money_answer
from rebal.present.review_text import contradiction_note, status_and_progress
from rebal.present.tax import (
    TextTable,
    budget_text,
    estimate_label,
    harvest_table,
    realized_line,
    sold_lots_lines,
    tax_notes,
    trade_gain,
    trade_tax,
    warnings_table,
)
from rebal.present.terminal import safe
from rebal.store.load import Loaded
from rebal.tui.session import (
    IN_THREAD_ABOVE,
    Session,
    changes_since_saved_plan,
    looks_done_unmarked,
    plan_date,
    position_count,
    saved_progress,
)

if TYPE_CHECKING:
    from rebal.core.planner.types import Plan, PlanOptions, Trade
    from rebal.model.portfolio import SavedPlan

Piece = tuple[str, str]  # text (terminal-safe), and its rich style name
Line = tuple[Piece, ...]


def line(*pieces: Piece) -> Line:
    return tuple(pieces)


def said(text: str, style: str = "") -> Piece:
    """A piece of text with the user's words in it, made terminal-safe."""
    return safe(text), style


# ---- the plan summary -----------------------------------------------------------


@dataclass(frozen=True)
class BeforeAfterRow:
    asset_class: str
    target: str
    before: str
    after: str  # "—" when the class is not in the plan's after
    status: str | None  # "over" / "under" / "in", None when not in the after


@dataclass(frozen=True)
class PlanSummarySlice:
    """Under the trades: skipped lines, the cash left, the drift left, the new-money
    answer and the notes; and the classes before and after."""

    lines: tuple[Line, ...]
    classes: tuple[BeforeAfterRow, ...]


def summary_lines(plan: Plan, currency: str) -> tuple[Line, ...]:
    lines: list[Line] = []
    if plan.skipped:
        lines.append(line((words.SKIPPED_TITLE, "bold")))
        lines += [line(said("  " + words.skipped_line(item, currency))) for item in plan.skipped]
    lines.append(line((words.CASH_LEFT_TITLE + ": ", "bold"),
                      said(words.cash_left_line(plan, currency))))
    if plan.residual:
        lines.append(line((words.RESIDUAL_TITLE, "bold")))
        lines += [line(said("  " + words.residual_line(row, currency))) for row in plan.residual]
    else:
        lines.append(line((words.EVERY_CLASS_REACHED, "")))
    answer = plan.new_money_to_band
    reason = f" — {answer.reason}" if answer.reason else ""
    lines.append(line((f"{NEW_MONEY_LEAD}: ", "bold"),
                      said(new_money_answer(answer, currency) + reason)))
    lines += [line(said(words.note_line(note))) for note in plan.notes]
    # The solver's method line is for `rebal plan --details` and --json, not the main view.
    return tuple(lines)


def plan_summary(plan: Plan, currency: str) -> PlanSummarySlice:
    after = {row.asset_class: row for row in plan.after}
    classes = []
    for row in plan.before:
        moved = after.get(row.asset_class)
        classes.append(BeforeAfterRow(
            asset_class=safe(row.asset_class),
            target=percent(row.target),
            before=percent(row.actual),
            after=percent(moved.actual) if moved else "—",
            status=moved.status if moved else None,
        ))
    return PlanSummarySlice(summary_lines(plan, currency), tuple(classes))


def status_cell(status: str | None) -> str:
    """The Status column of the classes before and after, with the app's arrow."""
    return "—" if status is None else status_word(status, arrow=True)


# ---- the status line above the trades --------------------------------------------


@dataclass(frozen=True)
class PlanStatusSlice:
    """What step 4 lists and what the user can do next; `planning`: the new plan's
    results are on their way (the trades show a loading mark)."""

    lines: tuple[Line, ...]
    planning: bool


def plan_status(session: Session) -> PlanStatusSlice:
    """Over a saved plan: its date, how far its trades have gone, and what a new plan
    would change (options or targets set since); otherwise the new plan's state. The
    saved plan never reads as unsaved, and a new one always does."""
    saved_view = session.shows_saved_plan
    planning = not saved_view and session.plan_state in ("running", "idle")
    return PlanStatusSlice(_status_lines(session), planning)


def _status_lines(session: Session) -> tuple[Line, ...]:
    saved = session.saved_plan
    if saved is not None and session.shows_saved_plan:
        return _saved_plan_status(session, saved)
    if session.plan_state == "running" or (session.plan_state == "idle" and session.can_plan):
        # Idle: a plan is about to be asked for; say so from the first paint.
        return (line((words.PLANNING, "")),)
    if session.plan_state == "failed":
        return (line(said(words.no_plan(session.plan_message), "bold")),)
    if session.plan is None:
        return ()
    if saved is None:
        return (line((words.PLAN_READY, "")),)
    return (line((words.NEW_PLAN_UNSAVED, "bold"), (words.replaces_saved(plan_date(saved)), "")),)


def _saved_plan_status(session: Session, saved: SavedPlan) -> tuple[Line, ...]:
    placed = sum(1 for trade in saved.trades if trade.status == "placed")
    done = sum(1 for trade in saved.trades if trade.status == "done")
    lines = [line((words.saved_plan_head(plan_date(saved)), "bold"),
                  (": " + words.saved_plan_facts(len(saved.trades), placed, done), ""))]
    unmarked = len(looks_done_unmarked(session))
    if unmarked:
        lines.append(line((words.look_done_unmarked(unmarked), "bold")))
    changed = changes_since_saved_plan(session)
    if session.plan_state == "running":
        lines.append(line((words.MAKING_NEW_PLAN, "")))
    elif session.plan_state == "failed":
        lines.append(line(said(words.no_new_plan(session.plan_message))))
    elif changed:
        lines.append(line(said(words.changed_since_saved(changed), "bold"),
                          (words.REPLAN_WITH_CHANGES, "")))
    else:
        lines.append(line((words.SAVED_PLAN_KEYS, "")))
    return tuple(lines)


# ---- the options ------------------------------------------------------------------


@dataclass(frozen=True)
class OptionsSummarySlice:
    """The plan options in one line, for when the options box is folded away;
    `pending`: over the saved plan, they are those of the next new plan (r)."""

    text: str
    pending: bool


def options_summary(session: Session) -> OptionsSummarySlice:
    options = session.options
    portfolio = session.loaded.portfolio
    avoiding = [safe(account.name) for account in portfolio.accounts
                if options.avoid_selling.get(account.name, account.avoids_selling)]
    parts = words.options_parts(options, avoiding, portfolio.portfolio.currency)
    pending = session.shows_saved_plan and bool(changes_since_saved_plan(session))
    return OptionsSummarySlice(safe(" · ".join(parts)), pending)


@dataclass(frozen=True)
class AccountOptionRow:
    account: str  # the account's name as in the file (the row's key)
    name: str  # terminal-safe
    kind: str
    new_money: Decimal
    new_money_cell: str
    avoid: bool
    avoid_cell: str
    avoids_by_default: bool  # the account's own setting (taxable accounts avoid selling)


@dataclass(frozen=True)
class OptionsFormSlice:
    """The options form: the plan-wide fields, the tax choices (files with tax keys)
    and one row per account. `options` is the session's; the form fills its fields
    from it once per file read (`loaded` says which), so typing is never overwritten."""

    loaded: Loaded  # the file read the form was filled for (compared by identity)
    options: PlanOptions
    tax_applies: bool
    as_of: dt.date  # the prices' date: the trade date's default and its earliest day
    accounts: tuple[AccountOptionRow, ...]


def avoids_selling(options: PlanOptions, account: str, default: bool) -> bool:
    return options.avoid_selling.get(account, default)


def options_form(session: Session) -> OptionsFormSlice:
    options = session.options
    portfolio = session.loaded.portfolio
    currency = portfolio.portfolio.currency
    rows = []
    for account in portfolio.accounts:
        amount = options.new_money.get(account.name, Decimal(0))
        avoid = avoids_selling(options, account.name, account.avoids_selling)
        rows.append(AccountOptionRow(
            account=account.name, name=safe(account.name), kind=account.kind,
            new_money=amount, new_money_cell=words.new_money_cell(amount, currency),
            avoid=avoid, avoid_cell=words.avoid_cell(avoid),
            avoids_by_default=account.avoids_selling,
        ))
    return OptionsFormSlice(
        loaded=session.loaded, options=options, tax_applies=tax_applies(portfolio),
        as_of=portfolio.portfolio.as_of, accounts=tuple(rows),
    )


# ---- the new plan's trades ----------------------------------------------------------


@dataclass(frozen=True)
class TradeRowsSlice:
    """The new plan's trades in placing order (the CLI's and the CSV's), each row's
    cells in three parts (the trade, its gain and tax, its reason) and each column's
    widest cell, so the table picks the columns that fit without measuring again."""

    plan: Plan | None
    trades: tuple[Trade, ...]
    base: tuple[tuple[str, ...], ...]  # Account (on its first row), Action, Ticker, Shares, Amount
    taxes: tuple[tuple[str, str], ...]  # Gain, Tax; empty for plans without tax figures
    reasons: tuple[str, ...]
    base_widths: tuple[int, ...]
    tax_widths: tuple[int, ...]
    reason_width: int

    @property
    def empty_plan(self) -> bool:
        """A plan with no trades (the table says so)."""
        return self.plan is not None and not self.trades


BASE_TITLES = words.TRADE_COLUMNS
TAX_TITLES = words.TAX_COLUMNS
REASON_TITLE = words.REASON_COLUMN
NO_TRADES_CELL = words.NO_TRADES_CELL


def _widths(titles: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[int, ...]:
    return tuple(
        max([cell_len(title), *(cell_len(row[i]) for row in rows)])
        for i, title in enumerate(titles)
    )


def tax_cells(plan: Plan, trade: Trade) -> tuple[str, str]:
    found = None if plan.tax is None else plan.tax.of(trade.account, trade.ticker, trade.action)
    if found is None:
        return "", ""
    return trade_gain(found), trade_tax(found)


def trade_rows(plan: Plan | None, currency: str, accounts: Sequence[str]) -> TradeRowsSlice:
    trades = in_placing_order(plan.trades, accounts) if plan is not None else []
    base: list[tuple[str, ...]] = []
    taxes: list[tuple[str, str]] = []
    previous = None
    for trade in trades:
        base.append((
            safe(trade.account) if trade.account != previous else "",
            words.action_word(trade.action),
            safe(trade.ticker),
            shares(trade.shares),
            money(trade.amount, currency),
        ))
        if plan is not None and plan.tax is not None:
            taxes.append(tax_cells(plan, trade))
        previous = trade.account
    reasons = tuple(safe(trade.reason) for trade in trades)
    shown_base = base or ([(NO_TRADES_CELL, "", "", "", "")] if plan is not None else [])
    return TradeRowsSlice(
        plan=plan, trades=tuple(trades), base=tuple(base), taxes=tuple(taxes), reasons=reasons,
        base_widths=_widths(BASE_TITLES, shown_base),
        tax_widths=_widths(TAX_TITLES, taxes) if taxes else (),
        reason_width=max([cell_len(REASON_TITLE), *(cell_len(r) for r in reasons)]),
    )


def trade_detail(plan: Plan | None, trade: Trade | None) -> tuple[Line, ...]:
    """The highlighted trade's whole reason, and for a taxable sale its gain, tax and
    lots: the line under the trades (the table has no room for them)."""
    if trade is None:
        return ()
    lines = [line(said(words.why_trade(trade.action, trade.ticker, trade.account), "bold"),
                  said(trade.reason))]
    summary = None if plan is None else plan.tax
    found = None if summary is None else summary.of(trade.account, trade.ticker, trade.action)
    if found is not None and found.taxable:
        lines.append(line(said(words.sale_tax(trade_gain(found), trade_tax(found)), "bold")))
        lines += [line(said(lot)) for lot in sold_lots_lines(found)]
    return tuple(lines)


# ---- the saved plan's trades -----------------------------------------------------


@dataclass(frozen=True)
class SavedTradeRow:
    number: str
    account: str
    action: str
    ticker: str
    shares: str
    trade: str  # action, shares and ticker in a phrase, for a narrow table
    amount: str
    status: str  # planned / placed / done
    progress: str  # what the holdings now say of it (rebal.core.reconcile)
    state: str  # status and progress in one cell, for a narrow table
    reason: Line  # the line under the table when the row is highlighted


@dataclass(frozen=True)
class SavedPlanSlice:
    """The file's [plan]: its title (which says whether it is the current plan) and its
    trades with their status and progress; `rows` is empty without a saved plan."""

    saved: SavedPlan | None
    title: str
    rows: tuple[SavedTradeRow, ...]

    @property
    def shown(self) -> bool:
        return bool(self.rows)


def saved_plan(session: Session) -> SavedPlanSlice:
    saved = session.saved_plan
    if saved is None:
        return SavedPlanSlice(None, "", ())
    currency = session.loaded.portfolio.portfolio.currency
    progress = saved_progress(session)
    readings = [(row.progress, row.note) for row in progress.trades] if progress else []
    rows = []
    for index, trade in enumerate(saved.trades):
        reading, note = readings[index] if index < len(readings) else ("unknown", "")
        reason = trade.reason or words.NO_SAVED_REASON
        if reading == "contradicted":
            reason += contradiction_note(trade.status, note)
        rows.append(SavedTradeRow(
            number=str(index + 1), account=safe(trade.account), action=trade.action,
            ticker=safe(trade.ticker), shares=shares(trade.shares),
            trade=safe(words.trade_words(trade.action, trade.shares, trade.ticker)),
            amount=money(trade.amount, currency), status=trade.status,
            progress=reading,
            state=status_and_progress(trade.status, reading),
            reason=line(
                said(words.why_saved_trade(index + 1, trade.action, trade.ticker, trade.account),
                     "bold"),
                said(reason),
            ),
        ))
    title = (words.SAVED_TRADES_TITLE if session.shows_saved_plan
             else words.saved_under_new(plan_date(saved)))
    return SavedPlanSlice(saved, title, tuple(rows))


# ---- the tax section --------------------------------------------------------------

TaxLine = tuple[int, Line]  # indent, and the line (wrapped under its own indent)

# Columns that name a row (joined on its first line) and the prose one (its own line).
NAMES = ("Kind", "Account", "Ticker")
PROSE = ("Why",)


@dataclass(frozen=True)
class TaxSectionSlice:
    """The plan's lots, realized gains and estimated tax, wash-sale flags and loss
    harvests, in `rebal plan`'s words; no lines for plans without tax figures."""

    lines: tuple[TaxLine, ...]

    @property
    def shown(self) -> bool:
        return bool(self.lines)


def table_lines(data: TextTable) -> list[TaxLine]:
    """`data` as lines: the title, then per row its names, its figures as
    "Column value" and its reason under them."""
    lines: list[TaxLine] = [(0, line(said(data.title, "bold")))]
    for row in data.rows:
        cells = dict(zip(data.columns, row, strict=True))
        # A warning of the whole plan (the gain budget) has no account or ticker: "—".
        names = " · ".join(cells[c] for c in data.columns if c in NAMES and cells[c] != "—")
        figures = ", ".join(
            f"{c} {cells[c]}" for c in data.columns if c not in NAMES and c not in PROSE
        )
        pieces = [said(names, "bold")]
        if figures:
            pieces.append(said(f": {figures}"))
        lines.append((2, tuple(pieces)))
        lines += [(4, line(said(cells[c]))) for c in PROSE if cells.get(c)]
    return lines


def lots_lines(plan: Plan) -> list[TaxLine]:
    """Each taxable sale with its total, then the lots it takes (one line each)."""
    summary = plan.tax
    sold = [] if summary is None else [t for t in summary.trades if t.taxable]
    if summary is None or not sold:
        return []
    lines: list[TaxLine] = [
        (0, line(said(words.lots_sold_title(summary.date), "bold")))
    ]
    for trade in sold:
        lines.append((2, line(
            said(f"{trade.account} · {trade.ticker}", "bold"),
            said(": " + words.sale_tax(trade_gain(trade), trade_tax(trade), lead="trade total")),
        )))
        lines += [(4, line(said(lot))) for lot in sold_lots_lines(trade)]
    return lines


def tax_section(plan: Plan | None) -> TaxSectionSlice:
    """The whole section, its parts a blank line apart."""
    summary = None if plan is None else plan.tax
    if plan is None or summary is None:
        return TaxSectionSlice(())
    sections: list[list[TaxLine]] = []
    lots = lots_lines(plan)
    if lots:
        sections.append(lots)
    total: list[TaxLine] = [(0, line(said(realized_line(summary), "bold")))]
    label = estimate_label(summary)
    if label is not None:
        total.append((2, line(said(label, "dim"))))
    if summary.budget is not None:
        total.append((0, line(said(budget_text(summary.budget),
                                   "bold" if summary.budget.binds else ""))))
    sections.append(total)
    for data in (warnings_table(summary), harvest_table(summary)):
        if data is not None:
            sections.append(table_lines(data))
    notes = tax_notes(summary)
    if notes:
        sections.append([(0, line(said(note, "dim"))) for note in notes])
    lines: list[TaxLine] = []
    for section in sections:
        if lines:
            lines.append((0, ()))
        lines += section
    return TaxSectionSlice(tuple(lines))


# ---- the whole step -----------------------------------------------------------------


@dataclass(frozen=True)
class StepFourView:
    """Everything step 4 shows for one session; `saved_first`: the saved plan is the
    current one (its trades on top, the new plan's trades hidden)."""

    status: PlanStatusSlice
    options_summary: OptionsSummarySlice
    options: OptionsFormSlice
    trades: TradeRowsSlice
    summary: PlanSummarySlice | None  # None until there is a plan
    saved: SavedPlanSlice
    tax: TaxSectionSlice
    saved_first: bool

    @property
    def plan(self) -> Plan | None:
        return self.trades.plan


_kept_rows: tuple[Plan | None, str, tuple[str, ...], TradeRowsSlice] | None = None
_kept_lock = threading.Lock()


def _trade_rows_kept(plan: Plan | None, currency: str, accounts: tuple[str, ...]) -> TradeRowsSlice:
    """The plan's rows, kept while the plan (the object) stays the session's."""
    global _kept_rows
    with _kept_lock:
        kept = _kept_rows
    if kept is not None and kept[0] is plan and kept[1:3] == (currency, accounts):
        return kept[3]
    rows = trade_rows(plan, currency, accounts)
    with _kept_lock:
        _kept_rows = (plan, currency, accounts, rows)
    return rows


def step_four_view(session: Session) -> StepFourView:
    """Step 4's slices for `session` (pure; on a big household, call it in a thread)."""
    portfolio = session.loaded.portfolio
    currency = portfolio.portfolio.currency
    accounts = tuple(account.name for account in portfolio.accounts)
    plan = session.plan
    return StepFourView(
        status=plan_status(session),
        options_summary=options_summary(session),
        options=options_form(session),
        trades=_trade_rows_kept(plan, currency, accounts),
        summary=plan_summary(plan, currency) if plan is not None else None,
        saved=saved_plan(session),
        tax=tax_section(plan),
        saved_first=session.shows_saved_plan,
    )


def builds_in_thread(session: Session) -> bool:
    """Whether building the view takes long enough to leave the event loop for."""
    plan = session.plan
    saved = session.saved_plan
    return (position_count(session.loaded.portfolio) > IN_THREAD_ABOVE
            or (plan is not None and len(plan.trades) > IN_THREAD_ABOVE)
            or (saved is not None and len(saved.trades) > IN_THREAD_ABOVE))

