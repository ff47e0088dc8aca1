"""The panes that are always one key away: targets (t), accounts (a), drift (d).

Tabs on a small terminal; side by side when it is wide enough for the three.
Each pane is one widget (widgets/targets_table.py, accounts_tree.py,
drift_table.py) that renders itself from the slice of the session it is given.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TabbedContent, TabPane

from rebal.tui.session import Session
from rebal.tui.widgets.accounts_tree import AccountsTree
from rebal.tui.widgets.drift_table import DriftTable
from rebal.tui.widgets.targets_table import TargetsTable

SIDE_BY_SIDE_WIDTH = 150


class PanesScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="close-panes"),
        Binding("t", "show('targets')", "Targets", id="pane-targets"),
        Binding("a", "show('accounts')", "Accounts", id="pane-accounts"),
        Binding("d", "show('drift')", "Drift", id="pane-drift"),
    ]

    def __init__(self, tab: str) -> None:
        super().__init__()
        self.initial_tab = tab
        self.side_by_side = False
        self.shown = ""

    def compose(self) -> ComposeResult:
        # Width for the accounts tree (~76 columns) next to the two class tables.
        self.side_by_side = self.app.size.width >= SIDE_BY_SIDE_WIDTH
        wide = " side-by-side" if self.side_by_side else ""
        with Vertical(classes="modal-box" + wide, id="panes-box"):
            yield Static(
                Text("t targets · a accounts · d drift · escape closes"), classes="explain"
            )
            if self.side_by_side:
                with Horizontal(id="panes-wide"):
                    with VerticalScroll(id="panes-left"):
                        yield Label(Text("Targets (t)"), classes="section")
                        yield TargetsTable(id="pane-targets-table")
                        yield Label(Text("Drift (d)"), classes="section")
                        yield DriftTable(id="pane-drift-table")
                    with Vertical(id="panes-right"):
                        yield Label(Text("Accounts (a)"), classes="section")
                        yield AccountsTree(id="pane-accounts-tree")
                return
            with TabbedContent(initial=self.initial_tab):
                with TabPane("Targets (t)", id="targets"):
                    yield TargetsTable(id="pane-targets-table")
                with TabPane("Accounts (a)", id="accounts"):
                    yield AccountsTree(id="pane-accounts-tree")
                with TabPane("Drift (d)", id="drift"):
                    yield DriftTable(id="pane-drift-table")

    def on_mount(self) -> None:
        self.watch(self.app, "session", self._show, init=True)

    def _show(self, session: Session | None) -> None:
        if session is None:
            return
        report = session.report()
        self.query_one(TargetsTable).report = report
        self.query_one(DriftTable).report = report
        self.query_one(AccountsTree).portfolio = session.loaded.portfolio
        if self.side_by_side:
            self.action_show(self.shown or self.initial_tab)
        else:
            self.action_show(self.query_one(TabbedContent).active or self.initial_tab)

    def action_show(self, tab: str) -> None:
        self.shown = tab
        if not self.side_by_side:
            self.query_one(TabbedContent).active = tab
        widget_id = {"targets": "#pane-targets-table", "accounts": "#pane-accounts-tree",
                     "drift": "#pane-drift-table"}[tab]
        self.query_one(widget_id).focus()
