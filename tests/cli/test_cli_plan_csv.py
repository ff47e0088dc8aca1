"""`rebal plan FILE --csv OUT`: the app's CSV for scripts, written safely.

The CSV is the one writer's (rebal.present.csv, tested there cell by cell);
these tests cover what the command does: where it writes, what it refuses, the
statuses from the saved plan, and that it is byte for byte the app's export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli.test_cli_plan import hand_plan
from rebal.core.planner import plan as make_plan
from rebal.core.planner.types import Plan, PlanOptions
from rebal.model import Portfolio
from rebal.present.csv import COLUMNS
from rebal.store.load import load
from rebal.store.save import mark_trades
from rebal.tui.export import export_trades

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


@pytest.fixture
def planner(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(portfolio: Portfolio, options: PlanOptions) -> Plan:
        return hand_plan(portfolio, options)

    monkeypatch.setattr("rebal.core.planner.plan", fake, raising=False)


@pytest.fixture
def household(tmp_path: Path, samples: Path) -> Path:
    path = tmp_path / "household.toml"
    shutil.copyfile(samples / "household.toml", path)
    return path


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_csv_out_has_trades_then_skipped_lines(
    rebal: Rebal, household: Path, planner: None
) -> None:
    out = household.with_name("trades.csv")
    result = rebal("plan", household, "--csv", out)
    assert result.code == 0
    assert "Skipped (not traded)" in result.out  # the tables still go to stdout
    assert f"{out}: wrote 4 trades and 1 skipped line as CSV" in result.err
    table = read_csv(out)
    assert tuple(table[0]) == COLUMNS
    assert table[1] == [
        "Jordan Traditional IRA", "VTI", "sell", "100", "29012.00", "US Stocks [over]", "planned"
    ]
    assert table[5] == [
        "Sam Roth IRA", "VXUS", "buy", "4", "259.20", "below the $500.00 minimum trade", "skipped"
    ]
    assert len(table) == 6
    assert [p.name for p in household.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_csv_dash_writes_only_the_csv_to_stdout(
    rebal: Rebal, household: Path, planner: None
) -> None:
    result = rebal("plan", household, "--csv", "-")
    assert result.code == 0
    assert rows(result.out)[0] == list(COLUMNS)
    assert len(rows(result.out)) == 6
    assert rebal("plan", household, "--csv", "-", "--json").code == 2


def test_statuses_come_from_the_saved_plan(rebal: Rebal, household: Path, planner: None) -> None:
    assert rebal("plan", household, "--save").code == 0
    mark_trades(load(household), {0: "done", 2: "placed"})
    out = household.with_name("trades.csv")
    assert rebal("plan", household, "--csv", out).code == 0
    assert [row[-1] for row in read_csv(out)[1:]] == [
        "done", "planned", "placed", "planned", "skipped"
    ]
    # Saving the same plan again keeps each identical trade's status, and the CSV
    # says what the file now says.
    assert rebal("plan", household, "--save", "--csv", out).code == 0
    assert [row[-1] for row in read_csv(out)[1:]][:4] == ["done", "planned", "placed", "planned"]


def test_the_same_csv_as_the_apps_export(rebal: Rebal, household: Path, tmp_path: Path) -> None:
    """The real planner, the CLI and the app's export: one writer, the same bytes."""
    out = tmp_path / "cli.csv"
    assert rebal("plan", household, "--csv", out).code == 0
    loaded = load(household)
    plan = make_plan(loaded.portfolio, PlanOptions())
    exported = export_trades(household, plan, dt.date(2026, 11, 24), loaded.portfolio.plan)
    assert out.read_bytes() == exported.read_bytes()


def test_an_existing_csv_is_replaced_keeping_its_mode(
    rebal: Rebal, household: Path, planner: None
) -> None:
    out = household.with_name("trades.csv")
    out.write_text("old\n")
    out.chmod(0o640)
    assert rebal("plan", household, "--csv", out).code == 0
    assert read_csv(out)[0] == list(COLUMNS)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.timeout(30)  # a FIFO opened for writing would block here forever
def test_fifos_devices_folders_and_read_only_files_are_refused(
    rebal: Rebal, household: Path, planner: None
) -> None:
    fifo = household.with_name("fifo.csv")
    os.mkfifo(fifo)
    read_only = household.with_name("ro.csv")
    read_only.write_text("keep\n")
    read_only.chmod(0o444)
    for target, words in (
        (fifo, "not a regular file"),
        (Path("/dev/null"), "not a regular file"),
        (household.parent, "not a regular file"),
        (read_only, "read-only"),
        (household.parent / "no-such-folder" / "t.csv", "does not exist"),
    ):
        result = rebal("plan", household, "--csv", target)
        assert result.code == 2, target
        assert words in result.err
        assert "nothing was written" in result.err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert read_only.read_text() == "keep\n"


def test_the_portfolio_file_itself_is_never_overwritten(
    rebal: Rebal, household: Path, planner: None
) -> None:
    before = household.read_bytes()
    link = household.with_name("link.csv")
    link.symlink_to(household)
    for target in (household, link, household.parent / "." / household.name):
        result = rebal("plan", household, "--csv", target)
        assert result.code == 2
        assert "the portfolio file itself" in result.err
    assert household.read_bytes() == before


def test_the_backup_and_the_lock_file_are_never_overwritten(
    rebal: Rebal, household: Path, planner: None
) -> None:
    """`--csv household.toml.bak` replaced the only copy of the file before the
    last save with CSV; `--csv .household.toml.lock` wrote over the writer lock."""
    backup = household.with_name(household.name + ".bak")
    backup.write_text("# the version before the last save\n")
    lock = household.with_name(f".{household.name}.lock")
    lock.write_text("")
    for target, words in ((backup, "backup"), (lock, "lock file")):
        result = rebal("plan", household, "--csv", target)
        assert result.code == 2, result.err
        assert f"that is the portfolio's {words}" in result.err
        assert "nothing was written" in result.err
    assert backup.read_text() == "# the version before the last save\n"
    assert lock.read_text() == ""


def test_names_a_spreadsheet_would_run_are_neutralised(rebal: Rebal, household: Path) -> None:
    """The real planner on a file whose account and class names start a formula."""
    text = household.read_text()
    text = text.replace('"US Stocks"', '"=US Stocks"').replace(
        'name = "Jordan Traditional IRA"', 'name = "@Jordan IRA"'
    )
    household.write_text(text)
    result = rebal("plan", household, "--csv", "-")
    assert result.code == 0, result.err
    table = rows(result.out)
    assert any(row[0] == "'@Jordan IRA" for row in table[1:])
    for row in table:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row), row


def test_the_documented_csv_example_is_real(rebal: Rebal, household: Path, planner: None) -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    example = text.split("```text\naccount,ticker,")[1].split("```")[0]
    documented = rows("account,ticker," + example)
    actual = rows(rebal("plan", household, "--csv", "-").out)
    assert documented[0] == actual[0] == list(COLUMNS)
    assert documented[1] == actual[1]
    assert documented[2] == actual[-1]
