"""Step 3's unrealized gains: by taxable account and class, as `rebal check` lists them."""

from __future__ import annotations

from rebal.tui.view.alignment import GainsSlice
from rebal.tui.widgets.text_table import TextTablePane

EXPLAIN = (
    "If all of a taxable account were sold: its gain by class, short-term (held a year "
    "or less) and long-term; a minus is a loss. IRAs, 401(k)s, Roth and HSA accounts owe "
    "no capital-gains tax. Up/down: a row in full below; left/right: scroll sideways."
)


class UnrealizedGains(TextTablePane):
    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__("", EXPLAIN, id=id)

    def show(self, gains: GainsSlice) -> None:
        self.empty = gains.empty
        self.data = gains.table
