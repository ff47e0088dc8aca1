"""The step indicator `1 Target · 2 Compare · 3 Misalignment · 4 Rebalance`, clickable."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Click
from textual.widgets import Static

STEPS: tuple[tuple[str, str], ...] = (
    ("target", "Target"),
    ("compare", "Compare"),
    ("misalignment", "Misalignment"),
    ("rebalance", "Rebalance"),
)


class StepLink(Static):
    DEFAULT_CSS = """
    StepLink { width: auto; padding: 0 1; }
    StepLink:hover { text-style: underline; }
    StepLink.-current { text-style: bold reverse; }
    """

    def __init__(self, number: int, title: str, current: bool) -> None:
        # Brackets mark the current step without relying on colour.
        label = f"[{number} {title}]" if current else f" {number} {title} "
        super().__init__(Text(label), classes="-current" if current else "")
        self.number = number

    async def on_click(self, event: Click) -> None:
        event.stop()
        await self.app.run_action(f"step({self.number})")


class StepBar(Horizontal):
    DEFAULT_CSS = """
    StepBar { height: 1; padding: 0 1; }
    StepBar .sep { width: auto; }
    """

    def __init__(self, current: int) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        for index, (_, title) in enumerate(STEPS, start=1):
            if index > 1:
                yield Static("·", classes="sep")
            yield StepLink(index, title, index == self.current)
