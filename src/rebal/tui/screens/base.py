"""What every step screen shares: header, step indicator, footer, and the session watch."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.events import ScreenResume
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input

from rebal.tui.session import IN_THREAD_ABOVE, Session, position_count
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


def figures_key(session: Session) -> tuple[object, ...]:
    """What the derived figures depend on: the file read, the targets, the bands."""
    return session.loaded, tuple(session.targets.items()), session.bands


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
        self._stale = False  # a session arrived while the step was not on display
        self._rendered = False
        self._prepared: tuple[object, ...] | None = None
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

    @property
    def on_display(self) -> bool:
        """The step is the current screen, or under a modal of the current step."""
        return self in self.app.screen_stack

    def watch_session(self, session: Session | None) -> None:
        if session is None:
            return
        if self._rendered and not self.on_display:
            # Another step is on screen: draw this one when it comes back (four steps
            # redrawn on every change froze the app for seconds on big households).
            self._stale = True
            return
        self._stale = False
        if (self._prepared == figures_key(session)
                or type(self).prepare is StepScreen.prepare  # nothing to prepare
                or position_count(session.loaded.portfolio) <= IN_THREAD_ABOVE):
            self._draw(session)
        else:
            self._prepare_in_thread(session)

    @on(ScreenResume)
    def _draw_if_stale(self) -> None:
        if self._stale and self.session is not None:
            self.watch_session(self.session)

    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False,
          description="derive the step's figures")
    def _prepare_in_thread(self, session: Session) -> None:
        session.report()
        self.prepare(session)
        self.app.call_from_thread(self._prepared_for, session)

    def _prepared_for(self, session: Session) -> None:
        self._prepared = figures_key(session)
        latest = self.session
        if latest is not None and figures_key(latest) == self._prepared:
            self._draw(latest)
        # Otherwise a newer session is being prepared, and draws when it is.

    def _draw(self, session: Session) -> None:
        try:
            header = self.query_one(HeaderBar)
        except NoMatches:
            return  # torn down while quitting: there is nothing left to draw
        self._rendered = True
        report = session.report()
        header.show(report, session.loaded.portfolio.portfolio.as_of.isoformat(), session.dirty)
        self.render_session(session)

    @staticmethod
    def prepare(session: Session) -> None:
        """Compute, in a thread worker, what `render_session` derives from the holdings,
        through `rebal.tui.session.remembered`, so that drawing only reads it. Runs
        only on big households; the report is prepared already."""

    def render_session(self, session: Session) -> None:
        raise NotImplementedError
