"""A checkbox whose state reads without colour: `[X]` when on, `[ ]` when off."""

from __future__ import annotations

from textual.widgets import Checkbox


class MarkedCheckbox(Checkbox):
    # Textual's checkbox draws the same X either way and tells the states apart by
    # colour only, which NO_COLOR and 8-colour terminals lose.
    BUTTON_LEFT = "["
    BUTTON_INNER = " "
    BUTTON_RIGHT = "]"

    def watch_value(self) -> None:
        # The value reactive repaints after its watchers, so the mark set here is drawn.
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()
