"""The step's own keys, in lines above the footer, built from its bindings.

Textual's footer is one row: at 80 columns it cuts a step's keys off after the
first few. This widget lists every key the step binds (with the label its binding
carries), so nothing is hidden and no label can disagree with what a key does.
Entries wrap as a whole ("g Age mix", never "g Age" / "mix").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import Static

SEPARATOR = " · "
UNLIMITED = 10**6  # cells: every entry on one line


def key_entries(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(key, label) for each binding (escape, which only leaves a field, is left out)."""
    entries = []
    for binding in bindings:
        if not isinstance(binding, Binding) or binding.key == "escape" or not binding.description:
            continue
        entries.append((binding.key_display or binding.key.split(",")[0], binding.description))
    return entries


def step_keys(entries: list[tuple[str, str]], width: int) -> Text:
    """The entries packed into lines of at most `width` cells."""
    text = Text()
    used = 0
    for key, label in entries:
        size = len(key) + 1 + len(label)
        if used and used + len(SEPARATOR) + size > width:
            text.append("\n")
            used = 0
        elif used:
            text.append(SEPARATOR, style="dim")
            used += len(SEPARATOR)
        text.append(key, style="bold")
        text.append(f" {label}")
        used += size
    return text


class StepKeys(Static):
    """The keys packed into the width the layout gives this widget (not the terminal's:
    beside a side pane, or in a narrow container, it has fewer columns)."""

    DEFAULT_CSS = """
    StepKeys { height: auto; padding: 0 1; background: $panel; }
    """

    def __init__(
        self, bindings: Iterable[BindingType], extra: Iterable[tuple[str, str]] = ()
    ) -> None:
        self.entries = self._every = key_entries(bindings) + list(extra)
        super().__init__(id="step-keys")

    def leave_out(self, keys: Collection[str]) -> None:
        """List every entry but those of `keys`: keys the step does not offer for now."""
        entries = [entry for entry in self._every if entry[0] not in keys]
        if entries != self.entries:
            self.entries = entries
            if self.is_mounted:
                self._pack(self.content_size.width)

    def on_mount(self) -> None:
        # Not laid out yet: one line until the first Resize gives this widget its width.
        self._pack(self.content_size.width)

    def on_resize(self, event: Resize) -> None:
        # The event's size is the widget's whole region: the keys go inside its padding.
        self._pack(event.size.width - self.styles.gutter.width)

    def _pack(self, width: int) -> None:
        """Pack into `width` cells (0: no width known yet, so one line)."""
        self.update(step_keys(self.entries, max(20, width) if width > 0 else UNLIMITED))
