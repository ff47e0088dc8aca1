"""The plan's trades, one row each, in the order the CLI and the CSV list them.

Drawn line by line (Textual's line API): only the rows on screen are rendered,
so a plan of 3,576 trades is listed as fast as one of four. A DataTable
measured and re-laid out every row it was given (seconds on a big household).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from rebal.core.planner.types import Plan, Trade
from rebal.core.trade_order import in_placing_order
from rebal.present.figures import money, shares
from rebal.present.tax import trade_gain, trade_tax
from rebal.present.terminal import safe
from rebal.tui.session import IN_THREAD_ABOVE

PADDING = 1  # blank cells either side of a column, as a DataTable draws them


@dataclass(frozen=True)
class Column:
    title: str
    right: bool = False


COLUMNS = (
    Column("Account"), Column("Action"), Column("Ticker"),
    Column("Shares", right=True), Column("Amount", right=True),
)
REASON = Column("Reason")
# For plans with tax figures: each sale's realized gain and its tax alone (rebal plan's
# "trade total" row); blank for a buy.
TAX_COLUMNS = (Column("Gain", right=True), Column("Tax", right=True))


def tax_cells(plan: Plan, trade: Trade) -> tuple[str, str]:
    found = None if plan.tax is None else plan.tax.of(trade.account, trade.ticker, trade.action)
    if found is None:
        return "", ""
    return trade_gain(found), trade_tax(found)


def trade_cells(trade: Trade, first_in_account: bool, currency: str) -> tuple[str, ...]:
    """The row's text; names and reasons come from the file: terminal-safe."""
    return (
        safe(trade.account) if first_in_account else "",
        trade.action.upper() if trade.action == "sell" else trade.action,
        safe(trade.ticker),
        shares(trade.shares),
        money(trade.amount, currency),
        safe(trade.reason),
    )


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    return [
        max([cell_len(column.title), *(cell_len(row[i]) for row in rows)])
        for i, column in enumerate(columns)
    ]


def _width(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> int:
    """Cells the columns take, padding included."""
    return sum(_widths(columns, rows)) + 2 * PADDING * len(columns)


PlanRows = tuple[list[Trade], tuple[Column, ...], list[tuple[str, ...]], list[int]]


def plan_rows(
    plan: Plan | None, currency: str, accounts: Sequence[str], with_reasons: bool, room: int
) -> PlanRows:
    """The trades in placing order, the columns, each row's cells and the columns' widths
    (pure: a big plan's run in a thread worker)."""
    trades = in_placing_order(plan.trades, accounts) if plan is not None else []
    previous = None
    base: list[tuple[str, ...]] = []
    taxes: list[tuple[str, ...]] = []
    reasons: list[tuple[str, ...]] = []
    for trade in trades:
        *cells, reason = trade_cells(trade, trade.account != previous, currency)
        base.append(tuple(cells))
        reasons.append((reason,))
        if plan is not None and plan.tax is not None:
            taxes.append(tax_cells(plan, trade))
        previous = trade.account
    columns, parts = list(COLUMNS), [base]
    # The gain and tax columns when they fit beside the trade (else the line under
    # the table says them); the reason, when asked, scrolls off the right.
    if taxes and _width(TAX_COLUMNS, taxes) + _width(COLUMNS, base) <= room:
        columns += TAX_COLUMNS
        parts.append(taxes)
    if with_reasons:
        columns.append(REASON)
        parts.append(reasons)
    rows = [tuple(cell for part in row for cell in part) for row in zip(*parts, strict=True)]
    if plan is not None and not rows:
        rows.append(("no trades",) + ("",) * (len(columns) - 1))
    return trades, tuple(columns), rows, _widths(columns, rows)


class TradesTable(ScrollView, can_focus=True):
    """Trades by account (the account named on its first row), a row cursor, and a
    header that stays while the rows scroll. The Reason column shows where the
    stylesheet displays `.trades-table--reason` (where there is room); the screen
    shows the highlighted reason in full."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "trades-table--header", "trades-table--cursor", "trades-table--even-row",
        "trades-table--reason",
    }
    DEFAULT_CSS = """
    TradesTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 14;
        margin-bottom: 1;
        & > .trades-table--header { text-style: bold; background: $panel; }
        & > .trades-table--even-row { background: $surface-lighten-1 50%; }
        & > .trades-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .trades-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("ctrl+home", "first", "First trade", show=False),
        Binding("ctrl+end", "last", "Last trade", show=False),
        Binding("home,end", "step_scroll", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, init=False)

    class Highlighted(Message):
        """The cursor moved to `trade` (None: there are no trades)."""

        def __init__(self, trade: Trade | None) -> None:
            super().__init__()
            self.trade = trade

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id)
        self.trades: list[Trade] = []
        self._rows: list[tuple[str, ...]] = []
        self._widths: list[int] = []
        self._columns: tuple[Column, ...] = ()
        self._plan: Plan | None = None
        self._currency = ""
        self._accounts: Sequence[str] = ()
        self._room_shown = 0
        self.with_reasons = True

    # ---- data -----------------------------------------------------------

    @property
    def column_titles(self) -> tuple[str, ...]:
        return tuple(column.title for column in self._columns)

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def show_plan(self, plan: Plan | None, currency: str, accounts: Sequence[str]) -> None:
        """List `plan`'s trades (None: an empty table). The same plan is not listed twice."""
        # Whether the gain and tax columns fit depends on the room.
        if plan is self._plan and self._columns and self._room() == self._room_shown:
            return
        self._plan, self._currency, self._accounts = plan, currency, accounts
        self._fill()

    def _reasons_displayed(self) -> bool:
        return self.get_component_styles("trades-table--reason").display != "none"

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # The component styles are updated right after this call (a breakpoint class
        # on the screen changes them): look once the restyle is done.
        if self.is_mounted:
            self.call_later(self._follow_reason_style)

    def _follow_reason_style(self) -> None:
        if self._columns and self._reasons_displayed() != self.with_reasons:
            self._fill()

    def _fill(self) -> None:
        """List the plan; a big plan's rows are written in a thread worker (3,576 trades'
        cells are a few hundred milliseconds of formatting) and shown when ready."""
        plan, currency, accounts = self._plan, self._currency, self._accounts
        with_reasons = self.with_reasons = self._reasons_displayed()
        room = self._room_shown = self._room()
        if plan is not None and len(plan.trades) > IN_THREAD_ABOVE:
            self._rows_in_thread(plan, currency, accounts, with_reasons, room)
            return
        self._show(plan_rows(plan, currency, accounts, with_reasons, room))

    @work(thread=True, exclusive=True, group="trades-rows", exit_on_error=False)
    def _rows_in_thread(
        self, plan: Plan, currency: str, accounts: Sequence[str], with_reasons: bool, room: int
    ) -> None:
        rows = plan_rows(plan, currency, accounts, with_reasons, room)
        self.app.call_from_thread(self._rows_ready, plan, with_reasons, room, rows)

    def _rows_ready(self, plan: Plan, with_reasons: bool, room: int, rows: PlanRows) -> None:
        if (plan, with_reasons, room) == (self._plan, self.with_reasons, self._room_shown):
            self._show(rows)  # else a newer plan (or layout) took over

    def _show(self, listed: PlanRows) -> None:
        self.trades, self._columns, self._rows, self._widths = listed
        width = sum(self._widths) + 2 * PADDING * len(self._columns)
        self.virtual_size = Size(width, len(self._rows) + 1)  # +1: the header
        self.scroll_to(0, 0, animate=False)
        self.refresh()
        moved = self.cursor_row != 0
        self.cursor_row = 0
        if not moved:  # the watcher did not run: say what is highlighted now
            self.post_message(self.Highlighted(self.trades[0] if self.trades else None))

    def _room(self) -> int:
        """Cells the table can show without scrolling sideways: the screen's width less
        the step's padding and the scrollbar."""
        return self.app.size.width - 4

    def trade_at_cursor(self) -> Trade | None:
        return self.trades[self.cursor_row] if 0 <= self.cursor_row < len(self.trades) else None

    # ---- drawing --------------------------------------------------------

    def _line(self, cells: Sequence[str], style: Style, bold_first: bool) -> list[Segment]:
        segments = []
        pad = " " * PADDING
        for index, (cell, column, width) in enumerate(
            zip(cells, self._columns, self._widths, strict=False)
        ):
            room = width - cell_len(cell)
            text = " " * room + cell if column.right else cell + " " * room
            cell_style = style + Style(bold=True) if index == 0 and bold_first else style
            segments.append(Segment(pad + text + pad, cell_style))
        return segments

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("trades-table--header")
            segments = self._line([c.title for c in self._columns], style, bold_first=False)
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, base)
            style = base
            if index % 2:
                style += self.get_component_rich_style("trades-table--even-row")
            if index == self.cursor_row and self.trades:
                style += self.get_component_rich_style("trades-table--cursor")
            cells = self._rows[index]
            if y == 1 and not cells[0] and index < len(self.trades):
                # Scrolled past an account's first row: name it on the top row too.
                cells = (safe(self.trades[index].account), *cells[1:])
            segments = self._line(cells, style, bold_first=True)
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, style)

    # ---- the cursor -----------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor_row(self, row: int) -> None:
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + self._page:
            self.scroll_to(y=row - self._page + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self.trade_at_cursor()))

    def _move_to(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.trades) - 1))

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        """A page of trades; at the first or last one (or when all fit), the step scrolls."""
        at_edge = self.cursor_row <= 0 if direction < 0 else self.cursor_row >= len(self.trades) - 1
        if self.max_scroll_y == 0 or at_edge:
            raise SkipAction
        self._move_to(self.cursor_row + direction * self._page)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.trades) - 1)

    def action_step_scroll(self) -> None:
        raise SkipAction  # Home/End scroll the step around the table

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y >= 1:
            self._move_to(self.scroll_offset.y + offset.y - 1)
