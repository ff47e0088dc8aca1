"""Step 3 — Find where you are out of alignment: four views in the review's order, and
the tax views (gains, location) for files with tax keys."""

from __future__ import annotations

from decimal import Decimal
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

from rebal.core.allocation import (
    HoldingSummary,
    concentrated_sectors,
    holdings_one_by_one,
    sector_exposure,
    stocks_versus_safe,
)
from rebal.core.numbers import HUNDRED, percent_of, round_half_up
from rebal.model import Portfolio
from rebal.model.portfolio import Decision, HoldingDecision
from rebal.present.figures import money, percent, points, signed_points
from rebal.present.styled import plain, safe_text
from rebal.present.tax import holdings_tax_shown
from rebal.present.terminal import safe
from rebal.tui.messages import DecisionRecorded, SectorLimitEdited
from rebal.tui.parse import parse_decimal
from rebal.tui.screens.base import PAGE_KEYS, StepScreen
from rebal.tui.session import DECISIONS, Session, remembered
from rebal.tui.widgets.charts import bar
from rebal.tui.widgets.keys import StepKeys
from rebal.tui.widgets.location_table import LocationTable
from rebal.tui.widgets.style_box import StyleBoxPane, style_box_slice
from rebal.tui.widgets.tables import PagingTable, reset, right
from rebal.tui.widgets.unrealized_gains import UnrealizedGains

DECISION_HELP: dict[Decision, str] = {
    "keep": "keep as it is",
    "trim": "sell some: it has grown past its place",
    "add": "buy more: it is below its place",
    "replace": "swap it for another fund (note which)",
    "hold-for-tax": "leave it: selling would realise gains",
}


def last_sector_mix(portfolio: Portfolio) -> tuple[str, dict[str, Decimal]] | None:
    """The latest review's sector mix (its date, percent of stocks), if it recorded one."""
    earlier = [h for h in portfolio.history
               if h.sectors is not None and h.date <= portfolio.portfolio.as_of]
    if not earlier:
        return None
    then = max(earlier, key=lambda h: h.date)
    return then.date.isoformat(), dict(then.sectors or {})


def stocks_text(session: Session) -> Text:
    split = remembered(stocks_versus_safe, session.loaded.portfolio)
    currency = session.loaded.portfolio.portfolio.currency
    text = Text()
    rows = [
        ("Stocks", split.stocks, split.stocks_target),
        ("Bonds and cash", split.bonds_and_cash, split.bonds_and_cash_target),
    ]
    if split.other:
        rows.append(("Unclassified", split.other, Decimal(0)))
    for label, value, target in rows:
        share = percent_of(value, split.total)
        text.append(f"{label:<15}", style="bold")
        text.append(f"{bar(share or Decimal(0), HUNDRED, 20):<20} ")
        text.append(f"{percent(share, 1):>6} now {percent(target, 1):>6} target ")
        text.append(f"{money(value, currency):>15}\n")
    stocks_now = percent_of(split.stocks, split.total)
    if stocks_now is not None:
        # Judge the gap as displayed, so "0.0 points below" never appears.
        gap = round_half_up(stocks_now - split.stocks_target, 1)
        if gap > 0:
            text.append(f"\nStocks have grown {points(gap)} past their target share: the ")
            text.append("usual result of stocks outperforming bonds and cash.")
        elif gap < 0:
            text.append(f"\nStocks are {points(-gap)} below their target share.")
        else:
            text.append("\nStocks are exactly at their target share.")
    return text


# A fund held in hundreds of accounts made a table cell thousands of columns wide
# and a detail dozens of lines long, drawn and wrapped again on every cursor move.
LISTED_ACCOUNTS = 8


def accounts_cell(holding: HoldingSummary) -> str:
    """The holdings table's Accounts cell: the names, or how many (the detail lists them)."""
    names = list(holding.accounts)
    return ", ".join(names) if len(names) <= LISTED_ACCOUNTS else f"{len(names)} accounts"


def held_in(holding: HoldingSummary, currency: str) -> str:
    """Each account's value of the holding; past a few accounts the largest, then the rest."""
    listed = list(holding.accounts.items())
    rest: list[tuple[str, Decimal]] = []
    if len(listed) > LISTED_ACCOUNTS:
        ordered = sorted(listed, key=lambda kv: (-kv[1], kv[0]))
        listed, rest = ordered[:LISTED_ACCOUNTS], ordered[LISTED_ACCOUNTS:]
    words = ", ".join(f"{account} {money(value, currency)}" for account, value in listed)
    if rest:
        total = sum((value for _, value in rest), Decimal(0))
        words += f" and {len(rest)} more accounts ({money(total, currency)})"
    return words


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

    @classmethod
    def tab_title(cls, view: str) -> str:
        """'Style box (y)': the key is read from the binding that opens the view."""
        action = f"view('{view}')"
        keys = [b.key_display or b.key for b in cls.BINDINGS
                if isinstance(b, Binding) and b.action == action]
        return f"{cls.VIEWS[view]} ({keys[0]})"

    def __init__(self) -> None:
        super().__init__()
        self._holdings: dict[str, HoldingSummary] = {}

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(
                Text("Step 3 — Find where you are out of alignment", style="bold"),
                classes="title",
            )
            with TabbedContent(initial="stocks", id="views"):
                with TabPane(self.tab_title("stocks"), id="stocks"):
                    yield Static(id="stocks-view")
                with TabPane(self.tab_title("style"), id="style"):
                    yield StyleBoxPane(id="style-view")
                with TabPane(self.tab_title("sectors"), id="sectors"):
                    yield Static(id="sectors-note")
                    yield PagingTable(id="sectors-table", cursor_type="row")
                    with Horizontal(id="limit-editor", classes="field hidden"):
                        yield Label("Concentration limit (% of stocks): ")
                        yield Input(id="limit-value")
                    yield Static(id="limit-problem")
                with TabPane(self.tab_title("holdings"), id="holdings"):
                    yield DataTable[Text](id="holdings-table", cursor_type="row",
                                          zebra_stripes=True)
                    yield Static(id="holding-detail")
                    yield Static(id="decisions-note")
                with TabPane(self.tab_title("tax"), id="tax"):
                    yield UnrealizedGains(id="gains-view")
                    yield LocationTable(id="location-view")

    def initial_focus(self) -> Widget | None:
        return self.query_one("#body", VerticalScroll)

    @staticmethod
    def prepare(session: Session) -> None:
        portfolio = session.loaded.portfolio
        for derive in (stocks_versus_safe, style_box_slice, sector_exposure, holdings_one_by_one):
            remembered(derive, portfolio)

    def render_session(self, session: Session) -> None:
        self.query_one("#stocks-view", Static).update(stocks_text(session))
        self.query_one(StyleBoxPane).data = remembered(style_box_slice, session.loaded.portfolio)
        self._fill_sectors(session)
        self._fill_holdings(session)
        self._fill_tax(session.loaded.portfolio)

    def _fill_sectors(self, session: Session) -> None:
        view = remembered(sector_exposure, session.loaded.portfolio)
        flagged = concentrated_sectors(view, session.sector_limit)
        note = Text()
        if view.coverage is None or not view.covered:
            note.append("No sector data for the stock part (add `sectors` to the securities).")
        else:
            note.append(
                f"Sector data covers {percent(view.coverage, 1)} of the stock part. "
                f"Limit {session.sector_limit}% (l to change): "
            )
            note.append(
                safe(", ".join(flagged)) + " above it" if flagged else "no sector above it",
                style="bold",
            )
            then = last_sector_mix(session.loaded.portfolio)
            if then is not None:
                note.append(f". Then = the last review, {then[0]}.")
        self.query_one("#sectors-note", Static).update(note)
        table = self.query_one("#sectors-table", DataTable)
        then = last_sector_mix(session.loaded.portfolio)
        columns = ["Sector", "Share of stocks" if then is None else "Share", ""]
        if then is not None:
            columns += ["Then", "Change"]
        reset(table, *columns, "Flag")
        ordered = sorted(view.shares.items(), key=lambda kv: (-kv[1], kv[0]))
        for sector, share in ordered:
            if not share:
                continue
            flag = Text(f"▲ over {session.sector_limit}%", style="bold") if sector in flagged \
                else Text("ok")
            cells = [plain(sector), right(percent(share, 1)), Text(bar(share, HUNDRED, 12))]
            if then is not None:
                before = then[1].get(sector, Decimal(0))
                moved = signed_points(share - before, 1, unit=" pts")
                cells += [right(percent(before, 1)), right(moved)]
            table.add_row(*cells, flag, key=sector)

    def _fill_holdings(self, session: Session) -> None:
        currency = session.loaded.portfolio.portfolio.currency
        self._holdings = {
            h.ticker: h for h in remembered(holdings_one_by_one, session.loaded.portfolio)
        }
        table = self.query_one("#holdings-table", DataTable)
        row_before = table.cursor_row
        reset(table, "Ticker", "Value", "Weight", "Growth", "Decision", "Classes", "Accounts",
              "Name", "Note")
        for holding in self._holdings.values():
            decision = session.decisions.get(holding.ticker)
            classes = ", ".join(
                name if weight == HUNDRED else f"{name} {percent(weight, 0)}"
                for name, weight in holding.classes.items()
            )
            table.add_row(
                plain(holding.ticker),
                right(money(holding.value, currency)),
                right(percent(holding.weight, 1)),
                right(percent(holding.growth, 1) if holding.growth is not None else "—"),
                Text(decision.decision if decision else "·", style="bold" if decision else ""),
                plain(classes),
                plain(accounts_cell(holding)),
                plain(holding.name),
                plain(decision.note if decision else ""),
                key=holding.ticker,
            )
        if table.row_count:
            table.move_cursor(row=min(row_before, table.row_count - 1))
            self._show_holding(str(table.coordinate_to_cell_key(table.cursor_coordinate)
                                   .row_key.value))
        count = len(session.decisions)
        self.query_one("#decisions-note", Static).update(
            Text(f"{count} decision{'s' if count != 1 else ''} recorded · enter on a holding "
                 "to decide")
        )

    def _fill_tax(self, portfolio: Portfolio) -> None:
        shown = holdings_tax_shown(portfolio)
        tabs = self.query_one(TabbedContent)
        if shown:
            tabs.show_tab("tax")
        else:
            tabs.hide_tab("tax")
        if not shown and tabs.active == "tax":
            self.action_view("stocks")
        if shown:
            self.query_one(UnrealizedGains).show(portfolio)
            self.query_one(LocationTable).show(portfolio)
        self.query_one(StepKeys).leave_out(() if shown else self.TAX_KEYS)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view" and parameters and parameters[0] in self.TAX_VIEWS:
            return self.session is not None and holdings_tax_shown(self.session.loaded.portfolio)
        return True

    @on(DataTable.RowHighlighted, "#holdings-table")
    def _holding_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_holding(str(event.row_key.value))

    def _show_holding(self, ticker: str) -> None:
        """The highlighted holding in full, wrapped: the table cuts long columns at 80."""
        session = self.session
        holding = self._holdings.get(ticker)
        detail = self.query_one("#holding-detail", Static)
        if session is None or holding is None:
            detail.update("")
            return
        currency = session.loaded.portfolio.portfolio.currency
        text = Text(f"{holding.ticker} — {holding.name}: ", style="bold")
        text.append(", ".join(
            name if weight == HUNDRED else f"{name} {percent(weight, 0)}"
            for name, weight in holding.classes.items()
        ))
        text.append("; held in ")
        text.append(held_in(holding, currency))
        snapshot = session.loaded.portfolio.latest_snapshot()
        if holding.growth is not None and snapshot is not None:
            text.append(f"; {percent(holding.growth, 1)} since {snapshot.date.isoformat()}")
        decision = session.decisions.get(ticker)
        if decision is not None:
            text.append(f"; decided: {decision.decision}", style="bold")
            if decision.note:
                text.append(f" ({decision.note})")
        detail.update(safe_text(text))

    def action_view(self, view: str) -> None:
        self.query_one(TabbedContent).active = "tax" if view == "location" else view
        if view == "holdings":
            self.query_one("#holdings-table", DataTable).focus()
        elif view == "sectors":
            self.query_one("#sectors-table", DataTable).focus()
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

    def action_edit_limit(self) -> None:
        if self.session is None:
            return
        self.action_view("sectors")
        self.query_one("#limit-editor").remove_class("hidden")
        field = self.query_one("#limit-value", Input)
        field.value = str(self.session.sector_limit)
        field.focus()

    def action_cancel_limit(self) -> None:
        self.query_one("#limit-editor").add_class("hidden")
        self.query_one("#limit-problem", Static).update("")
        self.query_one("#sectors-table", DataTable).focus()

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
