"""Step 3's sectors: the stock part's sector mix, flagged above the concentration
limit, against the last review's mix when the file recorded one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from rebal.core.numbers import HUNDRED
from rebal.present.figures import percent, signed_points
from rebal.present.styled import plain
from rebal.present.terminal import safe
from rebal.tui.view.alignment import SectorsSlice
from rebal.tui.widgets.charts import bar
from rebal.tui.widgets.tables import PagingTable, reset, right


def sectors_note(data: SectorsSlice) -> Text:
    note = Text()
    if data.coverage is None or not data.covered:
        note.append("No sector data for the stock part (add `sectors` to the securities).")
        return note
    note.append(
        f"Sector data covers {percent(data.coverage, 1)} of the stock part. "
        f"Limit {data.limit}% (l to change): "
    )
    note.append(
        safe(", ".join(data.flagged)) + " above it" if data.flagged else "no sector above it",
        style="bold",
    )
    if data.then_date is not None:
        note.append(f". Then = the last review, {data.then_date}.")
    return note


class SectorsPane(Vertical):
    DEFAULT_CSS = "SectorsPane { height: auto; }"

    data: reactive[SectorsSlice | None] = reactive(None, always_update=True, init=False)

    def compose(self) -> ComposeResult:
        yield Static(id="sectors-note")
        yield PagingTable(id="sectors-table", cursor_type="row")

    @property
    def table(self) -> PagingTable:
        return self.query_one("#sectors-table", PagingTable)

    _composed = False  # data given before the pane's parts exist waits for on_mount

    def on_mount(self) -> None:
        self._composed = True
        self.watch_data(self.data)

    def watch_data(self, data: SectorsSlice | None) -> None:
        if not self._composed or data is None:
            return
        self.query_one("#sectors-note", Static).update(sectors_note(data))
        then = data.then_date is not None
        columns = ["Sector", "Share" if then else "Share of stocks", ""]
        if then:
            columns += ["Then", "Change"]
        table = self.table
        reset(table, *columns, "Flag")
        for row in data.rows:
            flag = Text(f"▲ over {data.limit}%", style="bold") if row.over else Text("ok")
            cells = [plain(row.sector), right(percent(row.share, 1)),
                     Text(bar(row.share, HUNDRED, 12))]
            if row.then is not None:
                moved = signed_points(row.share - row.then, 1, unit=" pts")
                cells += [right(percent(row.then, 1)), right(moved)]
            table.add_row(*cells, flag, key=row.sector)
