"""A class's row as words and figures, the same in `rebal check`'s table and the app's.

The CLI's class table and the app's targets and drift tables take their cells
from `class_cells`, so a class's target, band, share, drift and status cannot
read one way on the command line and another in the app. Pure strings: the CLI
and the app add only their own layout (columns, justification, colour, the
app's arrow and its "pts").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import split_to_cents
from rebal.core.report import ClassRow
from rebal.present import figures


@dataclass(frozen=True)
class ClassCells:
    """A class's cells, each formatted when it is read: `rebal check` shows six of them
    and the app's tables others (the band's arithmetic), so none is made for nothing."""

    row: ClassRow

    @classmethod
    def of(cls, row: ClassRow) -> ClassCells:
        return cls(row)

    @property
    def asset_class(self) -> str:
        return self.row.asset_class

    @property
    def target(self) -> str:
        """ "20.00%" """
        return figures.percent(self.row.target)

    @property
    def band(self) -> str:
        """Its edges, "19.00–21.00%"."""
        return figures.band_edges(self.row.band)

    @property
    def band_arithmetic(self) -> str:
        """ "20% → 19.00–21.00%" """
        return figures.band_text(self.row.band)

    @property
    def actual(self) -> str:
        """The share now, "21.25%" ("—" in an empty household)."""
        return figures.percent(self.row.actual)

    @property
    def drift(self) -> str:
        """In points, "+1.25"."""
        return figures.signed_points(self.row.drift)

    @property
    def status(self) -> str:
        """ "OVER", "under", "ok" """
        return figures.status_word(self.row.status)


def column_cents(values: Sequence[Decimal]) -> list[Decimal]:
    """A column of money to the cent whose cents add up to its rounded exact sum.

    Rounding each value on its own can leave a column a cent off its total
    (10.005 three ways); the one rounding policy splits by largest remainder.
    """
    split = split_to_cents(dict(enumerate(values)))
    return [split[index] for index in range(len(values))]
