"""Snapshots of each step at 80x24 and 120x40, the problem screen, save, help, themes.

Deterministic: a fixed clock, a private copy of the fixture file, the stand-in
planner, and each shot taken only once the screen it shows is settled.
Update only after reviewing the report: `pytest tests/snapshots --snapshot-update`.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen, HelpScreen
from tui.conftest import stand_in_plan
from tui.helpers import FIXTURES, fixed_clock, wait_until

SnapCompare = Callable[..., bool]
STEPS = {1: "target", 2: "compare", 3: "misalignment", 4: "rebalance"}


@pytest.fixture
def household(tmp_path: Path) -> Path:
    target = tmp_path / "household.toml"
    shutil.copyfile(FIXTURES / "household.toml", target)
    return target


def settle_on(step: int) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, RebalApp)
        await wait_until(pilot, lambda: app.current_mode == "target", what="start")
        await pilot.press(str(step))
        await wait_until(pilot, lambda: app.current_mode == STEPS[step] and app.screen.is_current)
        if step == 4:
            await wait_until(pilot, lambda: app.session is not None
                             and app.session.plan_state == "done", what="the plan")
            # Roomy: the options form is built just after the first paint.
            screen = app.screen
            await wait_until(pilot, lambda: getattr(screen, "options_folded", True)
                             or bool(screen.query("#accounts-options")), what="the options")
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_step(snap_compare: SnapCompare, household: Path, step: int,
              size: tuple[int, int]) -> None:
    app = RebalApp(household, clock=fixed_clock, planner=stand_in_plan)
    assert snap_compare(app, terminal_size=size, run_before=settle_on(step))


def test_problem_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    shutil.copyfile(FIXTURES / "invalid.toml", broken)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: pilot.app.current_mode == "problems")
        await pilot.pause()

    # The path is in the title; keep it the same on every machine.
    app = RebalApp(Path("broken.toml"), clock=fixed_clock, planner=stand_in_plan)
    cwd = Path.cwd()
    try:
        import os

        os.chdir(tmp_path)
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    finally:
        os.chdir(cwd)


def test_save_confirmation(snap_compare: SnapCompare, household: Path) -> None:
    step4 = settle_on(4)

    async def run_before(pilot: Pilot[Any]) -> None:
        await step4(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.pause()

    app = RebalApp(household, clock=fixed_clock, planner=stand_in_plan)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_help(snap_compare: SnapCompare, household: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle_on(1)(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause()

    app = RebalApp(household, clock=fixed_clock, planner=stand_in_plan)
    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)


@pytest.mark.parametrize("theme", ["light", "high-contrast"])
def test_theme(snap_compare: SnapCompare, household: Path, theme: str) -> None:
    app = RebalApp(household, clock=fixed_clock, theme=theme, planner=stand_in_plan)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle_on(2))
