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
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from rebal.core.planner.types import Trade
from rebal.present.terminal import safe
from rebal.tui.view.plan import (
    BASE_TITLES,
    NO_TRADES_CELL,
    REASON_TITLE,
    TAX_TITLES,
    TradeRowsSlice,
)

PADDING = 1  # blank cells either side of a column, as a DataTable draws them


@dataclass(frozen=True)
class Column:
    title: str
    right: bool = False


RIGHT = ("Shares", "Amount", "Gain", "Tax")
COLUMNS = tuple(Column(title, title in RIGHT) for title in BASE_TITLES)
# For plans with tax figures: each sale's realized gain and its tax alone (rebal plan's
# "trade total" row); blank for a buy.
TAX_COLUMNS = tuple(Column(title, right=True) for title in TAX_TITLES)
REASON = Column(REASON_TITLE)


def room_taken(widths: Sequence[int]) -> int:
    """Cells the columns take, padding included."""
    return sum(widths) + 2 * PADDING * len(widths)


def chosen_columns(
    rows: TradeRowsSlice, with_reasons: bool, room: int
) -> tuple[tuple[Column, ...], list[int], bool]:
    """The columns listed, their widths, and whether the gain and tax are among them:
    those when they fit beside the trade (else the line under the table says them);
    the reason, when asked, scrolls off the right."""
    columns, widths = list(COLUMNS), list(rows.base_widths)
    with_tax = bool(rows.taxes) and room_taken(rows.tax_widths) + room_taken(widths) <= room
    if with_tax:
        columns += TAX_COLUMNS
        widths += rows.tax_widths
    if with_reasons:
        columns.append(REASON)
        widths.append(rows.reason_width)
    return tuple(columns), widths, with_tax


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

        def can_replace(self, message: Message) -> bool:
            # Keys held down or pressed in a burst: only the last trade highlighted is
            # worth a detail line (each one relays out the step under the table).
            return isinstance(message, TradesTable.Highlighted)

    rows: reactive[TradeRowsSlice | None] = reactive(None, init=False)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id)
        self._columns: tuple[Column, ...] = ()
        self._widths: list[int] = []
        self._with_tax = False
        self._room_shown = 0
        self.with_reasons = True

    # ---- data -----------------------------------------------------------

    @property
    def trades(self) -> tuple[Trade, ...]:
        return self.rows.trades if self.rows is not None else ()

    @property
    def column_titles(self) -> tuple[str, ...]:
        return tuple(column.title for column in self._columns)

    @property
    def row_count(self) -> int:
        rows = self.rows
        if rows is None:
            return 0
        return len(rows.trades) or int(rows.empty_plan)  # "no trades" is a row

    def watch_rows(self) -> None:
        self._lay_out()
        self.scroll_to(0, 0, animate=False)
        moved = self.cursor_row != 0
        self.cursor_row = 0
        if not moved:  # the watcher did not run: say what is highlighted now
            self.post_message(self.Highlighted(self.trade_at_cursor()))

    def _reasons_displayed(self) -> bool:
        return self.get_component_styles("trades-table--reason").display != "none"

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # The component styles are updated right after this call (a breakpoint class
        # on the screen changes them): look once the restyle is done.
        if self.is_mounted:
            self.call_later(self._follow_layout)

    def on_resize(self) -> None:
        self._follow_layout()  # whether the gain and tax columns fit depends on the room

    def _follow_layout(self) -> None:
        if self._reasons_displayed() != self.with_reasons or self._room() != self._room_shown:
            self._lay_out()

    def _lay_out(self) -> None:
        """The columns that fit the room (the cells and widths are the slice's: nothing
        is measured again, so a plan of 3,576 trades is laid out at once)."""
        rows = self.rows
        self.with_reasons = self._reasons_displayed()
        self._room_shown = room = self._room()
        if rows is None:
            self._columns, self._widths, self._with_tax = (), [], False
            self.virtual_size = Size(0, 1)
        else:
            self._columns, self._widths, self._with_tax = chosen_columns(
                rows, self.with_reasons, room
            )
            self.virtual_size = Size(room_taken(self._widths), self.row_count + 1)  # +1: header
        self.refresh()

    def cells(self, index: int) -> tuple[str, ...]:
        """Row `index`'s cells in the columns listed."""
        rows = self.rows
        assert rows is not None
        if not rows.trades:
            return (NO_TRADES_CELL,) + ("",) * (len(self._columns) - 1)
        cells = rows.base[index]
        if self._with_tax:
            cells += rows.taxes[index]
        if self.with_reasons:
            cells += (rows.reasons[index],)
        return cells

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
            if index >= self.row_count:
                return Strip.blank(width, base)
            style = base
            if index % 2:
                style += self.get_component_rich_style("trades-table--even-row")
            if index == self.cursor_row and self.trades:
                style += self.get_component_rich_style("trades-table--cursor")
            cells = self.cells(index)
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
