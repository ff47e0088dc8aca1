"""The guided review: one App, one immutable session, one mode per rebalancing step."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from rebal.present.terminal import safe
from rebal.tui import messages as msg
from rebal.tui.responsive import loop_first
from rebal.tui.services import Loader, Planner, Saver, StoreSaver, real_loader, real_planner

# The model, the store and the core load after the first paint (in the reader
# worker): pydantic alone costs more than a bare Textual app takes to start.
if TYPE_CHECKING:
    from rich.terminal_theme import TerminalTheme

    from rebal.core.planner.types import Plan
    from rebal.model.portfolio import TradeStatus
    from rebal.problems import Problem
    from rebal.store.atomic import Backup
    from rebal.store.load import Loaded
    from rebal.tui.session import Session

STEP_MODES: tuple[str, ...] = ("target", "compare", "misalignment", "rebalance")
# A save still running after this long gets its dialog (it is waiting for a lock).
SAVING_DIALOG_AFTER = 0.15


def _lazy_screen(module: str, class_name: str) -> Callable[[], Screen[Any]]:
    """A MODES factory that imports its screen's module only when the mode first opens."""

    def build() -> Screen[Any]:
        screen_class = getattr(importlib.import_module(f"rebal.tui.screens.{module}"), class_name)
        screen: Screen[Any] = screen_class()
        return screen

    return build


STEP_KEYS = Binding.Group("Step")
STEP_CSS = Path(__file__).parent / "screens" / "steps.tcss"


class RebalApp(App[None]):
    """`rebal FILE`: recall the targets, compare, find the misalignment, rebalance."""

    TITLE = "rebal"
    # The first paint needs rebal.tcss only; the step screens' rules (STEP_CSS) are
    # added right after it, while the file is read.
    CSS_PATH: ClassVar[list[str | PurePath]] = ["rebal.tcss"]
    ENABLE_COMMAND_PALETTE = True
    # Screens are built on first visit, so start-up pays for the first step only.
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "target": _lazy_screen("target", "TargetScreen"),
        "compare": _lazy_screen("compare", "CompareScreen"),
        "misalignment": _lazy_screen("misalignment", "MisalignmentScreen"),
        "rebalance": _lazy_screen("rebalance", "RebalanceScreen"),
        "problems": _lazy_screen("problems", "ProblemsScreen"),
        "loading": _lazy_screen("loading", "LoadingScreen"),
    }
    # Textual declares this as an instance-style list; it is read, never mutated.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (110, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        # Footer order: what a newcomer needs first, so it survives 80 columns.
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help",
                tooltip="keys and what this step does"),
        # One footer entry, "n p Step": the step's own keys need the room at 80 columns.
        Binding("n", "next_step", "Next", id="next", tooltip="go to the next step",
                group=STEP_KEYS),
        Binding("p", "previous_step", "Prev", id="previous", tooltip="go to the previous step",
                group=STEP_KEYS),
        Binding("ctrl+s", "save", "Save", id="save",
                tooltip="save the plan, decisions and edits to the file (asks first)"),
        Binding("d", "panes('drift')", "Drift", id="drift",
                tooltip="the panes: targets (t), accounts (a), drift (d)"),
        Binding("q,ctrl+q", "quit", "Quit", key_display="q", id="quit",
                tooltip="quit (asks if there are unsaved changes)"),
        Binding("1", "step(1)", "Target", show=False, id="step1", tooltip="step 1"),
        Binding("2", "step(2)", "Compare", show=False, id="step2", tooltip="step 2"),
        Binding("3", "step(3)", "Misalignment", show=False, id="step3", tooltip="step 3"),
        Binding("4", "step(4)", "Rebalance", show=False, id="step4", tooltip="step 4"),
        Binding("a", "panes('accounts')", "Accounts", show=False, id="accounts",
                tooltip="each account's holdings, shares, prices and cash"),
        Binding("t", "panes('targets')", "Targets", show=False, id="targets",
                tooltip="targets and bands"),
        Binding("i", "import_file", "Import", show=False, id="import",
                tooltip="update holdings from a broker export"),
    ]

    session: reactive[Session | None] = reactive(None, always_update=True, init=False)
    problems: reactive[tuple[Problem, ...]] = reactive((), init=False)

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        theme: str | None = None,
        planner: Planner = real_planner,
        loader: Loader = real_loader,
        saver: Saver | None = None,
    ) -> None:
        super().__init__()
        # The theme's CSS variables and ANSI colours the last refresh_css applied.
        self._css_inputs: tuple[dict[str, str], TerminalTheme] | None = None
        self.path = path
        self.clock = clock or dt.datetime.now
        self.planner = planner
        self.loader = loader
        self.saver: Saver = saver or StoreSaver()
        # ctrl+s with decisions but no plan yet: plan first, then show the save.
        self._save_when_planned = False
        self._check_themes_after_read = False
        # Files this session has written: their backup already holds the version
        # from before the session, and later saves and marks keep it.
        self._backed_up: set[Path] = set()
        self._register_themes(theme)
        # Nothing is parsed or styled yet: giving the stylesheet the chosen theme's
        # variables now makes the first parse the right one, and the refresh the
        # theme change queued (a second parse of all the CSS) needless.
        variables = self.get_css_variables()
        self.stylesheet.set_variables(variables)
        self._css_inputs = (variables, self.ansi_theme)

    def refresh_css(self, animate: bool = True) -> None:
        """Re-parse and restyle when the styles changed, not on each first visit to a mode.

        Textual 8.2.8 marks every new screen stale, so entering a mode for the first
        time re-parsed all the CSS twice (once as the mode's screen is built, once
        as it becomes current; ~15 ms apiece, a fifth of the time to step 1)
        although a new screen's widgets are styled as they mount, and a screen
        coming back is restyled by its ScreenResume. What a refresh applies anew is
        the theme's CSS variables and ANSI colours (a screen's own CSS is parsed as
        it loads; a CSS file edited in dev mode restyles on its own): when those
        are the ones the last refresh applied, there is nothing to do.
        """
        inputs = (self.get_css_variables(), self.ansi_theme)
        if inputs == self._css_inputs:
            return
        super().refresh_css(animate)
        self._css_inputs = inputs

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (screens' too: theirs come here) shown terminal-safe.

        Messages quote file names, errors and names from the file.
        """
        from rebal.present.terminal import safe

        super().notify(
            safe(message), title=safe(title), severity=severity, timeout=timeout, markup=markup
        )

    # ---- start-up -------------------------------------------------------

    def _register_themes(self, wanted: str | None) -> None:
        from rebal.themes import DEFAULT_THEME, load_themes

        themes, self._theme_problems = load_themes()
        names = set()
        for theme in themes:
            self.register_theme(theme)
            names.add(theme.name)
        self.wanted_theme = wanted or DEFAULT_THEME
        choice = self.wanted_theme if self.wanted_theme in names else DEFAULT_THEME
        if choice in names:
            self.theme = choice

    @property
    def today(self) -> dt.date:
        return self.clock().date()

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: step 1 from a first look at the file, or "Reading FILE…".

        As the default screen it paints with no mode switch, which would hold the
        first paint for Textual's 50 ms switch delay.
        """
        from rebal.store.first_look import first_look
        from rebal.tui.screens.loading import LoadingScreen

        self.reading = self.path
        self.first_look = first_look(self.path)
        return LoadingScreen()

    def on_mount(self) -> None:
        # Status markers take their colours from the theme: redraw them on a switch.
        self.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())
        self.open_path(self.path, first=True)

    def _redraw(self) -> None:
        if self.session is not None:
            self.session = self.session  # always_update: every screen renders again

    def open_path(self, path: Path, *, first: bool = False) -> None:
        """Read `path` in a worker; step 1 follows on success, the problem screen otherwise.

        Meanwhile the loading screen shows step 1 as far as a quick first look at a
        small file goes (its name and targets, marked as being checked), or else
        which file is read. At start-up that screen is already the default one.
        """
        from rebal.store.first_look import first_look

        self.path = path
        self._check_themes_after_read = first
        if not first:
            self.reading = path
            self.first_look = first_look(path)
            if self.current_mode != "loading":
                # A fresh screen for this file: one from an earlier read shows that file.
                self.remove_mode("loading")
                self.add_mode("loading", self.MODES["loading"])
            self.switch_mode("loading")
        # Start reading once the loading screen has painted (queued on it, not on the
        # app, whose refresh comes first): the reader's imports would otherwise
        # compete with that paint for the interpreter.
        self.screen.call_after_refresh(self._after_the_paint, path)

    def _after_the_paint(self, path: Path) -> None:
        self._read_in_thread(path)
        # The step screens' rules, as Textual loads a screen's CSS_PATH but without
        # its full re-parse: parse() reuses the parsed sources and adds this file's
        # rules (~4 ms, which as an App CSS_PATH entry delayed the first paint). The
        # event loop runs this before it can take the reader's session, so every
        # step screen is built with its rules.
        if not self.stylesheet.has_source(str(STEP_CSS)):
            if self.css_monitor is not None:  # textual run --dev: edits restyle live
                self.css_monitor.add_paths([STEP_CSS])
            self.stylesheet.read(STEP_CSS)
            self.stylesheet.parse()

    @work(thread=True, exclusive=True, group="reader", exit_on_error=False,
          description="read the portfolio file")
    def _read_in_thread(self, path: Path) -> None:
        # The reader imports pydantic and the model first: the loop keeps painting.
        with loop_first():
            self._read(path)

    def _read(self, path: Path) -> None:
        from rebal.problems import PortfolioError
        from rebal.tui.session import (
            IN_THREAD_ABOVE,
            keep_from_the_collector,
            open_session,
            position_count,
        )

        try:
            session = open_session(self.loader(path))
        except PortfolioError as error:
            self.call_from_thread(self._file_read, None, tuple(error.problems))
            return
        # Step 1's figures too, here: on a big household they take seconds to derive.
        if position_count(session.loaded.portfolio) > IN_THREAD_ABOVE:
            from rebal.tui.screens.target import TargetScreen
            from rebal.tui.view import view_of

            view_of(session, self.today).build(("report", *TargetScreen.SLICES))
        keep_from_the_collector(session.loaded.portfolio)
        self.call_from_thread(self._file_read, session, ())

    def _file_read(self, session: Session | None, problems: tuple[Problem, ...]) -> None:
        if session is None:
            self.session = None
            self.problems = problems
            self.switch_mode("problems")
        else:
            self.problems = ()
            self.session = session
            for warning in session.loaded.warnings:
                self.notify(str(warning), title="Warning", severity="warning", markup=False)
            self.switch_mode("target")
        if self._check_themes_after_read:
            # Bad theme files are reported on the first real screen, after it has
            # painted: a toast on the loading screen would go with it.
            self._check_themes_after_read = False
            self.screen.call_after_refresh(self._themes_checked, self._theme_problems)

    def _themes_checked(self, theme_problems: list[Problem]) -> None:
        """Report bad theme files; a bad (or unknown) chosen theme falls back to the default."""
        from rebal.themes import DEFAULT_THEME

        for problem in theme_problems:
            self.notify(str(problem), title="Theme file problem", severity="error", markup=False)
        if any(p.file.stem == self.wanted_theme or self.theme != self.wanted_theme
               for p in theme_problems):
            self.theme = DEFAULT_THEME

    # ---- navigation -----------------------------------------------------

    @property
    def current_step(self) -> int | None:
        mode = self.current_mode
        return STEP_MODES.index(mode) + 1 if mode in STEP_MODES else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_file = {
            "next_step",
            "previous_step",
            "step",
            "panes",
            "save",
            "import_file",
            "export_plan",
        }
        if action in needs_file and self.session is None:
            return False
        if self._saving and action in {*needs_file, "quit", "open_file", "new_plan"}:
            return False  # a write is running (its dialog says so); it ends in seconds
        if action == "save" and self.session is not None and not self.session.dirty:
            return None  # shown dimmed: nothing to save
        return True

    def action_step(self, number: int) -> None:
        if self.session is None or self._saving or not 1 <= number <= len(STEP_MODES):
            return
        # A modal (help, confirmation) stays on top; close it before switching.
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode(STEP_MODES[number - 1])

    def action_next_step(self) -> None:
        self.action_step(min(len(STEP_MODES), (self.current_step or 0) + 1))

    def action_previous_step(self) -> None:
        self.action_step(max(1, (self.current_step or 2) - 1))

    def action_panes(self, tab: str) -> None:
        from rebal.tui.screens.panes import PanesScreen

        if self.session is not None:
            self.push_screen(PanesScreen(tab))

    def action_help(self) -> None:
        from rebal.tui.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def on_unmount(self) -> None:
        # What keep_from_the_collector froze is the collector's again once the app ends
        # (tests, and any program, may run several apps in one process).
        gc.unfreeze()

    async def action_quit(self) -> None:
        from rebal.tui.screens.modals import ConfirmScreen

        if self.session is None or not self.session.dirty:
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        from rebal.tui.session import unsaved_changes

        unsaved = ", ".join(unsaved_changes(self.session)) or "your edits"
        self.push_screen(
            ConfirmScreen(
                "Quit without saving?",
                Text(f"Not saved in {self.path.name} yet: {unsaved}.\n"
                     "Choose Stay, then press ctrl+s to save."),
                yes="Quit without saving",
                no="Stay",
            ),
            answered,
        )

    def action_open_file(self) -> None:
        from rebal.tui.screens.modals import ConfirmScreen, OpenFileScreen

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if self.session is None or not self.session.dirty:
                self.open_path(path)
                return

            def answered(discard: bool | None) -> None:
                if discard:
                    self.open_path(path)

            self.push_screen(
                ConfirmScreen(
                    "Open another file without saving?",
                    Text(f"Your unsaved edits to {self.path.name} would be lost."),
                    yes="Discard and open",
                    no="Stay",
                ),
                answered,
            )

        self.push_screen(OpenFileScreen(self.path), chosen)

    def action_reopen(self) -> None:
        self.open_path(self.path)

    # ---- edits (messages up, transitions here) ---------------------------

    def _change(self, transition: Callable[[Session], Session]) -> None:
        if self.session is not None:
            self.session = transition(self.session)
            self.refresh_bindings()

    @on(msg.SessionEdited)
    def _session_edited(self, message: msg.SessionEdited) -> None:
        self._change(message.transition)

    @on(msg.TargetEdited)
    def _target_edited(self, message: msg.TargetEdited) -> None:
        from rebal.tui import session as ss

        self._change(lambda s: ss.edit_target(s, message.asset_class, message.percent))

    @on(msg.ClassAdded)
    def _class_added(self, message: msg.ClassAdded) -> None:
        from rebal.tui import session as ss

        self._change(lambda s: ss.add_class(s, message.asset_class))

    @on(msg.BandKindChosen)
    def _band_kind(self, message: msg.BandKindChosen) -> None:
        from rebal.tui import session as ss

        self._change(lambda s: ss.set_band_kind(s, message.kind))

    @on(msg.BandWidthEdited)
    def _band_width(self, message: msg.BandWidthEdited) -> None:
        from rebal.tui import session as ss

        self._change(lambda s: ss.set_band_width(s, message.width))

    @on(msg.ClassBandEdited)
    def _class_band(self, message: msg.ClassBandEdited) -> None:
        from rebal.tui import session as ss

        self._change(lambda s: ss.set_class_band(s, message.asset_class, message.width))

    @on(msg.DecisionRecorded)
    def _decision(self, message: msg.DecisionRecorded) -> None:
        from rebal.tui import session as ss

        self._change(
            lambda s: ss.record_decision(s, message.ticker, message.decision, message.note)
        )

    @on(msg.SectorLimitEdited)
    def _sector_limit(self, message: msg.SectorLimitEdited) -> None:
        from rebal.tui import session as ss

        self._change(lambda s: ss.set_sector_limit(s, message.limit))

    @on(msg.PlanOptionsChanged)
    def _options(self, message: msg.PlanOptionsChanged) -> None:
        from rebal.tui import session as ss

        self._change(lambda s: ss.set_options(s, message.options))
        if self.session is not None and self.session.plans_on_its_own:
            self.request_plan()

    @on(msg.PlanRequested)
    def _plan_requested(self) -> None:
        self.request_plan()

    def action_new_plan(self) -> None:
        """Plan again with step 4's options; a saved plan stays listed until it is ready."""
        from rebal.tui import session as ss

        if self.session is None or self._saving:
            return
        if self.current_mode != "rebalance":
            self.action_step(4)
        self._change(ss.new_plan_wanted)
        self.request_plan()

    def action_show_saved_plan(self) -> None:
        """Back to the saved plan, dropping the new one (which was not saved)."""
        from rebal.tui import session as ss

        session = self.session
        if session is None or session.saved_plan is None or self._saving:
            return
        dropped = session.plan_to_save is not None
        self._change(ss.back_to_saved)
        when = ss.plan_date(session.saved_plan)
        self.notify(
            f"The saved plan of {when} is the current plan again"
            + ("; the new plan was dropped (r makes it again)." if dropped else "."),
            markup=False,
        )

    # ---- the planner, in a worker ----------------------------------------

    def request_plan(self) -> None:
        from rebal.tui import session as ss

        session = self.session
        if session is None or session.plan_state == "running":
            return  # an edit resets the state to idle, so a newer request restarts it
        if not session.can_plan:
            self._plan_failed(None, "fix the targets in step 1 first (they must sum to 100%)")
            return
        # A saved plan's trade date can fall out of reach when newer prices are read:
        # rebal plan --trade-date's rule holds here too (the options show it at the field).
        trade_date = session.options.trade_date
        if trade_date is not None:
            from rebal.core.rules import trade_date_problem

            refused = trade_date_problem(trade_date, session.loaded.portfolio.portfolio.as_of)
            if refused is not None:
                self._plan_failed(None, f"{refused}; change it in the options (o)")
                return
        self.session = ss.plan_started(session)
        # Started after the next refresh: a planner thread holding the interpreter
        # would otherwise delay the paint that says "Planning…".
        self.call_after_refresh(self._plan_in_thread, self.session)

    @work(thread=True, exclusive=True, group="planner", exit_on_error=False,
          description="plan the trades")
    def _plan_in_thread(self, session: Session) -> None:
        from rebal.core.planner.types import PlanError
        from rebal.tui import session as ss

        options = ss.plan_options_for(session)
        token = session.plan_token
        try:
            # PlanOptions carries edited targets; edited bands travel in the portfolio.
            portfolio = session.loaded.portfolio
            if session.bands_edited:
                portfolio = portfolio.model_copy(update={"bands": session.bands})
            result = self.planner(portfolio, options)
        except PlanError as error:
            self.call_from_thread(self._plan_failed, token, str(error))
            return
        except Exception as error:  # the worker boundary: show, never crash
            kind = type(error)
            name = kind.__qualname__ if kind.__module__ == "builtins" else (
                f"{kind.__module__}.{kind.__qualname__}"
            )
            self.call_from_thread(
                self._plan_failed, token, f"the planner stopped on an internal error ({name})"
            )
            return
        ss.keep_from_the_collector(portfolio)
        self.call_from_thread(self._plan_done, token, result)

    def _answers_the_running_plan(self, token: object | None) -> bool:
        """A worker's result counts only for the request still running: any edit since
        (targets, bands, options) reset the state, so an older result is stale."""
        session = self.session
        return (
            session is not None and session.plan_state == "running"
            and session.plan_token is token
        )

    def _plan_done(self, token: object | None, plan: Plan) -> None:
        from rebal.tui import session as ss

        session = self.session
        if session is not None and self._answers_the_running_plan(token):
            self.session = ss.plan_finished(session, plan)
            self.refresh_bindings()
            saved = session.saved_plan
            if saved is not None and session.view == "new" and self.session.view == "saved":
                self.notify(
                    f"The new plan makes the same trades as the saved plan of "
                    f"{ss.plan_date(saved)}: that plan stays, with its statuses; nothing to save.",
                    markup=False,
                )
            if self._save_when_planned:
                self._save_when_planned = False
                self.action_save()

    def _plan_failed(self, token: object | None, message: str) -> None:
        """`token` None: refused before any worker started (the targets do not sum)."""
        from rebal.tui import session as ss

        if self.session is not None and (token is None or self._answers_the_running_plan(token)):
            self.session = ss.plan_failed(self.session, message)
            if self._save_when_planned:
                self._save_when_planned = False
                self.notify(
                    f"Not saved: there is no plan to keep the decisions in ({message}).",
                    title="Not saved", severity="error", markup=False,
                )

    # ---- saving, exporting, marking --------------------------------------

    def _save_arguments(self, session: Session) -> dict[str, Any]:
        return {
            "plan": session.plan_to_save,
            "decisions": tuple(session.decisions.values()),
            "targets": dict(session.targets) if session.targets_edited else None,
            "bands": session.bands if session.bands_edited else None,
            "sector_limit": session.sector_limit if session.sector_limit_edited else None,
            "created": self.clock().replace(microsecond=0),
            "snapshot": True,
        }

    def action_save(self) -> None:
        from rebal.store.atomic import FileChangedOnDisk, SaveRefused, ensure_unchanged

        session = self.session
        if session is None:
            return
        if not session.dirty:
            self.notify("Nothing to save: no edits, decisions or new plan yet.", markup=False)
            return
        try:
            ensure_unchanged(session.loaded.path, session.loaded.fingerprint)
        except FileChangedOnDisk as changed:
            self._warn_changed_on_disk(changed.missing, self._rewrite_deleted_file)
            return
        if session.plan is None and session.decisions and session.loaded.portfolio.plan is None:
            # Decisions live in the file's [plan]: compute the plan, then ask as usual.
            self._save_when_planned = True
            self.notify(
                "Holding decisions are saved with a plan: computing the plan first "
                "(step 4's options), then showing what will be written.",
                title="Planning before saving", markup=False,
            )
            self.request_plan()
            return
        arguments = self._save_arguments(session)
        try:
            new_text = self.saver.preview_review(session.loaded, **arguments)
        except (SaveRefused, ValueError) as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return
        from rebal.tui import session as ss
        from rebal.tui.screens.modals import ConfirmScreen
        from rebal.tui.widgets.diff_lines import DiffLines, diff_text

        kept = session.loaded.path in self._backed_up

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._write(arguments)

        # A plan with orders in flight is the user's record: ask before replacing it.
        lost = ss.replacing_saved_plan(session)
        body = Text(f"{lost.explain(starts_sentence=True)}; saving replaces it and loses "
                    "their status.\n\n", style="bold") if lost.needs_consent else Text()
        self.push_screen(
            ConfirmScreen(
                "Replace the saved plan?" if lost.needs_consent
                else f"Save to {session.loaded.path.name}?",
                body
                + what_will_be_written(session, session.loaded.text, new_text, backup_kept=kept),
                yes="Replace and save" if lost.needs_consent else "Save",
                no="Cancel",
                scroll=True,
                default="no" if lost.needs_consent else "yes",
                diff=DiffLines(diff_text(session.loaded.text, new_text, session.loaded.path.name)),
            ),
            answered,
        )

    def _write(self, arguments: Mapping[str, Any]) -> None:
        from rebal.tui import session as ss

        session = self.session
        if session is None:
            return

        def write() -> Loaded:
            written: Loaded = self.saver.save_review(
                session.loaded, **arguments, backup=self._backup_mode(session.loaded.path)
            )
            return written

        def done(loaded: Loaded) -> None:
            self.session = ss.saved(session, loaded)
            self.notify(f"Saved {loaded.path}", title="Saved", markup=False)

        self._write_off_the_ui(write, done, rewrite=self._rewrite_deleted_file)

    def _rewrite_deleted_file(self) -> None:
        """Save the session as the file again, where another program deleted it."""
        session = self.session
        if session is not None:
            self._write({**self._save_arguments(session), "recreate": True})

    # ---- writing in a worker ----------------------------------------------
    # A second rebal saving the same file holds its writer lock; the store waits
    # for it (a few seconds) before refusing. That wait happens in a worker, so
    # the screen keeps drawing and says who it is waiting for.

    _saving = False
    _saving_dialog: Timer | None = None

    def _write_off_the_ui(
        self,
        write: Callable[[], Loaded],
        done: Callable[[Loaded], None],
        rewrite: Callable[[], None] | None = None,
    ) -> None:
        """Run `write` in a worker behind a "Saving…" dialog; `done` gets the file as written.

        The dialog keeps edits out while the write runs: the session it was
        started from is the one the result applies to. `rewrite`, when the file
        turns out deleted, is offered as writing it again.
        """
        if self._saving:
            return
        self._saving = True
        self.refresh_bindings()
        # Shown only when the write takes a moment (waiting for another writer):
        # a dialog flashing on every quick save would only distract.
        self._saving_dialog = self.set_timer(SAVING_DIALOG_AFTER, self._show_saving_dialog)
        self._write_in_thread(write, done, rewrite)

    def _show_saving_dialog(self) -> None:
        from rebal.tui.screens.saving import SavingScreen

        # The timer's tick may arrive after the write ended: then there is nothing to say.
        if self._saving and not isinstance(self.screen, SavingScreen):
            self.push_screen(SavingScreen(self.path))

    @work(thread=True, group="writer", exit_on_error=False, description="write the file")
    def _write_in_thread(
        self,
        write: Callable[[], Loaded],
        done: Callable[[Loaded], None],
        rewrite: Callable[[], None] | None,
    ) -> None:
        from rebal.store.atomic import FileChangedOnDisk, SaveRefused

        try:
            loaded = write()
        except FileChangedOnDisk as changed:
            self.call_from_thread(
                self._write_ended, None, done, None, rewrite if changed.missing else None
            )
        except (SaveRefused, ValueError, OSError) as error:
            self.call_from_thread(self._write_ended, None, done, str(error))
        except Exception as error:  # the worker boundary: show, never crash
            self.call_from_thread(
                self._write_ended, None, done, f"the save failed: {error!r}; nothing was written"
            )
        else:
            self.call_from_thread(self._write_ended, loaded, done, None)

    def _write_ended(
        self,
        loaded: Loaded | None,
        done: Callable[[Loaded], None],
        refused: str | None,
        rewrite: Callable[[], None] | None = None,
    ) -> None:
        """Back on the UI thread: close the dialog, then apply (or explain) the result.
        Neither a file nor a refusal: the file changed on disk (or, with `rewrite`,
        was deleted)."""
        from rebal.tui.screens.saving import SavingScreen

        self._saving = False
        if self._saving_dialog is not None:
            self._saving_dialog.stop()
            self._saving_dialog = None
        if isinstance(self.screen, SavingScreen):
            self.pop_screen()
        if loaded is not None:
            self._backed_up.add(loaded.path)
            done(loaded)
        elif refused is not None:
            self.notify(refused, title="Not saved", severity="error", markup=False)
        else:
            self._warn_changed_on_disk(rewrite is not None, rewrite)
        self.refresh_bindings()

    def _backup_mode(self, path: Path) -> Backup:
        """The session's first write makes the backup; later ones keep it."""
        return "keep" if path in self._backed_up else "replace"

    def _warn_changed_on_disk(
        self, missing: bool = False, rewrite: Callable[[], None] | None = None
    ) -> None:
        from rebal.tui.screens.modals import ConfirmScreen

        if missing and rewrite is not None:
            # Reloading a deleted file fails and drops the edits: offer to write it again.
            def write_again(confirmed: bool | None) -> None:
                if confirmed:
                    rewrite()

            self.push_screen(
                ConfirmScreen(
                    "The file was deleted or moved",
                    Text(
                        f"{self.path} is no longer there: another program deleted or moved "
                        "it since rebal read it. Nothing was written. Write it again (the "
                        "file as rebal read it, with your edits here), or cancel and keep "
                        "reviewing."
                    ),
                    yes="Write it again",
                    no="Cancel",
                ),
                write_again,
            )
            return

        def answered(reload: bool | None) -> None:
            if reload:
                self.open_path(self.path)

        self.push_screen(
            ConfirmScreen(
                "The file changed on disk",
                Text(
                    f"{self.path} was changed by another program since rebal read it.\n"
                    "Nothing was written. Reload it to see the other changes (your unsaved "
                    "edits here are dropped), or cancel and keep reviewing."
                ),
                yes="Reload from disk",
                no="Cancel",
            ),
            answered,
        )

    def action_export_plan(self) -> None:
        from rebal.store.atomic import SaveRefused
        from rebal.tui.export import export_saved_trades, export_trades

        session = self.session
        if session is None:
            return
        saved = session.saved_plan
        if session.plan is None and (saved is None or not session.shows_saved_plan):
            self.notify("There is no plan to export yet (step 4 computes it).", markup=False)
            return
        try:
            accounts = [account.name for account in session.loaded.portfolio.accounts]
            if session.shows_saved_plan and saved is not None:
                written = export_saved_trades(session.loaded.path, saved, self.today, accounts)
            else:
                assert session.plan is not None
                written = export_trades(
                    session.loaded.path, session.plan, self.today, saved, accounts
                )
        except (OSError, SaveRefused) as error:
            self.notify(str(error), title="Not exported", severity="error", markup=False)
            return
        self.notify(f"Trades written to {written}", title="Exported", markup=False)

    def mark_saved_trade(self, index: int, status: TradeStatus) -> None:
        """Record that a saved trade was placed or done; written to the file at once."""
        self.mark_saved_trades({index: status})

    def action_mark_looks_done(self) -> None:
        """Offer to mark done the saved trades that the holdings now show as done."""
        from rebal.present.plan_summary import looks_done_item
        from rebal.tui import session as ss
        from rebal.tui.screens.modals import ConfirmScreen

        session = self.session
        saved = session.loaded.portfolio.plan if session is not None else None
        indexes = ss.looks_done_unmarked(session) if session is not None else ()
        if saved is None or not indexes:
            self.notify("No saved trade looks done that is not marked done already.",
                        markup=False)
            return
        lines = Text()
        for index in indexes:
            trade = saved.trades[index]
            lines.append(safe("  " + looks_done_item(
                index + 1, trade.action, trade.shares, trade.ticker, trade.account, trade.status
            )) + "\n")
        lines.append("\nTheir positions moved by the whole trade since the plan was saved.")

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.mark_saved_trades(dict.fromkeys(indexes, "done"))

        self.push_screen(
            ConfirmScreen("Mark these trades done?", lines, yes="Mark done", no="Cancel",
                          default="yes"),
            answered,
        )

    def mark_saved_trades(self, statuses: Mapping[int, TradeStatus]) -> None:
        """Set saved trades' statuses (by index) and write the file at once."""
        session = self.session
        if session is None:
            return

        def write() -> Loaded:
            written: Loaded = self.saver.mark_trades(
                session.loaded, statuses, backup=self._backup_mode(session.loaded.path)
            )
            return written

        def done(loaded: Loaded) -> None:
            current = self.session if self.session is not None else session
            self.session = replace(current, loaded=loaded)
            marked = ", ".join(f"{index + 1}" for index in sorted(statuses))
            kinds = " / ".join(sorted(set(statuses.values())))
            noun = "Trade" if len(statuses) == 1 else "Trades"
            self.notify(f"{noun} {marked} marked {kinds} (saved)", markup=False)

        self._write_off_the_ui(write, done)

    def action_import_file(self) -> None:
        session = self.session
        if session is None:
            return
        from rebal.tui.screens.import_screen import ImportScreen

        screen = ImportScreen(
            session.loaded, self._backup_mode(session.loaded.path), apply=self.saver.apply_import
        )

        def imported(loaded: Loaded | None) -> None:
            from rebal.present.figures import plural
            from rebal.tui import session as ss

            if loaded is not None and self.session is not None:
                self._backed_up.add(loaded.path)
                self.session = ss.reopened(self.session, loaded)
                self.notify(f"Imported into {loaded.path}", markup=False)
                done = ss.looks_done_unmarked(self.session)
                if done:
                    self.notify(
                        f"{plural(len(done), 'saved trade')} now "
                        f"{'looks' if len(done) == 1 else 'look'} done: ctrl+p, "
                        "\"Mark trades that look done\", marks them.",
                        markup=False,
                    )

        if not session.dirty:
            self.push_screen(screen, imported)
            return
        from rebal.tui.screens.modals import ConfirmScreen

        def answered(go_on: bool | None) -> None:
            if go_on:
                self.push_screen(screen, imported)

        # An import rewrites the file and rebal reads it again: edits not saved are lost.
        self.push_screen(
            ConfirmScreen(
                "Import without saving first?",
                Text("An import updates the file and rebal reads it again, so your unsaved "
                     "edits (targets, bands, decisions, plan) would be lost.\n"
                     "Choose Cancel and press ctrl+s to keep them."),
                yes="Import anyway",
                no="Cancel",
            ),
            answered,
        )

    def action_switch_theme(self, name: str) -> None:
        self.theme = name
        self.notify(f"Theme: {name}", markup=False)

    # ---- command palette -------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from rebal.themes import theme_names

        yield SystemCommand("Open file", "Open another portfolio file", self.action_open_file)
        if self.session is not None:
            yield SystemCommand("Save", "Save the plan and decisions (ctrl+s)", self.action_save)
            yield SystemCommand(
                "Export plan", "Write the trades as CSV next to the file", self.action_export_plan
            )
            yield SystemCommand(
                "Import broker file", "Update holdings from a broker export (i)",
                self.action_import_file,
            )
            yield SystemCommand(
                "New plan", "Plan again with step 4's options; a saved plan stays until saved (r)",
                self.action_new_plan,
            )
            if self.session.saved_plan is not None and not self.session.shows_saved_plan:
                yield SystemCommand(
                    "Back to the saved plan", "Drop the new plan, show the saved one (s)",
                    self.action_show_saved_plan,
                )
            if self.session.loaded.portfolio.plan is not None:
                yield SystemCommand(
                    "Mark trades that look done",
                    "Mark done the saved trades the holdings show as done",
                    self.action_mark_looks_done,
                )
            for number, mode in enumerate(STEP_MODES, start=1):
                yield SystemCommand(
                    f"Jump to step {number}: {mode}",
                    f"Show step {number} ({number})",
                    lambda n=number: self.action_step(n),
                )
            yield SystemCommand(
                "Show drift pane", "Targets, accounts and drift (d)",
                lambda: self.action_panes("drift"),
            )
        else:
            yield SystemCommand("Reopen file", "Read the file again", self.action_reopen)
        for name in theme_names():
            yield SystemCommand(
                f"Switch theme: {name}", "Change the colours",
                lambda n=name: self.action_switch_theme(n),
            )
        yield SystemCommand("Help", "Keys and what this step does (?)", self.action_help)
        yield SystemCommand("Quit", "Quit rebal (asks if unsaved)", self.action_quit)


def what_will_be_written(
    session: Session, old_text: str, new_text: str, *, backup_kept: bool = False
) -> Text:
    """The save in words, above the exact lines, read from the text the diff shows."""
    from rebal.tui import session as ss

    text = Text(ss.save_summary(old_text, new_text) + "\n")
    backup = f"{session.loaded.path.name}.bak"
    text.append(
        f"{backup} keeps the version from before this session's first save. Exact changes:\n\n"
        if backup_kept
        else f"The previous version is kept as {backup}. Exact changes:\n\n"
    )
    return text
