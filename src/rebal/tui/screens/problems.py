"""Shown instead of the steps when the file cannot be used: every problem, where, and why."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from rebal.present.styled import plain
from rebal.present.terminal import safe
from rebal.problems import Problem


def describe(problems: tuple[Problem, ...]) -> Text:
    """One short block per problem: where (line · dotted key), what, and the fix."""
    text = Text()
    first_file = problems[0].file if problems else None
    for number, problem in enumerate(problems, start=1):
        where = [] if problem.file == first_file else [str(problem.file)]
        if problem.line is not None:
            where.append(f"line {problem.line}")
        if problem.path:
            where.append(problem.path)
        # The file's name, keys and quoted values, escaped before rich drops BEL and CR.
        text.append(safe(f"{number}. {' · '.join(where) or 'the whole file'}"), style="bold")
        text.append(f"  ({problem.severity})\n")
        text.append(safe(f"   {problem.message}") + "\n")
        if problem.hint:
            text.append(safe(f"   fix: {problem.hint}") + "\n")
    return text


class ProblemsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "app.reopen", "Reopen", id="reopen", tooltip="Read the file again"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="problems-title")
        with VerticalScroll(id="problems-list"):
            yield Static(id="problems")
        yield Static(
            Text("Fix these in your editor, save, then press r to reopen. q quits."),
            id="problems-next",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "problems", self._show, init=True)

    def _show(self, problems: tuple[Problem, ...]) -> None:
        if not problems:
            return
        count = len(problems)
        title = plain(
            f"{problems[0].file} cannot be opened: {count} problem{'s' if count != 1 else ''}",
            style="bold",
        )
        self.query_one("#problems-title", Static).update(title)
        self.query_one("#problems", Static).update(describe(problems))
