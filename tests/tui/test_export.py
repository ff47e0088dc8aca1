"""CSV export of a plan's trades: columns, quoting, never over an existing file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from rebal.core.planner.types import PlanOptions
from rebal.store.load import load
from rebal.tui.export import COLUMNS, export_path, export_trades, trades_csv
from tui.conftest import stand_in_plan
from tui.helpers import FIXTURES

TODAY = dt.date(2026, 11, 24)


def test_rows_read_back_with_commas_and_quotes_intact() -> None:
    plan = stand_in_plan(load(FIXTURES / "household.toml").portfolio, PlanOptions())
    rows = list(csv.reader(io.StringIO(trades_csv(plan))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1] == ["401(k)", "VB", "sell", "35", "7700.00", "Small Cap Stock over"]
    assert rows[4][-1] == "Bonds [under]"
    assert len(rows) == 1 + len(plan.trades)


def test_an_existing_export_is_never_overwritten(tmp_path: Path) -> None:
    portfolio = tmp_path / "house.toml"
    plan = stand_in_plan(load(FIXTURES / "household.toml").portfolio, PlanOptions())
    first = export_trades(portfolio, plan, TODAY)
    assert first.name == "house-trades-2026-11-24.csv"
    first.write_text("my notes\n")
    second = export_trades(portfolio, plan, TODAY)
    assert second.name == "house-trades-2026-11-24-2.csv"
    assert first.read_text() == "my notes\n"
    assert export_path(portfolio, TODAY).name == "house-trades-2026-11-24-3.csv"
