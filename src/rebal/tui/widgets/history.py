"""Step 2's reviews in the history: the value over time, and each period's return."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from rebal.present.figures import money, percent
from rebal.tui.view.compare import HistorySlice
from rebal.tui.widgets.charts import sparkline
from rebal.tui.widgets.tables import PagingTable, reset, right


def history_line(data: HistorySlice) -> Text:
    line = Text(sparkline(data.values))
    first = data.first_date.isoformat() if data.first_date else ""
    line.append(
        f"  value {money(data.values[0], data.currency)} on {first} → "
        f"{money(data.values[-1], data.currency)} now"
    )
    return line


class HistoryPane(Vertical):
    """Hidden when the file has no two snapshots to measure a period between."""

    DEFAULT_CSS = "HistoryPane { height: auto; }"

    data: reactive[HistorySlice | None] = reactive(None, always_update=True, init=False)

    def compose(self) -> ComposeResult:
        yield Label(Text("Reviews in the history"), classes="section")
        yield Static(id="history-spark")
        yield PagingTable(id="periods", cursor_type="row")

    _composed = False  # data given before the pane's parts exist waits for on_mount

    def on_mount(self) -> None:
        self._composed = True
        self.watch_data(self.data)

    def watch_data(self, data: HistorySlice | None) -> None:
        if not self._composed:
            return
        self.display = data is not None and bool(data.periods)
        if data is None or not data.periods:
            return
        self.query_one("#history-spark", Static).update(history_line(data))
        table = self.query_one("#periods", PagingTable)
        reset(table, "Period", "Value at end", "Flows", "Money-weighted", "Change in value")
        for period in data.periods:
            table.add_row(
                Text(f"{period.start.isoformat()} → {period.end.isoformat()}"),
                right(money(period.household.end_value, data.currency)),
                right(money(period.household.net_flows, data.currency)),
                right(percent(period.household.rate, 1)),
                right(percent(period.change_in_value, 1)),
                key=period.end.isoformat(),
            )
