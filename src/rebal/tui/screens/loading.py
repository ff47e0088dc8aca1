"""What shows while the file is read: painted at once, before the model is imported."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from rebal.present.terminal import safe


class LoadingScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        # Deliberately plain: this is the first paint, and it should be quick.
        yield Static(id="loading-header")
        yield Footer()

    def on_mount(self) -> None:
        path = getattr(self.app, "reading", None)
        self.query_one("#loading-header", Static).update(
            Text(safe(f"Reading {path}…") if path else "Reading…")
        )
        # The spinner comes after the first paint, which it would only slow down.
        self.call_after_refresh(self._add_spinner)

    def _add_spinner(self) -> None:
        from textual.widgets import LoadingIndicator

        self.mount(LoadingIndicator(), before=self.query_one(Footer))
