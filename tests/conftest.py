"""Fixtures shared by every test folder: the sample portfolios, and private copies of them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# CI draws the same examples on every run, so a red build can be replayed from its
# log; a local run explores new examples each time (and keeps what fails).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

SAMPLES = Path(__file__).resolve().parent.parent / "sample_portfolios"


@pytest.fixture
def samples() -> Path:
    """The folder holding the committed sample portfolios (read them, never write them)."""
    return SAMPLES


@pytest.fixture
def tmp_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a sample into `tmp_path` and return the copy's path, so a test may change it.

    `tmp_copy("household")` and `tmp_copy("household.toml")` are the same file.
    """

    def copy(name: str) -> Path:
        file_name = name if name.endswith(".toml") else f"{name}.toml"
        source = SAMPLES / file_name
        if not source.is_file():
            known = ", ".join(sorted(p.stem for p in SAMPLES.glob("*.toml")))
            raise FileNotFoundError(f"no sample portfolio {file_name!r}; known: {known}")
        destination = tmp_path / file_name
        shutil.copyfile(source, destination)
        return destination

    return copy
