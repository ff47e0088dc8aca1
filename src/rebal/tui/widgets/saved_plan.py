"""Step 4's saved plan: the file's [plan] trades with their status (planned, placed,
done) and their progress as the holdings now read, and the highlighted one's reason.

Under the -narrow breakpoint the action, shares and ticker share one column, the status
and progress another, and the number is left to the reason line under the table ("#1
buy ..."), so every column stays whole at 80 columns.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Label, Static

from rebal.tui.view.plan import SavedPlanSlice, SavedTradeRow
from rebal.tui.widgets.lines import line_text
from rebal.tui.widgets.tables import ChunkedTable, Row, right

WIDE_COLUMNS = ("#", "Account", "Action", "Ticker", "Shares", "Amount", "Status", "Progress")
NARROW_COLUMNS = ("Account", "Trade", "Amount", "Status")
STANDS_OUT = ("placed", "done", "contradicted")


def row_cells(row: SavedTradeRow, narrow: bool) -> tuple[Text, ...]:
    status_style = "bold" if row.status in STANDS_OUT else ""
    if narrow:
        state_style = "bold" if status_style or row.progress in STANDS_OUT else ""
        return Text(row.account), Text(row.trade), right(row.amount), Text(row.state, state_style)
    return (
        right(row.number), Text(row.account), Text(row.action), Text(row.ticker),
        right(row.shares), right(row.amount), Text(row.status, style=status_style),
        Text(row.progress, style="bold" if row.progress in ("done", "contradicted") else ""),
    )


class ReasonLine(Static):
    """The highlighted trade's reason, kept in view when it wraps to a new height while
    the trades have focus (a scroll asked for before that layout stops a line short)."""

    def on_resize(self) -> None:
        pane = self.parent
        if isinstance(pane, SavedPlanPane) and pane.table.has_focus:
            self.call_after_refresh(self.scroll_visible, animate=False)


class SavedPlanPane(Vertical):
    """The saved plan's title, trades and the highlighted trade's reason."""

    saved: reactive[SavedPlanSlice | None] = reactive(None)
    narrow: reactive[bool] = reactive(False)

    def compose(self) -> ComposeResult:
        yield Label(id="saved-title", classes="section")
        yield ChunkedTable(id="saved-trades", cursor_type="row")
        yield ReasonLine(id="saved-reason")

    @property
    def table(self) -> ChunkedTable:
        return self.query_one("#saved-trades", ChunkedTable)

    def highlighted(self) -> int | None:
        """The highlighted saved trade's index, None without one."""
        saved = self.saved
        index = self.table.cursor_row
        return index if saved is not None and 0 <= index < len(saved.rows) else None

    def on_mount(self) -> None:
        self._refill()

    def watch_saved(self, before: SavedPlanSlice | None, saved: SavedPlanSlice | None) -> None:
        self.display = saved is not None and saved.shown
        if self.is_mounted:
            self.query_one("#saved-title", Label).update(Text(saved.title) if saved else "")
            if before is None or saved is None or before.rows != saved.rows:
                self._refill()

    def watch_narrow(self) -> None:
        if self.is_mounted:
            self._refill()

    def _refill(self) -> None:
        saved, narrow = self.saved, self.narrow
        if saved is None:
            return
        table = self.table
        row_before = table.cursor_row

        def rows() -> Iterator[Row]:
            for index, row in enumerate(saved.rows):
                yield row_cells(row, narrow), str(index)

        table.fill(NARROW_COLUMNS if narrow else WIDE_COLUMNS, rows())
        table.call_after_refresh(
            lambda: table.move_cursor(row=min(row_before, max(table.row_count - 1, 0)))
        )

    @on(DataTable.RowHighlighted, "#saved-trades")
    def _show_reason(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted saved trade's reason, as the new plan's is shown under its table."""
        saved, index = self.saved, event.cursor_row
        reason = Text()
        if saved is not None and 0 <= index < len(saved.rows):
            reason = line_text(saved.rows[index].reason)
        self.query_one("#saved-reason", Static).update(reason)
        if self.table.has_focus:
            self._keep_in_view()

    @on(events.DescendantFocus, "#saved-trades")
    def _keep_in_view(self) -> None:
        """The trades and the reason under them in view: below a table of 7 trades the
        reason falls off the bottom at 80x24 (the new plan's trades do the same). The
        reason is the pane's last part, and can wrap to a new height: laid out first."""
        self.call_after_refresh(self._scroll_to_the_reason)

    def _scroll_to_the_reason(self) -> None:
        self.scroll_visible(animate=False)
        self.query_one("#saved-reason").scroll_visible(animate=False)
