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
from rebal.model.constants import MAX_DECIMAL_PLACES
from rebal.model.portfolio import BandKind
from rebal.present.figures import as_written, money
from rebal.present.styled import plain
from rebal.present.terminal import safe
from rebal.tui.messages import (
    BandKindChosen,
    BandWidthEdited,
    ClassAdded,
    ClassBandEdited,
    SessionEdited,
    TargetEdited,
)
from rebal.tui.parse import parse_decimal
from rebal.tui.screens.base import PAGE_KEYS, StepScreen
from rebal.tui.screens.modals import ConfirmScreen
from rebal.tui.session import (
    apply_stock_share,
    new_class_problem,
    remove_class,
    set_band_floor,
    target_problems,
    targets_for_stock_share,
)
from rebal.tui.view import View, view_of
from rebal.tui.widgets.age_hint import AgeHint
from rebal.tui.widgets.band_policy import BandPolicy
from rebal.tui.widgets.target_check import TargetCheck
from rebal.tui.widgets.targets_table import TargetsTable

EditKind = Literal["target", "override", "width", "floor", "class"]
BAND_KINDS: tuple[BandKind, ...] = get_args(BandKind)


class TargetScreen(StepScreen):
    STEP = 1
    TITLE_TEXT = "Recall your target mix"
    HELP = (
        "The target mix is the share of the household you want in each asset class, across\n"
        "all accounts. A class is out of band when it strays past its band. Move to a class\n"
        "with the arrows and press enter (or e) to edit its target; o sets that class's own\n"
        "band width, w the common width, f the floor of relative bands, b cycles the band\n"
        "kind (each class's own width is converted so its band stays), + adds a class\n"
        "(it starts at 0%: take its share from the others), x deletes one (after asking).\n"
        "With a birth year in the file, g copies the age-based stocks/bonds split into the\n"
        "targets after showing what would change. Edits are checked as you type (they must\n"
        "sum to 100, none negative) and saved with the plan (ctrl+s)."
    )
    KEYS_LINE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit('target')", "Edit", show=False, id="edit-target",
                tooltip="edit the highlighted class's target (also enter)"),
        Binding("o", "edit('override')", "Own band", show=False, id="edit-override",
                tooltip="give the highlighted class its own band width"),
        Binding("w", "edit('width')", "Width", show=False, id="edit-width",
                tooltip="the band width every other class uses"),
        Binding("f", "edit('floor')", "Floor", show=False, id="edit-floor",
                tooltip="the narrowest a relative band may be, in points"),
        Binding("b", "next_band_kind", "Kind", show=False, id="band-kind",
                tooltip="cycle the band kind: relative, absolute, 5/25"),
        Binding("plus", "add_class", "Add", key_display="+", show=False, id="add-class",
                tooltip="add an asset class with a 0% target, then set its target"),
        Binding("x", "delete_class", "Delete", show=False, id="delete-class",
                tooltip="delete the highlighted class (asks first)"),
        Binding("g", "apply_age_mix", "Age mix", show=False, id="apply-age",
                tooltip="copy the age-based stocks/bonds split into the targets (asks first)"),
        Binding("escape", "cancel_edit", "Cancel edit", show=False, id="cancel-edit"),
        *PAGE_KEYS,
    ]
    SLICES = ("classes", "target_check", "band_policy", "age")

    editing: EditKind | None = None
    editing_class: str = ""
    # A class just added: its target editor opens once the session has it.
    pending_class: str = ""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(Text("Step 1 — Recall your target mix", style="bold"), classes="title")
            yield Static(
                Text("Your intended share for each class, with the band that tolerates "
                     "drift. enter edits a target; every key is listed at the bottom."),
                classes="explain",
            )
            # Stacked at 80 columns; side by side when the terminal is wide.
            with Horizontal(classes="pair"):
                with Vertical(classes="half", id="target-left"):
                    yield TargetsTable(id="targets")
                    yield TargetCheck(id="target-check")
                    # The editor (#editor) is built the first time it opens: see _editor.
                with Vertical(classes="half"):
                    yield BandPolicy(id="band-policy")
                    yield AgeHint(id="age-hint")

    def initial_focus(self) -> Widget | None:
        return self.query_one("#targets", DataTable)

    def show(self, view: View) -> None:
        self.query_one(TargetsTable).class_rows = view.classes
        self.query_one(TargetCheck).data = view.target_check
        self.query_one(BandPolicy).data = view.band_policy
        self.query_one(AgeHint).data = view.age
        if self.pending_class and self.pending_class in view.session.targets:
            self._edit_new_class(self.pending_class)

    def _edit_new_class(self, name: str) -> None:
        self.pending_class = ""
        table = self.query_one("#targets", DataTable)
        table.move_cursor(row=table.get_row_index(name))
        self.call_later(self.action_edit, "target")

    def action_apply_age_mix(self) -> None:
        session = self.session
        if session is None:
            return
        age = view_of(session, self.today()).age
        if age is None:
            self.notify("No birth year in the file, so there is no age-based suggestion.",
                        markup=False)
            return
        suggestion = age.suggestion
        stocks = age.stocks_suggested
        proposed = targets_for_stock_share(session, stocks)
        if proposed is None:
            self.notify("Cannot apply it: the targets need at least one stock class and one "
                        "bond or cash class to scale.", severity="warning", markup=False)
            return
        if proposed == dict(session.targets):
            self.notify("The targets already have the age-based split.", markup=False)
            return
        body = Text(f"Stock classes to {as_written(stocks)}% together, bonds and cash to "
                    f"{as_written(suggestion.bonds)}%, each class keeping its proportion:\n\n")
        for name, before in session.targets.items():
            after = proposed[name]
            mark = "  " if after == before else "→ "
            change = f"{as_written(before):>6}% → {as_written(after):>6}%"
            body.append(f"{mark}{safe(name):<28} {change}\n",
                        style="bold" if after != before else "")
        body.append("\nNothing is saved until ctrl+s.")

        def answered(apply: bool | None) -> None:
            if apply:
                self.post_message(SessionEdited(lambda s: apply_stock_share(s, stocks)))

        self.app.push_screen(
            ConfirmScreen("Apply the age-based split?", body, yes="Apply", no="Cancel"),
            answered,
        )

    def action_delete_class(self) -> None:
        session = self.session
        name = self._highlighted_class()
        if session is None or name is None:
            return
        if name not in session.targets:
            self.notify(f"{safe(name)} has no target to delete.", markup=False)
            return
        target = session.targets[name]
        held = next((row.value for row in session.report().classes
                     if row.asset_class == name), Decimal(0))
        currency = session.loaded.portfolio.portfolio.currency
        body = Text(f"Delete the class {safe(name)} and its {as_written(target)}% target?\n")
        if held:
            body.append(
                f"\nThe household holds {money(held, currency)} in it. Once deleted, "
                "those securities count as untargeted: a 0% class, so all of it shows "
                "as drift and a plan would sell it.\n", style="bold",
            )
        if target:
            body.append(f"\nThe targets will then sum to {as_written(HUNDRED - target)}%: "
                        "give its share to the other classes before planning.\n")
        body.append("\nNothing is saved until ctrl+s.")

        def answered(delete: bool | None) -> None:
            if delete:
                self.post_message(SessionEdited(lambda s: remove_class(s, name)))

        self.app.push_screen(
            ConfirmScreen(f"Delete {safe(name)}?", body, yes="Delete", no="Cancel"), answered
        )

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
        elif kind == "floor":
            label = "Band floor, percentage points (relative bands are never narrower)"
            value = session.bands.floor
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
        # Focus brings only the field into view; at 80x24 the problem line under it,
        # the one answer to a refused value, would stay below the footer.
        self.call_after_refresh(editor.scroll_visible, animate=False)

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
            return None, (
                f"type a number such as 20 or 12.5, at most {MAX_DECIMAL_PLACES} decimal places"
            )
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
        elif self.editing == "floor" and value is not None:
            floor = value
            self.post_message(SessionEdited(lambda s: set_band_floor(s, floor)))
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
