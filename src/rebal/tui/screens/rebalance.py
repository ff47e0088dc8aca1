"""Step 4 — Rebalance: options, the trades per account, what is left, save and export.

The screen composes the panes, binds the keys and holds the help; what each pane
shows is its slice of the step's view (rebal.tui.view.plan), built once per
session change (in a thread worker on a big household) and handed out here.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.events import ScreenResume
from textual.widget import Widget
from textual.widgets import Label

from rebal.model.portfolio import TradeStatus
from rebal.tui.messages import PlanRequested
from rebal.tui.screens.base import StepScreen
from rebal.tui.session import Session, keep_from_the_collector
from rebal.tui.view import View
from rebal.tui.view.plan import (
    StepFourView,
    builds_in_thread,
    plan_status,
    trade_detail,
)
from rebal.tui.widgets.options_form import OptionsForm
from rebal.tui.widgets.plan_status import OptionsSummary, PlanStatus
from rebal.tui.widgets.plan_summary import PlanSummary
from rebal.tui.widgets.plan_tax import PlanTax
from rebal.tui.widgets.saved_plan import SavedPlanPane
from rebal.tui.widgets.trade_detail import TradeDetail
from rebal.tui.widgets.trades_table import TradesTable

NEXT_STATUS: dict[TradeStatus, TradeStatus] = {
    "planned": "placed", "placed": "done", "done": "planned",
}
TITLE = "Step 4 — Rebalance"
TRADES_TITLE = "Trades, by account"


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
        "then done (written at once); its progress reads the holdings now (\"planned, done\":\n"
        "the holdings show it done but it is not marked yet).\n"
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

    view: StepFourView | None = None  # what the panes show now

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(Text(TITLE, style="bold"), classes="title")
            yield OptionsSummary(id="options-summary")
            # Built on first need (OptionsForm.build): folded away at 80x24 anyway.
            yield OptionsForm(id="options")
            # Said from the screen's first paint ("Planning…" when a plan is about to
            # be asked for), not only once the session is first rendered.
            status = PlanStatus(id="planning")
            session = getattr(self.app, "session", None)
            if session is not None:
                status.status = plan_status(session)
            yield status
            with Vertical(id="results"):
                yield Label(Text(TRADES_TITLE), classes="section", id="trades-title")
                with Vertical(id="trades-box"):
                    yield TradesTable(id="trades")
                    yield TradeDetail(id="trade-reason")
                # The summary, the classes and the saved plan follow the first paint
                # (see _mount_lower): "Planning…" and the trades' place come first.
                yield Vertical(id="lower")

    def _lower_parts(self) -> ComposeResult:
        # The saved plan comes first when it is the current plan, last under a new one.
        saved = SavedPlanPane(id="saved")
        saved.narrow = self.has_class("-narrow")
        yield saved
        yield PlanSummary(id="plan-pair", classes="pair")
        yield PlanTax(id="plan-tax")

    _lower_mounted = False

    async def _mount_lower(self) -> None:
        lower = self.query_one("#lower")
        if lower.children:
            return
        await lower.mount_compose(self._lower_parts())
        # Nested parts finish mounting with their containers: show the view once they have.
        self.call_after_refresh(self._lower_ready)

    def _lower_ready(self) -> None:
        if not self.query("#saved-trades") or not self.query("#summary"):
            self.call_after_refresh(self._lower_ready)
            return
        self._lower_mounted = True
        if self.view is not None:
            self._show_lower(self.view)
            self._follow_the_view(self.view.saved_first)

    async def _mount_options(self) -> None:
        """Build the options form (once), from the view's slice."""
        await self.query_one(OptionsForm).build()

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
        # At 80 columns the saved plan's action, shares and ticker share one column.
        if self._lower_mounted:
            self.query_one(SavedPlanPane).narrow = self.has_class("-narrow")

    def _fold_options(self, folded: bool) -> None:
        """Open (or fold back) the options where the stylesheet folds them."""
        self.query_one(OptionsForm).set_class(not folded, "-open")
        self.query_one(OptionsSummary).set_class(not folded, "-open")

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

    # ---- the view, handed out to the panes ----------------------------------

    def show(self, view: View) -> None:
        session = view.session
        if view.built(("plan",)) or not builds_in_thread(session):
            self._show_view(session, view.plan)
            return
        if not session.shows_saved_plan:
            # Said at once (it is cheap), while the rest is built: "Planning…" first.
            self.query_one(PlanStatus).status = status = plan_status(session)
            self.query_one("#results").loading = status.planning
        self._view_in_thread(view)

    @work(thread=True, exclusive=True, group="step-four-view", exit_on_error=False,
          description="build step 4's view")
    def _view_in_thread(self, view: View) -> None:
        step_four = view.plan
        keep_from_the_collector(view.portfolio)
        self.app.call_from_thread(self._show_view, view.session, step_four)

    def _show_view(self, session: Session, view: StepFourView) -> None:
        if session is not self.session:
            return  # a newer session took over; its view is on its way
        self.view = view
        self.query_one(OptionsForm).form = view.options
        status = self.query_one(PlanStatus)
        status.status = view.status
        self.query_one("#results").loading = view.status.planning
        self.query_one(OptionsSummary).summary = view.options_summary
        self.query_one("#trades-title").display = not view.saved_first
        self.query_one("#trades-box").display = not view.saved_first
        self.query_one(TradesTable).rows = view.trades
        if self._lower_mounted:
            self._show_lower(view)
        self._follow_the_view(view.saved_first)
        self.refresh_bindings()  # s, m and g follow the plans shown
        self._maybe_plan()

    def _show_lower(self, view: StepFourView) -> None:
        """The saved plan on top when it is the current one; the new plan's summary and
        classes under it only when they describe it (it was computed again)."""
        lower = self.query_one("#lower")
        saved, pair = self.query_one(SavedPlanPane), self.query_one(PlanSummary)
        first = saved if view.saved_first else pair
        if lower.children and lower.children[0] is not first:
            lower.move_child(first, before=0)
        pair.display = view.summary is not None
        pair.summary = view.summary
        self.query_one(PlanTax).tax = view.tax
        saved.saved = view.saved

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
            self.query_one(SavedPlanPane).table.focus()
        else:
            self.query_one(TradesTable).focus()

    @on(TradesTable.Highlighted)
    def _show_detail(self, event: TradesTable.Highlighted) -> None:
        """The highlighted trade's whole reason, wrapped (the table has no room for it)."""
        plan = self.view.plan if self.view is not None else None
        self.query_one(TradeDetail).detail = trade_detail(plan, event.trade)
        if self.query_one(TradesTable).has_focus:
            # Keep the reason in view with its trade (below the table, it can fall
            # off the bottom of a short terminal or under the open options).
            self.query_one("#trades-box").scroll_visible(animate=False)

    # ---- actions ------------------------------------------------------------

    def action_new_plan(self) -> None:
        from rebal.tui.app import RebalApp

        if isinstance(self.app, RebalApp):
            self.app.action_new_plan()

    def action_show_saved(self) -> None:
        from rebal.tui.app import RebalApp

        if isinstance(self.app, RebalApp):
            self.app.action_show_saved_plan()

    def action_show_tax(self) -> None:
        if self._lower_mounted:
            self.query_one(PlanTax).scroll_visible(animate=False, top=True)

    async def action_focus_options(self) -> None:
        self._fold_options(False)
        await self._mount_options()
        self.query_one(OptionsForm).focus_first()

    def action_focus_results(self) -> None:
        form = self.query_one(OptionsForm)
        if form.editing is not None:
            form.close_money_editor()
            return
        self._fold_options(True)
        if self.session is not None and self.session.shows_saved_plan and self._lower_mounted:
            self.query_one(SavedPlanPane).table.focus()
        else:
            self.query_one(TradesTable).focus()

    def action_mark(self) -> None:
        from rebal.tui.app import RebalApp

        session = self.session
        saved = session.loaded.portfolio.plan if session else None
        if not self._lower_mounted:
            return
        pane = self.query_one(SavedPlanPane)
        if saved is None or not saved.trades:
            self.notify("No saved plan to mark: save a plan first (ctrl+s).", markup=False)
            return
        pane.table.focus()
        index = pane.table.cursor_row
        if not 0 <= index < len(saved.trades):
            return
        app = self.app
        if isinstance(app, RebalApp):
            app.mark_saved_trade(index, NEXT_STATUS[saved.trades[index].status])
