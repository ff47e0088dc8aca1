"""The app's save on files a user really has: one written on Windows (a byte-order
mark, CRLF), and one that is read-only. Nothing is lost either way."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from textual.message import Message
from textual.notifications import Notify

from rebal.core.planner.types import PlanOptions
from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from tui.helpers import exists, wait_until

MakeApp = Callable[..., RebalApp]
BOM = b"\xef\xbb\xbf"


def read_bytes(path: Path) -> bytes:
    """Sync on purpose, as tui.helpers.read_text: the app runs on the same loop."""
    return path.read_bytes()


def write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def plan_and_save(pilot, app: RebalApp) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
    await pilot.press("4")
    await wait_until(pilot, lambda: app.session is not None
                     and app.session.plan_state == "done", what="the plan")
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
    await pilot.press("y")


async def test_a_windows_file_saved_in_the_app_keeps_its_mark_and_line_endings(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    """Failed before: the app's save dropped the byte-order mark."""
    original = BOM + read_bytes(household).replace(b"\n", b"\r\n")
    write_bytes(household, original)
    app = make_app(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await plan_and_save(pilot, app)
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    data = read_bytes(household)
    assert data.startswith(original)  # the user's bytes, then the review appended
    assert b"[plan]\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.count(BOM) == 1


async def test_a_read_only_file_is_not_saved_and_the_session_is_kept(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    before = read_bytes(household)
    os.chmod(household, 0o444)
    shown: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            shown.append(message.notification.message)

    app = make_app(household)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await plan_and_save(pilot, app)
        await wait_until(pilot, lambda: any("read-only" in note for note in shown),
                         what="the refusal")
        assert app.session is not None
        assert app.session.dirty  # the plan is still there to save
    (note,) = [n for n in shown if "read-only" in n]
    assert f"{household.name}: the file is read-only (mode 0444); nothing was written" in note
    assert f"chmod u+w {household}" in note
    assert read_bytes(household) == before
    assert mode(household) == 0o444
    assert not exists(household.with_name(household.name + ".bak"))
