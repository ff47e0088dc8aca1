"""The targets table: each class's target, its band's arithmetic, the share now, status."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import DataTable

from rebal.core.report import Report
from rebal.tui.format import pct, plain
from rebal.tui.widgets.tables import band_arithmetic, marker, reset, right, status_colours


class TargetsTable(DataTable[Text]):
    report: reactive[Report | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def watch_report(self, report: Report | None) -> None:
        if report is None:
            return
        colours = status_colours(self.app.current_theme.variables)
        row_before = self.cursor_row
        # "Now" next to the band, so the status reads as the comparison it is.
        reset(self, "Class", "Target", "Band (target → low–high)", "Now", "Status")
        for row in report.classes:
            self.add_row(
                plain(row.asset_class),
                right(pct(row.target)),
                Text(band_arithmetic(row.band)),
                right(pct(row.actual)),
                marker(row.status, colours),
                key=row.asset_class,
            )
        if self.row_count:
            self.move_cursor(row=min(row_before, self.row_count - 1))
