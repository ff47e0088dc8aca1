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


# What the first paint may cost: the modules loaded when step 1's first look has
# painted, just before the reader (queued after the probe, on the same paint) starts.
# A module added here is paid for by every start: import it where it is needed
# after the first paint instead, unless the first look itself needs it.
FIRST_PAINT_MODULES = {
    "rebal", "rebal.files", "rebal.present", "rebal.present.terminal", "rebal.problems",
    "rebal.store", "rebal.store.first_look", "rebal.themes", "rebal.tui", "rebal.tui.app",
    "rebal.tui.messages", "rebal.tui.responsive", "rebal.tui.screens",
    "rebal.tui.screens.loading", "rebal.tui.services",
}
NOT_BEFORE_THE_FIRST_PAINT = ("pydantic", "highspy", "numpy", "tomlkit", "tomli", "tomli_w")

FIRST_PAINT = r"""
import sys
from pathlib import Path

import rebal.tui.app
from rebal.tui.app import RebalApp

seen = {}


class Probe(RebalApp):
    # A subclass's CSS paths are read from its own module's folder.
    CSS_PATH = [Path(rebal.tui.app.__file__).parent / p for p in RebalApp.CSS_PATH]

    def on_mount(self) -> None:
        # Textual calls this before RebalApp.on_mount, which queues the reader.
        self.screen.call_after_refresh(self.first_paint)

    def first_paint(self) -> None:
        seen["shows data"] = self.screen.shows_data
        # The step screens' rules are parsed after the first paint, not before it.
        seen["step rules"] = any(name.endswith("steps.tcss") for name, _ in self.stylesheet.source)
        seen["modules"] = sorted(sys.modules)
        self.exit()


Probe(Path(sys.argv[1])).run(headless=True, size=(80, 24))
print(seen["shows data"], seen["step rules"])
print(" ".join(seen["modules"]))
"""


def test_the_first_paint_shows_the_data_with_only_the_first_looks_modules() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(FIXTURES / "household.toml")],
        capture_output=True, text=True, timeout=60, check=True,
    )
    shown, modules = done.stdout.splitlines()[-2:]
    # The name and targets table (not "Reading…"), painted without the step rules.
    assert shown == "True False"
    loaded = set(modules.split())
    assert {m for m in loaded if m.split(".")[0] == "rebal"} == FIRST_PAINT_MODULES
    assert not [m for m in loaded if m.split(".")[0] in NOT_BEFORE_THE_FIRST_PAINT]
