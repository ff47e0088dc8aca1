"""What every step screen shares: header, step indicator, footer, and the session watch."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input

from rebal.tui.session import Session
from rebal.tui.widgets.footer import StepFooter
from rebal.tui.widgets.header import HeaderBar
from rebal.tui.widgets.keys import StepKeys
from rebal.tui.widgets.steps import StepBar

# The page keys scroll the step's body even while a short table has the focus (a
# DataTable would take them to move its cursor, and the lower part of the step could
# not be reached at 80x24). A table taller than its box, and a text field, keep them.
PAGE_KEYS: list[BindingType] = [
    Binding(key, f"page('{action}')", "", show=False, priority=True, id=f"body-{action}")
    for key, action in (("pageup", "page_up"), ("pagedown", "page_down"),
                        ("home", "scroll_home"), ("end", "scroll_end"))
]
PAGE_KEYS_ENTRY = ("PgUp/PgDn/Home/End", "scroll")


def preset_breakpoint_classes(screen: Screen[Any]) -> None:
    """Give `screen` the breakpoint class (-narrow/-wide...) Textual adds on its first
    resize, before it mounts: added after, they restyle the whole screen once more,
    and the first frame is drawn without the layout the stylesheet gives that size."""
    width, height = screen.app.size
    for size, breakpoints in (
        (width, screen.HORIZONTAL_BREAKPOINTS or screen.app.HORIZONTAL_BREAKPOINTS),
        (height, screen.VERTICAL_BREAKPOINTS or screen.app.VERTICAL_BREAKPOINTS),
    ):
        for least, name in sorted(breakpoints or [], reverse=True):
            if size >= least:
                screen.set_class(True, name, update=False)
                break


class StepScreen(Screen[None]):
    """A rebalancing step. Subclasses compose the body and render a session."""

    STEP: ClassVar[int] = 1
    TITLE_TEXT: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    # List the step's own keys in a line above the footer (which cannot show them all).
    KEYS_LINE: ClassVar[bool] = False

    session: reactive[Session | None] = reactive(None, always_update=True, init=False)

    def __init__(self) -> None:
        super().__init__()
        preset_breakpoint_classes(self)

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield StepBar(self.STEP)
        yield from self.compose_body()
        if self.KEYS_LINE:
            yield StepKeys(self.BINDINGS, extra=(PAGE_KEYS_ENTRY,))
        yield StepFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        # data_bind cannot reach an App reactive from a screen; watching it can,
        # and keeps screens that are not on display current too.
        self.watch(self.app, "session", self._app_session_changed, init=True)
        focus = self.initial_focus()
        if focus is not None:
            focus.focus()

    def action_page(self, action: str) -> None:
        focused = self.focused
        if isinstance(focused, Input) or (
            isinstance(focused, DataTable) and focused.max_scroll_y > 0
        ):
            raise SkipAction  # the field or the long table handles the key itself
        bodies = self.query("#body")
        if not bodies:
            raise SkipAction
        getattr(bodies.first(), f"action_{action}")()

    def initial_focus(self) -> Widget | None:
        """A table, never an Input: a focused Input would swallow the digit keys."""
        return None

    def _app_session_changed(self, session: Session | None) -> None:
        if session is not None:
            self.session = session

    def watch_session(self, session: Session | None) -> None:
        if session is None:
            return
        try:
            header = self.query_one(HeaderBar)
        except NoMatches:
            return  # torn down while quitting: there is nothing left to draw
        report = session.report()
        header.show(report, session.loaded.portfolio.portfolio.as_of.isoformat(), session.dirty)
        self.render_session(session)

    def render_session(self, session: Session) -> None:
        raise NotImplementedError
