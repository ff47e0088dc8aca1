"""`rebal plan`: option parsing, rendering, the JSON contract and --save.

These tests replace the planner with a hand-built plan so they test what the
command does with a plan (the planner has its own tests); the end-to-end tests
in test_cli_plan_e2e.py run the real one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebal.commands.plan import InputError, parse_amount
from rebal.core.planner.types import (
    NewMoneyToBand,
    Plan,
    PlanError,
    PlanOptions,
    Residual,
    Skipped,
    Trade,
)
from rebal.core.report import build_report
from rebal.model import Portfolio

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


def hand_plan(portfolio: Portfolio, options: PlanOptions) -> Plan:
    report = build_report(portfolio)
    return Plan(
        options=options,
        method="hand-built for tests",
        trades=(
            Trade(
                "Jordan Traditional IRA",
                "VTI",
                "sell",
                Decimal(100),
                Decimal("29012.00"),
                "US Stocks [over]",
            ),
            Trade(
                "Jordan Traditional IRA",
                "VXUS",
                "buy",
                Decimal("447.716"),
                Decimal("29012.00"),
                "International Stocks under",
            ),
            Trade("Jordan 401(k)", "FXNAX", "buy", Decimal(10), Decimal("105.20"), "Bonds under"),
            Trade(
                "Jordan 401(k)",
                "FXAIX",
                "sell",
                Decimal("0.488"),
                Decimal("105.20"),
                "US Stocks over",
            ),
        ),
        skipped=(
            Skipped(
                "Sam Roth IRA",
                "VXUS",
                "buy",
                Decimal(4),
                Decimal("259.20"),
                "below the $500.00 minimum trade",
            ),
        ),
        before=tuple(report.classes),
        after=tuple(report.classes),
        leftover_cash={"Jordan Traditional IRA": Decimal("1250.75"), "Jordan 401(k)": Decimal(0)},
        residual=(
            Residual(
                "International Stocks",
                Decimal("-12345.675"),
                "the 401(k) menu has no international fund",
            ),
        ),
        new_money_to_band=NewMoneyToBand(
            Decimal("123456.785"), {"Jordan 401(k)": Decimal("123456.785")}, (), "no sells"
        ),
        notes=("a note",),
    )


@pytest.fixture
def planner(monkeypatch: pytest.MonkeyPatch) -> list[PlanOptions]:
    """Replace the planner with `hand_plan`; the list collects the options it was called with."""
    calls: list[PlanOptions] = []

    def fake(portfolio: Portfolio, options: PlanOptions) -> Plan:
        calls.append(options)
        return hand_plan(portfolio, options)

    monkeypatch.setattr("rebal.core.planner.plan", fake, raising=False)
    return calls


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("5000", Decimal("5000")),
        ("-2500", Decimal("-2500")),
        ("5,000.00", Decimal("5000.00")),
        ("$5000", Decimal("5000")),
        ("-$2,500.5", Decimal("-2500.5")),
        ("1,234,567.89", Decimal("1234567.89")),
        (" 12.3 ", Decimal("12.3")),
    ],
)
def test_amounts_people_type(text: str, amount: Decimal) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    "text", ["", "abc", "5,00", "50,0000", "1e3", "5000.123", "$", "--5", "5 000", "NaN"]
)
def test_other_amounts_are_rejected(text: str) -> None:
    with pytest.raises(InputError, match="is not an amount of money"):
        parse_amount(text)


def test_new_money_reaches_the_planner(
    rebal: Rebal, samples: Path, planner: list[PlanOptions]
) -> None:
    result = rebal(
        "plan",
        samples / "household.toml",
        "--mode",
        "cash-flow",
        "--new-money",
        "$5,000@Sam Roth IRA",
        "--new-money",
        "-2500@jordan 401(k)",
        "--new-money",
        "1000.50@Sam Roth IRA",
        "--whole-shares",
        "--min-trade",
        "50",
    )

    assert result.code == 0, result.err
    assert planner == [
        PlanOptions(
            mode="cash-flow",
            new_money={"Sam Roth IRA": Decimal("6000.50"), "Jordan 401(k)": Decimal("-2500")},
            whole_shares=True,
            min_trade=Decimal(50),
        )
    ]


def test_the_account_may_be_left_out_only_with_one_account(
    rebal: Rebal, samples: Path, planner: list[PlanOptions]
) -> None:
    single = rebal("plan", samples / "seed_return.toml", "--new-money", "1000", "--json")
    assert single.code == 0
    assert planner[0].new_money == {"Brokerage": Decimal(1000)}

    several = rebal("plan", samples / "household.toml", "--new-money", "1000")
    assert several.code == 2
    assert "say which account" in several.err
    assert "'Jordan 401(k)', 'Jordan Traditional IRA', 'Sam Roth IRA', 'Joint Brokerage'" in (
        several.err
    )
    assert several.out == ""


def test_an_unknown_account_or_amount_exits_2(
    rebal: Rebal, samples: Path, planner: list[PlanOptions]
) -> None:
    unknown = rebal("plan", samples / "household.toml", "--new-money", "100@Roth IRA")
    assert unknown.code == 2
    assert "no account 'Roth IRA' (did you mean 'Sam Roth IRA'?)" in unknown.err
    assert "household.toml" in unknown.err

    empty = rebal("plan", samples / "household.toml", "--new-money", "5000@")
    assert empty.code == 2
    assert "'5000@': write the account's name after '@'; the accounts are 'Jordan 401(k)'" in (
        empty.err
    )

    bad = rebal("plan", samples / "household.toml", "--new-money", "5k@Sam Roth IRA")
    assert bad.code == 2
    assert "'5k' is not an amount of money" in bad.err

    negative = rebal("plan", samples / "household.toml", "--min-trade", "-5")
    assert negative.code == 2
    assert "cannot be negative" in negative.err
    assert planner == []


def test_a_plan_error_exits_2_naming_the_file(
    rebal: Rebal, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(portfolio: Portfolio, options: PlanOptions) -> Plan:
        raise PlanError("the withdrawal of 9,999,999.00 is more than Sam Roth IRA holds")

    monkeypatch.setattr("rebal.core.planner.plan", refuse, raising=False)
    result = rebal("plan", samples / "household.toml")

    assert result.code == 2
    assert re.search(r"household\.toml: cannot plan: the withdrawal .* more than", result.err)
    assert "Traceback" not in result.err


def test_an_invalid_file_exits_2(rebal: Rebal, tmp_path: Path, planner: list[PlanOptions]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[portfolio]\nname = 'x'\n")
    result = rebal("plan", path)

    assert result.code == 2
    assert "bad.toml:1:1: error: portfolio.as_of: required key" in result.err
    assert planner == []


def test_human_output_groups_trades_by_account(
    rebal: Rebal, samples: Path, planner: list[PlanOptions]
) -> None:
    result = rebal("plan", samples / "household.toml")
    out = result.out

    assert result.code == 0
    ira = out.index("Jordan Traditional IRA: sell 29,012.00, buy 29,012.00, cash left 1,250.75")
    k401 = out.index("Jordan 401(k): sell 105.20, buy 105.20")
    # Accounts in file order (the 401(k) first, although the plan lists the IRA first),
    # as the app and the CSV list them.
    assert k401 < out.index("FXNAX") < ira < out.index("447.716")
    # The plan lists the 401(k)'s buy first; the table puts the sell that pays for it first.
    assert k401 < out.index("FXAIX") < out.index("FXNAX")
    assert "US Stocks [over]" in out  # user-visible reason text is not markup
    assert "Skipped (not traded)" in out
    assert "below the $500.00 minimum trade" in out
    assert "Classes before and after the trades" in out
    assert "Drift the plan cannot remove" in out
    assert "-12,345.68" in out  # half up to the cent
    assert "the 401(k) menu has no international fund" in out
    assert (
        "New money to get back in band without selling: $123,456.79 ($123,456.79 to Jordan 401(k))"
        in out
    )


def test_json_has_the_check_keys_and_the_plan(
    rebal: Rebal, samples: Path, planner: list[PlanOptions]
) -> None:
    result = rebal("plan", samples / "household.toml", "--mode", "band-edge", "--json")
    data = result.json()

    assert result.code == 0
    for key in (
        "schema",
        "portfolio",
        "currency",
        "as_of",
        "total",
        "classes",
        "accounts",
        "return",
    ):
        assert key in data
    assert data["total"] == "793894.95"
    assert data["mode"] == "band-edge"
    assert data["trades"][1] == {
        "account": "Jordan Traditional IRA",
        "ticker": "VXUS",
        "action": "buy",
        "shares": "447.716",
        "amount": "29012.00",
        "reason": "International Stocks under",
        # Tax keys, present for every file: empty/null without [tax], lots or cost_basis.
        "lots": [],
        "gain": None,
        "tax": None,
    }
    assert data["skipped"][0]["amount"] == "259.20"
    assert [row["class"] for row in data["after"]] == [row["class"] for row in data["classes"]]
    assert data["leftover_cash"] == [
        {"account": "Jordan Traditional IRA", "cash": "1250.75"},
        {"account": "Jordan 401(k)", "cash": "0.00"},
    ]
    assert data["residual"] == [
        {
            "class": "International Stocks",
            "drift": "-12345.68",
            "reason": "the 401(k) menu has no international fund",
        }
    ]
    assert data["new_money_to_band"] == "123456.79"


def test_save_writes_plan_and_history_and_keeps_comments(
    rebal: Rebal, tmp_copy: Callable[[str], Path], planner: list[PlanOptions]
) -> None:
    path = tmp_copy("household")
    original = path.read_text()

    result = rebal("plan", path, "--new-money", "5000@Sam Roth IRA", "--save", "--json")

    assert result.code == 0, result.err
    assert result.json()["mode"] == "full"  # stdout holds only the JSON
    assert "saved the plan (4 trades)" in result.err
    text = path.read_text()
    assert text.startswith(original)  # every comment and value the user wrote
    data = tomllib.loads(text)
    assert data["plan"]["inputs"]["new_money"] == ["5000.00@Sam Roth IRA"]
    assert [t["status"] for t in data["plan"]["trades"]] == ["planned"] * 4
    assert len(data["history"]) == 2
    assert path.with_name("household.toml.bak").read_text() == original


def test_a_refused_save_exits_2_and_leaves_the_file(
    rebal: Rebal,
    tmp_copy: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_copy("household")

    def edit_meanwhile(portfolio: Portfolio, options: PlanOptions) -> Plan:
        # Someone saves the file in an editor while rebal is planning.
        path.write_text(path.read_text() + "\n# edited elsewhere\n")
        return hand_plan(portfolio, options)

    monkeypatch.setattr("rebal.core.planner.plan", edit_meanwhile, raising=False)
    result = rebal("plan", path, "--save")

    assert result.code == 2
    assert "changed on disk" in result.err
    assert path.read_text().endswith("# edited elsewhere\n")
    assert "[plan]" not in path.read_text()


@pytest.mark.parametrize("typed", ["-2500@Brokerage", "-2,500", "-$2,500.00", "--new-money=-2500"])
def test_a_withdrawal_can_be_typed_after_the_option(
    rebal: Rebal, samples: Path, planner: list[PlanOptions], typed: str
) -> None:
    args = [typed] if typed.startswith("--") else ["--new-money", typed]
    result = rebal("plan", samples / "seed_return.toml", *args, "--json")

    assert result.code == 0, result.err
    assert planner[0].new_money == {"Brokerage": Decimal(-2500)}


@given(
    cents_value=st.integers(min_value=-(10**12), max_value=10**12),
    commas=st.booleans(),
    dollar=st.booleans(),
)
def test_any_amount_written_as_people_write_it_parses_back(
    cents_value: int, commas: bool, dollar: bool
) -> None:
    amount = Decimal(cents_value).scaleb(-2)
    body = f"{abs(amount):,.2f}" if commas else f"{abs(amount):.2f}"
    text = ("-" if amount < 0 else "") + ("$" if dollar else "") + body

    assert parse_amount(text) == amount
