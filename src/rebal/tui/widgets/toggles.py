"""A checkbox whose state reads without colour: `[X]` when on, `[ ]` when off."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class MarkedCheckbox(Checkbox):
    # Textual's checkbox draws the same X either way and tells the states apart by
    # colour only, which NO_COLOR and 8-colour terminals lose.
    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
