"""The planner's one method on the cases that once gave different answers to the same question.

Cash-flow mode water-fills across the household (the lowest relative
deviation first, cash included), and the answer does not depend on how the
money is split into accounts or on the unit of money.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from test_planner_support import D, by_line, make_portfolio, scaled

from rebal.core.numbers import cents
from rebal.core.planner import PlanOptions, plan
from rebal.model import Portfolio
from rebal.store.load import load

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLD = ROOT / "sample_portfolios" / "household.toml"
TARGETS = {"Stocks": 50, "Intl": 20, "Bonds": 20, "Cash": 10}
SECURITIES = {"STK": (1, "Stocks"), "INT": (1, "Intl"), "BND": (1, "Bonds")}


def idle_cash_household(one_account: bool) -> Portfolio:
    """IRA: STK 67,000 and INT 8,000; 401k (menu BND): BND 10,000; 15,000 arrives in the 401k."""
    if one_account:
        accounts = [
            {
                "name": "401k",
                "kind": "traditional",
                "menu": ["BND"],
                "holdings": {"STK": 67000, "INT": 8000, "BND": 10000},
            }
        ]
    else:
        accounts = [
            {"name": "IRA", "kind": "traditional", "holdings": {"STK": 67000, "INT": 8000}},
            {"name": "401k", "kind": "traditional", "menu": ["BND"], "holdings": {"BND": 10000}},
        ]
    return make_portfolio(TARGETS, SECURITIES, accounts)


def _mix(result) -> dict[str, Decimal]:
    return {row.asset_class: cents(row.value) for row in result.after}


@pytest.mark.parametrize("one_account", [False, True], ids=["two-accounts", "one-account"])
def test_cash_flow_water_fills_bonds_and_cash_to_one_level(one_account: bool) -> None:
    # Bonds (f = -0.5) and cash (f = +0.5) meet at f = -1/6: 6,666.67 buys bonds
    # and 8,333.33 stays. Across two accounts it once bought 5,000 and left
    # 10,000 idle (Cash exactly on target, Bonds 15%): the spread pass saw only
    # Stocks and Intl, the extremes, and the turnover pass then kept the cash.
    result = plan(
        idle_cash_household(one_account),
        PlanOptions(mode="cash-flow", new_money={"401k": D(15000)}),
    )
    assert by_line(result) == {("401k", "BND", "buy"): D("6666.67")}
    assert result.leftover_cash["401k"] == D("8333.33")
    assert _mix(result) == {
        "Stocks": D(67000),
        "Intl": D(8000),
        "Bonds": D("16666.67"),
        "Cash": D("8333.33"),
    }
    method = "Mao's optimal lazy" if one_account else "linear program"
    assert result.method.startswith(method)


@pytest.fixture(scope="module")
def household() -> Portfolio:
    return load(HOUSEHOLD).portfolio


def test_household_cash_flow_invests_the_401k_money_in_bonds(household: Portfolio) -> None:
    # Bonds (f = -0.20) is lower than cash (f = -0.11 after the deposit): all
    # $10,000 buys bonds. It once left $3,655.80 idle with Bonds ~$34,000 under.
    result = plan(household, PlanOptions(mode="cash-flow", new_money={"Jordan 401(k)": D(10000)}))
    bought = {k: v for k, v in by_line(result).items() if k[0] == "Jordan 401(k)"}
    assert bought == {("Jordan 401(k)", "FXNAX", "buy"): D("10000.00")}
    assert result.leftover_cash["Jordan 401(k)"] == 0


@pytest.mark.parametrize("mode", ["full", "band-edge", "cash-flow"])
def test_the_household_at_ten_thousand_times_the_money_gets_the_same_plan(
    household: Portfolio, mode: str
) -> None:
    # $7.9B: once "no plan satisfies the constraints ... Infeasible" in cash-flow
    # mode (absolute solver tolerances against unscaled dollars).
    factor = D(10_000)
    money = {"Jordan 401(k)": D(10000)}
    base = plan(household, PlanOptions(mode=mode, new_money=money))  # type: ignore[arg-type]
    big = plan(
        scaled(household, factor),
        PlanOptions(mode=mode, new_money={k: v * factor for k, v in money.items()}),  # type: ignore[arg-type]
    )
    assert [(t.account, t.ticker, t.action) for t in big.trades] == [
        (t.account, t.ticker, t.action) for t in base.trades
    ]
    # The base plan rounds each line to cents, and band-edge aims two cents inside
    # each edge it moves a class to (at any scale: rounding is to whole cents).
    money_apart = D("0.05") if mode == "band-edge" else D("0.01")
    for one, other in zip(base.trades, big.trades, strict=True):
        price = household.securities[one.ticker].price
        assert abs(one.shares - other.shares) <= money_apart / price + D("0.000002")
    for one, other in zip(base.after, big.after, strict=True):
        assert abs(one.value - other.value / factor) <= D("0.01") * (len(base.trades) + 1)


def test_a_generated_household_worth_billions_plans_in_cash_flow_mode() -> None:
    # 520 accounts (bench/generate.py) at ten times the prices and cash: $2.6B,
    # once infeasible for the solver. Its cash is far under its 5% target, so
    # cash-flow mode keeps it (its f is the lowest) until new money arrives.
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import household as generated

    from rebal.model import Portfolio as Model

    portfolio = scaled(Model.model_validate(generated(520, 5200)), D(10))
    result = plan(portfolio, PlanOptions(mode="cash-flow"))
    assert result.trades == ()
    result = plan(
        portfolio, PlanOptions(mode="cash-flow", new_money={"Account 0001": D(500_000_000)})
    )
    # Cash is now over target household-wide: every account with cash invests it.
    assert "Account 0001" in {t.account for t in result.trades}
    assert all(t.action == "buy" for t in result.trades)
    assert all(cash >= 0 for cash in result.leftover_cash.values())


def test_a_cash_flow_withdrawal_lowers_the_highest_classes_first() -> None:
    # $10,000 out of account A: after it, Stocks is at f = +0.39 and Intl at +0.25
    # (targets $36,000 each). Selling either lowers the drift the same; the
    # mirror of water-filling sells Stocks down to Intl's level ($5,000), then
    # both together ($2,500 each).
    portfolio = make_portfolio(
        {"Stocks": 40, "Intl": 40, "Bonds": 20},
        SECURITIES,
        [
            {"name": "A", "kind": "traditional", "holdings": {"STK": 50000, "INT": 45000}},
            {"name": "B", "kind": "traditional", "menu": ["BND"], "holdings": {"BND": 5000}},
        ],
    )
    result = plan(portfolio, PlanOptions(mode="cash-flow", new_money={"A": D(-10000)}))
    assert by_line(result) == {
        ("A", "STK", "sell"): D("7500.00"),
        ("A", "INT", "sell"): D("2500.00"),
    }
    assert result.leftover_cash == {"A": D(0), "B": D(0)}
