"""Step 2's sentence on how much money would have to move to restore every target."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.present.figures import money
from rebal.tui.view.compare import ShiftSlice


def render_shift(data: ShiftSlice) -> Text:
    return Text(
        f"Moving {money(data.amount, data.currency)} between classes would restore every "
        "target exactly (the sum of the overweight classes' excess)."
    )


class ShiftNote(Static):
    data: reactive[ShiftSlice | None] = reactive(None, always_update=True, init=False)

    def watch_data(self, data: ShiftSlice | None) -> None:
        self.update(Text() if data is None else render_shift(data))
