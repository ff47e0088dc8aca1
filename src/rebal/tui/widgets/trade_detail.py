"""The line under the trades: the highlighted trade's whole reason, and for a taxable
sale its gain, tax and lots (the table has no room for them at 80 columns)."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from rebal.tui.view.plan import Line
from rebal.tui.widgets.lines import lines_text


class TradeDetail(Static):
    """Wrapped lines, redrawn when the highlighted trade changes."""

    detail: reactive[tuple[Line, ...]] = reactive(())

    def watch_detail(self, detail: tuple[Line, ...]) -> None:
        self.update(lines_text(detail))
