"""Start-up stays light: no solver library is imported to show step 1."""

from __future__ import annotations

import subprocess
import sys

from tui.helpers import FIXTURES

SCRIPT = r"""
import sys
from pathlib import Path
from rebal.tui.app import RebalApp

before = sorted(m for m in ("pydantic", "scipy", "networkx", "tomlkit") if m in sys.modules)
app = RebalApp(Path(sys.argv[1]))

async def walk(pilot):
    while not (app.current_mode == "target" and app.screen.is_current):
        await pilot.pause(0.01)
    await pilot.pause()
    after = sorted(m for m in ("scipy", "networkx", "tomlkit", "highspy", "rebal.core.planner")
                   if m in sys.modules)
    print("before:", ",".join(before) or "-", "after:", ",".join(after) or "-")
    app.exit()

app.run(headless=True, auto_pilot=walk, size=(80, 24))
"""


def test_step1_opens_without_solvers_and_the_model_loads_after_the_app() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(FIXTURES / "household.toml")],
        capture_output=True, text=True, timeout=60, check=True,
    )
    # Importing the app does not import pydantic (it loads after the first paint),
    # and showing step 1 needs neither the planner, its solvers nor tomlkit (saving does).
    assert done.stdout.split() == ["before:", "-", "after:", "-"]
