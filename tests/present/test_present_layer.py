"""The presentation layer stays below the front ends: no Textual, no solver, no TOML editor."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
import rebal.present.csv, rebal.present.terminal
outside = {"textual", "scipy", "highspy", "tomlkit"}
heavy = sorted(n for n in sys.modules if n.split(".")[0] in outside
               or n.startswith(("rebal.tui", "rebal.commands", "rebal.store")))
print(json.dumps(heavy))
"""


def test_present_imports_no_front_end_solver_or_store() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
