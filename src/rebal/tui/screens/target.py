"""Step 1 — Recall your target mix: targets, bands with their arithmetic, an age hint."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal, get_args

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Static

from rebal.core.numbers import HUNDRED
from rebal.model.portfolio import BandKind
from rebal.tui.format import parse_decimal, plain, safe_text
from rebal.tui.messages import (
    BandKindChosen,
    BandWidthEdited,
    ClassAdded,
    ClassBandEdited,
    TargetEdited,
)
from rebal.tui.screens.base import StepScreen
from rebal.tui.session import (
    Session,
    age_suggestion,
    classes_nothing_holds,
    new_class_problem,
    target_problems,
)
from rebal.tui.widgets.tables import PagingTable, fill_targets, status_colours

EditKind = Literal["target", "override", "width", "class"]
BAND_KINDS: tuple[BandKind, ...] = get_args(BandKind)
BAND_WORDS: dict[BandKind, str] = {
    "relative": "relative, {w}% of each target (seed 001: 20% → 19–21%)",
    "absolute": "absolute, {w} percentage points either side",
    "5/25": "{a}/{r}, the smaller of {a} points and {r}% of the target",
}


def band_policy_text(session: Session) -> Text:
    bands = session.bands
    text = Text("Bands: ", style="bold")
    text.append(BAND_WORDS[bands.kind].format(w=bands.width, a=bands.absolute, r=bands.relative))
    if bands.kind == "relative" and bands.floor:
        text.append(f", never narrower than {bands.floor} points")
    if bands.per_class:
        overrides = ", ".join(f"{name} {width}" for name, width in bands.per_class.items())
        text.append(f"\nPer-class widths: {overrides}")
    # Separate lines, not indented ones: the text wraps in the narrow wide-layout column.
    text.append("\nb changes the kind · w the width · o this class's own width", style="dim")
    return text


class TargetScreen(StepScreen):
    STEP = 1
    TITLE_TEXT = "Recall your target mix"
    HELP = (
        "The target mix is the share of the household you want in each asset class, across\n"
        "all accounts. A class is out of band when it strays past its band. Move to a class\n"
        "with the arrows and press enter (or e) to edit its target; o sets that class's own\n"
        "band width, w the common width, b cycles the band kind, + adds a class (it starts at\n"
        "0%: take its share from the others). Edits are checked as you\n"
        "type (they must sum to 100, none negative) and saved with the plan (ctrl+s)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit('target')", "Edit", id="edit-target",
                tooltip="edit the highlighted class's target (also enter)"),
        Binding("o", "edit('override')", "Band", id="edit-override",
                tooltip="give the highlighted class its own band width"),
        Binding("w", "edit('width')", "Width", show=False, id="edit-width",
                tooltip="the band width every other class uses"),
        Binding("b", "next_band_kind", "Kind", id="band-kind",
                tooltip="cycle the band kind: relative, absolute, 5/25"),
        Binding("plus", "add_class", "Add class", key_display="+", show=False, id="add-class",
                tooltip="add an asset class with a 0% target, then set its target"),
        Binding("escape", "cancel_edit", "Cancel edit", show=False, id="cancel-edit"),
    ]

    editing: EditKind | None = None
    editing_class: str = ""
    # A class just added: its target editor opens once the session has it.
    pending_class: str = ""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(Text("Step 1 — Recall your target mix", style="bold"), classes="title")
            yield Static(
                Text("Your intended share for each class, with the band that tolerates "
                     "drift. enter edits a target, + adds a class."),
                classes="explain",
            )
            # Stacked at 80 columns; side by side when the terminal is wide.
            with Horizontal(classes="pair"):
                with Vertical(classes="half", id="target-left"):
                    yield PagingTable(id="targets", cursor_type="row", zebra_stripes=True)
                    yield Static(id="target-check")
                    # The editor (#editor) is built the first time it opens: see _editor.
                with Vertical(classes="half"):
                    yield Static(id="band-policy")
                    yield Static(id="age-hint")

    def initial_focus(self) -> Widget | None:
        return self.query_one("#targets", DataTable)

    def render_session(self, session: Session) -> None:
        report = session.report()
        fill_targets(
            self.query_one("#targets", DataTable), report,
            status_colours(self.app.current_theme.variables),
        )
        check = target_problems(session.targets, session.loaded.portfolio.cash_class)
        text = Text()
        if check.ok:
            text.append(f"ok: targets sum to {check.total}%", style="bold")
        for error in check.errors:
            text.append(f"! {error}\n", style="bold")
        for note in check.notes:
            text.append(f"\n· {note}")
        for name in classes_nothing_holds(session):
            text.append(
                f"\n· nothing in the file is in {name} yet: add a security of that class "
                "to the file for the plan to buy it"
            )
        self.query_one("#target-check", Static).update(safe_text(text))
        self.query_one("#band-policy", Static).update(safe_text(band_policy_text(session)))
        self._show_age_hint(session)
        if self.pending_class and self.pending_class in session.targets:
            self._edit_new_class(self.pending_class)

    def _edit_new_class(self, name: str) -> None:
        self.pending_class = ""
        table = self.query_one("#targets", DataTable)
        table.move_cursor(row=table.get_row_index(name))
        self.call_later(self.action_edit, "target")

    def _show_age_hint(self, session: Session) -> None:
        from rebal.tui.app import RebalApp

        hint = self.query_one("#age-hint", Static)
        app = self.app
        today = app.today if isinstance(app, RebalApp) else session.loaded.portfolio.portfolio.as_of
        suggestion = age_suggestion(session.loaded.portfolio.portfolio.birth_year, today)
        if suggestion is None:
            hint.display = False
            return
        hint.display = True
        text = Text("Age-based suggestion  ", style="bold")
        text.append(f"{suggestion.rule}\n")
        text.append(suggestion.explanation)
        hint.update(text)

    # ---- editing ----------------------------------------------------------

    def _highlighted_class(self) -> str | None:
        table = self.query_one("#targets", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value)

    @on(DataTable.RowSelected, "#targets")
    async def _row_chosen(self) -> None:
        await self.action_edit("target")

    async def action_edit(self, kind: EditKind) -> None:
        session = self.session
        if session is None:
            return
        name = self._highlighted_class() or ""
        value: Decimal | None
        if kind == "target":
            label, value = f"Target for {name} (%)", session.targets.get(name, Decimal(0))
        elif kind == "override":
            override = session.bands.per_class.get(name)
            label = f"Band width for {name} (empty: the common {session.bands.width})"
            value = override if override is not None else None
        elif kind == "class":
            label, value = "Name of the new class", None
        else:
            label, value = "Common band width", session.bands.width
        self.editing, self.editing_class = kind, name
        editor, label_widget, field, problem = await self._editor()
        label_widget.update(plain(label + ": "))
        field.value = "" if value is None else str(value)
        field.placeholder = "e.g. Real Estate" if kind == "class" else "a number, e.g. 20"
        problem.update(Text("enter applies it, escape cancels", style="dim"))
        editor.remove_class("hidden")
        field.focus()

    async def _editor(self) -> tuple[Widget, Label, Input, Static]:
        """The editor under the targets table, its label, field and problem line.

        Built the first time it opens: most visits to step 1 never edit, and the
        Input with its row cost step 1 ~18 ms to build and style (a tenth of a bare
        Textual app's start-up). It is awaited so that the field can take focus.
        """
        try:
            editor = self.query_one("#editor")
        except NoMatches:
            label = Label("", id="edit-label")
            field = Input(id="edit-value", placeholder="a number, e.g. 20")
            problem = Static(id="edit-problem")
            editor = Vertical(
                Horizontal(label, field, classes="field"), problem, id="editor", classes="hidden"
            )
            await self.query_one("#target-left").mount(editor)
            return editor, label, field, problem
        return (
            editor,
            editor.query_one("#edit-label", Label),
            editor.query_one("#edit-value", Input),
            editor.query_one("#edit-problem", Static),
        )

    def action_cancel_edit(self) -> None:
        self.editing = None
        for editor in self.query("#editor"):
            editor.add_class("hidden")
        self.query_one("#targets", DataTable).focus()

    def _problem(self, raw: str) -> tuple[Decimal | None, str]:
        """The typed value, or why it cannot be used (shown under the field as you type)."""
        if self.editing == "override" and not raw.strip():
            return None, ""
        if self.editing == "class":
            session = self.session
            return None, new_class_problem(session, raw) if session is not None else ""
        value = parse_decimal(raw)
        if value is None:
            return None, "type a number such as 20 or 12.5"
        if value < 0:
            return None, "cannot be negative"
        if value > HUNDRED:
            return None, "cannot be more than 100"
        return value, ""

    @on(Input.Changed, "#edit-value")
    def _live_check(self, event: Input.Changed) -> None:
        value, problem = self._problem(event.value)
        line = plain(problem and f"! {problem}", "bold")
        session = self.session
        if not problem and self.editing == "class":
            line = Text("enter adds it with a 0% target; you set the target next")
        elif not problem and self.editing == "target" and session is not None \
                and value is not None:
            trial = dict(session.targets)
            trial[self.editing_class] = value
            check = target_problems(trial, session.loaded.portfolio.cash_class)
            line = Text(f"targets would sum to {check.total}%" + ("" if check.ok else " (not 100)"))
        self.query_one("#edit-problem", Static).update(line)

    @on(Input.Submitted, "#edit-value")
    def _submitted(self, event: Input.Submitted) -> None:
        value, problem = self._problem(event.value)
        if problem:
            self.query_one("#edit-problem", Static).update(plain(f"! {problem}", "bold"))
            return
        if self.editing == "target" and value is not None:
            self.post_message(TargetEdited(self.editing_class, value))
        elif self.editing == "override":
            self.post_message(ClassBandEdited(self.editing_class, value))
        elif self.editing == "width" and value is not None:
            self.post_message(BandWidthEdited(value))
        elif self.editing == "class":
            self.pending_class = event.value.strip()
            self.post_message(ClassAdded(self.pending_class))
        self.action_cancel_edit()

    async def action_add_class(self) -> None:
        await self.action_edit("class")

    def action_next_band_kind(self) -> None:
        if self.session is None:
            return
        index = BAND_KINDS.index(self.session.bands.kind)
        self.post_message(BandKindChosen(BAND_KINDS[(index + 1) % len(BAND_KINDS)]))
