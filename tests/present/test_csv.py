"""The plan CSV: formulas never run in a spreadsheet, numbers stay numbers, statuses kept.

The formula cells were written raw by the app's export before rebal.present.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core.planner.types import NewMoneyToBand, Plan, PlanOptions, Skipped, Trade
from rebal.model.portfolio import PlannedTrade, SavedPlan
from rebal.present.csv import COLUMNS, cell, plan_csv, trade_statuses, write_csv

HOSTILE = ("=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


def a_plan(trades: tuple[Trade, ...], skipped: tuple[Skipped, ...] = ()) -> Plan:
    return Plan(
        options=PlanOptions(),
        method="test",
        trades=trades,
        skipped=skipped,
        before=(),
        after=(),
        leftover_cash={},
        residual=(),
        new_money_to_band=NewMoneyToBand(None, {}, (), ""),
    )


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("value", HOSTILE)
def test_a_text_cell_that_would_run_as_a_formula_gets_a_quote(value: str) -> None:
    assert cell(value) == "'" + value


def test_account_ticker_reason_of_a_trade_are_neutralised() -> None:
    plan = a_plan(
        (Trade("=cmd|'/c calc'!A0", "+VTI", "buy", Decimal(3), Decimal("30.00"), "@reason"),),
        (Skipped("-IRA", "=X", "sell", Decimal(1), Decimal("5"), "-below minimum"),),
    )
    rows = rows_of(plan_csv(plan))
    assert rows[1] == ["'=cmd|'/c calc'!A0", "'+VTI", "buy", "3", "30.00", "'@reason", "planned"]
    assert rows[2] == ["'-IRA", "'=X", "sell", "1", "5.00", "'-below minimum", "skipped"]
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_numbers_stay_numbers_even_negative() -> None:
    text = write_csv(("what", "amount"), [("refund", Decimal("-12.50")), ("count", -3)])
    assert rows_of(text)[1:] == [["refund", "-12.50"], ["count", "-3"]]
    assert cell(Decimal("1E+3")) == "1000"  # plain notation, never exponent form


def test_a_carriage_return_inside_a_cell_does_not_split_the_row() -> None:
    text = write_csv(("a", "b"), [("one\rtwo", "x\r\ny")])
    assert rows_of(text) == [["a", "b"], ["one\rtwo", "x\r\ny"]]


def test_ordinary_text_is_written_as_is() -> None:
    for value in ("Roth IRA", "Bonds [under]", "Kid's 529, plan 42", "a=b", "x-y"):
        assert cell(value) == value


@settings(max_examples=200)
@given(st.text())
def test_any_text_cell_reads_back_and_never_starts_a_formula(value: str) -> None:
    (read,) = rows_of(write_csv(("x",), [(value,)]))[1:] or [[""]]
    if value.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert read == ["'" + value]
    elif value:
        assert read == [value]


def test_status_comes_from_the_saved_plan_where_the_trade_matches() -> None:
    trades = (
        Trade("IRA", "VTI", "buy", Decimal(2), Decimal("600.004"), "r"),
        Trade("IRA", "VTI", "buy", Decimal(2), Decimal("600.00"), "r"),
        Trade("IRA", "BND", "sell", Decimal(5), Decimal("350.00"), "r"),
        Trade("IRA", "BND", "sell", Decimal(6), Decimal("420.00"), "r"),
    )
    saved = SavedPlan(
        mode="full",
        created=dt.date(2026, 11, 20),
        trades=[
            PlannedTrade(account="IRA", ticker="VTI", action="buy", shares=Decimal(2),
                         amount=Decimal("600"), status="done"),
            PlannedTrade(account="IRA", ticker="BND", action="sell", shares=Decimal(5),
                         amount=Decimal("350"), status="placed"),
        ],
    )
    # One saved trade answers for one planned trade only; other shares: not the same trade.
    assert trade_statuses(trades, saved) == ["done", "planned", "placed", "planned"]
    assert trade_statuses(trades, None) == ["planned"] * 4
    assert rows_of(plan_csv(a_plan(trades), saved))[1][-1] == "done"


def test_columns_are_the_documented_ones() -> None:
    assert COLUMNS == ("account", "ticker", "action", "shares", "amount", "reason", "status")
