"""Step 3's holdings: each security across accounts (filled in slices), the
highlighted one in full under the table, and how many decisions are recorded."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from rebal.present.figures import percent
from rebal.present.review import class_mix, held_in
from rebal.present.styled import plain, safe_text
from rebal.tui.view.alignment import HOLDING_COLUMNS, HoldingDetail, HoldingsSlice
from rebal.tui.widgets.tables import ChunkedTable, Row, right

FIGURES = frozenset({"Value", "Weight", "Growth"})
DECISION = HOLDING_COLUMNS.index("Decision")


def _rows(data: HoldingsSlice) -> Iterator[Row]:
    for row in data.rows:
        cells = [right(cell) if column in FIGURES else plain(cell)
                 for column, cell in zip(HOLDING_COLUMNS, row.cells, strict=True)]
        if row.decided:
            cells[DECISION].stylize("bold")
        yield cells, row.ticker


class HoldingsTable(ChunkedTable):
    """The holdings, largest first; the cursor keeps its row across a refill."""

    CHUNK = 40  # nine columns measured per row added: see ByAccountTable

    data: reactive[HoldingsSlice | None] = reactive(None, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._row_before = 0

    def watch_data(self, data: HoldingsSlice | None) -> None:
        if data is not None:
            self._row_before = self.cursor_row
            self.fill(HOLDING_COLUMNS, _rows(data))

    def filled(self) -> None:
        if self.row_count:
            self.move_cursor(row=min(self._row_before, self.row_count - 1))

    def ticker_to_show(self) -> str | None:
        """The holding whose row the cursor rests on once the latest fill is in."""
        rows = self.data.rows if self.data is not None else ()
        return rows[min(self._row_before, len(rows) - 1)].ticker if rows else None

    # A long list pages and jumps itself, as a plain DataTable (its own keys).
    def action_page_down(self) -> None:
        DataTable.action_page_down(self)

    def action_page_up(self) -> None:
        DataTable.action_page_up(self)

    def action_scroll_home(self) -> None:
        DataTable.action_scroll_home(self)

    def action_scroll_end(self) -> None:
        DataTable.action_scroll_end(self)


def render_detail(data: HoldingDetail) -> Text:
    holding = data.holding
    text = Text(f"{holding.ticker} — {holding.name}: ", style="bold")
    text.append(class_mix(holding.classes))
    text.append("; held in ")
    text.append(held_in(holding.accounts, data.currency))
    if data.since is not None and holding.growth is not None:
        text.append(f"; {percent(holding.growth, 1)} since {data.since}")
    if data.decision is not None:
        text.append(f"; decided: {data.decision.decision}", style="bold")
        if data.decision.note:
            text.append(f" ({data.decision.note})")
    return safe_text(text)


class HoldingDetailLine(Static):
    """The highlighted holding in full, wrapped: the table cuts long columns at 80.

    A cursor move changes the words, rarely the number of lines: then only this line
    is redrawn. A layout of step 3 (every tab's widgets) on each move took ~100 ms on
    a big household.
    """

    data: reactive[HoldingDetail | None] = reactive(None, always_update=True, init=False)
    # The width the shown detail was measured at and the lines it wraps to there.
    _shape: tuple[int, int] = (0, 0)

    def watch_data(self, data: HoldingDetail | None) -> None:
        text = Text() if data is None else render_detail(data)
        width = self.content_size.width
        shape = (width, len(text.wrap(self.app.console, width)) if width else 0)
        self.update(text, layout=not width or shape != self._shape)
        self._shape = shape


class DecisionsNote(Static):
    count: reactive[int | None] = reactive(None, always_update=True, init=False)

    def watch_count(self, count: int | None) -> None:
        if count is not None:
            self.update(Text(f"{count} decision{'s' if count != 1 else ''} recorded · enter "
                             "on a holding to decide"))
