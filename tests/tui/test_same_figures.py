"""`rebal check` and the app say every class's figures the same way (rebal.present).

A household chosen for the cases where two formatters part: a band edge on a
half cent of a percent (5/25 on a 2.5% target: 1.875–3.125%), drifts that
round to nothing (+0.004 and -0.004 points) and every status word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import DataTable

from rebal.cli import main
from rebal.tui.app import RebalApp
from tui.helpers import fixed_clock, wait_until

HOUSEHOLD = """\
[portfolio]
name = "Figures"
currency = "USD"
as_of = 2026-11-20

[targets]
Gold = 2.5
Stocks = 60
Bonds = 37.5
Cash = 0

[bands]
kind = "5/25"

[securities.GLD]
price = 150.00
class = "Gold"

[securities.STK]
price = 6000.40
class = "Stocks"

[securities.BND]
price = 3749.60
class = "Bonds"

[[accounts]]
name = "Brokerage"
kind = "taxable"
cash = 100
holdings = { GLD = 1, STK = 1, BND = 1 }
"""

CLASS_COLUMNS = ("Class", "Target", "Band", "Actual", "Drift", "Value", "Status")


def cli_class_rows(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, str]]:
    """`rebal check`'s class table (to a pipe), cell by cell, by class."""
    capsys.readouterr()
    assert main(["check", str(path)]) == 1  # 1: a class is out of its band
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split() == list(CLASS_COLUMNS))
    rows: dict[str, dict[str, str]] = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = dict(zip(CLASS_COLUMNS, cells, strict=True))
    return rows


def app_cells(table: DataTable[object]) -> dict[str, dict[str, str]]:
    columns = [str(column.label) for column in table.columns.values()]
    return {
        str(key.value): {
            name: str(getattr(cell, "plain", cell))
            for name, cell in zip(columns, table.get_row(key), strict=True)
        }
        for key in table.rows
    }


async def test_the_cli_and_the_app_show_each_class_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "figures.toml"
    path.write_text(HOUSEHOLD, encoding="utf-8")
    cli = cli_class_rows(path, capsys)

    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.pause()
        targets = app_cells(app.screen.query_one("#targets", DataTable))
        await pilot.press("2")
        await wait_until(pilot, lambda: app.current_mode == "compare" and app.screen.is_current,
                         what="step 2")
        await pilot.pause()
        drift = app_cells(app.screen.query_one("#drift", DataTable))

    assert set(cli) == set(drift) == set(targets) == {"Gold", "Stocks", "Bonds", "Cash"}
    for name, row in cli.items():
        assert drift[name]["Target"] == targets[name]["Target"] == row["Target"]
        assert drift[name]["Actual"] == targets[name]["Now"] == row["Actual"]
        assert drift[name]["Band"] == row["Band"]
        assert targets[name]["Band"].endswith("→ " + row["Band"])
        # The app says the unit and marks the status with an arrow; the figures and
        # words are the CLI's.
        assert drift[name]["Drift"] == row["Drift"]
        assert drift[name]["Status"].split()[-1] == row["Status"]
        assert targets[name]["Status"] == drift[name]["Status"]

    # The cases where the two used to part: the app rounded 3.125 to even, the CLI
    # signed a drift that rounds to nothing.
    assert cli["Gold"]["Band"] == "1.88–3.13%"
    assert targets["Gold"]["Band"] == "2.5% → 1.88–3.13%"
    assert cli["Stocks"]["Drift"] == "0.00"
    assert drift["Stocks"]["Drift"] == "0.00"
    assert cli["Bonds"]["Drift"] == "0.00"
    assert {row["Status"] for row in cli.values()} == {"ok", "OVER", "under"}
