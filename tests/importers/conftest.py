"""Running the CLI in-process for the import tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rebal.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """A copy of the import tests' household, to import into."""
    path = tmp_path / "portfolio.toml"
    shutil.copy(FIXTURES / "household_test.toml", path)
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """`cli("import", file, "--into", path)`: exit code and what was printed."""

    def run(*args: object) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
