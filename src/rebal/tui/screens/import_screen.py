"""Import broker exports from inside the app: pick files, read the change, confirm.

The screen shows exactly what `rebal import --dry-run` prints (the same
`describe` lines) and writes only when the user presses Apply. It returns the
file as re-loaded after the write, or None when cancelled. Account matching
is the CLI's: what cannot be told by broker id or name is listed with the
choices, and the user answers in the "accounts" field (`Name=BROKER-ID` or
`skip BROKER-ID`, several separated by `;`). Every file name, account name and message is shown
as plain text, never parsed as markup.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, DirectoryTree, Input, Label, Static
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from rebal.importers import ImportResult, read_each_export
from rebal.present.styled import plain, safe_text
from rebal.present.terminal import is_safe
from rebal.problems import Problem
from rebal.store.apply_import import (
    NOTHING_IMPORTED,
    ImportPlan,
    ImportRefused,
    SaveRefused,
    apply_import,
    describe,
    match_accounts,
    parse_account_mappings,
    prepare_import,
)
from rebal.store.atomic import Backup, lock_holder
from rebal.store.load import Loaded
from rebal.tui.screens.saving import LOOK_SECONDS, waiting_words
from rebal.tui.services import ExportReader, ImportWriter

ACCOUNTS_FIELD = "Accounts"  # the label of the field that answers which account is which


class PlainDirectoryTree(DirectoryTree):
    """Folders and files marked with characters every terminal font has (not emoji), and
    their names shown terminal-safe (a file name can hold an escape sequence)."""

    ICON_NODE_EXPANDED = "▼ "
    ICON_NODE = "▶ "
    ICON_FILE = "  "

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        return safe_text(super().render_label(node, base_style, style))


class ImportScreen(ModalScreen[Loaded | None]):
    # Compact inputs and buttons, and the tree and the change sharing the rest,
    # so the change stays readable at 80x24.
    DEFAULT_CSS = """
    ImportScreen {
        align: center middle;
    }
    ImportScreen #import-box {
        background: $surface;
        border: round $primary;
        padding: 0 1;
        width: 95%;
        max-width: 120;
        height: 95%;
    }
    ImportScreen Input {
        margin-bottom: 1;
    }
    ImportScreen .import-field {
        text-style: bold;
    }
    ImportScreen #import-tree {
        height: 1fr;
        min-height: 3;
        margin-bottom: 1;
    }
    ImportScreen #import-diff-scroll {
        height: 2fr;
        min-height: 5;
        border: round $panel;
    }
    ImportScreen .import-buttons {
        height: auto;
        align-horizontal: right;
    }
    ImportScreen .import-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="import-cancel"),
    ]

    def __init__(
        self,
        loaded: Loaded,
        backup: Backup = "replace",
        *,
        read_exports: ExportReader = read_each_export,
        apply: ImportWriter = apply_import,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.backup: Backup = backup
        self.read_exports = read_exports
        self.apply = apply
        self.plan: ImportPlan | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Label(plain(f"Import broker exports into {self.loaded.path.name}", "bold"))
            yield Label("Export files", classes="import-field")
            yield Input(
                placeholder='separated by spaces; quote a name with spaces: "My Positions.csv"',
                id="import-paths",
                compact=True,
            )
            yield PlainDirectoryTree(self.loaded.path.parent, id="import-tree")
            yield Label(f"{ACCOUNTS_FIELD} (only if the preview asks)", classes="import-field")
            yield Input(
                placeholder='"Roth IRA"=Z23456789; skip 87654',
                id="import-accounts",
                compact=True,
            )
            with VerticalScroll(id="import-diff-scroll"):
                yield Static(
                    Text("Pick a file (enter on the tree adds it), then press Preview."),
                    id="import-diff",
                )
            with Horizontal(classes="import-buttons"):
                yield Button("Preview", id="import-preview", compact=True)
                yield Button(
                    "Apply", id="import-apply", variant="primary", disabled=True, compact=True
                )
                yield Button("Cancel", id="import-cancel-button", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-paths", Input).focus()

    # ---- picking files ---------------------------------------------------

    @on(DirectoryTree.FileSelected)
    def _file_picked(self, event: DirectoryTree.FileSelected) -> None:
        paths = self.query_one("#import-paths", Input)
        if not is_safe(str(event.path)):
            # The field would show the name raw; an export is never named like this.
            self._show(plain(f"{event.path}: the name holds control characters; rename the "
                             "file to import it"))
            return
        chosen = self._paths()
        if event.path not in chosen:
            chosen.append(event.path)
        paths.value = " ".join(shlex.quote(str(p)) for p in chosen)
        self.preview()

    def _paths(self) -> list[Path]:
        raw = self.query_one("#import-paths", Input).value
        try:
            words = shlex.split(raw)
        except ValueError:  # an unclosed quote: take the words as typed
            words = raw.split()
        base = self.loaded.path.parent
        return [p if p.is_absolute() else base / p for p in map(Path, words)]

    # ---- preview and apply -----------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-preview")
    def _preview_requested(self) -> None:
        self.preview()

    def preview(self) -> None:
        """Read the chosen files in a worker and show the change; Apply is enabled only
        when it is safe. Reading and parsing big exports never freezes the screen."""
        self.plan = None
        self.query_one("#import-apply", Button).disabled = True
        paths = self._paths()
        if not paths:
            self._show(Text("Type or pick at least one export file."))
            return
        self._request += 1
        self._show(Text(f"Reading {len(paths)} file{'s' * (len(paths) != 1)}…"))
        self._preview_in_thread(self._request, paths, self._answers())

    _request = 0  # which preview is current: an older worker's answer is dropped

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False,
          description="read the exports")
    def _preview_in_thread(
        self, request: int, paths: list[Path], answers: tuple[list[str], list[str]]
    ) -> None:
        outcome = self._prepare(paths, answers)
        self.app.call_from_thread(self._previewed, request, outcome)

    def _prepare(
        self, paths: list[Path], answers: tuple[list[str], list[str]]
    ) -> ImportPlan | Text:
        """The import plan for `paths`, or what to show instead (runs in the worker)."""
        results: list[ImportResult] = []
        problems: list[Problem] = []
        # The app's clock, not the computer's: an export dated after it is refused.
        today = getattr(self.app, "today", None)
        for _, outcome in self.read_exports(paths, today=today):
            if isinstance(outcome, ImportResult):
                results.append(outcome)
            else:
                problems.extend(outcome.problems)
        if problems:
            return problems_text(problems, "Nothing can be imported until these are fixed:")
        try:
            pairs, skip = answers
            # Refusals name the field the answers are typed in, not the CLI's --account.
            mapping = parse_account_mappings(pairs, answered_in=f"{ACCOUNTS_FIELD} field")
            matches = match_accounts(
                self.loaded, results, mapping, skip, answered_in=f"the {ACCOUNTS_FIELD} field"
            )
        except ValueError as error:
            return Text(str(error))
        except ImportRefused as error:
            # Only which account is which can be answered here.
            return problems_text(
                error.problems,
                "The import needs an answer first. Type it in the accounts field: "
                "Name=BROKER-ID to import into that account, skip BROKER-ID to leave "
                "it out; separate answers with ;",
            )
        try:
            return prepare_import(self.loaded, results, matches)
        except ImportRefused as error:
            # The portfolio file must change first (typed lots, say): no answer fixes it.
            return problems_text(
                error.problems, "Nothing can be imported until these are fixed:"
            )

    def _previewed(self, request: int, outcome: ImportPlan | Text) -> None:
        if request != self._request or not self.is_attached:
            return  # a newer preview was asked for, or the screen was closed
        if isinstance(outcome, Text):
            self._show(outcome)
            return
        self.plan = plan = outcome
        text = Text("\n".join(describe(plan)))
        if plan.changes_anything:
            text.append("\n\nPress Apply to write this into the file, or escape to cancel.")
            self.query_one("#import-apply", Button).disabled = False
        elif plan.imports_nothing:
            text.append(f"\n\n{NOTHING_IMPORTED[0].upper()}{NOTHING_IMPORTED[1:]}.")
        else:
            text.append("\n\nThe file is already up to date: nothing to apply.")
        self._show(text)

    def _answers(self) -> tuple[list[str], list[str]]:
        """The accounts field: `Name=ID` mappings and `skip ID` entries, separated by `;`."""
        raw = self.query_one("#import-accounts", Input).value
        pairs: list[str] = []
        skip: list[str] = []
        for part in (p.strip() for p in raw.split(";")):
            if not part:
                continue
            if "=" not in part and part.lower().startswith("skip "):
                skip.append(part[len("skip ") :].strip())
            else:
                pairs.append(part)
        return pairs, skip

    @on(Button.Pressed, "#import-apply")
    def _apply(self) -> None:
        """Write in a worker: a second rebal saving the same file holds its writer lock,
        and the store waits for it (a few seconds) before refusing. The screen keeps
        drawing meanwhile and names the process it waits for."""
        if self.plan is None or self._writing is not None:
            return
        self.query_one("#import-apply", Button).disabled = True
        self._show(waiting_words(self.loaded.path.name, None))
        self._writing = self.set_interval(LOOK_SECONDS, self._look_at_the_lock)
        self._apply_in_thread(self.plan)

    _writing: Timer | None = None  # while the write runs: looks at the file's writer lock

    def _look_at_the_lock(self) -> None:
        self._show(waiting_words(self.loaded.path.name, lock_holder(self.loaded.path)))

    @work(thread=True, exclusive=True, group="import-apply", exit_on_error=False,
          description="write the import")
    def _apply_in_thread(self, plan: ImportPlan) -> None:
        try:
            loaded: Loaded | str = self.apply(plan, backup=self.backup)
        except (SaveRefused, ValueError, OSError) as error:
            loaded = f"Not written: {error}"
        except Exception as error:  # the worker boundary: show, never crash
            loaded = f"Not written: the import failed ({error!r}); the file is as it was"
        self.app.call_from_thread(self._applied, loaded)

    def _applied(self, loaded: Loaded | str) -> None:
        if self._writing is not None:
            self._writing.stop()
            self._writing = None
        if isinstance(loaded, str):
            self._show(Text(loaded))
            return
        self.dismiss(loaded)

    def action_cancel(self) -> None:
        if self._writing is not None:
            return  # the write is under way: its result applies when it ends
        self.dismiss(None)

    @on(Button.Pressed, "#import-cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # ---- output ----------------------------------------------------------

    def _show(self, text: Text) -> None:
        # File names, broker account names and messages quoting the export's cells.
        self.query_one("#import-diff", Static).update(safe_text(text))


def problems_text(problems: list[Problem], heading: str) -> Text:
    text = Text(heading + "\n", style="bold")
    for problem in problems:
        text.append(f"\n{problem}\n")
    return text
