"""Step 1's age hint: the stocks / bonds split now, in the targets and by the rule of
thumb, with the key that copies it into the targets. Hidden without a birth year."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.present.review import split_share
from rebal.tui.view.targets import AgeSlice


def render_age_hint(data: AgeSlice) -> Text:
    # Short rows: in the wide layout this sits in a column of ~38 cells.
    text = Text("Stocks / bonds and cash\n", style="bold")
    rows = [("now", data.stocks_now), ("your targets", data.stocks_target),
            ("age-based", data.stocks_suggested)]
    for label, stocks in rows:
        text.append(f"  {label:<13}")
        text.append("—\n" if stocks is None else split_share(stocks) + "\n")
    text.append(data.suggestion.explanation)
    if data.applies_a_change:
        text.append("\ng copies the age-based split into the targets (you confirm first)",
                    style="dim")
    return text


class AgeHint(Static):
    data: reactive[AgeSlice | None] = reactive(None, always_update=True, init=False)

    def watch_data(self, data: AgeSlice | None) -> None:
        self.display = data is not None
        if data is not None:
            self.update(render_age_hint(data))
