"""Step 3 — Find where you are out of alignment: four views in the review's order, and
the tax views (gains, location) for files with tax keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Input,
    Label,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from rebal.core.numbers import HUNDRED
from rebal.model.portfolio import Decision, HoldingDecision
from rebal.present.styled import plain
from rebal.present.terminal import safe
from rebal.tui.messages import DecisionRecorded, SectorLimitEdited
from rebal.tui.parse import parse_decimal
from rebal.tui.screens.base import PAGE_KEYS, StepScreen
from rebal.tui.session import DECISIONS
from rebal.tui.view import View, view_of
from rebal.tui.view.alignment import TaxSlice
from rebal.tui.widgets.holdings import DecisionsNote, HoldingDetailLine, HoldingsTable
from rebal.tui.widgets.keys import StepKeys
from rebal.tui.widgets.location_table import LocationTable
from rebal.tui.widgets.sectors import SectorsPane
from rebal.tui.widgets.stock_split import StockSplit
from rebal.tui.widgets.style_box import StyleBoxPane
from rebal.tui.widgets.unrealized_gains import UnrealizedGains

DECISION_HELP: dict[Decision, str] = {
    "keep": "keep as it is",
    "trim": "sell some: it has grown past its place",
    "add": "buy more: it is below its place",
    "replace": "swap it for another fund (note which)",
    "hold-for-tax": "leave it: selling would realize gains",
}


class DecisionScreen(ModalScreen[tuple[Decision | None, str] | None]):
    """Pick what to do with one holding, with an optional note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="decision-cancel"),
    ]

    def __init__(self, ticker: str, name: str, current: HoldingDecision | None) -> None:
        super().__init__()
        self.ticker = ticker
        self.holding_name = name
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="decision-box"):
            yield Label(plain(f"{self.ticker} — {self.holding_name}", "bold"))
            options = [Option(Text("(no decision)"), id="none")]
            options += [Option(Text(f"{d:<13} {DECISION_HELP[d]}"), id=d) for d in DECISIONS]
            yield OptionList(*options, id="decision-choice")
            # The note as it will be shown and saved again: escaped if it held controls.
            yield Input(
                safe(self.current.note) if self.current else "",
                placeholder="optional note, e.g. 'replace with VXUS in the IRA'",
                id="decision-note",
            )
            yield Static(
                Text("choose with up/down, enter records it; tab to the note first to add one"),
                id="decision-hint",
            )

    def on_mount(self) -> None:
        choice = self.query_one(OptionList)
        # With nothing decided yet the cursor rests on "(no decision)", so an enter
        # pressed before choosing records nothing instead of "keep".
        choice.highlighted = (
            0 if self.current is None else 1 + DECISIONS.index(self.current.decision)
        )
        choice.focus()

    def _finish(self) -> None:
        choice = self.query_one(OptionList)
        index = choice.highlighted
        if index is None:
            return
        option_id = choice.get_option_at_index(index).id
        decision = None if option_id == "none" else next(d for d in DECISIONS if d == option_id)
        note = self.query_one("#decision-note", Input).value
        if decision is None and note.strip():
            self.query_one("#decision-hint", Static).update(
                Text("! choose what to do first (up/down on the list): a note belongs to a "
                     "decision", style="bold")
            )
            return
        if decision is None and self.current is None:
            self.dismiss(None)  # nothing was decided and nothing is recorded
            return
        self.dismiss((decision, note))

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        self._finish()

    @on(Input.Submitted, "#decision-note")
    def _note_done(self) -> None:
        self._finish()


class MisalignmentScreen(StepScreen):
    STEP = 3
    KEYS_LINE = True
    TITLE_TEXT = "Find where you are out of alignment"
    HELP = (
        "Four views, in the order the review takes them: (s) stocks against bonds and cash,\n"
        "(y) the 3x3 style box of the stock part with how much of it has style data,\n"
        "(c) sectors of the stock part, flagged above the concentration limit (l edits it),\n"
        "(h) each holding with its value, weight, classes, accounts and growth since the\n"
        "last review: press enter on one to record keep / trim / add / replace / hold for\n"
        "tax with a note. Decisions are saved with the plan.\n"
        "With tax keys in the file ([tax], lots or cost_basis in a taxable account, or\n"
        "[location]), the tax view: (g) unrealized gains by taxable account and class, and\n"
        "(w) where each class lives by tax treatment against its preferred order, as\n"
        "rebal check lists them; the highlighted row is shown in full under its table."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "view('stocks')", "Stocks/bonds", show=False, id="view-stocks",
                tooltip="stocks against bonds and cash"),
        Binding("y", "view('style')", "Style box", show=False, id="view-style",
                tooltip="the 3x3 style box of the stock part, now against then"),
        Binding("c", "view('sectors')", "Sectors", show=False, id="view-sectors",
                tooltip="sectors, flagged above the limit"),
        Binding("h", "view('holdings')", "Holdings", show=False, id="view-holdings",
                tooltip="each holding; enter records a decision"),
        Binding("g", "view('tax')", "Tax", show=False, id="view-tax",
                tooltip="unrealized gains by taxable account and class, then asset location"),
        Binding("w", "view('location')", "Location", show=False, id="view-location",
                tooltip="where each class lives, by tax treatment, against its preference"),
        Binding("l", "edit_limit", "Limit", show=False, id="edit-limit",
                tooltip="change the sector concentration limit"),
        Binding("escape", "cancel_limit", "Cancel", show=False, id="cancel-limit",
                tooltip="leave the limit field"),
        *PAGE_KEYS,
    ]
    # The four views in the review's order; each tab's title names the key bound to it.
    VIEWS: ClassVar[dict[str, str]] = {
        "stocks": "Stocks vs bonds", "style": "Style box", "sectors": "Sectors",
        "holdings": "Holdings", "tax": "Tax",
    }
    # The tax view holds the gains and the location tables (w goes to the second);
    # it is shown for files with tax keys, as `rebal check` shows them.
    TAX_VIEWS = ("tax", "location")
    TAX_KEYS = ("g", "w")
    SLICES = ("stocks", "tax")
    LATER_SLICES = ("style_box", "sectors", "holdings")
    _tax_shown = False  # until the view's tax slice says otherwise

    @classmethod
    def tab_title(cls, view: str) -> str:
        """'Style box (y)': the key is read from the binding that opens the view."""
        action = f"view('{view}')"
        keys = [b.key_display or b.key for b in cls.BINDINGS
                if isinstance(b, Binding) and b.action == action]
        return f"{cls.VIEWS[view]} ({keys[0]})"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(
                Text("Step 3 — Find where you are out of alignment", style="bold"),
                classes="title",
            )
            with TabbedContent(initial="stocks", id="views"):
                with TabPane(self.tab_title("stocks"), id="stocks"):
                    yield StockSplit(id="stocks-view")
                # The other views' panes join their tabs after the first paint.
                yield TabPane(self.tab_title("style"), id="style")
                yield TabPane(self.tab_title("sectors"), id="sectors")
                yield TabPane(self.tab_title("holdings"), id="holdings")
                # Its tables are mounted the first time the file has tax keys: most files
                # have none, and the two tables cost step 3's first paint ~10 widgets.
                yield TabPane(self.tab_title("tax"), id="tax")

    def compose_later(self) -> Iterable[tuple[str, Widget]]:
        yield "style", StyleBoxPane(id="style-view")
        yield "sectors", SectorsPane(id="sectors-view")
        # The limit's field (#limit-editor) is built the first time l is pressed.
        yield "sectors", Static(id="limit-problem")
        yield "holdings", HoldingsTable(id="holdings-table")
        yield "holdings", HoldingDetailLine(id="holding-detail")
        yield "holdings", DecisionsNote(id="decisions-note")

    def later_mounted(self) -> None:
        active = self.query_one(TabbedContent).active
        if active in ("sectors", "holdings"):
            self.action_view(active)  # chosen before its pane was there: focus it now

    def initial_focus(self) -> Widget | None:
        return self.query_one("#body", VerticalScroll)

    def show(self, view: View) -> None:
        self.query_one(StockSplit).data = view.stocks
        self._show_tax(view.tax)

    def show_later(self, view: View) -> None:
        self.query_one(StyleBoxPane).data = view.style_box
        self.query_one(SectorsPane).data = view.sectors
        holdings = self.query_one(HoldingsTable)
        holdings.data = view.holdings
        self._show_holding(view, holdings.ticker_to_show())
        self.query_one(DecisionsNote).count = view.holdings.decisions

    def _show_tax(self, tax: TaxSlice) -> None:
        self._tax_shown = tax.shown
        tabs = self.query_one(TabbedContent)
        if tax.shown:
            tabs.show_tab("tax")
        else:
            tabs.hide_tab("tax")
        if not tax.shown and tabs.active == "tax":
            self.action_view("stocks")
        if tax.shown:
            gains, location = self._tax_tables()
            gains.show(tax.gains)
            location.data = tax.location
        self.query_one(StepKeys).leave_out(() if tax.shown else self.TAX_KEYS)
        self.refresh_bindings()

    def _tax_tables(self) -> tuple[UnrealizedGains, LocationTable]:
        """The tax view's two tables, mounted the first time they are needed (they draw
        the data they are given once mounted)."""
        if self.query(UnrealizedGains):
            return self.query_one(UnrealizedGains), self.query_one(LocationTable)
        gains, location = UnrealizedGains(id="gains-view"), LocationTable(id="location-view")
        self.query_one("#tax", TabPane).mount(gains, location)
        return gains, location

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view" and parameters and parameters[0] in self.TAX_VIEWS:
            # Read from the view as shown: the bindings are checked on every key and focus
            # move, and asking the file each time walked every account again.
            return self._tax_shown
        return True

    @on(DataTable.RowHighlighted, "#holdings-table")
    def _holding_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.session is not None:
            self._show_holding(view_of(self.session, self.today()), str(event.row_key.value))

    def _show_holding(self, view: View, ticker: str | None) -> None:
        detail = None if ticker is None else view.holding_detail(ticker)
        self.query_one(HoldingDetailLine).data = detail

    def action_view(self, view: str) -> None:
        self.query_one(TabbedContent).active = "tax" if view == "location" else view
        if view in ("holdings", "sectors") and not self.later_ready:
            return  # its pane is being mounted: later_mounted focuses it
        if view == "holdings":
            self.query_one("#holdings-table", DataTable).focus()
        elif view == "sectors":
            self.query_one(SectorsPane).table.focus()
        elif view == "tax":
            self.query_one(UnrealizedGains).focus_table(to_top=False)
        elif view == "location":
            self.query_one(TabbedContent).active = "tax"
            self.query_one(LocationTable).focus_table(to_top=True)
        else:
            self.query_one("#body", VerticalScroll).focus()

    @on(DataTable.RowSelected, "#holdings-table")
    def _holding_chosen(self, event: DataTable.RowSelected) -> None:
        session = self.session
        if session is None or event.row_key.value is None:
            return
        ticker = str(event.row_key.value)
        security = session.loaded.portfolio.securities[ticker]

        def decided(result: tuple[Decision | None, str] | None) -> None:
            if result is not None:
                self.post_message(DecisionRecorded(ticker, result[0], result[1]))

        self.app.push_screen(
            DecisionScreen(ticker, security.name or ticker, session.decisions.get(ticker)),
            decided,
        )

    async def action_edit_limit(self) -> None:
        if self.session is None or not self.later_ready:
            return
        self.action_view("sectors")
        editor = self.query("#limit-editor")
        if not editor:
            field = Input(id="limit-value")
            await self.query_one("#sectors", TabPane).mount(
                Horizontal(Label("Concentration limit (% of stocks): "), field,
                           id="limit-editor", classes="field"),
                before="#limit-problem",
            )
        else:
            editor.first().remove_class("hidden")
            field = self.query_one("#limit-value", Input)
        field.value = str(self.session.sector_limit)
        field.focus()

    def action_cancel_limit(self) -> None:
        for editor in self.query("#limit-editor"):
            editor.add_class("hidden")
        self.query_one("#limit-problem", Static).update("")
        self.query_one(SectorsPane).table.focus()

    @on(Input.Submitted, "#limit-value")
    def _limit_done(self, event: Input.Submitted) -> None:
        value = parse_decimal(event.value)
        if value is None or not 0 < value <= HUNDRED:
            self.query_one("#limit-problem", Static).update(
                Text("! type a percent above 0 and at most 100", style="bold")
            )
            return
        self.post_message(SectorLimitEdited(value))
        self.action_cancel_limit()
