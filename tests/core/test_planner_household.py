"""Golden plans for sample_portfolios/household.toml, the household the README and docs show."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rebal.core.planner import PlanOptions, plan
from rebal.model import Portfolio
from rebal.store.load import load

HOUSEHOLD = Path(__file__).resolve().parents[2] / "sample_portfolios" / "household.toml"


@pytest.fixture(scope="module")
def household() -> Portfolio:
    return load(HOUSEHOLD).portfolio


def test_cash_flow_withdrawal_sells_only_the_withdrawal(household: Portfolio) -> None:
    # Jordan 401(k) holds no cash: a $1,000 withdrawal sells exactly $1,000, of
    # the class furthest over target (US Stocks, 66.99% against 55%), and leaves
    # nothing idle in cash. (It once sold $10,373.67: past the point where cash
    # reaches its target, selling more leaves the total drift unchanged.)
    result = plan(
        household,
        PlanOptions(mode="cash-flow", new_money={"Jordan 401(k)": Decimal(-1000)}),
    )
    sells = [t for t in result.trades if t.action == "sell"]
    assert [(t.account, t.ticker, t.amount) for t in sells] == [
        ("Jordan 401(k)", "FXAIX", Decimal("1000.00"))
    ]
    assert result.leftover_cash["Jordan 401(k)"] == 0


def test_cash_flow_withdrawal_covered_by_cash_sells_nothing(household: Portfolio) -> None:
    result = plan(
        household,
        PlanOptions(mode="cash-flow", new_money={"Jordan Traditional IRA": Decimal(-1000)}),
    )
    assert not [t for t in result.trades if t.action == "sell"]
    # A withdrawing account only sells (rebalancing-math §2.3): its other $250.75 stays.
    assert result.leftover_cash["Jordan Traditional IRA"] == Decimal("250.75")
