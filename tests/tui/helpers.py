"""Helpers for Pilot tests: a fixed clock, plain-text screen captures, condition waits."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 11, 24, 9, 30)


def fixed_clock() -> dt.datetime:
    return NOW


def screen_text(app: App[object]) -> str:
    """The current screen as plain text (what a person reads), without styles."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True,
        color_system=None, record=True, legacy_windows=False, safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    lines = console.export_text(styles=False).splitlines()
    return "\n".join(line.rstrip() for line in lines) + "\n"


async def wait_until(
    pilot: Pilot[object], predicate: Callable[[], bool], *, tries: int = 300, what: str = ""
) -> None:
    """Let the app run until `predicate` holds (bounded: fail instead of hanging)."""
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what or predicate}")


def read_text(path: Path) -> str:
    """Read a (small) file; sync on purpose, tests run the app on the same loop."""
    return path.read_text(encoding="utf-8")


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def exists(path: Path) -> bool:
    return path.exists()


def delete(path: Path) -> None:
    path.unlink()
