"""The one order every listing of trades uses: accounts in file order, sells first, tickers."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core.planner.types import Trade
from rebal.core.trade_order import in_placing_order

ACCOUNTS = ("Roth IRA", "401(k)", "Taxable")


def trade(account: str, action: str, ticker: str) -> Trade:
    return Trade(account, ticker, action, Decimal(1), Decimal(100), "")  # type: ignore[arg-type]


def test_accounts_in_file_order_sells_first_then_tickers() -> None:
    trades = [
        trade("Taxable", "buy", "VXUS"),
        trade("401(k)", "buy", "VV"),
        trade("401(k)", "sell", "VB"),
        trade("Roth IRA", "buy", "BND"),
        trade("401(k)", "buy", "BND"),
    ]
    ordered = in_placing_order(trades, ACCOUNTS)
    assert [(t.account, t.action, t.ticker) for t in ordered] == [
        ("Roth IRA", "buy", "BND"),
        ("401(k)", "sell", "VB"),
        ("401(k)", "buy", "BND"),
        ("401(k)", "buy", "VV"),
        ("Taxable", "buy", "VXUS"),
    ]


def test_accounts_not_in_the_file_order_follow_in_order_of_appearance() -> None:
    trades = [trade("B", "buy", "X"), trade("A", "buy", "X"), trade("401(k)", "buy", "X")]
    assert [t.account for t in in_placing_order(trades, ACCOUNTS)] == ["401(k)", "B", "A"]
    assert [t.account for t in in_placing_order(trades)] == ["B", "A", "401(k)"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(("buy", "sell")),
                          st.sampled_from(("BND", "VB", "VV", "VXUS"))), max_size=12))
def test_ordering_is_a_stable_permutation_and_idempotent(rows: list[tuple[str, str, str]]) -> None:
    trades = [trade(*row) for row in rows]
    once = in_placing_order(trades, ACCOUNTS)
    assert sorted(map(id, once)) == sorted(map(id, trades))
    assert in_placing_order(once, ACCOUNTS) == once
