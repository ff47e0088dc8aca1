"""Withdrawals typed as negative amounts, wherever they sit on the command line.

argparse reads "-2500@IRA" as an unknown option; the CLI spells such values the
documented ways (`--opt=-2500@IRA`, positionals after `--`) before parsing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rebal.cli import main

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


def new_money_note(result: Any) -> str:
    assert result.code == 0, result.err
    notes: list[str] = result.json()["notes"]
    return next(note for note in notes if note.startswith("new money added"))


def refused(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    """What argparse says when it refuses `rebal *args` (it exits 2 by SystemExit)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in args])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def pending_flows(path: Path) -> list[dict[str, Any]]:
    flows: list[dict[str, Any]] = tomllib.loads(path.read_text())["flows"]
    return flows


@pytest.mark.parametrize(
    "args",
    [
        ("{file}", "-500@Brokerage", "--date", "2026-06-01"),
        ("--date", "2026-06-01", "{file}", "-500@Brokerage"),
        ("{file}", "--date", "2026-06-01", "-$500.00@Brokerage", "--note", "fees"),
        ("{file}", "--note", "fees", "-500"),  # one account: it may be left out
        ("{file}", "--", "-500@Brokerage"),  # the user's own `--` still works
        ("{file}", "-500@brokerage", "--da", "2026-06-01"),  # abbreviated option
    ],
)
def test_flow_takes_a_negative_amount_as_its_positional_anywhere(
    rebal: Rebal, tmp_copy: Callable[[str], Path], args: tuple[str, ...]
) -> None:
    path = tmp_copy("seed_return")
    result = rebal("flow", *(str(path) if a == "{file}" else a for a in args))

    assert result.code == 0, result.err
    assert "withdrawal of 500.00 from Brokerage" in result.err
    assert pending_flows(path)[-1]["amount"] == Decimal("-500.00")


def test_flow_keeps_a_note_that_looks_like_an_amount(
    rebal: Rebal, tmp_copy: Callable[[str], Path]
) -> None:
    path = tmp_copy("seed_return")
    result = rebal("flow", path, "-2,500@Brokerage", "--note", "-100@fees", "--date", "2026-06-01")

    assert result.code == 0, result.err
    assert pending_flows(path)[-1]["amount"] == Decimal("-2500.00")
    assert pending_flows(path)[-1]["note"] == "-100@fees"


def test_flow_with_two_amounts_is_refused_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_copy: Callable[[str], Path]
) -> None:
    path = tmp_copy("seed_return")
    before = path.read_text()
    err = refused(capsys, "flow", path, "-500@Brokerage", "-200@Brokerage")

    assert "unrecognized arguments: -200@Brokerage" in err
    assert path.read_text() == before


@pytest.mark.parametrize(
    "args",
    [
        ("--new-money", "-2500@Brokerage"),
        ("--new", "-2,500"),  # abbreviated option
        ("--new-money=-$2,500.00",),
        ("--new-money", "-2500", "--whole-shares"),
    ],
)
def test_plan_takes_a_negative_amount_after_new_money(
    rebal: Rebal, samples: Path, args: tuple[str, ...]
) -> None:
    result = rebal("plan", samples / "seed_return.toml", "--json", *args)

    assert "-$2,500.00 to Brokerage" in new_money_note(result)


def test_plan_takes_negative_amounts_for_several_accounts(rebal: Rebal, samples: Path) -> None:
    result = rebal(
        "plan", samples / "household.toml", "--new-money", "-2500@Jordan 401(k)",
        "--new-money", "-1,000.50@Sam Roth IRA", "--json",
    )

    assert "-$2,500.00 to Jordan 401(k), -$1,000.50 to Sam Roth IRA" in new_money_note(result)


@pytest.mark.parametrize("stray", ["-500", "-500@Brokerage"])
def test_plan_refuses_a_negative_amount_without_its_option(
    capsys: pytest.CaptureFixture[str], samples: Path, stray: str
) -> None:
    err = refused(capsys, "plan", samples / "seed_return.toml", stray, "--json")

    assert f"unrecognized arguments: {stray}" in err


def test_plan_with_new_money_last_and_no_amount_says_so(
    capsys: pytest.CaptureFixture[str], samples: Path
) -> None:
    err = refused(capsys, "plan", samples / "seed_return.toml", "--new-money")

    assert "--new-money: expected one argument" in err
