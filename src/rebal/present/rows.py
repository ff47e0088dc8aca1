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
    asset_class: str
    target: str  # "20.00%"
    band: str  # its edges, "19.00–21.00%"
    band_arithmetic: str  # "20% → 19.00–21.00%"
    actual: str  # the share now, "21.25%" ("—" in an empty household)
    drift: str  # in points, "+1.25"
    status: str  # "OVER", "under", "ok"

    @classmethod
    def of(cls, row: ClassRow) -> ClassCells:
        return cls(
            asset_class=row.asset_class,
            target=figures.percent(row.target),
            band=figures.band_edges(row.band),
            band_arithmetic=figures.band_text(row.band),
            actual=figures.percent(row.actual),
            drift=figures.signed_points(row.drift),
            status=figures.status_word(row.status),
        )


def column_cents(values: Sequence[Decimal]) -> list[Decimal]:
    """A column of money to the cent whose cents add up to its rounded exact sum.

    Rounding each value on its own can leave a column a cent off its total
    (10.005 three ways); the one rounding policy splits by largest remainder.
    """
    split = split_to_cents(dict(enumerate(values)))
    return [split[index] for index in range(len(values))]
