"""The layering rule: the engine, the schema and the loader stay headless, pure and light.

`rebal check` must not pay for Textual or a solver, and the calculation code
must not touch files, sockets or the terminal.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "rebal"
HEAVY = ("textual", "highspy", "numpy", "tomlkit", "rebal.tui")

PROBE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    import rebal.core
    import rebal.core.planner
    import rebal.model
    import rebal.store.load
    from rebal.core.allocation import sector_exposure, style_box
    from rebal.core.report import build_report

    text = '''
    [portfolio]
    name = "Layering probe"
    as_of = 2026-11-20

    [targets]
    Stocks = 60
    Bonds = 40

    [securities.VTI]
    price = 290.12
    class = "Stocks"
    style = "large-blend"

    [securities.BND]
    price = 72.5
    class = "Bonds"

    [[accounts]]
    name = "IRA"
    cash = 100
    holdings = { VTI = 10, BND = 20 }
    '''
    portfolio, problems = rebal.store.load.parse(Path("probe.toml"), text)
    assert portfolio is not None, problems
    report = build_report(portfolio)
    style_box(portfolio)
    sector_exposure(portfolio)
    loaded = sorted(
        name for name in sys.modules
        if name.split(".")[0] in {"textual", "highspy", "numpy", "tomlkit"}
        or name.startswith("rebal.tui")
    )
    print(json.dumps({"loaded": loaded, "classes": len(report.classes)}))
    """
)


def test_engine_model_and_loader_import_no_ui_solver_or_toml_editor() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["classes"] == 3  # Stocks, Bonds and the untargeted cash
    assert outcome["loaded"] == []


def _python_files(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (SRC / package).rglob("*.py"))


HEADLESS = [
    *_python_files("core", "model", "importers"),
    SRC / "problems.py",
    SRC / "files.py",
    *(
        SRC / "store" / name
        for name in (
            "load.py", "read_file.py", "syntax.py", "validation.py", "locate.py", "atomic.py"
        )
    ),
]


def _imports(tree: ast.AST, *, top_level_only: bool) -> list[str]:
    nodes = ast.iter_child_nodes(tree) if top_level_only else ast.walk(tree)
    names: list[str] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", HEADLESS, ids=lambda p: str(p.relative_to(SRC)))
def test_headless_modules_never_import_textual_or_the_tui(path: Path) -> None:
    imported = _imports(ast.parse(path.read_text(encoding="utf-8")), top_level_only=False)
    bad = [
        name for name in imported if name.split(".")[0] == "textual" or name.startswith("rebal.tui")
    ]
    assert bad == [], f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", _python_files("core"), ids=lambda p: str(p.relative_to(SRC)))
def test_core_imports_solvers_only_inside_functions(path: Path) -> None:
    imported = _imports(ast.parse(path.read_text(encoding="utf-8")), top_level_only=True)
    bad = [name for name in imported if name.split(".")[0] in {"highspy", "numpy"}]
    assert bad == [], f"{path.name} imports {bad} at module level"


# Calls and modules that mean file, network or terminal I/O.
IO_PATTERN = re.compile(
    r"\bopen\(|\bPath\(|\.read_text\b|\.write_text\b|\.read_bytes\b|\.write_bytes\b"
    r"|\bsocket\b|\burllib\b|\bhttp\.|\brequests\b|\bprint\(|\bsys\.std(out|err)\b"
    r"|\bsubprocess\b|\bos\.(remove|replace|rename|unlink|makedirs)\b"
)


@pytest.mark.parametrize("path", _python_files("core"), ids=lambda p: str(p.relative_to(SRC)))
def test_core_does_no_file_network_or_terminal_io(path: Path) -> None:
    code_lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        code = line.split("#", 1)[0]
        if IO_PATTERN.search(code):
            code_lines.append(f"{path.name}:{number}: {line.strip()}")
    assert code_lines == []


def test_the_io_pattern_catches_what_it_is_meant_to() -> None:
    for sample in ("open(p)", "Path('x')", "p.read_text()", "print(x)", "import socket"):
        assert IO_PATTERN.search(sample), sample
    for sample in ("opening = 1", "path_of(x)", "printable", "reopen_count"):
        assert not IO_PATTERN.search(sample), sample
