"""Helpers for running the CLI in-process and reading what it printed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from rebal.cli import main


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def rebal(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """`rebal("check", path)` runs the CLI in-process and returns its exit code and output."""

    def run(*args: object) -> Result:
        capsys.readouterr()  # drop anything printed before
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
