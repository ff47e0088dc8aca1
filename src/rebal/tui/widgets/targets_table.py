"""The targets table: each class's target, its band's arithmetic, the share now, status."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from rebal.core.bands import Status
from rebal.core.report import ClassRow
from rebal.present.figures import band_text, percent
from rebal.present.styled import plain
from rebal.tui.widgets.tables import ClassTable, marker, right


class TargetsTable(ClassTable):
    # "Now" next to the band, so the status reads as the comparison it is.
    COLUMNS = ("Class", "Target", "Band (target → low–high)", "Now", "Status")

    def cells(self, row: ClassRow, colours: Mapping[Status, str]) -> tuple[Text, ...]:
        return (
            plain(row.asset_class),
            right(percent(row.target)),
            Text(band_text(row.band)),
            right(percent(row.actual)),
            marker(row.status, colours),
        )
