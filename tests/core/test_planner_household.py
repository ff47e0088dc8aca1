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
    # The other accounts only invest their idle cash, in what is furthest under target.
    buys = {(t.account, t.ticker): t.amount for t in result.trades if t.action == "buy"}
    assert buys == {
        ("Jordan Traditional IRA", "VXUS"): Decimal("1250.75"),
        ("Sam Roth IRA", "VXUS"): Decimal("310.20"),
    }


def test_cash_flow_withdrawal_covered_by_cash_sells_nothing(household: Portfolio) -> None:
    result = plan(
        household,
        PlanOptions(mode="cash-flow", new_money={"Jordan Traditional IRA": Decimal(-1000)}),
    )
    assert not [t for t in result.trades if t.action == "sell"]
    # A withdrawing account only sells (rebalancing-math §2.3): its other $250.75 stays.
    assert result.leftover_cash["Jordan Traditional IRA"] == Decimal("250.75")


def test_cash_flow_invests_all_idle_cash_where_mao_says(household: Portfolio) -> None:
    # No new money: the IRAs' idle cash goes to International Stocks, the class
    # furthest under target relative to its size (8.38% of a 15% target, f = -0.44);
    # cash itself is at f = -0.05, so water-filling keeps none of it. It once
    # left $0.12 in Sam Roth IRA: the spread pass's slack, measured as a bare
    # fraction, was worth 1e-6 of the $119,000 target, and the money-traded
    # pass spent it on buying less.
    result = plan(household, PlanOptions(mode="cash-flow"))
    buys = {(t.account, t.ticker): t.amount for t in result.trades}
    assert buys == {
        ("Jordan Traditional IRA", "VXUS"): Decimal("1250.75"),
        ("Sam Roth IRA", "VXUS"): Decimal("310.20"),
    }
    assert all(t.action == "buy" for t in result.trades)
    assert not any(result.leftover_cash.values())


def test_trades_are_ordered_by_account_then_sells_first_then_ticker(household: Portfolio) -> None:
    result = plan(household, PlanOptions(mode="full"))
    position = {a.name: i for i, a in enumerate(household.accounts)}
    keys = [(position[t.account], t.action != "sell", t.ticker) for t in result.trades]
    assert keys == sorted(keys)
    # The household's full plan both sells and buys in one account, with a buy's
    # ticker before a sell's: the sells still come first.
    jordan = [(t.action, t.ticker) for t in result.trades if t.account == "Jordan Traditional IRA"]
    assert jordan == sorted(jordan, key=lambda pair: (pair[0] != "sell", pair[1]))
    assert jordan[0][0] == "sell"
    assert any(t.action == "buy" for t in result.trades if t.account == "Jordan Traditional IRA")


def test_reasons_say_why_not_what(household: Portfolio) -> None:
    full = plan(household, PlanOptions(mode="full"))
    reasons = {(t.account, t.ticker): t.reason for t in full.trades}
    # US Stocks is sold in the IRAs and the 401(k), and a person may wonder why
    # not in the taxable account that holds $174,072 of VTI: the reason says.
    assert reasons[("Jordan 401(k)", "FXAIX")] == (
        "US Stocks is $94,500.78 over target; Joint Brokerage avoids selling"
    )
    assert reasons[("Jordan 401(k)", "FXNAX")] == "Bonds is $38,642.54 under target"

    band_edge = plan(household, PlanOptions(mode="band-edge"))
    reasons = {(t.account, t.ticker): t.reason for t in band_edge.trades}
    assert reasons[("Jordan Traditional IRA", "BND")] == "Bonds is below its band (14.13% < 18.05%)"

    withdrawal = plan(
        household,
        PlanOptions(mode="cash-flow", new_money={"Jordan 401(k)": Decimal(-1000)}),
    )
    (sell,) = [t for t in withdrawal.trades if t.action == "sell"]
    assert sell.reason == (
        "raises cash for the $1,000.00 withdrawal; US Stocks is $95,050.78 over target"
    )


def test_a_sale_names_at_most_two_spared_accounts_and_stays_one_line(
    household: Portfolio,
) -> None:
    # Three more taxable accounts (avoid selling by default) holding the same fund.
    taxable = household.account("Joint Brokerage")
    extra = [
        taxable.model_copy(update={"name": f"Taxable {n}", "broker_id": None}) for n in (2, 3, 4)
    ]
    crowded = household.model_copy(update={"accounts": [*household.accounts, *extra]})

    result = plan(crowded, PlanOptions(mode="full"))

    avoiding = {a.name for a in crowded.accounts if a.avoids_selling}
    sells = [
        t
        for t in result.trades
        if t.action == "sell" and t.ticker in {"FXAIX", "VTI"} and t.account not in avoiding
    ]
    assert sells
    for trade in sells:
        assert trade.reason.endswith("; 4 accounts that hold it avoid selling")
        assert len(trade.reason) <= 80
