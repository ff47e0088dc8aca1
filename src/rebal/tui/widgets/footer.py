"""The compact footer, without restyling every key each time the bindings change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer


class StepFooter(Footer):
    """Textual's Footer rebuilds its keys whenever the bindings change (every focus
    move and screen switch). Each compact key then adds its `-compact` class after
    mounting, which restyles it once more: ~15 extra restyles per rebuild, a fifth of
    the time to enter step 4. Here each key is built with the class already set."""

    # A group's label ("n p Step") keeps a space before the next key, as a key's does.
    DEFAULT_CSS = """
    StepFooter.-compact FooterLabel { margin: 0 1 0 0; }
    StepFooter.-compact FooterKey.-grouped { margin: 0 1 0 0; }
    """

    _shown: tuple[object, ...] | None = None

    async def recompose(self) -> None:
        """Rebuild the keys only when what they show changed. Bindings are refreshed
        on every session change, focus move and plan (23 rebuilds, each removing and
        mounting a dozen keys, while step 4 computes one plan); most change nothing."""
        shown = self._keys_shown()
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()

    def _keys_shown(self) -> tuple[object, ...]:
        return (self.compact, *(
            (key, binding.action, binding.description, binding.show, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == self.app.COMMAND_PALETTE_BINDING
        ))

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if hasattr(widget, "key_display"):  # a key (Textual's FooterKey is private)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
