"""Step 4 — Rebalance: options, the trades per account, what is left, save and export."""

from __future__ import annotations

from collections.abc import Iterator
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
from rebal.core.tax.gains import tax_applies
from rebal.model.portfolio import PlanMode, SavedPlan, TradeStatus
from rebal.present.figures import money, percent
from rebal.present.plan_words import NEW_MONEY_LEAD, new_money_answer
from rebal.present.styled import plain, safe_text, status_text
from rebal.present.terminal import safe
from rebal.store.load import Loaded
from rebal.tui.messages import PlanOptionsChanged, PlanRequested
from rebal.tui.parse import parse_decimal
from rebal.tui.screens.base import StepScreen
from rebal.tui.session import (
    Session,
    changes_since_saved_plan,
    looks_done_unmarked,
    plan_date,
    saved_progress,
)
from rebal.tui.widgets.options_table import (
    AccountOptionsTable,
    TaxOptions,
    toggled_avoid,
    with_new_money,
)
from rebal.tui.widgets.plan_tax import PlanTax, trade_tax_detail
from rebal.tui.widgets.tables import ChunkedTable, PagingTable, Row, reset, right
from rebal.tui.widgets.toggles import MarkedCheckbox
from rebal.tui.widgets.trades_table import TradesTable

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
    text.append(f"{NEW_MONEY_LEAD}: ", style="bold")
    text.append(safe(new_money_answer(answer, currency)))
    text.append(safe(f" — {answer.reason}") + "\n" if answer.reason else "\n")
    for note in plan.notes:
        text.append(safe(f"· {note}") + "\n")
    # The solver's method line is for `rebal plan --details` and --json, not the main view.
    return text


def plan_status(session: Session) -> Text:
    """What step 4 lists and what the user can do next, above the trades.

    Over a saved plan: its date, how far its trades have gone, and what a new
    plan would change (options or targets set since); otherwise the new plan's
    state. The saved plan never reads as unsaved, and a new one always does.
    """
    saved = session.saved_plan
    if saved is not None and session.shows_saved_plan:
        return _saved_plan_status(session, saved)
    if session.plan_state == "running" or (session.plan_state == "idle" and session.can_plan):
        # Idle: a plan is about to be asked for; say so from the first paint.
        return Text("Planning… (keys keep working; the result appears here)")
    if session.plan_state == "failed":
        return plain(f"No plan: {session.plan_message}", "bold")
    if session.plan is None:
        return Text("")
    if saved is None:
        return Text("Plan ready: ctrl+s saves it · x exports CSV · tab: classes after")
    text = Text("New plan (unsaved)", style="bold")
    text.append(f": ctrl+s saves it in place of the saved plan of {plan_date(saved)} "
                "· s: back to the saved plan")
    return text


def _saved_plan_status(session: Session, saved: SavedPlan) -> Text:
    count = len(saved.trades)
    placed = sum(1 for trade in saved.trades if trade.status == "placed")
    done = sum(1 for trade in saved.trades if trade.status == "done")
    text = Text(f"Saved plan of {plan_date(saved)}", style="bold")
    facts = [f"{count} trade{'s' * (count != 1)}"]
    facts += [f"{n} {word}" for n, word in ((placed, "placed"), (done, "done")) if n]
    text.append(": " + ", ".join(facts) + "\n")
    unmarked = len(looks_done_unmarked(session))
    if unmarked:
        text.append(
            f"{unmarked} trade{'s look' if unmarked != 1 else ' looks'} done in the holdings "
            "but not marked: ctrl+p › Mark trades that look done\n", style="bold",
        )
    changed = changes_since_saved_plan(session)
    if session.plan_state == "running":
        text.append("Making a new plan… the saved plan stays until it is ready.")
    elif session.plan_state == "failed":
        text.append(safe(f"No new plan: {session.plan_message}. The saved plan stays."))
    elif changed:
        text.append(safe("Changed since it was saved: " + ", ".join(changed) + ". "), "bold")
        text.append("r makes a new plan with them; this one stays until you save that.")
    else:
        text.append("m marks the highlighted trade placed, then done · r: new plan")
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
    # A long list of names would push the rest off a one-line summary: count them.
    listed = ", ".join(avoiding) if len(avoiding) <= 3 else f"{len(avoiding)} accounts"
    parts.append("no sells in: " + (listed if avoiding else "none"))
    if options.avoid_wash_sales:
        parts.append("no wash sales")
    if options.harvest:
        parts.append("harvest losses")
    if options.trade_date is not None:
        parts.append(f"trade date {options.trade_date.isoformat()}")
    # Over the saved plan, options set since are those of the next new plan (r).
    pending = session.shows_saved_plan and changes_since_saved_plan(session)
    text = Text("Options for a new plan (r) " if pending else "Options ", style="bold")
    text.append(safe(" · ".join(parts)))
    text.append("  (o: change)", style="dim")
    return text


class RebalanceScreen(StepScreen):
    STEP = 4
    # -short: 24 rows leave room for 6 trades and their reason under the folded options;
    # below -tall (or -wide) the options fold into one line (steps.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-medium"), (36, "-tall")]  # noqa: RUF012
    TITLE_TEXT = "Rebalance"
    HELP = (
        "Choose how to rebalance: full (back to targets), band-edge (only what is out of band,\n"
        "to the nearest edge) or cash-flow (new money only). In the accounts table, enter (or e)\n"
        "types new money for the highlighted account (negative: a withdrawal) and space turns\n"
        "avoid selling on or off (taxable accounts avoid it by default). Whole shares and a\n"
        "minimum trade size are above it. The plan is recomputed as you change them.\n"
        "A file with a saved plan opens on that plan, its trades' statuses and its options;\n"
        "r makes a new plan (the saved one stays until you save the new one), s goes back\n"
        "to the saved plan, and options changed meanwhile wait for r.\n"
        "On a small terminal the options fold into one line: o opens them, escape folds them.\n"
        "The highlighted trade's reason is shown in full under the trades. PgUp/PgDn and\n"
        "Home/End scroll the step. ctrl+s saves the plan after showing what will change;\n"
        "x exports the trades as CSV. m marks the saved plan's highlighted trade placed,\n"
        "then done (written at once); the Progress column reads the holdings now.\n"
        "For files with tax keys, each sale's realized gain and tax are columns when there is\n"
        "room, and the line under the trades gives them with the sale's lots; g goes to the\n"
        "plan's tax section: the total, the wash-sale flags and the loss harvests. The options\n"
        "add --no-wash-sales, --harvest and the trade date, as rebal plan takes them."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "app.export_plan", "CSV", id="export",
                tooltip="write the trades next to the file as CSV"),
        Binding("o", "focus_options", "Options", id="options",
                tooltip="go to the plan options (tab moves between them)"),
        Binding("r", "new_plan", "New plan", id="new-plan",
                tooltip="plan again with these options (a saved plan stays until you save)"),
        Binding("s", "show_saved", "Saved plan", id="saved-plan",
                tooltip="back to the saved plan, dropping the new one"),
        Binding("m", "mark", "Mark", id="mark",
                tooltip="saved plan: mark the highlighted trade placed, then done"),
        Binding("g", "show_tax", "Tax", id="tax",
                tooltip="the plan's lots, gains, estimated tax, wash sales and harvests"),
        Binding("escape", "focus_results", "Trades", id="results",
                tooltip="leave the options, back to the trades"),
    ]

    _options_for: Loaded | None = None
    _options_mounted = False
    _editing: str | None = None  # the account whose new money is being typed

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(Text("Step 4 — Rebalance", style="bold"), classes="title")
            yield Static(id="options-summary")
            # Filled on first need (see _mount_options): the form is a third of the
            # cost of entering step 4, and folded away at 80x24 anyway.
            yield Vertical(id="options")
            # Said from the screen's first paint ("Planning…" when a plan is about to
            # be asked for), not only once the session is first rendered.
            session = getattr(self.app, "session", None)
            yield Static(plan_status(session) if session is not None else "", id="planning")
            with Vertical(id="results"):
                yield Label(Text("Trades, by account"), classes="section", id="trades-title")
                with Vertical(id="trades-box"):
                    yield TradesTable(id="trades")
                    yield Static(id="trade-reason")
                # The summary, the classes and the saved plan follow the first paint
                # (see _mount_lower): "Planning…" and the trades' place come first.
                yield Vertical(id="lower")

    def _lower_parts(self) -> ComposeResult:
        # The saved plan comes first when it is the current plan, last under a new one.
        with Vertical(id="saved"):
            yield Label(id="saved-title", classes="section")
            yield ChunkedTable(id="saved-trades", cursor_type="row")
            yield Static(id="saved-reason")
        with Horizontal(classes="pair", id="plan-pair"):
            yield Static(id="summary", classes="half")
            with Vertical(classes="half"):
                yield Label(Text("Classes before and after"), classes="section")
                yield PagingTable(id="before-after", cursor_type="row")
        yield PlanTax(id="plan-tax")

    _lower_mounted = False

    async def _mount_lower(self) -> None:
        lower = self.query_one("#lower")
        if lower.children:
            return
        await lower.mount_compose(self._lower_parts())
        # Nested parts finish mounting with their containers: render once they have.
        self.call_after_refresh(self._lower_ready)

    def _lower_ready(self) -> None:
        if not self.query("#saved-trades") or not self.query("#summary"):
            self.call_after_refresh(self._lower_ready)
            return
        self._lower_mounted = True
        if self.session is not None:
            self.render_session(self.session)

    def _option_fields(self, options: PlanOptions) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label("Mode")
            yield Select(
                [(Text(MODE_WORDS[m]), m) for m in MODES], allow_blank=False,
                value=options.mode, id="mode", compact=True,
            )
        with Horizontal(classes="field"):
            yield MarkedCheckbox("Whole shares", options.whole_shares, id="whole", compact=True)
            yield Label("Minimum trade")
            yield Input(str(options.min_trade), id="min-trade", classes="short", compact=True)
        yield TaxOptions(id="tax-options")
        yield AccountOptionsTable(id="accounts-options")
        with Horizontal(id="money-editor", classes="field"):
            yield Label(id="money-label")
            yield Input(id="money-input", classes="short", compact=True)
        yield Static(id="options-problem")
        yield Static(
            Text("tab moves between options · space: avoid selling · enter: new money "
                 "· escape: back to the trades"),
            classes="options-hint",
        )

    async def _mount_options(self) -> None:
        """Build the options form (once), from the session's options."""
        if self._options_mounted or self.session is None:
            return
        self._options_mounted = True
        await self.query_one("#options").mount_compose(self._option_fields(self.session.options))
        self._show_options(self.session)

    def initial_focus(self) -> Widget | None:
        self.call_after_refresh(self._mount_lower)
        self.call_after_refresh(self._mount_options_if_shown)
        # The screen mounts when step 4 is entered: ask for the plan now, so it is
        # computed while the screen is styled and painted, not after. A saved plan
        # is shown as it is: planning again is the user's choice (r).
        session = self.session
        if session is not None and session.plan_state == "idle" and session.plans_on_its_own:
            self.post_message(PlanRequested())
        return self.query_one(TradesTable)

    async def _mount_options_if_shown(self) -> None:
        if self.query_one("#options").display:  # the stylesheet folds it on small screens
            await self._mount_options()

    def on_resize(self) -> None:
        self.call_after_refresh(self._mount_options_if_shown)  # restyled by then
        # The trades' columns are fitted to the width (at 80 columns the saved
        # plan's action, shares and ticker share one column).
        if self.session is not None:
            self._show_trades(self.session)
            if self._lower_mounted:
                self._fill_saved(
                    self.session.saved_plan, self.session.loaded.portfolio.portfolio.currency,
                    saved_progress(self.session),
                )

    def _fold_options(self, folded: bool) -> None:
        """Open (or fold back) the options where the stylesheet folds them."""
        self.set_class(not folded, "options-open")

    @property
    def options_folded(self) -> bool:
        return not self.query_one("#options").display

    def on_screen_resume(self, event: ScreenResume) -> None:
        self._maybe_plan()

    def _maybe_plan(self) -> None:
        session = self.session
        if (session is not None and session.plan_state == "idle" and session.plans_on_its_own
                and self.is_current):
            self.post_message(PlanRequested())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark":
            saved = self.session.loaded.portfolio.plan if self.session else None
            return saved is not None and bool(saved.trades)
        if action == "show_saved":
            session = self.session
            return session is not None and session.saved_plan is not None and (
                not session.shows_saved_plan
            )
        if action == "focus_results":  # already on the current plan's trades
            on_saved = self._lower_mounted and self.query_one("#saved-trades").has_focus
            return not (self.query_one(TradesTable).has_focus or on_saved)
        if action == "show_tax":
            plan = self.session.plan if self.session else None
            return plan is not None and plan.tax is not None
        if action == "focus_options":  # already there: leave the footer's room to its keys
            return not self.query_one("#options").has_focus_within
        return True

    # ---- rendering ----------------------------------------------------------

    def render_session(self, session: Session) -> None:
        if not self._options_mounted:
            pass  # built from the session when first shown
        elif self._options_for is not session.loaded:
            self._show_options(session)
        else:
            self.query_one(AccountOptionsTable).sync(session.options)
        saved_view = session.shows_saved_plan
        self.query_one("#results").loading = not saved_view and session.plan_state in (
            "running", "idle"
        )
        self.query_one("#planning", Static).update(plan_status(session))
        self.query_one("#options-summary", Static).update(options_summary(session))
        self.query_one("#trades-title").display = not saved_view
        self.query_one("#trades-box").display = not saved_view
        self._show_trades(session)
        if self._lower_mounted:
            self._arrange_lower(session)
            self._fill_saved(
                session.loaded.portfolio.plan, session.loaded.portfolio.portfolio.currency,
                saved_progress(session),
            )
        self._follow_the_view(saved_view)
        self.refresh_bindings()  # s (back to the saved plan) only under a new plan
        self._maybe_plan()

    def _arrange_lower(self, session: Session) -> None:
        """The saved plan on top when it is the current one; the new plan's summary and
        classes under it only when they describe it (it was computed again)."""
        lower, saved_box, pair = (
            self.query_one("#lower"), self.query_one("#saved"), self.query_one("#plan-pair")
        )
        saved_view = session.shows_saved_plan
        first = saved_box if saved_view else pair
        if lower.children and lower.children[0] is not first:
            lower.move_child(first, before=0)
        pair.display = session.plan is not None
        saved = session.saved_plan
        title = self.query_one("#saved-title", Label)
        if saved is None:
            title.update("")
        elif saved_view:
            title.update(Text("Trades of the saved plan (m marks placed, then done)"))
        else:
            title.update(Text(f"Plan saved {plan_date(saved)}, until you save the new one "
                              "(s goes back to it; m marks placed/done)"))

    _view_shown: bool | None = None

    def _follow_the_view(self, saved_view: bool) -> None:
        """When the current plan changes between saved and new, its table takes the focus
        (unless the user is in the options)."""
        if saved_view == self._view_shown or not self._lower_mounted:
            return
        self._view_shown = saved_view
        if self.query_one("#options").has_focus_within:
            return
        if saved_view:
            self.query_one("#saved-trades", DataTable).focus()
        else:
            self.query_one(TradesTable).focus()

    def _show_options(self, session: Session) -> None:
        """Fill the option fields once per file read, so typing is never overwritten."""
        self._options_for = session.loaded
        options = session.options
        self.query_one("#mode", Select).value = options.mode
        self.query_one("#whole", Checkbox).value = options.whole_shares
        self.query_one("#min-trade", Input).value = str(options.min_trade)
        portfolio = session.loaded.portfolio
        tax = self.query_one(TaxOptions)
        tax.display = tax_applies(portfolio)
        tax.show(options, portfolio.portfolio.as_of)
        self.query_one(AccountOptionsTable).show(
            portfolio.accounts, options, portfolio.portfolio.currency
        )

    _plan_shown: Plan | None = None

    def _show_trades(self, session: Session) -> None:
        """The trades (filled in slices), the summary and the classes, once per plan."""
        portfolio = session.loaded.portfolio
        currency = portfolio.portfolio.currency
        accounts = [account.name for account in portfolio.accounts]
        self.query_one(TradesTable).show_plan(session.plan, currency, accounts)
        if not self._lower_mounted or (
            session.plan is self._plan_shown and self._plan_shown is not None
        ):
            return
        self._plan_shown = plan = session.plan
        self.query_one(PlanTax).plan = plan
        self.refresh_bindings()  # g (tax) is offered for plans with tax figures
        self.query_one("#summary", Static).update(
            safe_text(plan_summary(plan, currency)) if plan is not None else ""
        )
        before_after = self.query_one("#before-after", DataTable)
        reset(before_after, "Class", "Target", "Before", "After", "Status")
        if plan is None:
            return
        after = {row.asset_class: row for row in plan.after}
        for row in plan.before:
            moved = after.get(row.asset_class)
            before_after.add_row(
                plain(row.asset_class),
                right(percent(row.target)),
                right(percent(row.actual)),
                right(percent(moved.actual) if moved else "—"),
                status_text(moved.status, arrow=True) if moved else Text("—"),
                key=row.asset_class,
            )

    _saved_shown: SavedPlan | None = None
    _saved_narrow = False

    def _fill_saved(
        self, saved: SavedPlan | None, currency: str, progress: PlanProgress | None = None
    ) -> None:
        box = self.query_one("#saved")
        box.display = saved is not None and bool(saved.trades)
        # Under the -narrow breakpoint the action, shares and ticker share one
        # column, so that the Status and Progress columns stay in view.
        narrow = self.has_class("-narrow")
        if saved is self._saved_shown and narrow == self._saved_narrow:
            return
        self._saved_shown, self._saved_narrow = saved, narrow
        self.refresh_bindings()  # m (mark) is offered only with a saved plan
        if saved is None:
            return
        table = self.query_one("#saved-trades", ChunkedTable)
        row_before = table.cursor_row
        # What the holdings now say of each trade (rebal.core.reconcile).
        readings = [row.progress for row in progress.trades] if progress else []

        def rows() -> Iterator[Row]:
            for index, trade in enumerate(saved.trades):
                reading = readings[index] if index < len(readings) else "unknown"
                what: tuple[Text, ...] = (
                    (plain(f"{trade.action} {trade.shares} {trade.ticker}"),) if narrow else
                    (Text(trade.action), plain(trade.ticker), right(str(trade.shares)))
                )
                yield (
                    right(str(index + 1)), plain(trade.account), *what,
                    right(money(trade.amount, currency)),
                    Text(trade.status, style="bold" if trade.status != "planned" else ""),
                    Text(reading, style="bold" if reading in ("done", "contradicted") else ""),
                ), str(index)

        trade_columns = ("Trade",) if narrow else ("Action", "Ticker", "Shares")
        table.fill(("#", "Account", *trade_columns, "Amount", "Status", "Progress"), rows())
        table.call_after_refresh(
            lambda: table.move_cursor(row=min(row_before, max(table.row_count - 1, 0)))
        )

    # ---- options --------------------------------------------------------

    def _collect(self) -> PlanOptions | str:
        """The options as set: the fields above the table, the table's from the session."""
        session = self.session
        assert session is not None
        mode = self.query_one("#mode", Select).value
        min_trade = parse_decimal(self.query_one("#min-trade", Input).value)
        if min_trade is None or min_trade < 0:
            return "minimum trade: type an amount of 0 or more"
        return replace(
            session.options,
            mode=mode if mode in MODES else "full",
            whole_shares=self.query_one("#whole", Checkbox).value,
            min_trade=min_trade,
        )

    def _problem(self, message: str | None) -> None:
        problem = self.query_one("#options-problem", Static)
        problem.display = message is not None
        problem.update(plain(f"! {message}", "bold") if message else "")

    def _propose(self, options: PlanOptions) -> None:
        if self.session is not None and options != self.session.options:
            self.post_message(PlanOptionsChanged(options))

    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(Input.Changed, "#min-trade")
    def _field_changed(self) -> None:
        if self.session is None or self._options_for is None:
            return
        result = self._collect()
        self._problem(result if isinstance(result, str) else None)
        if not isinstance(result, str):
            self._propose(result)

    @on(AccountOptionsTable.AvoidToggled)
    def _avoid_toggled(self, event: AccountOptionsTable.AvoidToggled) -> None:
        session = self.session
        if session is None:
            return
        account = next(a for a in session.loaded.portfolio.accounts if a.name == event.account)
        self._propose(
            replace(session.options, avoid_selling=toggled_avoid(session.options, account))
        )

    @on(TaxOptions.Changed)
    def _tax_options_changed(self, event: TaxOptions.Changed) -> None:
        if self.session is not None:
            self._propose(replace(
                self.session.options, avoid_wash_sales=event.avoid_wash_sales,
                harvest=event.harvest, trade_date=event.trade_date,
            ))

    @on(AccountOptionsTable.MoneyEditWanted)
    def _edit_money(self, event: AccountOptionsTable.MoneyEditWanted) -> None:
        if self.session is None:
            return
        self._editing = event.account
        amount = self.session.options.new_money.get(event.account, Decimal(0))
        self.query_one("#money-label", Label).update(
            plain(f"New money for {event.account} (negative withdraws; enter sets it)")
        )
        field = self.query_one("#money-input", Input)
        field.value = str(amount)
        self.query_one("#money-editor").display = True
        field.focus()

    @on(Input.Submitted, "#money-input")
    def _money_typed(self, event: Input.Submitted) -> None:
        session, account = self.session, self._editing
        if session is None or account is None:
            return
        amount = parse_decimal(event.value)
        if amount is None:
            self._problem(f"{account}: new money must be an amount (negative to withdraw)")
            return
        self._problem(None)
        self._close_money_editor()
        self._propose(
            replace(session.options, new_money=with_new_money(session.options, account, amount))
        )

    def _close_money_editor(self) -> None:
        self._editing = None
        self.query_one("#money-editor").display = False
        self.query_one(AccountOptionsTable).focus()

    @on(TradesTable.Highlighted)
    def _show_reason(self, event: TradesTable.Highlighted) -> None:
        """The highlighted trade's whole reason, wrapped (the table has no room for it)."""
        trade = event.trade
        reason = Text()
        if trade is not None:
            reason = plain(f"Why {trade.action} {trade.ticker} in {trade.account}: ", "bold")
            reason.append(safe(trade.reason))
            for line in trade_tax_detail(self.session.plan if self.session else None, trade):
                reason.append("\n")
                reason.append_text(line)
        self.query_one("#trade-reason", Static).update(reason)
        if self.query_one(TradesTable).has_focus:
            # Keep the reason in view with its trade (below the table, it can fall
            # off the bottom of a short terminal or under the open options).
            self.query_one("#trades-box").scroll_visible(animate=False)

    def action_new_plan(self) -> None:
        from rebal.tui.app import RebalApp

        if isinstance(self.app, RebalApp):
            self.app.action_new_plan()

    def action_show_saved(self) -> None:
        from rebal.tui.app import RebalApp

        if isinstance(self.app, RebalApp):
            self.app.action_show_saved_plan()

    @on(DataTable.RowHighlighted, "#saved-trades")
    def _show_saved_reason(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted saved trade's reason, as the new plan's is shown under its table."""
        saved = self.session.saved_plan if self.session is not None else None
        index = event.cursor_row
        reason = Text()
        if saved is not None and 0 <= index < len(saved.trades):
            trade = saved.trades[index]
            reason = plain(f"#{index + 1} {trade.action} {trade.ticker} in {trade.account}: ",
                           "bold")
            reason.append(safe(trade.reason or "no reason was saved"))
        self.query_one("#saved-reason", Static).update(reason)

    def action_show_tax(self) -> None:
        if self._lower_mounted:
            self.query_one(PlanTax).scroll_visible(animate=False, top=True)

    async def action_focus_options(self) -> None:
        self._fold_options(False)
        await self._mount_options()
        self.query_one("#mode", Select).focus()

    def action_focus_results(self) -> None:
        if self._editing is not None:
            self._problem(None)
            self._close_money_editor()
            return
        self._fold_options(True)
        if self.session is not None and self.session.shows_saved_plan and self._lower_mounted:
            self.query_one("#saved-trades", DataTable).focus()
        else:
            self.query_one(TradesTable).focus()

    def action_mark(self) -> None:
        from rebal.tui.app import RebalApp

        session = self.session
        saved = session.loaded.portfolio.plan if session else None
        if not self._lower_mounted:
            return
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
