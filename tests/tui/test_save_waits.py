"""A save while another rebal holds the file's writer lock: the wait runs in a worker, the
screen keeps drawing and names the other process, and a wait that times out is refused
in words. Failed before: the app's UI thread slept in the store's lock wait for up to
3 s, the screen frozen and silent."""

from __future__ import annotations

import fcntl
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rebal.core.planner.types import PlanOptions
from rebal.store.atomic import lock_path
from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from rebal.tui.screens.saving import SavingScreen
from tui.helpers import fixed_clock, read_text, screen_text, wait_until

OTHER_PID = 4242  # what the other rebal wrote in its lock file


@contextmanager
def another_rebal_saving(path: Path) -> Iterator[None]:
    """Hold `path`'s writer lock as a second rebal would, its pid in the lock file."""
    where = lock_path(path.resolve())
    fd = os.open(where, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, f"{OTHER_PID}\n".encode())
        yield
    finally:
        os.unlink(where)
        os.close(fd)


async def ask_to_save(pilot: object, app: RebalApp) -> None:
    await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")  # type: ignore[arg-type]
    await pilot.press("4")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: app.session is not None  # type: ignore[arg-type]
                     and app.session.plan_state == "done", what="the plan")
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")  # type: ignore[arg-type]


def waiting_shown(app: RebalApp) -> bool:
    """The dialog is up and names the other process (the words wrap at 80 columns)."""
    shown = " ".join(line.strip(" │") for line in screen_text(app).splitlines())
    return isinstance(app.screen, SavingScreen) and (
        f"Waiting for another rebal (pid {OTHER_PID}) to finish saving household.toml…"
        in " ".join(shown.split())
    )


async def test_a_save_waits_for_another_rebal_without_freezing(
    household: Path, planner_calls: list[PlanOptions]
) -> None:
    app = RebalApp(household, clock=fixed_clock)
    before = read_text(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_to_save(pilot, app)
        with another_rebal_saving(household):
            await pilot.press("y")
            # Drawn while the write waits: the UI thread is not the one waiting.
            await wait_until(pilot, lambda: waiting_shown(app), what="the waiting dialog")
            assert app.session is not None
            assert app.session.dirty
            assert read_text(household) == before
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty
                         and not isinstance(app.screen, SavingScreen), what="saved")
    assert tomllib.loads(read_text(household))["plan"]["mode"] == "full"


async def test_a_save_refused_after_the_wait_says_so_and_keeps_the_edits(
    household: Path, planner_calls: list[PlanOptions]
) -> None:
    app = RebalApp(household, clock=fixed_clock)
    before = read_text(household)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ask_to_save(pilot, app)
        with another_rebal_saving(household):
            await pilot.press("y")
            await wait_until(pilot, lambda: waiting_shown(app), what="the waiting dialog")
            await wait_until(
                pilot, lambda: any("nothing was written" in n.message for n in app._notifications),
                tries=600, what="the refusal",
            )
        notes = [n.message for n in app._notifications]
        assert any(f"another rebal (process {OTHER_PID}) is writing this file; nothing was "
                   "written after waiting 3 s" in note for note in notes)
        assert not isinstance(app.screen, SavingScreen)
        assert app.session is not None
        assert app.session.dirty  # the plan is still here, to save again
    assert read_text(household) == before
