"""Step 2's value by account: each account's money in each class (filled in slices)."""

from __future__ import annotations

from collections.abc import Iterator

from textual.reactive import reactive

from rebal.present.styled import plain
from rebal.tui.view.compare import ByAccountSlice
from rebal.tui.widgets.tables import ChunkedTable, Row, right


def _rows(data: ByAccountSlice) -> Iterator[Row]:
    for account, cells in data.rows:
        yield (plain(account), *(right(cell) for cell in cells)), account


class ByAccountTable(ChunkedTable):
    # A column per class: each slice's rows are measured cell by cell when added (a
    # hundred rows of 500 accounts blocked step 2 for ~60 ms).
    CHUNK = 40

    data: reactive[ByAccountSlice | None] = reactive(None, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row")

    def watch_data(self, data: ByAccountSlice | None) -> None:
        if data is not None:
            self.fill(("Account", *data.classes), _rows(data))
