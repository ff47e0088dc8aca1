"""The step's own keys, one wrapping line above the footer, built from its bindings.

Textual's footer is one row: at 80 columns it cuts a step's keys off after the
first few. This line lists every key the step binds (with the label its binding
carries), so nothing is hidden and no label can disagree with what a key does.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static


def step_keys(bindings: Iterable[BindingType]) -> Text:
    """'e Edit · o Own band · …' from `bindings` (escape only leaves a field: left out)."""
    text = Text()
    for binding in bindings:
        if not isinstance(binding, Binding) or binding.key == "escape" or not binding.description:
            continue
        if text:
            text.append(" · ", style="dim")
        # No-break spaces: an entry wraps as a whole, never "g Age" / "mix".
        text.append(binding.key_display or binding.key.split(",")[0], style="bold")
        text.append("\u00a0" + binding.description.replace(" ", "\u00a0"))
    return text


class StepKeys(Static):
    DEFAULT_CSS = """
    StepKeys { height: auto; padding: 0 1; background: $panel; }
    """

    def __init__(self, bindings: Iterable[BindingType]) -> None:
        super().__init__(step_keys(bindings), id="step-keys")
