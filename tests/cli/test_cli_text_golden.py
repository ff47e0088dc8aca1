"""`rebal check` and `rebal plan` text, byte for byte, for each sample: to a pipe (plain
lines) and on an 80-column terminal (rich tables, no colour).

The expected texts are in tests/cli/golden/. After a deliberate change of words or
figures (or of the planner's trades), review the difference and regenerate them
with `REBAL_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_cli_text_golden.py`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rebal.commands.check import file_blocks, render_text
from rebal.core.planner import plan as make_plan
from rebal.core.planner.types import PlanOptions
from rebal.core.report import build_report
from rebal.present.plan_text import plan_blocks
from rebal.store.load import load

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = ("household", "seed_bands", "seed_return", "taxable")
TERMINAL = (None, 80)  # a terminal without colours, 80 columns wide


def matches(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("REBAL_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{name} differs"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository, so the file names printed are the same everywhere."""
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("sample", SAMPLES)
def test_check_text(rebal: Rebal, sample: str) -> None:
    path = Path("sample_portfolios") / f"{sample}.toml"
    piped = rebal("check", path)
    loaded = load(path)
    terminal = render_text(file_blocks(build_report(loaded.portfolio), loaded, path), TERMINAL)

    matches(f"check-{sample}.txt", piped.out)
    matches(f"check-{sample}-terminal.txt", terminal)


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("sample", SAMPLES)
def test_plan_text(rebal: Rebal, sample: str) -> None:
    path = Path("sample_portfolios") / f"{sample}.toml"
    piped = rebal("plan", "--whole-shares", path)
    portfolio = load(path).portfolio
    plan = make_plan(portfolio, PlanOptions(whole_shares=True))
    blocks = plan_blocks(build_report(portfolio), plan, as_of=portfolio.portfolio.as_of, file=path)

    matches(f"plan-{sample}.txt", piped.out)
    matches(f"plan-{sample}-terminal.txt", render_text(blocks, TERMINAL))


@pytest.mark.usefixtures("in_repo")
def test_check_of_several_files_separates_them_with_a_blank_line(rebal: Rebal) -> None:
    paths = [Path("sample_portfolios") / f"{sample}.toml" for sample in SAMPLES]

    matches("check-all-samples.txt", rebal("check", *paths).out)
