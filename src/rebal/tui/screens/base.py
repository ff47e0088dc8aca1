"""What every step screen shares: header, step indicator, footer, and the session watch."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from rebal.tui.session import Session
from rebal.tui.widgets.footer import StepFooter
from rebal.tui.widgets.header import HeaderBar
from rebal.tui.widgets.steps import StepBar


class StepScreen(Screen[None]):
    """A rebalancing step. Subclasses compose the body and render a session."""

    STEP: ClassVar[int] = 1
    TITLE_TEXT: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    session: reactive[Session | None] = reactive(None, always_update=True, init=False)

    def __init__(self) -> None:
        super().__init__()
        # The size classes (-narrow/-wide...) Textual adds on the first resize, set
        # before mounting: added after, they restyle the whole screen once more.
        width, height = self.app.size
        for size, breakpoints in (
            (width, self.HORIZONTAL_BREAKPOINTS or self.app.HORIZONTAL_BREAKPOINTS),
            (height, self.VERTICAL_BREAKPOINTS or self.app.VERTICAL_BREAKPOINTS),
        ):
            for least, name in sorted(breakpoints or [], reverse=True):
                if size >= least:
                    self.set_class(True, name, update=False)
                    break

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield StepBar(self.STEP)
        yield from self.compose_body()
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
