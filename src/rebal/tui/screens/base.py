"""What every step screen shares: header, step indicator, footer, and the session watch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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

from rebal.tui.session import (
    IN_THREAD_ABOVE,
    Session,
    keep_from_the_collector,
    position_count,
)
from rebal.tui.view import View, view_of
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
    """A rebalancing step. Subclasses compose the body, bind keys, hold the help text,
    and hand their widgets the slices of the session's view (`show`)."""

    STEP: ClassVar[int] = 1
    TITLE_TEXT: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    # List the step's own keys in a line above the footer (which cannot show them all).
    KEYS_LINE: ClassVar[bool] = False

    # The view's slices the step shows: on a big household they are computed in a
    # thread worker before `show` hands them out, so the event loop only draws.
    SLICES: ClassVar[tuple[str, ...]] = ()
    # The slices of the widgets of `compose_later`: on a big household computed in a
    # second worker once the step has drawn its first view. A worker running while the
    # step's screen is first styled holds the interpreter half the time, and doubled
    # that block on the loop (step 3 at 20,000 positions: ~60 ms of work, ~120 ms).
    LATER_SLICES: ClassVar[tuple[str, ...]] = ()

    session: reactive[Session | None] = reactive(None, always_update=True, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._stale = False  # a session arrived while the step was not on display
        self._rendered = False
        self._view: View | None = None  # the view on screen
        self._later_mounted = False
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

    def compose_later(self) -> Iterable[tuple[str, Widget]]:
        """Widgets mounted after the step's first paint, each with the id of the container
        it joins (at its end), in order. A new screen's first display styles every
        widget twice in one go (mounted, then resumed): panes out of sight at first
        (below the fold, other tabs) cost that block without being seen."""
        return ()

    def on_mount(self) -> None:
        if not self.app.is_running:
            return  # quitting as the step first mounts: its widgets are being pruned
        # data_bind cannot reach an App reactive from a screen; watching it can,
        # and keeps screens that are not on display current too.
        self.watch(self.app, "session", self._app_session_changed, init=True)
        focus = self.initial_focus()
        if focus is not None:
            focus.focus()
        self.call_after_refresh(self._mount_later)

    async def _mount_later(self) -> None:
        for container, widget in self.compose_later():
            await self.query_one(f"#{container}").mount(widget)
        self._later_mounted = True
        if self._view is not None:
            self._show_later_when_built(self._view)
        self.later_mounted()

    def later_mounted(self) -> None:
        """Called once the widgets of `compose_later` are mounted (and given their slices)."""

    @property
    def later_ready(self) -> bool:
        """Whether the widgets of `compose_later` are mounted yet."""
        return self._later_mounted

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
        view = view_of(session, self.today())
        if view.built(self.SLICES) or (
                position_count(session.loaded.portfolio) <= IN_THREAD_ABOVE):
            self._draw(view)
        else:
            self._build_in_thread(view)

    def today(self) -> dt.date:
        """The app's today (its injected clock), else the file's price date."""
        from rebal.tui.app import RebalApp  # the app module imports the screens

        app = self.app
        if isinstance(app, RebalApp):
            return app.today
        assert self.session is not None
        return self.session.loaded.portfolio.portfolio.as_of

    @on(ScreenResume)
    def _draw_if_stale(self) -> None:
        if self._stale and self.session is not None:
            self.watch_session(self.session)

    # A description of its own: by default Textual writes one from the arguments' repr,
    # and the view's is the whole household (~15 ms at 20,000 positions, on the loop).
    @work(thread=True, exclusive=True, group="view", exit_on_error=False,
          description="the step's figures")
    def _build_in_thread(self, view: View) -> None:
        view.build(("report", *self.SLICES))
        self.app.call_from_thread(self._built, view)

    def _built(self, view: View) -> None:
        if self.session is view.session:
            self._draw(view)
        # Otherwise a newer session's view is being built, and draws when it is.

    def _draw(self, view: View) -> None:
        # Quitting as a step first mounts prunes its widgets one by one: some can be
        # gone while others are still found, so ask the app, not the widgets.
        if not self.app.is_running or not self.is_attached:
            return
        try:
            header = self.query_one(HeaderBar)
        except NoMatches:
            return  # torn down while quitting: there is nothing left to draw
        self._rendered = True
        session = view.session
        header.show(view.report, session.loaded.portfolio.portfolio.as_of.isoformat(),
                    session.dirty)
        self._view = view
        self.show(view)
        if self._later_mounted:
            self._show_later_when_built(view)

    def _show_later_when_built(self, view: View) -> None:
        if position_count(view.session.loaded.portfolio) <= IN_THREAD_ABOVE:
            self.show_later(view)
        elif view.built(self.LATER_SLICES):
            self._show_later_and_keep(view)
        else:
            # Once the later widgets are laid out and painted: a worker started now
            # would take the interpreter from that paint half the time.
            self.call_after_refresh(self._build_later_in_thread, view)

    def _show_later_and_keep(self, view: View) -> None:
        """On a big household: the step's widgets, drawn in full, live as long as the
        app (a mode's screen stays): out of the cyclic collector with them once painted.
        Left in, each full collection walked them again, ~100,000 objects once the
        steps had been seen, and blocked the loop 40-80 ms at any key."""
        self.show_later(view)
        self.call_after_refresh(keep_from_the_collector, view.session.loaded.portfolio)

    @work(thread=True, exclusive=True, group="view-later", exit_on_error=False,
          description="the step's later figures")
    def _build_later_in_thread(self, view: View) -> None:
        view.build(self.LATER_SLICES)
        self.app.call_from_thread(self._later_built, view)

    def _later_built(self, view: View) -> None:
        if self._view is view:
            self._show_later_and_keep(view)
        # Otherwise a newer view is on screen, and its own later figures follow it.

    def show(self, view: View) -> None:
        """Hand each of the step's widgets its slice of `view` (computed already on a
        big household: see SLICES)."""
        raise NotImplementedError

    def show_later(self, view: View) -> None:
        """Hand the widgets of `compose_later` their slices (once they are mounted)."""
