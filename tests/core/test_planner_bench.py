"""The benchmark's pieces work, and `rebal check` on its household loads no UI or solver.

Timings are never asserted here (bench/run.py prints them); only behaviour.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from generate import household, write  # noqa: E402
from run import check_imports  # noqa: E402

from rebal.core.planner import PlanOptions, plan  # noqa: E402
from rebal.store.load import load  # noqa: E402


def test_generated_household_is_deterministic_and_sized() -> None:
    first = household(5, 100, seed=7)
    assert first == household(5, 100, seed=7)
    accounts = first["accounts"]
    assert isinstance(accounts, list)
    assert len(accounts) == 5
    assert sum(len(a["holdings"]) for a in accounts) == 100


@pytest.fixture(scope="module")
def bench_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("bench") / "household.toml", 50, 2000)


def test_generated_household_loads_and_plans(bench_file: Path) -> None:
    loaded = load(bench_file)
    result = plan(loaded.portfolio, PlanOptions())
    assert result.trades
    assert all(cash >= 0 for cash in result.leftover_cash.values())


def test_rebal_check_imports_neither_textual_nor_a_solver(bench_file: Path) -> None:
    code, loaded = check_imports(bench_file)
    assert code in (0, 1)
    assert loaded == []
