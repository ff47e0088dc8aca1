"""The drift table: each class's actual share against its band (step 2 and the panes)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import DataTable

from rebal.core.report import Report
from rebal.tui.format import pct, plain, signed_pct
from rebal.tui.widgets.tables import marker, reset, right, status_colours


class DriftTable(DataTable[Text]):
    """Class, target, actual, drift, band, status (a text marker, not colour alone)."""

    report: reactive[Report | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def watch_report(self, report: Report | None) -> None:
        if report is None:
            return
        colours = status_colours(self.app.current_theme.variables)
        row_before = self.cursor_row
        reset(self, "Class", "Target", "Actual", "Drift", "Band", "Status")
        for row in report.classes:
            self.add_row(
                plain(row.asset_class),
                right(pct(row.target)),
                right(pct(row.actual)),
                right(signed_pct(row.drift)),
                Text(f"{row.band.low:.2f}–{row.band.high:.2f}%"),
                marker(row.status, colours),
                key=row.asset_class,
            )
        if self.row_count:
            self.move_cursor(row=min(row_before, self.row_count - 1))
