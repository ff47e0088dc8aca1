"""Step 3's asset location: each class's value by tax treatment against where it should live."""

from __future__ import annotations

from rebal.tui.widgets.text_table import TextTablePane

EXPLAIN = (
    "Where each class is held, by the accounts' tax treatment, against the order it "
    "should live in (first is best). [location] in the file sets the order; (default) "
    "marks the usual tax-efficient placement. In first choice: the share of the class "
    "held in the best-ranked treatment the household has."
)


class LocationTable(TextTablePane):
    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__("No class is held or targeted yet: nothing to place.", EXPLAIN, id=id)
