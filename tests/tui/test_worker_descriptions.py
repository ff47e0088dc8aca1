"""Every thread worker of the app says what it does in a description of its own.

Without one, Textual's `@work` names the worker by the repr of its arguments, on the
event loop, each time it starts: a session's repr holds the whole portfolio (a
20,000-position household is a few hundred milliseconds of pydantic repr, measured
in bench/bench_app.py's replan at 20,000 positions), and so does an import plan's.
"""

from __future__ import annotations

import ast
from pathlib import Path

import rebal.tui

TUI = Path(rebal.tui.__file__).parent


def work_decorators(tree: ast.AST) -> list[ast.Call]:
    return [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        and node.func.id == "work"
    ]


def test_every_worker_has_a_description() -> None:
    missing = []
    found = 0
    for path in sorted(TUI.rglob("*.py")):
        for call in work_decorators(ast.parse(path.read_text(encoding="utf-8"))):
            found += 1
            if not any(keyword.arg == "description" for keyword in call.keywords):
                missing.append(f"{path.relative_to(TUI)}:{call.lineno}")
    assert found >= 5  # the reader, the planner, the writer, step 4's view, the import
    assert missing == []
