"""The step footer rebuilds its keys only when what they show changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widget import Widget

from rebal.tui.app import RebalApp
from rebal.tui.widgets.footer import StepFooter
from tui.helpers import wait_until

MakeApp = Callable[..., RebalApp]


def save_key(footer: StepFooter) -> Widget:
    return next(key for key in footer.query("FooterKey") if getattr(key, "key", "") == "ctrl+s")


async def test_footer_keeps_its_keys_until_one_changes(household: Path, make_app: MakeApp) -> None:
    app = make_app(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target" and bool(
            app.screen.query(StepFooter)) and bool(app.screen.query_one(StepFooter).children),
            what="step 1's footer")
        footer = app.screen.query_one(StepFooter)
        await pilot.pause()
        keys = list(footer.children)
        assert save_key(footer).has_class("-disabled")  # nothing to save yet
        app.screen.refresh_bindings()  # nothing the footer shows changed
        for _ in range(3):
            await pilot.pause()
        assert list(footer.children) == keys
        await pilot.press("b")  # the band kind: an edit, so ctrl+s can save now
        await wait_until(pilot, lambda: not save_key(footer).has_class("-disabled"),
                         what="Save enabled")
        assert app.session is not None
        assert app.session.dirty
