"""`rebal plan --only / --avoid-selling / --allow-selling / --details` with the real planner."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rebal.store.load import load

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


def test_only_trades_in_the_named_accounts_and_measures_the_whole_household(
    rebal: Rebal, samples: Path
) -> None:
    path = samples / "household.toml"
    everything = rebal("plan", path, "--json").json()
    result = rebal(
        "plan", path, "--only", "jordan traditional ira", "--only", "Sam Roth IRA", "--json"
    )

    assert result.code == 0, result.err
    data = result.json()
    assert data["only"] == ["Jordan Traditional IRA", "Sam Roth IRA"]
    assert data["trades"]
    assert {t["account"] for t in data["trades"]} <= {"Jordan Traditional IRA", "Sam Roth IRA"}
    # The drift is the household's: the "before" table is the same as without --only.
    assert data["classes"] == everything["classes"]
    assert data["total"] == everything["total"]
    left_out = {row["account"]: row["cash"] for row in data["leftover_cash"]}
    assert left_out["Jordan 401(k)"] == "0.00"  # untouched: it had no cash and traded nothing


def test_an_unknown_account_exits_2_with_did_you_mean(rebal: Rebal, samples: Path) -> None:
    for flag in ("--only", "--avoid-selling", "--allow-selling"):
        result = rebal("plan", samples / "household.toml", flag, "Sam Roth")
        assert result.code == 2
        assert f"{flag} 'Sam Roth': there is no account 'Sam Roth'" in result.err
        assert "(did you mean 'Sam Roth IRA'?)" in result.err
        assert "Traceback" not in result.err
        assert result.out == ""


def test_allow_selling_overrides_the_file_like_the_apps_checkbox(
    rebal: Rebal, samples: Path
) -> None:
    path = samples / "household.toml"
    # The Joint Brokerage avoids selling (the file says so): alone, it sells only what
    # nothing else can, and says so.
    spared = rebal("plan", path, "--only", "Joint Brokerage", "--json").json()
    spared_sells = [t for t in spared["trades"] if t["action"] == "sell"]
    assert spared_sells
    assert all("although this account avoids selling" in t["reason"] for t in spared_sells)
    allowed = rebal(
        "plan", path, "--only", "Joint Brokerage", "--allow-selling", "joint brokerage", "--json"
    ).json()
    assert allowed["avoid_selling"] == {"Joint Brokerage": False}
    sells = [t for t in allowed["trades"] if t["action"] == "sell"]
    assert sells
    assert not any("avoids selling" in t["reason"] for t in sells)


def test_avoid_selling_moves_the_sales_elsewhere(rebal: Rebal, samples: Path) -> None:
    path = samples / "household.toml"
    before = rebal("plan", path, "--json").json()
    assert any(
        t["account"] == "Jordan Traditional IRA" and t["action"] == "sell" for t in before["trades"]
    )
    after = rebal("plan", path, "--avoid-selling", "Jordan Traditional IRA", "--json").json()
    assert after["avoid_selling"] == {"Jordan Traditional IRA": True}
    sold = {t["account"]: Decimal(t["amount"]) for t in after["trades"] if t["action"] == "sell"}
    sold_before = {
        t["account"]: Decimal(t["amount"]) for t in before["trades"] if t["action"] == "sell"
    }
    assert sold.get("Jordan Traditional IRA", Decimal(0)) < sold_before["Jordan Traditional IRA"]


def test_the_same_account_cannot_both_avoid_and_allow_selling(
    rebal: Rebal, samples: Path
) -> None:
    result = rebal(
        "plan",
        samples / "household.toml",
        "--avoid-selling",
        "Sam Roth IRA",
        "--allow-selling",
        "sam roth ira",
    )
    assert result.code == 2
    assert "given both --avoid-selling and --allow-selling" in result.err


def test_new_money_into_an_account_left_out_exits_2(rebal: Rebal, samples: Path) -> None:
    result = rebal(
        "plan",
        samples / "household.toml",
        "--only",
        "Sam Roth IRA",
        "--new-money",
        "1000@Joint Brokerage",
    )
    assert result.code == 2
    assert "which --only leaves out" in result.err


def test_only_and_the_overrides_are_recorded_in_the_saved_inputs(
    rebal: Rebal, tmp_copy: Callable[[str], Path]
) -> None:
    path = tmp_copy("household")
    result = rebal(
        "plan",
        path,
        "--only",
        "Sam Roth IRA",
        "--only",
        "Jordan Traditional IRA",
        "--allow-selling",
        "Joint Brokerage",
        "--avoid-selling",
        "Sam Roth IRA",
        "--save",
    )
    assert result.code == 0, result.err
    inputs = tomllib.loads(path.read_text())["plan"]["inputs"]
    assert inputs["only"] == ["Jordan Traditional IRA", "Sam Roth IRA"]
    assert inputs["avoid_selling"] == ["Sam Roth IRA=true", "Joint Brokerage=false"]
    assert load(path).portfolio.plan is not None  # and the file still loads


def test_a_plan_saved_without_only_keeps_the_inputs_it_had(
    rebal: Rebal, tmp_copy: Callable[[str], Path]
) -> None:
    path = tmp_copy("household")
    assert rebal("plan", path, "--save").code == 0
    inputs = tomllib.loads(path.read_text())["plan"]["inputs"]
    assert set(inputs) == {
        "new_money", "whole_shares", "min_trade", "avoid_selling", "targets", "bands"
    }


@pytest.mark.parametrize("flag", ["--details", "--verbose"])
def test_the_method_line_shows_only_with_details(rebal: Rebal, samples: Path, flag: str) -> None:
    path = samples / "household.toml"
    plain = rebal("plan", path)
    detailed = rebal("plan", path, flag)
    method = rebal("plan", path, "--json").json()["method"]
    assert method not in plain.out
    assert "lexicographic" not in plain.out
    assert f"Method: {method}" in " ".join(detailed.out.split())
