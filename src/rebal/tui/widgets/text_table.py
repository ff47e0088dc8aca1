"""A titled table of rebal.present.tax strings (the CLI's words), or a sentence when empty.

Under the table, the highlighted row in full ("Column value, ..."), wrapped: the
tables are wider than 80 columns, and a cut-off figure must still be readable.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from rebal.present.styled import plain
from rebal.present.tax import TextTable
from rebal.present.terminal import safe
from rebal.tui.widgets.tables import PagingTable, reset, right


def table_cells(data: TextTable, index: int) -> list[Text]:
    """Row `index`'s cells: figures right-aligned, all of them terminal-safe, totals bold."""
    style = "bold" if index in data.totals else ""
    return [
        plain(cell, style) if column not in data.right else right(safe(cell))
        for cell, column in zip(data.rows[index], data.columns, strict=True)
    ]


def row_in_full(data: TextTable, row: tuple[str, ...]) -> Text:
    """The row as a sentence: its first cell (the name) bold, then each column and value."""
    text = plain(row[0], "bold")
    text.append(": ")
    text.append_text(plain(", ".join(
        f"{column} {cell}" for column, cell in zip(data.columns[1:], row[1:], strict=True)
    )))
    return text


class TextTablePane(Vertical):
    """`data`'s title and rows in a paging table; `empty` (a sentence) when there is none.

    The table scrolls sideways where its columns are wider than the screen (80x24),
    and leaves PgUp/PgDn to the step when it has nothing to page.
    """

    DEFAULT_CSS = """
    TextTablePane { height: auto; }
    TextTablePane > .pane-title { margin-bottom: 0; }
    TextTablePane > .pane-explain { color: $text-muted; }
    TextTablePane > PagingTable { margin-bottom: 0; }
    TextTablePane > .pane-row { margin-bottom: 1; }
    """

    data: reactive[TextTable | None] = reactive(None, always_update=True, init=False)

    def __init__(self, empty: str, explain: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.empty = empty
        self.explain = explain

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-explain")
        yield Static(classes="pane-title")
        yield PagingTable(cursor_type="row", zebra_stripes=True)
        yield Static(classes="pane-row")

    _composed = False  # data given before the pane's parts exist waits for on_mount

    def on_mount(self) -> None:
        self._composed = True
        self.watch_data(self.data)

    @property
    def table(self) -> PagingTable:
        return self.query_one(PagingTable)

    def watch_data(self, data: TextTable | None) -> None:
        if not self._composed:
            return
        explain = self.query_one(".pane-explain", Static)
        explain.update(Text(self.explain))
        explain.display = bool(self.explain) and data is not None
        title = self.query_one(".pane-title", Static)
        table = self.table
        full = self.query_one(".pane-row", Static)
        if data is None:
            title.update(Text(self.empty))
            table.display = full.display = False
            return
        full.display = True
        title.update(plain(data.title, "bold"))
        table.display = True
        row_before = table.cursor_row
        reset(table, *data.columns)
        for index in range(len(data.rows)):
            table.add_row(*table_cells(data, index), key=str(index))
        if table.row_count:
            table.move_cursor(row=min(row_before, table.row_count - 1))
        self._show_row(table.cursor_row)

    def focus_table(self, *, to_top: bool) -> None:
        """Focus the table (when there is one); `to_top` scrolls the pane to the top of
        the step's view, else the step keeps its place."""
        if self.table.display:
            self.table.focus(scroll_visible=not to_top)
        if to_top:
            self.scroll_visible(animate=False, top=True)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_row(event.cursor_row)
        if self.table.has_focus:
            # Keep the row in full in view with its row (at 80x24 it can fall below).
            self.query_one(".pane-row").scroll_visible(animate=False)

    def _show_row(self, index: int) -> None:
        data = self.data
        if data is None or not 0 <= index < len(data.rows):
            return
        self.query_one(".pane-row", Static).update(row_in_full(data, data.rows[index]))
