"""Golden sentences of rebal.present.plan_text: what `rebal plan` says, word for word."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from rebal.core.planner import plan as make_plan
from rebal.core.planner.types import PlanOptions
from rebal.present.plan_text import (
    account_title,
    action_word,
    csv_written_text,
    options_text,
    saved_text,
)
from rebal.store.load import load

SAMPLE = Path(__file__).resolve().parents[2] / "sample_portfolios" / "household.toml"


def test_an_account_s_title_sums_its_sales_and_buys_and_its_cash_left() -> None:
    assert account_title("Jordan 401(k)", D("7464.775"), D("4208.98")) == (
        "Jordan 401(k): sell 7,464.78, buy 4,208.98"
    )
    assert account_title("IRA", D(0), D("1488.89"), D("3511.11")) == (
        "IRA: sell 0.00, buy 1,488.89, cash left 3,511.11"
    )
    assert account_title("IRA", D(0), D(1), D(0)).endswith(", cash left 0.00")


def test_a_sale_stands_out_in_the_text() -> None:
    assert (action_word("sell"), action_word("buy")) == ("SELL", "buy")


def test_the_options_line_names_each_option_given() -> None:
    accounts = ["Roth", "401(k)", "Brokerage"]
    options = PlanOptions(
        mode="cash-flow",
        new_money={"Roth": D(5000)},
        whole_shares=True,
        min_trade=D(100),
        only=frozenset({"Brokerage", "Roth"}),
        avoid_selling={"401(k)": True, "Brokerage": False},
    )

    assert options_text(PlanOptions(), accounts) == "Plan: mode full"
    assert options_text(options, accounts) == (
        "Plan: mode cash-flow; new money 5,000.00 to Roth; whole shares; minimum trade 100.00; "
        "trading only in Roth, Brokerage; avoid selling in 401(k); selling allowed in Brokerage"
    )


def test_saving_and_writing_csv_say_what_was_written() -> None:
    portfolio = load(SAMPLE).portfolio
    plan = make_plan(portfolio, PlanOptions(new_money={"Jordan 401(k)": D(-2500)}))
    assert (len(plan.trades), len(plan.skipped)) == (7, 0)

    assert saved_text(plan, D("793894.95"), "household.toml~") == (
        "saved the plan (7 trades), its new money (2,500.00) as flows and a snapshot "
        "of 793,894.95; the previous version is in household.toml~"
    )
    assert csv_written_text(plan) == (
        "wrote 7 trades and 0 skipped lines as CSV"
    )
