"""The real program in a real terminal: start `rebal` in tmux, walk the four steps, save.

Skipped when tmux is missing (install it with your package manager, e.g.
`apt-get install tmux`); `make test` never installs it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "tui" / "fixtures" / "household.toml"
REBAL = Path(sys.executable).with_name("rebal")

pytestmark = pytest.mark.e2e


class Tmux:
    def __init__(self, session: str) -> None:
        self.session = session

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", *args], check=True, capture_output=True, text=True, timeout=10
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, predicate: Callable[[str], bool], what: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{text}")

    def wait_text(self, needle: str, seconds: float = 20) -> str:
        return self.wait_for(lambda s: needle in s, repr(needle), seconds)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux not installed: install it (e.g. `apt-get install tmux`) to run this")
    if not REBAL.exists():
        pytest.skip(f"the rebal script is not installed next to {sys.executable}")
    terminal = Tmux(f"rebal-e2e-{uuid.uuid4().hex[:8]}")
    yield terminal
    subprocess.run(["tmux", "kill-session", "-t", terminal.session], capture_output=True,
                   check=False)


def test_walk_the_four_steps_and_save(tmux: Tmux, tmp_path: Path) -> None:
    portfolio = tmp_path / "household.toml"
    shutil.copyfile(FIXTURE, portfolio)
    tmux.run(
        "new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30",
        "-e", "TERM=xterm-256color", f"{REBAL} {portfolio}",
    )
    tmux.wait_text("2 of 6 classes out of band — last review 2025-11-20, 9.1% since")
    tmux.wait_text("[1 Target]")
    tmux.keys("b")  # band kind: relative -> absolute, an edit worth saving
    tmux.wait_text("20% → 15.00–25.00%")
    tmux.keys("n")
    tmux.wait_text("[2 Compare]")
    tmux.wait_text("Current")
    tmux.keys("3")
    tmux.wait_text("[3 Misalignment]")
    tmux.keys("4")
    tmux.wait_text("[4 Rebalance]")
    answer = tmux.wait_for(lambda s: "Plan ready" in s or "No plan:" in s, "the planner")
    planned = "Plan ready" in answer
    tmux.keys("C-s")
    tmux.wait_text("Save to household.toml?")
    tmux.keys("y")
    tmux.wait_text("Saved")
    tmux.keys("q")
    tmux.wait_for(lambda s: "Rebalance" not in s, "the app to exit")

    saved = tomllib.loads(portfolio.read_text(encoding="utf-8"))
    assert saved["bands"]["kind"] == "absolute"
    if planned:
        assert saved["plan"]["mode"] == "full"
    assert saved["history"][-1]["date"] == saved["portfolio"]["as_of"]
    assert portfolio.with_name("household.toml.bak").exists()
    assert "# A household of three accounts" in portfolio.read_text(encoding="utf-8")
