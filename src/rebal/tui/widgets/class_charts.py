"""Step 2's charts: where the money is now beside where it should be, on one scale.

Drawn to the widget's own width whenever it is rendered (a resize renders it
again); how wide that is is the stylesheet's choice (steps.tcss caps it).
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from rebal.tui.view.compare import ChartsSlice
from rebal.tui.widgets.charts import side_by_side


class ClassCharts(Widget):
    DEFAULT_CSS = "ClassCharts { height: auto; }"

    # A new class adds a line: the layout follows.
    data: reactive[ChartsSlice | None] = reactive(None, always_update=True, layout=True)

    def render(self) -> Text:
        data = self.data
        if data is None:
            return Text()
        return side_by_side(data.rows, scale=data.scale, width=self.content_size.width)
