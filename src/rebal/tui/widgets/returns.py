"""Step 2's return since the last review: the sentence, and each class's return."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.core.returns import PeriodReturn, describe_period
from rebal.present.figures import money, percent
from rebal.present.styled import plain
from rebal.tui.view.compare import ReturnsSlice
from rebal.tui.widgets.tables import PagingTable, reset, right


def return_text(data: ReturnsSlice) -> Text:
    wr = data.weighted
    if wr is None:
        return Text("No earlier snapshot in the file, so no return since the last review.")
    since, last = data.since, data.last
    if since is None and last is not None:
        # Reviewed on these prices: no days since, so the period the review closed.
        text = Text(f"Return in {describe_period(last.start, last.end)}: ", style="bold")
        text.append(percent(last.household.rate, 1), style="bold")
        text.append(_period_note(last, data.currency))
        return text
    if since is not None and since.flows:
        text = Text(f"Money-weighted return since {since.start.isoformat()}: ", style="bold")
        text.append(percent(since.household.rate, 1), style="bold")
        text.append(_period_note(since, data.currency))
        return text
    text = Text(f"Weighted-average return since {wr.since.isoformat()}: ", style="bold")
    text.append(percent(wr.weighted, 1), style="bold")
    text.append(
        f"  ({money(wr.total_before, data.currency)} → {money(wr.total_after, data.currency)};"
        " each class's return weighted by its share at the last review)"
    )
    return text


def _period_note(period: PeriodReturn, currency: str) -> str:
    flows = period.household.net_flows
    moved = f"flows {money(flows, currency)}" if period.flows else "no flows"
    return (
        f"  (Modified Dietz, not annualized; change in value {percent(period.change_in_value, 1)},"
        f" {moved})"
    )


class ReturnSentence(Static):
    data: reactive[ReturnsSlice | None] = reactive(None, always_update=True, init=False)

    def watch_data(self, data: ReturnsSlice | None) -> None:
        self.update(Text() if data is None else return_text(data))


class ReturnsTable(PagingTable):
    """Each class then and now, its return and its weight then and now (hidden
    without a snapshot to measure from)."""

    data: reactive[ReturnsSlice | None] = reactive(None, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row")

    def watch_data(self, data: ReturnsSlice | None) -> None:
        wr = None if data is None else data.weighted
        self.display = wr is not None
        if data is None or wr is None:
            return
        reset(self, "Class", "Then", "Now", "Return", "Weight then → now")
        for row in wr.per_class:
            self.add_row(
                plain(row.asset_class),
                right(money(row.before, data.currency)),
                right(money(row.after, data.currency)),
                right(percent(row.change, 1)),
                Text(f"{percent(row.weight_before, 1)} → {percent(row.weight_after, 1)}"),
                key=row.asset_class,
            )
