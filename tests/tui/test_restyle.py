"""Screens wear the current theme: the app skips restyling a new screen (it is styled as
it mounts), never one that missed a theme change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.color import Color

from rebal.tui.app import RebalApp
from tui.helpers import wait_until


def _background(app: RebalApp) -> Color:
    return app.screen.styles.background


async def test_a_step_opened_before_a_theme_change_wears_the_new_theme(
    household: Path, make_app: Callable[..., RebalApp]
) -> None:
    app = make_app(household, theme="dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target" and app.screen.is_current)
        await pilot.press("2")
        await wait_until(pilot, lambda: app.current_mode == "compare" and app.screen.is_current)
        dark = _background(app)
        await pilot.press("1")
        await wait_until(pilot, lambda: app.current_mode == "target" and app.screen.is_current)
        app.theme = "light"
        await pilot.pause()
        light = Color.parse(app.current_theme.background or "")
        assert light != dark
        await wait_until(pilot, lambda: _background(app) == light, what="step 1 restyled")
        await pilot.press("2")
        await wait_until(pilot, lambda: app.current_mode == "compare" and app.screen.is_current)
        await wait_until(pilot, lambda: _background(app) == light, what="step 2 restyled")
        # A step opened for the first time after the change is styled as it mounts.
        await pilot.press("3")
        await wait_until(pilot, lambda: app.current_mode == "misalignment"
                         and app.screen.is_current)
        await wait_until(pilot, lambda: _background(app) == light, what="step 3 styled")


async def test_the_first_screen_and_step_1_wear_the_chosen_theme_from_the_start(
    household: Path, make_app: Callable[..., RebalApp]
) -> None:
    app = make_app(household, theme="light")
    async with app.run_test(size=(80, 24)) as pilot:
        light = Color.parse(app.current_theme.background or "")
        assert app.current_theme.name == "light"
        await wait_until(pilot, lambda: app.screen.is_mounted, what="the first screen")
        assert _background(app) == light
        await wait_until(pilot, lambda: app.current_mode == "target" and app.screen.is_current)
        await wait_until(pilot, lambda: _background(app) == light, what="step 1 in the theme")
