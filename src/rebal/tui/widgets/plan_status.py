"""Step 4's two lines above the trades: the plan's status (what is listed, what to do
next) and the plan options in one line (shown when the options form is folded)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.present.plan_summary import OPTIONS_LEAD, PENDING_OPTIONS_LEAD
from rebal.tui.view.plan import OptionsSummarySlice, PlanStatusSlice
from rebal.tui.widgets.lines import lines_text

CHANGE_HINT = "  (o: change)"


class PlanStatus(Static):
    """Saved plan, new plan, planning, failed: in words, from the view's slice."""

    status: reactive[PlanStatusSlice | None] = reactive(None)

    def watch_status(self, status: PlanStatusSlice | None) -> None:
        self.update(lines_text(status.lines) if status is not None else "")


class OptionsSummary(Static):
    """The options in one line, and the key that opens the form."""

    summary: reactive[OptionsSummarySlice | None] = reactive(None)

    def watch_summary(self, summary: OptionsSummarySlice | None) -> None:
        if summary is None:
            self.update("")
            return
        text = Text(PENDING_OPTIONS_LEAD if summary.pending else OPTIONS_LEAD, style="bold")
        text.append(summary.text)
        text.append(CHANGE_HINT, style="dim")
        self.update(text)
