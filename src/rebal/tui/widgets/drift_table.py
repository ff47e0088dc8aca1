"""The drift table: each class's actual share against its band (step 2 and the panes)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from rebal.core.bands import Status
from rebal.core.report import ClassRow
from rebal.present.rows import ClassCells
from rebal.present.styled import plain
from rebal.tui.widgets.tables import ClassTable, marker, right


class DriftTable(ClassTable):
    """Class, target, actual, drift, band, status (a text marker, not colour alone)."""

    COLUMNS = ("Class", "Target", "Actual", "Drift", "Band", "Status")

    def cells(self, row: ClassRow, colours: Mapping[Status, str]) -> tuple[Text, ...]:
        cells = ClassCells.of(row)
        return (
            plain(cells.asset_class),
            right(cells.target),
            right(cells.actual),
            right(cells.drift),  # points, as rebal check writes them
            Text(cells.band),
            marker(row.status, colours),
        )
