"""The dialog shown while a save runs in a worker, and whom it is waiting for."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from rebal.present.styled import plain
from rebal.store.atomic import LOCK_WAIT_SECONDS, lock_holder

# How often the dialog looks at the file's writer lock: often enough that the
# wait is named within a moment, rarely enough to cost nothing.
LOOK_SECONDS = 0.2


def waiting_words(name: str, holder: int | None) -> Text:
    """What the dialog says: saving, or waiting for the process holding the lock."""
    if holder is None or holder == os.getpid():
        return plain(f"Saving {name}…")
    return plain(
        f"Waiting for another rebal (pid {holder}) to finish saving {name}…\n"
        f"Nothing is written until it has; after {LOCK_WAIT_SECONDS:g} s rebal gives up "
        "and says so, and your changes stay here to save again."
    )


class SavingScreen(ModalScreen[None]):
    """Closed by the app when the write ends. It has no keys: while it is up, edits
    wait, so the write's result applies to the session it was started from."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="saving-box"):
            yield Label(Text("Saving", style="bold"))
            yield Static(waiting_words(self.path.name, None), id="saving-text")

    def on_mount(self) -> None:
        self.set_interval(LOOK_SECONDS, self._look_at_the_lock)

    def _look_at_the_lock(self) -> None:
        self.query_one("#saving-text", Static).update(
            waiting_words(self.path.name, lock_holder(self.path))
        )
