"""The panes that are always one key away: targets (t), accounts (a), drift (d).

Tabs on a small terminal; side by side when it is wide enough for the three.
Each pane is one widget (widgets/targets_table.py, accounts_tree.py,
drift_table.py) that renders itself from the slice of the session's view it is given.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static, Tab, Tabs

from rebal.tui.screens.base import preset_breakpoint_classes
from rebal.tui.session import Session
from rebal.tui.view import View, view_of
from rebal.tui.view.compare import AccountsSlice
from rebal.tui.widgets.accounts_tree import AccountsTree
from rebal.tui.widgets.drift_table import DriftTable
from rebal.tui.widgets.targets_table import TargetsTable

PANES = {"targets": "#pane-targets-table", "accounts": "#pane-accounts-tree",
         "drift": "#pane-drift-table"}


class PanesScreen(ModalScreen[None]):
    # The stylesheet (rebal.tcss) lays the panes out: tabs below 150 columns, side by
    # side from there (the accounts tree's ~76 columns beside the two class tables).
    HORIZONTAL_BREAKPOINTS = [(0, "-tabs"), (150, "-side-by-side")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="close-panes"),
        Binding("t", "show('targets')", "Targets", id="pane-targets"),
        Binding("a", "show('accounts')", "Accounts", id="pane-accounts"),
        Binding("d", "show('drift')", "Drift", id="pane-drift"),
    ]

    def __init__(self, tab: str) -> None:
        super().__init__()
        preset_breakpoint_classes(self)
        self.shown = tab

    def compose(self) -> ComposeResult:
        # The shown pane's class from the start: set after mounting, it restyled the
        # whole box again (~30 ms on the loop when the panes open).
        with Vertical(classes=f"modal-box show-{self.shown}", id="panes-box"):
            yield Static(
                Text("t targets · a accounts · d drift · escape closes"), classes="explain"
            )
            yield Tabs(
                Tab("Targets (t)", id="targets"), Tab("Accounts (a)", id="accounts"),
                Tab("Drift (d)", id="drift"), active=self.shown, id="pane-tabs",
            )
            with Horizontal(id="panes-wide"):
                with VerticalScroll(id="panes-left"):
                    yield Label(Text("Targets (t)"), classes="section")
                    yield TargetsTable(id="pane-targets-table")
                    yield Label(Text("Drift (d)"), classes="section")
                    yield DriftTable(id="pane-drift-table")
                with Vertical(id="panes-right"):
                    yield Label(Text("Accounts (a)"), classes="section")
                    yield AccountsTree(self._view_now(), id="pane-accounts-tree")

    def on_mount(self) -> None:
        self.watch(self.app, "session", self._show, init=True)

    def _view_of(self, session: Session) -> View:
        from rebal.tui.app import RebalApp  # the app module imports the screens

        app = self.app
        today = app.today if isinstance(app, RebalApp) else session.loaded.portfolio.portfolio.as_of
        return view_of(session, today)

    def _view_now(self) -> AccountsSlice | None:
        """The accounts as the pane opens, for the tree to list before it is mounted."""
        session = getattr(self.app, "session", None)
        return self._view_of(session).accounts if isinstance(session, Session) else None

    def _show(self, session: Session | None) -> None:
        if session is None:
            return
        view = self._view_of(session)
        self.query_one(TargetsTable).class_rows = view.classes
        self.query_one(DriftTable).class_rows = view.classes
        self.query_one(AccountsTree).data = view.accounts
        self.action_show(self.shown)

    @on(Tabs.TabActivated, "#pane-tabs")
    def _tab_chosen(self, event: Tabs.TabActivated) -> None:
        if event.tab.id is not None and event.tab.id != self.shown:
            self.action_show(event.tab.id)

    def action_show(self, tab: str) -> None:
        """Bring `tab` forward: the one pane shown under tabs, the focused one side by side."""
        self.shown = tab
        box = self.query_one("#panes-box")
        if not box.has_class(f"show-{tab}"):
            box.set_classes(f"modal-box show-{tab}")
        self.query_one("#pane-tabs", Tabs).active = tab
        self.query_one(PANES[tab]).focus()
