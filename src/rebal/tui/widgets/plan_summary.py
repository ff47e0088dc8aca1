"""Step 4's plan summary: skipped lines, cash left, drift left, the new-money answer and
the notes beside the classes before and after the trades."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Label, Static

from rebal.present.styled import STATUS_STYLE
from rebal.tui.view.plan import PlanSummarySlice, status_cell
from rebal.tui.widgets.lines import lines_text
from rebal.tui.widgets.tables import PagingTable, reset, right

CLASSES_TITLE = "Classes before and after"
CLASS_COLUMNS = ("Class", "Target", "Before", "After", "Status")


class PlanSummary(Horizontal):
    """The summary in words (left) and the classes table (right, or under it when narrow)."""

    summary: reactive[PlanSummarySlice | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Static(id="summary", classes="half")
        with Vertical(classes="half"):
            yield Label(Text(CLASSES_TITLE), classes="section")
            yield PagingTable(id="before-after", cursor_type="row")

    def watch_summary(self, summary: PlanSummarySlice | None) -> None:
        if not self.is_mounted:
            return
        self.query_one("#summary", Static).update(
            lines_text(summary.lines) if summary is not None else ""
        )
        table: DataTable[Text] = self.query_one("#before-after", DataTable)
        reset(table, *CLASS_COLUMNS)
        for row in summary.classes if summary is not None else ():
            table.add_row(
                Text(row.asset_class), right(row.target), right(row.before), right(row.after),
                Text(status_cell(row.status), style=STATUS_STYLE.get(row.status or "", "")),
                key=row.asset_class,
            )

    def on_mount(self) -> None:
        self.watch_summary(self.summary)
