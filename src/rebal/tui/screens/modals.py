"""Small modal screens: help, yes/no confirmations, open another file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from rebal.present.styled import plain, safe_text
from rebal.present.terminal import safe
from rebal.tui.screens.base import StepScreen
from rebal.tui.widgets.diff_lines import DiffLines


def _bindings_help(screen: Screen[Any]) -> Table:
    """Every active key with its description: rebal's own keys first, then the widget's.

    Two columns, so a description that wraps at 80 columns stays under its own start
    instead of running on under the keys.
    """
    keys_column = Table.grid()
    keys_column.add_column(style="bold", no_wrap=True, min_width=14)
    keys_column.add_column()
    seen: set[str] = set()
    bindings = [active.binding for active in screen.active_bindings.values()]
    # Bindings rebal declares carry an id; Textual's built-in ones (cursor keys) do not.
    ordered = sorted(bindings, key=lambda b: b.id is None)
    for binding in ordered:
        if not binding.description or binding.action in seen or binding.system:
            continue
        seen.add(binding.action)
        keys = binding.key_display or screen.app.get_key_display(binding)
        description = Text(binding.description)
        if binding.tooltip:
            description.append(f" — {binding.tooltip}")
        keys_column.add_row(Text(f"  {keys}  "), description)
    return keys_column


# Step lines fit the help box at 80 columns; the paragraph after them flows.
GENERAL_HELP = (
    "rebal walks the four steps of a review across all your accounts:\n"
    "  1 Target        the target mix and the tolerance bands\n"
    "  2 Compare       current against target, as bars and numbers\n"
    "  3 Misalignment  stocks/bonds, style box, sectors, holdings\n"
    "  4 Rebalance     the trades that bring you back, then save\n"
)
GENERAL_KEYS = (
    "Move with n / p, the keys 1-4, or click the step names. d (drift), t (targets) "
    "and a (accounts) open the always-available panes. ctrl+p opens the command palette. "
    "tab moves to the next table or field and the page scrolls to follow it."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss", "Close", id="close-help"),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="modal-box"):
            title = Text("Help", style="bold")
            title.append("  (arrows scroll, escape closes)", style="")
            yield Label(title)
            if isinstance(self.under, StepScreen):
                yield Static(Text(f"Step {self.under.STEP}: {self.under.TITLE_TEXT}",
                                  style="bold"))
                # HELP is one paragraph written across source lines: let it flow.
                yield Static(Text(" ".join(self.under.HELP.split())))
                yield Static("")
            yield Static(Text(GENERAL_HELP))
            yield Static(Text(GENERAL_KEYS))
            yield Label(Text("Keys here", style="bold"))
            yield Static(_bindings_help(self.under))
            yield Static(Text("escape closes this help."))


class ConfirmScreen(ModalScreen[bool]):
    """A question with what it implies, answered by a button, y/n or escape.

    The default answer (Cancel unless `default="yes"`) is the button drawn as
    primary and the one focused, so Enter presses what the dialog shows as
    the default. A scrolling body scrolls with the arrows and PgUp/PgDn from
    the start, whichever button has focus.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Cancel", id="confirm-no"),
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("up", "scroll_body('up')", "Scroll up", show=False, id="confirm-up"),
        Binding("down", "scroll_body('down')", "Scroll down", show=False, id="confirm-down"),
        Binding("pageup", "scroll_body('page_up')", "Page up", show=False, id="confirm-pgup"),
        Binding(
            "pagedown", "scroll_body('page_down')", "Page down", show=False, id="confirm-pgdn"
        ),
        Binding("home", "scroll_body('home')", "Top", show=False, id="confirm-home"),
        Binding("end", "scroll_body('end')", "Bottom", show=False, id="confirm-end"),
    ]

    def __init__(
        self,
        title: str,
        body: Text,
        *,
        yes: str,
        no: str,
        scroll: bool = False,
        default: Literal["yes", "no"] = "no",
        diff: DiffLines | None = None,
    ) -> None:
        super().__init__()
        # Bodies quote file names, class names and the file's own lines.
        self.title_text = title
        self.body = safe_text(body)
        self.diff = diff  # the exact lines a save changes, under the body
        self.yes = yes
        self.no = no
        self.scroll = scroll
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="confirm-box"):
            yield Label(plain(self.title_text, "bold"))
            if self.scroll:
                with VerticalScroll(id="confirm-body"):
                    if self.diff is None:
                        yield Static(self.body)
                    else:  # one blank line between the words and the lines
                        words = self.body.copy()
                        words.rstrip()
                        yield Static(words.append("\n"))
                        yield Static(self.diff, id="confirm-diff")
            else:
                yield Static(self.body)
            with Horizontal(classes="buttons"):
                # Compact: Textual's default button edges are block glyphs (`tall`),
                # which break up in some terminal fonts.
                yield Button(f"{self.yes} (y)", id="yes", variant=self._variant("yes"),
                             compact=True)
                yield Button(f"{self.no} (n)", id="no", variant=self._variant("no"),
                             compact=True)

    def _variant(self, answer: str) -> Literal["primary", "default"]:
        return "primary" if answer == self.default else "default"

    def on_mount(self) -> None:
        self.query_one(f"#{self.default}", Button).focus()

    def action_scroll_body(self, how: str) -> None:
        if not self.scroll:
            return
        body = self.query_one("#confirm-body", VerticalScroll)
        moves = {
            "up": body.scroll_up,
            "down": body.scroll_down,
            "page_up": body.scroll_page_up,
            "page_down": body.scroll_page_down,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }
        moves[how](animate=False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class OpenFileScreen(ModalScreen[Path | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="open-cancel"),
    ]

    def __init__(self, current: Path) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="open-box"):
            yield Label(Text("Open a portfolio file", style="bold"))
            # A name that would drive the terminal is shown escaped, not as the value.
            shown = str(self.current)
            yield Input(shown if safe(shown) == shown else "", placeholder=safe(shown),
                        id="open-path")
            yield Static(Text("enter opens it, escape cancels"), id="open-problem")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not path.is_file():
            self.query_one("#open-problem", Static).update(plain(f"{path}: no such file"))
            return
        self.dismiss(path)
