"""The layers contract in pyproject.toml ([tool.importlinter]) holds, and it would catch a breach.

lint-imports reads every import of the source (also those inside functions),
so an upward import (core reaching into store, importers into store, the
store into the app) fails this test wherever it is written.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "importlinter", reason="import-linter is in the test extras: pip install -e .[test]"
)

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path, source: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(source), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    result = lint_imports(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "breach"),
    [
        ("core/probe.py", "def f() -> None:\n    import rebal.store.load\n", "rebal.core.probe"),
        ("importers/probe.py", "from rebal.store import save\n", "rebal.importers.probe"),
        ("store/probe.py", "import textual\n", "rebal.store.probe"),
        ("tui/view/probe.py", "from textual.widgets import Static\n", "rebal.tui.view.probe"),
        ("tui/view/probe.py", "from rebal.tui.widgets import tables\n", "rebal.tui.view.probe"),
    ],
)
def test_the_contract_catches_an_upward_import(
    tmp_path: Path, module: str, statement: str, breach: str
) -> None:
    shutil.copytree(ROOT / "src" / "rebal", tmp_path / "src" / "rebal")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "src" / "rebal" / module).write_text(statement, encoding="utf-8")
    result = lint_imports(tmp_path, tmp_path / "src")
    assert result.returncode != 0
    assert breach in result.stdout


# rebal.core and rebal.importers may use rebal.present.figures (pyproject.toml's
# ignore_imports), which is sound only while it stands on these modules alone.
FIGURES_MAY_IMPORT = {
    "figures.py": {"rebal.core.numbers", "rebal.present.terminal"},
    "terminal.py": set(),
}


def rebal_imports(source: Path) -> set[str]:
    """Every rebal module `source` imports, wherever the import is written."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
    return {name for name in names if name == "rebal" or name.startswith("rebal.")}


@pytest.mark.parametrize("module", sorted(FIGURES_MAY_IMPORT))
def test_the_figures_stand_on_the_rounding_policy_alone(module: str) -> None:
    source = ROOT / "src" / "rebal" / "present" / module
    assert rebal_imports(source) <= FIGURES_MAY_IMPORT[module]


def test_the_figures_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    probe = tmp_path / "figures.py"
    probe.write_text("def f() -> None:\n    from rebal.core.report import Report\n")
    assert rebal_imports(probe) == {"rebal.core.report"}
