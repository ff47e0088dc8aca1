"""Step 4 — Rebalance: options, the trades per account, what is left, save and export."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import ClassVar, get_args

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import ScreenResume
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, Input, Label, Select, Static

from rebal.core.planner.types import Plan, PlanOptions
from rebal.core.reconcile import PlanProgress
from rebal.model.portfolio import PlanMode, SavedPlan, TradeStatus
from rebal.present.terminal import safe
from rebal.store.load import Loaded
from rebal.tui.format import money, parse_decimal, pct, plain, safe_text, status_text
from rebal.tui.messages import PlanOptionsChanged, PlanRequested
from rebal.tui.screens.base import StepScreen
from rebal.tui.session import Session, saved_progress
from rebal.tui.widgets.tables import reset, right
from rebal.tui.widgets.toggles import MarkedCheckbox

MODES: tuple[PlanMode, ...] = get_args(PlanMode)
MODE_WORDS: dict[PlanMode, str] = {
    "full": "full: back to every target",
    "band-edge": "band-edge: only out-of-band classes, to their band's edge",
    "cash-flow": "cash-flow: new money and cash only, no sells",
}
NEXT_STATUS: dict[TradeStatus, TradeStatus] = {
    "planned": "placed", "placed": "done", "done": "planned",
}


def plan_summary(plan: Plan, currency: str) -> Text:
    """Skipped lines, leftover cash, residual drift and the new-money answer, in words."""
    text = Text()
    if plan.skipped:
        text.append("Skipped\n", style="bold")
        for item in plan.skipped:
            text.append(safe(
                f"  {item.account}: {item.action} {item.shares} {item.ticker} "
                f"({money(item.amount, currency)}) — {item.reason}"
            ) + "\n")
    text.append("Cash left after the trades: ", style="bold")
    text.append(safe(
        ", ".join(f"{account} {money(cash, currency)}" for account, cash in
                  plan.leftover_cash.items()) or "none"
    ))
    text.append("\n")
    if plan.residual:
        text.append("Still off target\n", style="bold")
        for residual in plan.residual:
            text.append(safe(
                f"  {residual.asset_class}: {money(residual.drift, currency)} — {residual.reason}"
            ) + "\n")
    else:
        text.append("Every class reaches its target (or band) with these trades.\n")
    answer = plan.new_money_to_band
    text.append("New money that puts every class back in band without selling: ", style="bold")
    if answer.amount is None:
        text.append(safe(f"none can — {answer.reason}") + "\n")
    else:
        text.append(money(answer.amount, currency), style="bold")
        where = ", ".join(f"{a} {money(v, currency)}" for a, v in answer.by_account.items() if v)
        text.append(safe(f" ({where})") if where else "")
        text.append(safe(f" — {answer.reason}") + "\n" if answer.reason else "\n")
    for note in plan.notes:
        text.append(safe(f"· {note}") + "\n")
    text.append(f"Computed by: {plan.method}\n", style="dim")
    return text


def options_summary(session: Session) -> Text:
    """The plan options in one line, for when the options box is folded away."""
    options = session.options
    currency = session.loaded.portfolio.portfolio.currency
    parts: list[str] = [options.mode]
    money_in = [f"{name} {money(amount, currency)}" for name, amount in options.new_money.items()]
    parts.append("new money: " + (", ".join(money_in) if money_in else "none"))
    parts.append("whole shares" if options.whole_shares else "fractional shares")
    parts.append(f"min trade {money(options.min_trade, currency)}")
    avoiding = [
        account.name for account in session.loaded.portfolio.accounts
        if options.avoid_selling.get(account.name, account.avoids_selling)
    ]
    parts.append("no sells in: " + (", ".join(avoiding) if avoiding else "none"))
    text = Text("Options ", style="bold")
    text.append(safe(" · ".join(parts)))
    text.append("  (o: change)", style="dim")
    return text


# Below this size the options fold into one line so the trades get the screen.
ROOMY_WIDTH = 110
ROOMY_HEIGHT = 36


class RebalanceScreen(StepScreen):
    STEP = 4
    TITLE_TEXT = "Rebalance"
    HELP = (
        "Choose how to rebalance: full (back to targets), band-edge (only what is out of band,\n"
        "to the nearest edge) or cash-flow (new money only). Add new money (negative: a\n"
        "withdrawal) per account, whole shares, a minimum trade size, and which accounts should\n"
        "avoid selling (taxable ones do by default). The plan is recomputed as you change them.\n"
        "On a small terminal the options fold into one line: o opens them, escape folds them.\n"
        "ctrl+s saves it to the file after showing what will change; x exports the trades as\n"
        "CSV. A plan saved earlier is listed at the bottom: m marks a trade placed, then done."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "app.export_plan", "Export CSV", id="export",
                tooltip="write the trades next to the file as CSV"),
        Binding("r", "replan", "Re-plan", show=False, id="replan",
                tooltip="compute the plan again"),
        Binding("m", "mark", "Mark trade", show=False, id="mark",
                tooltip="saved plan: mark the highlighted trade placed, then done"),
        Binding("o", "focus_options", "Options", id="options",
                tooltip="go to the plan options (tab moves between them)"),
        Binding("escape", "focus_results", "Results", show=False, id="results",
                tooltip="leave the options, back to the trades"),
    ]

    _options_for: Loaded | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(Text("Step 4 — Rebalance", style="bold"), classes="title")
            yield Static(id="options-summary")
            with Vertical(id="options"):
                with Horizontal(classes="field"):
                    yield Label("Mode")
                    yield Select(
                        [(Text(MODE_WORDS[m]), m) for m in MODES], allow_blank=False,
                        value="full", id="mode", compact=True,
                    )
                with Horizontal(classes="field"):
                    yield MarkedCheckbox("Whole shares", id="whole", compact=True)
                    yield Label("Minimum trade")
                    yield Input("0", id="min-trade", classes="short", compact=True)
                yield Vertical(id="accounts-options")
                yield Static(id="options-problem")
                yield Static(
                    Text("tab moves between options · escape goes back to the trades"),
                    classes="options-hint",
                )
            yield Static(id="planning")
            with Vertical(id="results"):
                yield Label(Text("Trades, by account"), classes="section")
                yield DataTable[Text](id="trades", cursor_type="row", zebra_stripes=True)
                yield Static(id="trade-reason")
                with Horizontal(classes="pair"):
                    yield Static(id="summary", classes="half")
                    with Vertical(classes="half"):
                        yield Label(Text("Classes before and after"), classes="section")
                        yield DataTable[Text](id="before-after", cursor_type="row")
            with Vertical(id="saved"):
                yield Label(Text("Plan saved earlier (m marks placed/done)"), classes="section")
                yield DataTable[Text](id="saved-trades", cursor_type="row")

    def initial_focus(self) -> Widget | None:
        self._fold_options(self._compact())
        return self.query_one("#trades", DataTable)

    def _compact(self) -> bool:
        width, height = self.app.size
        return width < ROOMY_WIDTH or height < ROOMY_HEIGHT

    def _fold_options(self, folded: bool) -> None:
        self.query_one("#options").display = not folded
        self.query_one("#options-summary").display = folded

    @property
    def options_folded(self) -> bool:
        return not self.query_one("#options").display

    def on_screen_resume(self, event: ScreenResume) -> None:
        self._maybe_plan()

    def _maybe_plan(self) -> None:
        if self.session is not None and self.session.plan_state == "idle" and self.is_current:
            self.post_message(PlanRequested())

    # ---- rendering ----------------------------------------------------------

    def render_session(self, session: Session) -> None:
        if self._options_for is not session.loaded:
            self._show_options(session)
        currency = session.loaded.portfolio.portfolio.currency
        status = self.query_one("#planning", Static)
        results = self.query_one("#results")
        results.loading = session.plan_state == "running"
        if session.plan_state == "running":
            status.update(Text("Planning… (keys keep working; the result appears here)"))
        elif session.plan_state == "failed":
            status.update(plain(f"No plan: {session.plan_message}", "bold"))
        elif session.plan is not None:
            status.update(
                Text("Plan ready: ctrl+s saves it · x exports CSV · tab: classes after")
            )
        else:
            status.update(Text(""))
        self.query_one("#options-summary", Static).update(options_summary(session))
        self._fill_plan(session.plan, currency)
        self._fill_saved(session.loaded.portfolio.plan, currency, saved_progress(session))
        self._maybe_plan()

    def _show_options(self, session: Session) -> None:
        """Fill the option fields once per file read, so typing is never overwritten."""
        self._options_for = session.loaded
        options = session.options
        self.query_one("#mode", Select).value = options.mode
        self.query_one("#whole", Checkbox).value = options.whole_shares
        self.query_one("#min-trade", Input).value = str(options.min_trade)
        box = self.query_one("#accounts-options", Vertical)
        box.remove_children()
        rows = []
        for index, account in enumerate(session.loaded.portfolio.accounts):
            avoid = options.avoid_selling.get(account.name, account.avoids_selling)
            rows.append(
                Horizontal(
                    Label(plain(account.name), classes="account-name"),
                    Label("new money"),
                    Input(str(options.new_money.get(account.name, "0")),
                          id=f"money-{index}", classes="short", compact=True),
                    MarkedCheckbox("avoid selling", avoid, id=f"avoid-{index}", compact=True),
                    classes="field",
                )
            )
        box.mount_all(rows)

    def _fill_plan(self, plan: Plan | None, currency: str) -> None:
        trades = self.query_one("#trades", DataTable)
        reset(trades, "Account", "Action", "Ticker", "Shares", "Amount", "Reason")
        summary = self.query_one("#summary", Static)
        before_after = self.query_one("#before-after", DataTable)
        reset(before_after, "Class", "Target", "Before", "After", "Status after")
        if plan is None:
            summary.update("")
            return
        previous = None
        ordered = sorted(enumerate(plan.trades), key=lambda it: (it[1].account, it[0]))
        for index, trade in ordered:
            trades.add_row(
                plain(trade.account if trade.account != previous else "", "bold"),
                Text(trade.action.upper() if trade.action == "sell" else trade.action),
                plain(trade.ticker),
                right(str(trade.shares)),
                right(money(trade.amount, currency)),
                plain(trade.reason),
                key=str(index),
            )
            previous = trade.account
        if not plan.trades:
            trades.add_row(Text("no trades"), *(Text("") for _ in range(5)))
        summary.update(safe_text(plan_summary(plan, currency)))
        after = {row.asset_class: row for row in plan.after}
        for row in plan.before:
            moved = after.get(row.asset_class)
            before_after.add_row(
                plain(row.asset_class),
                right(pct(row.target)),
                right(pct(row.actual)),
                right(pct(moved.actual) if moved else "—"),
                status_text(moved.status) if moved else Text("—"),
                key=row.asset_class,
            )

    def _fill_saved(
        self, saved: SavedPlan | None, currency: str, progress: PlanProgress | None = None
    ) -> None:
        box = self.query_one("#saved")
        box.display = saved is not None and bool(saved.trades)
        if saved is None:
            return
        table = self.query_one("#saved-trades", DataTable)
        row_before = table.cursor_row
        reset(table, "#", "Account", "Action", "Ticker", "Shares", "Amount", "Status", "Progress")
        # What the holdings now say of each trade (rebal.core.reconcile).
        readings = [row.progress for row in progress.trades] if progress else []
        for index, trade in enumerate(saved.trades):
            reading = readings[index] if index < len(readings) else "unknown"
            table.add_row(
                right(str(index + 1)), plain(trade.account), Text(trade.action),
                plain(trade.ticker), right(str(trade.shares)), right(money(trade.amount, currency)),
                Text(trade.status, style="bold" if trade.status != "planned" else ""),
                Text(reading, style="bold" if reading in ("done", "contradicted") else ""),
                key=str(index),
            )
        if table.row_count:
            table.move_cursor(row=min(row_before, table.row_count - 1))

    # ---- options --------------------------------------------------------

    def _collect(self) -> PlanOptions | str:
        """The options as typed, or what is wrong with them."""
        session = self.session
        assert session is not None
        mode = self.query_one("#mode", Select).value
        min_trade = parse_decimal(self.query_one("#min-trade", Input).value)
        if min_trade is None or min_trade < 0:
            return "minimum trade: type an amount of 0 or more"
        new_money: dict[str, Decimal] = {}
        avoid: dict[str, bool] = {}
        for index, account in enumerate(session.loaded.portfolio.accounts):
            fields = self.query(f"#money-{index}")
            if not fields:
                continue
            amount = parse_decimal(self.query_one(f"#money-{index}", Input).value)
            if amount is None:
                return f"{account.name}: new money must be an amount (negative to withdraw)"
            if amount:
                new_money[account.name] = amount
            # Only overrides of the account's own setting, so untouched boxes change nothing.
            wanted = self.query_one(f"#avoid-{index}", Checkbox).value
            if wanted != account.avoids_selling:
                avoid[account.name] = wanted
        return replace(
            session.options,
            mode=mode if mode in MODES else "full",
            whole_shares=self.query_one("#whole", Checkbox).value,
            min_trade=min_trade,
            new_money=new_money,
            avoid_selling=avoid,
        )

    @on(DataTable.RowHighlighted, "#trades")
    def _show_reason(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted trade's whole reason, wrapped (the column is cut when narrow)."""
        plan = self.session.plan if self.session is not None else None
        key = event.row_key.value
        reason = Text()
        if plan is not None and key is not None and key.isdigit() and int(key) < len(plan.trades):
            trade = plan.trades[int(key)]
            reason = plain(f"Why {trade.action} {trade.ticker} in {trade.account}: ", "bold")
            reason.append(safe(trade.reason))
        self.query_one("#trade-reason", Static).update(reason)

    def _options_edited(self) -> None:
        if self.session is None or self._options_for is None:
            return
        result = self._collect()
        problem = self.query_one("#options-problem", Static)
        problem.display = isinstance(result, str)
        if isinstance(result, str):
            problem.update(plain(f"! {result}", "bold"))
            return
        if result != self.session.options:
            self.post_message(PlanOptionsChanged(result))

    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        self._options_edited()

    def action_replan(self) -> None:
        self.post_message(PlanRequested())

    def action_focus_options(self) -> None:
        self._fold_options(False)
        self.query_one("#mode", Select).focus()

    def action_focus_results(self) -> None:
        if self._compact():
            self._fold_options(True)
        self.query_one("#trades", DataTable).focus()

    def action_mark(self) -> None:
        from rebal.tui.app import RebalApp

        session = self.session
        saved = session.loaded.portfolio.plan if session else None
        table = self.query_one("#saved-trades", DataTable)
        if saved is None or not saved.trades:
            self.notify("No saved plan to mark: save a plan first (ctrl+s).", markup=False)
            return
        table.focus()
        index = table.cursor_row
        if not 0 <= index < len(saved.trades):
            return
        app = self.app
        if isinstance(app, RebalApp):
            app.mark_saved_trade(index, NEXT_STATUS[saved.trades[index].status])
