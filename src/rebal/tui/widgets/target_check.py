"""Step 1's check of the targets as edited: the sum, negatives, untargeted classes."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.present.styled import safe_text
from rebal.tui.view.targets import TargetCheckSlice


def render_target_check(data: TargetCheckSlice) -> Text:
    check = data.check
    text = Text()
    if check.ok:
        text.append(f"ok: targets sum to {check.total}%", style="bold")
    for error in check.errors:
        text.append(f"! {error}\n", style="bold")
    for note in check.notes:
        text.append(f"\n· {note}")
    for name in data.untargeted:
        text.append(
            f"\n! {name} has no target: what the household holds in it counts as a "
            "0% class, all of it drift (e sets a target)", style="bold",
        )
    for name in data.unheld:
        text.append(
            f"\n· nothing in the file is in {name} yet: add a security of that class "
            "to the file for the plan to buy it"
        )
    return safe_text(text)


class TargetCheck(Static):
    data: reactive[TargetCheckSlice | None] = reactive(None, always_update=True, init=False)

    def watch_data(self, data: TargetCheckSlice | None) -> None:
        self.update(Text() if data is None else render_target_check(data))
