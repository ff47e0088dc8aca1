"""Step 2 — Compare current to target: two bar charts, drift, accounts, return since."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Static

from rebal.tui.screens.base import PAGE_KEYS, StepScreen
from rebal.tui.view import View
from rebal.tui.widgets.account_drift import AccountDriftPane
from rebal.tui.widgets.by_account import ByAccountTable
from rebal.tui.widgets.class_charts import ClassCharts
from rebal.tui.widgets.drift_table import DriftTable
from rebal.tui.widgets.history import HistoryPane
from rebal.tui.widgets.returns import ReturnSentence, ReturnsTable
from rebal.tui.widgets.shift_note import ShiftNote


class CompareScreen(StepScreen):
    STEP = 2
    TITLE_TEXT = "Compare current to target"
    HELP = (
        "Left: where the money is now; right: where you meant it to be, on the same scale.\n"
        "The drift table shows each class's actual share against its band: ▲ OVER and\n"
        "▼ under mark the classes to act on. Per account shows how each account contributes\n"
        "to each class. With a snapshot in the file, the return since then and how the\n"
        "weights drifted appear at the bottom."
    )
    KEYS_LINE = True
    BINDINGS: ClassVar[list[BindingType]] = [*PAGE_KEYS]
    SLICES = ("classes", "charts", "shift")
    LATER_SLICES = ("account_drift", "by_account", "returns", "history")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(Text("Step 2 — Compare current to target", style="bold"), classes="title")
            yield ClassCharts(id="charts")
            yield ShiftNote(id="shift")
            yield Label(Text("Drift by class"), classes="section")
            yield DriftTable(id="drift")

    def compose_later(self) -> Iterable[tuple[str, Widget]]:
        # Below the fold at 80x24: mounted once the charts and the drift are painted.
        for widget in (
            Label(Text("Drift by account: where each class's excess sits"), classes="section"),
            Static(Text(
                "An account's part is what it holds in the class less the class's target "
                "share of the account; the parts add up to the excess."), classes="explain"),
            AccountDriftPane(id="account-drift"),
            # Both tables need ~90 columns: stacked at every width, never cut off.
            Horizontal(
                Vertical(Label(Text("Per account (value in each class)"), classes="section"),
                         ByAccountTable(id="by-account"), classes="half"),
                Vertical(Label(Text("Since the last review"), classes="section"),
                         ReturnSentence(id="return"), ReturnsTable(id="returns"),
                         classes="half"),
                classes="pair stacked",
            ),
            HistoryPane(id="history-box"),
        ):
            yield "body", widget

    def initial_focus(self) -> Widget | None:
        # The scroll area, not the drift table: focusing the table would scroll the
        # charts out of sight at 80x24. Arrows and page keys scroll; tab reaches tables.
        return self.query_one("#body", VerticalScroll)

    def show(self, view: View) -> None:
        self.query_one(ClassCharts).data = view.charts
        self.query_one(ShiftNote).data = view.shift
        self.query_one(DriftTable).class_rows = view.classes

    def show_later(self, view: View) -> None:
        self.query_one(AccountDriftPane).data = view.account_drift
        self.query_one(ByAccountTable).data = view.by_account
        self.query_one(ReturnSentence).data = view.returns
        self.query_one(ReturnsTable).data = view.returns
        self.query_one(HistoryPane).data = view.history
