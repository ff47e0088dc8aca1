"""Cell helpers shared by the steps' tables and panes. Cells are rich Text, never markup."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from rich.text import Text
from textual.actions import SkipAction
from textual.reactive import reactive
from textual.widgets import DataTable

from rebal.core.bands import Status
from rebal.core.report import ClassRow
from rebal.present.styled import status_text
from rebal.tui.view.targets import ClassRows


class PagingTable(DataTable[Text]):
    """A row table that leaves PgUp/PgDn/Home/End to the scrolling step around it
    whenever it has nothing to page itself, so the whole step stays reachable by
    keyboard at 80x24. Home and End always scroll the step (a row table has no
    columns to jump between); ctrl+home and ctrl+end go to its first and last row.
    """

    def action_page_down(self) -> None:
        if self.max_scroll_y == 0 or self.cursor_row >= self.row_count - 1:
            raise SkipAction
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.max_scroll_y == 0 or self.cursor_row <= 0:
            raise SkipAction
        super().action_page_up()

    def action_scroll_home(self) -> None:
        raise SkipAction

    def action_scroll_end(self) -> None:
        raise SkipAction


Row = tuple[Sequence[Text], str]  # the cells, and the row's key


class ChunkedTable(PagingTable):
    """A table that fills in slices across event-loop turns, so thousands of rows
    never freeze the app: each slice is added, then the screen refreshes (and keys
    are handled) before the next. A newer `fill` abandons an older one."""

    CHUNK = 100
    _filling: Iterator[Row] | None = None

    @property
    def filling(self) -> bool:
        """True until every row of the latest `fill` is in the table."""
        return self._filling is not None

    def fill(self, columns: Sequence[str], rows: Iterable[Row]) -> None:
        reset(self, *columns)
        self._filling = iter(rows)
        self._add_slice(self._filling)

    def _add_slice(self, rows: Iterator[Row]) -> None:
        if rows is not self._filling:
            return  # a newer fill took over
        for _ in range(self.CHUNK):
            row = next(rows, None)
            if row is None:
                self._filling = None
                self.filled()
                return
            cells, key = row
            self.add_row(*cells, key=key)
        self.call_after_refresh(self._add_slice, rows)

    def filled(self) -> None:
        """Called once the latest fill's last row is in; subclasses react here."""


def reset(table: DataTable[Text], *columns: str) -> None:
    """Clear rows and set columns (kept when they are already right, so the cursor stays)."""
    current = [str(column.label) for column in table.columns.values()]
    if current != list(columns):
        table.clear(columns=True)
        for column in columns:
            table.add_column(Text(column), key=column)
    else:
        table.clear()


def right(value: str) -> Text:
    return Text(value, justify="right")


def status_colours(theme_variables: Mapping[str, str]) -> dict[Status, str]:
    """The theme's drift colours (its [variables] table), for status markers."""
    names: dict[Status, str] = {"over": "drift-over", "under": "drift-under", "in": "in-band"}
    return {status: theme_variables.get(name, "") for status, name in names.items()}


def marker(status: Status, colours: Mapping[Status, str]) -> Text:
    text = status_text(status, arrow=True)
    if colours.get(status):
        text.stylize(colours[status])
    return text


class ClassTable(DataTable[Text]):
    """A table with a row per asset class (the view's `classes` slice, given as
    `class_rows`), redrawn when they change, keeping the cursor's row. Subclasses
    name the columns and fill a row's cells."""

    COLUMNS: tuple[str, ...] = ()
    class_rows: reactive[ClassRows | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def cells(self, row: ClassRow, colours: Mapping[Status, str]) -> tuple[Text, ...]:
        raise NotImplementedError

    def watch_class_rows(self, class_rows: ClassRows | None) -> None:
        if class_rows is None:
            return
        colours = status_colours(self.app.current_theme.variables)
        row_before = self.cursor_row
        reset(self, *self.COLUMNS)
        for row in class_rows.rows:
            self.add_row(*self.cells(row, colours), key=row.asset_class)
        if self.row_count:
            self.move_cursor(row=min(row_before, self.row_count - 1))
