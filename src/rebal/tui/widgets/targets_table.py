"""The targets table: each class's target, its band's arithmetic, the share now, status."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from rebal.core.bands import Status
from rebal.core.report import ClassRow
from rebal.present.rows import ClassCells
from rebal.present.styled import plain
from rebal.tui.widgets.tables import ClassTable, marker, right


class TargetsTable(ClassTable):
    # "Now" next to the band, so the status reads as the comparison it is. The band
    # cell is its arithmetic ("20% → 19.00–21.00%"); a header as long would push the
    # Status column off an 80-column screen.
    COLUMNS = ("Class", "Target", "Band", "Now", "Status")

    def cells(self, row: ClassRow, colours: Mapping[Status, str]) -> tuple[Text, ...]:
        cells = ClassCells.of(row)
        return (
            plain(cells.asset_class),
            right(cells.target),
            Text(cells.band_arithmetic),
            right(cells.actual),
            marker(row.status, colours),
        )
