"""Steps 1-3's review features by keyboard: delete a class, the floor, the age-based split,
drift by account, the style box against then and target, every key listed, scrolling."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from textual.actions import parse
from textual.containers import VerticalScroll
from textual.widgets import Input

from rebal.tui.app import STEP_MODES, RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from rebal.tui.widgets.account_drift import AccountDriftPane
from tui.helpers import FIXTURES, read_text, screen_text, wait_until

MakeApp = Callable[..., RebalApp]
SAMPLES = FIXTURES.parents[2] / "sample_portfolios"
SIZES = [(80, 24), (120, 40)]


async def on_mode(pilot, app: RebalApp, mode: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=f"mode {mode}")
    await pilot.pause()


async def confirm(pilot, app: RebalApp) -> str:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirmation")
    await pilot.pause()
    return screen_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_delete_a_class_asks_warns_and_saves(
    make_app: MakeApp, household: Path, size: tuple[int, int]
) -> None:
    app = make_app(household)
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("down", "down", "x")  # Small Cap Stock
        text = await confirm(pilot, app)
        assert "Delete Small Cap Stock" in text
        assert "count as untargeted" in text
        await pilot.press("escape")  # cancelled: nothing changes
        await on_mode(pilot, app, "target")
        assert app.session is not None
        assert "Small Cap Stock" in app.session.targets
        await pilot.press("x")
        await confirm(pilot, app)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None
                         and "Small Cap Stock" not in app.session.targets, what="deleted")
        await pilot.pause()
        check = str(app.screen.query_one("#target-check").content)
        assert "Small Cap Stock has no target" in check
        assert "targets sum to 80%, 20 points short of 100%" in check
        # Give its share to Bonds, then save: the file's targets no longer name it.
        await pilot.press("up", "up", "up", "up", "up", "up")
        await pilot.press("down", "down", "down")  # Bonds, now the fourth targeted class
        await pilot.press("enter", "ctrl+a", "ctrl+k", *"40", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.targets.get("Bonds") == Decimal(40), what="bonds")
        await pilot.press("ctrl+s")
        await confirm(pilot, app)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    targets = tomllib.loads(read_text(household))["targets"]
    assert "Small Cap Stock" not in targets
    assert targets["Bonds"] == 40


async def test_the_floor_is_edited_by_keyboard(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("f", "ctrl+a", "ctrl+k", *"1.5", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.bands.floor == Decimal("1.5"), what="floor")
        await pilot.pause()
        line = str(app.screen.query_one("#band-policy").content)
        assert "never narrower than 1.5 percentage points" in line
        assert "20% → 18.50–21.50%" in line


@pytest.mark.parametrize("size", SIZES)
async def test_the_age_based_split_is_shown_beside_now_and_applied_after_asking(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        hint = str(app.screen.query_one("#age-hint").content)
        words = " ".join(hint.split())
        assert "now 80% / 20%" in words  # 79.99% in stocks, to one place
        assert "your targets 80% / 20%" in words
        assert "age-based 62% / 38%" in words
        assert "bonds and cash ≈ 58 − 20 = 38%" in hint
        await pilot.press("g")
        text = await confirm(pilot, app)
        assert "Large Cap Stock" in text
        assert "Large Cap Stock                  20% →   15.5%" in text
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.targets["Bonds"] == Decimal(38), what="applied")
        assert sum(app.session.targets.values()) == Decimal(100)
        assert app.session.dirty


async def test_keys_line_lists_every_key_of_each_step(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        for step in ("1", "3"):
            await pilot.press(step)
            await on_mode(pilot, app, STEP_MODES[int(step) - 1])
            keys = str(app.screen.query_one("#step-keys").content)
            for binding in type(app.screen).BINDINGS:
                # A key the step does not offer for this file (step 3's tax keys) is left out.
                _, action, parameters = parse(binding.action)  # type: ignore[union-attr]
                offered = app.screen.check_action(action, parameters) is not False
                if binding.key != "escape" and binding.description and offered:  # type: ignore[union-attr]
                    shown = binding.key_display or binding.key  # type: ignore[union-attr]
                    assert f"{shown} {binding.description}" in keys.replace("\n", " · ")  # type: ignore[union-attr]
            assert "PgUp/PgDn/Home/End scroll" in keys
            for line in keys.splitlines():
                assert line in screen_text(app)  # on screen, above the footer


@pytest.mark.parametrize("key", ["end", "pagedown"])
async def test_step1_scrolls_to_the_age_suggestion_at_80x24(make_app: MakeApp, key: str) -> None:
    """The targets table has the focus; the page keys still scroll the step to its end."""
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        assert "age-based" not in screen_text(app)
        body = app.screen.query_one("#body", VerticalScroll)
        await pilot.press(key, key)
        await pilot.pause()
        assert "age-based" in screen_text(app)
        assert app.screen.query_one("#targets").has_focus
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        # In a text field home and end move the cursor, as they should.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.focused, Input), what="the field")
        field = app.focused
        assert isinstance(field, Input)
        await pilot.press("home")
        assert field.cursor_position == 0
        await pilot.press("end")
        assert field.cursor_position == len(field.value)


@pytest.mark.parametrize("size", SIZES)
async def test_step2_shows_which_account_holds_each_excess(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        pane = str(app.screen.query_one(AccountDriftPane).content)
        assert "Small Cap Stock +$7,760 above target, most of the excess in 401(k)\n" in pane
        assert "401(k) +$66,480 · IRA -$26,440 · Taxable -$32,280" in pane
        assert "Bonds -$1,440 below target, most of the shortfall in Taxable" in pane
        await pilot.press("end")
        await pilot.pause()
        assert "Since the last review" in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_step3_style_box_now_against_then_and_target(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(SAMPLES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "y")
        await on_mode(pilot, app, "misalignment")
        await pilot.pause()
        text = str(app.screen.query_one("#style-view").content)
        assert "9.9%◆" in text  # small-blend moved most, marked in text
        assert "Small-cap       11.1%     10.1%   +1.0     10.0%   +1.1" in text
        assert "Small-cap stocks are a larger share than then: 1 point more." in text
        assert "then = the last review, 2025-11-20" in text
        await pilot.press("c")
        await pilot.pause()
        text = screen_text(app)
        note = str(app.screen.query_one("#sectors-note").content)
        assert "Then = the last review, 2025-11-20" in note
        assert "Information Technology  28.7%" in text
        assert "26.9%  +1.8 pts  ok" in text  # the flag column is not cut at 80


async def test_style_box_without_an_earlier_mix_says_how_to_get_one(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "y")
        await on_mode(pilot, app, "misalignment")
        await pilot.pause()
        assert "each save records one" in str(app.screen.query_one("#style-view").content)
