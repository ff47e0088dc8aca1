"""CSV export of a plan's trades: columns, quoting, never over an existing file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from rebal.core.planner.types import PlanOptions, Skipped, Trade
from rebal.present.csv import COLUMNS, plan_csv
from rebal.store.load import load
from rebal.tui.export import export_path, export_trades
from tui.conftest import stand_in_plan
from tui.helpers import FIXTURES

TODAY = dt.date(2026, 11, 24)


def test_rows_read_back_with_commas_and_quotes_intact() -> None:
    plan = stand_in_plan(load(FIXTURES / "household.toml").portfolio, PlanOptions())
    rows = list(csv.reader(io.StringIO(plan_csv(plan))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1] == ["401(k)", "VB", "sell", "35", "7700.00", "Small Cap Stock over", "planned"]
    assert rows[4][-2] == "Bonds [under]"
    assert rows[5] == ["IRA", "VV", "buy", "1", "250.00", "below the minimum trade", "skipped"]
    assert len(rows) == 1 + len(plan.trades) + len(plan.skipped)


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


def test_the_export_never_writes_a_cell_a_spreadsheet_would_run(tmp_path: Path) -> None:
    """Failed before: a class, ticker, account or reason starting = + - @ was written raw."""
    plan = replace(
        stand_in_plan(load(FIXTURES / "household.toml").portfolio, PlanOptions()),
        trades=(Trade("=cmd|' /C calc'!A0", "+VB", "sell", Decimal(1), Decimal(220), "@SUM(1)"),),
        skipped=(Skipped("-IRA", "=VV", "buy", Decimal(1), Decimal(250), "\t=1+2"),),
    )
    written = export_trades(tmp_path / "house.toml", plan, TODAY)
    rows = list(csv.reader(io.StringIO(written.read_text(), newline="")))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "'+VB", "sell", "1", "220.00", "'@SUM(1)", "planned"]
    assert rows[2] == ["'-IRA", "'=VV", "buy", "1", "250.00", "'\t=1+2", "skipped"]
