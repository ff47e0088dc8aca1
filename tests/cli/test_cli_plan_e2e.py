"""`rebal plan` with the real planner on the sample portfolios: the contract a script relies on."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rebal.store.load import load

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


def cash_change_by_account(data: dict[str, Any]) -> dict[str, Decimal]:
    change: dict[str, Decimal] = defaultdict(Decimal)
    for trade in data["trades"]:
        sign = 1 if trade["action"] == "sell" else -1
        change[trade["account"]] += sign * Decimal(trade["amount"])
    return change


def test_full_plan_for_the_household_keeps_every_account_cash_neutral(
    rebal: Rebal, samples: Path
) -> None:
    path = samples / "household.toml"
    result = rebal("plan", path, "--json")
    data = result.json()

    assert result.code == 0, result.err
    assert data["mode"] == "full"
    assert data["trades"]
    portfolio = load(path).portfolio
    leftover = {row["account"]: Decimal(row["cash"]) for row in data["leftover_cash"]}
    change = cash_change_by_account(data)
    for account in portfolio.accounts:
        # Cash before + sells - buys = cash after, to the cent, in every account.
        assert account.cash + change[account.name] == leftover[account.name], account.name
        assert leftover[account.name] >= 0
    # Buys respect the 401(k) menu, and the taxable account is not sold.
    menu = set(portfolio.account("Jordan 401(k)").menu or [])
    assert all(
        t["ticker"] in menu
        for t in data["trades"]
        if t["account"] == "Jordan 401(k)" and t["action"] == "buy"
    )
    assert not [
        t for t in data["trades"] if t["account"] == "Joint Brokerage" and t["action"] == "sell"
    ]
    assert {row["status"] for row in data["after"]} == {"in"}
    assert all(t["reason"] for t in data["trades"])


def test_human_plan_lists_trades_by_account_and_the_class_table(
    rebal: Rebal, samples: Path
) -> None:
    result = rebal("plan", samples / "household.toml")

    assert result.code == 0
    assert "Jordan Traditional IRA: sell " in result.out
    assert "Classes before and after the trades" in result.out
    assert "New money to get back in band without selling: " in result.out


def test_cash_flow_with_new_money_never_sells(rebal: Rebal, samples: Path) -> None:
    result = rebal(
        "plan",
        samples / "household.toml",
        "--mode",
        "cash-flow",
        "--new-money",
        "10,000@Sam Roth IRA",
        "--json",
    )
    data = result.json()

    assert result.code == 0, result.err
    assert data["trades"]
    assert {t["action"] for t in data["trades"]} == {"buy"}
    # Far from target with only $10,000 coming in: the rest is reported, not hidden.
    assert {r["class"] for r in data["residual"]} >= {"US Stocks", "Bonds"}


def test_whole_shares_and_min_trade(rebal: Rebal, samples: Path) -> None:
    data = rebal(
        "plan", samples / "household.toml", "--whole-shares", "--min-trade", "2,000", "--json"
    ).json()

    assert data["trades"]
    assert all(
        Decimal(t["shares"]) == Decimal(t["shares"]).to_integral_value() for t in data["trades"]
    )
    assert all(Decimal(t["amount"]) >= 2000 for t in data["trades"])
    assert all(Decimal(s["amount"]) < 2000 for s in data["skipped"])


def test_band_edge_on_seed_bands_ends_every_class_in_band(rebal: Rebal, samples: Path) -> None:
    data = rebal("plan", samples / "seed_bands.toml", "--mode", "band-edge", "--json").json()

    assert {row["status"] for row in data["after"]} == {"in"}
    sold = {t["ticker"] for t in data["trades"] if t["action"] == "sell"}
    bought = {t["ticker"] for t in data["trades"] if t["action"] == "buy"}
    assert sold == {"SMALL"}  # seed 001: sell small caps...
    assert {"LARGE", "BONDS"} <= bought  # ...add to bonds and large caps


def test_a_withdrawal_larger_than_the_account_exits_2(rebal: Rebal, samples: Path) -> None:
    result = rebal(
        "plan", samples / "seed_return.toml", "--mode", "cash-flow", "--new-money", "-1000000"
    )

    assert result.code == 2
    assert "seed_return.toml: cannot plan:" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("name", ["seed_return", "seed_bands", "household"])
def test_save_writes_the_plan_and_a_snapshot_and_keeps_the_file(
    rebal: Rebal, tmp_copy: Callable[[str], Path], name: str
) -> None:
    path = tmp_copy(name)
    original = path.read_text()

    result = rebal("plan", path, "--save", "--json")

    assert result.code == 0, result.err
    printed = result.json()
    text = path.read_text()
    assert text.startswith(original)
    saved = tomllib.loads(text, parse_float=Decimal)
    assert [
        (t["account"], t["ticker"], t["action"], str(t["amount"]), t["status"])
        for t in saved["plan"]["trades"]
    ] == [
        (t["account"], t["ticker"], t["action"], t["amount"], "planned") for t in printed["trades"]
    ]
    assert str(saved["history"][-1]["total"]) == printed["total"]
    # Saving changes no holdings, so the check result is the same as before.
    assert rebal("check", path).code == (0 if name == "seed_return" else 1)


def test_seed_return_full_plan_lands_on_exact_70_20_10_dollars(
    rebal: Rebal, samples: Path
) -> None:
    # Seed 002 one year on: $54,525.00 at 70.6/19.7/9.7. Back to target is
    # exactly $38,167.50 / $10,905.00 / $5,452.50, to the cent.
    result = rebal("plan", samples / "seed_return.toml", "--json")
    data = result.json()

    assert result.code == 0, result.err
    assert data["total"] == "54525.00"
    after = {row["class"]: (row["value"], row["actual"], row["status"]) for row in data["after"]}
    assert after == {
        "Stocks": ("38167.50", "70.00", "in"),
        "Bonds": ("10905.00", "20.00", "in"),
        "Cash": ("5452.50", "10.00", "in"),
    }
    sold = sum(Decimal(t["amount"]) for t in data["trades"] if t["action"] == "sell")
    bought = sum(Decimal(t["amount"]) for t in data["trades"] if t["action"] == "buy")
    leftover = {row["account"]: row["cash"] for row in data["leftover_cash"]}
    # The one account stays cash-neutral: what is sold and not bought stays as cash.
    assert sold == Decimal("332.50")
    assert Decimal(leftover["Brokerage"]) == sold - bought


def test_plan_json_prints_nothing_on_stdout_when_it_cannot_plan(
    rebal: Rebal, samples: Path
) -> None:
    result = rebal(
        "plan", samples / "household.toml", "--json", "--new-money", "-99999999@Sam Roth IRA"
    )

    assert result.code == 2
    assert result.out == ""
    assert "household.toml: cannot plan:" in result.err
