"""The whole-shares checkbox shows its state as a mark, not by colour alone."""

from __future__ import annotations

from textual.app import App, ComposeResult

from rebal.tui.widgets.toggles import MarkedCheckbox


class _OneBox(App[None]):
    def __init__(self, value: bool) -> None:
        super().__init__()
        self._value = value

    def compose(self) -> ComposeResult:
        yield MarkedCheckbox("Whole shares", self._value, id="box", compact=True)


async def test_the_mark_follows_the_value_through_space_presses() -> None:
    app = _OneBox(value=False)
    async with app.run_test() as pilot:
        box = app.query_one("#box", MarkedCheckbox)
        assert box.render().plain.startswith("[ ] Whole shares")
        await pilot.press("space")
        assert box.value
        assert box.render().plain.startswith("[X] Whole shares")
        await pilot.press("space")
        assert box.render().plain.startswith("[ ] Whole shares")


async def test_a_box_created_on_is_marked_from_the_start() -> None:
    app = _OneBox(value=True)
    async with app.run_test():
        box = app.query_one("#box", MarkedCheckbox)
        assert box.render().plain.startswith("[X] Whole shares")
