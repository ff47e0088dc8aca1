"""The tax stage of a plan: lots per sale, wash sales, --no-wash-sales, harvests, files without tax.

Households are built so the trades are forced: a withdrawal from the taxable
account makes it sell, and cash in an IRA makes it buy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core.planner import PlanOptions, plan
from rebal.core.planner.plan import _solved_plan
from rebal.core.tax.lots import HeldLot, select_lots
from rebal.core.tax.wash import Buy, Sale, wash_flags
from rebal.model import Portfolio

D = Decimal
AS_OF = dt.date(2026, 11, 20)


def household(
    *,
    ira_menu: list[str] | None = None,
    extra_lot: dict[str, Any] | None = None,
    tax: dict[str, Any] | None = None,
    brokerage: dict[str, Any] | None = None,
) -> Portfolio:
    """Brokerage holds 100 VTI at $100: 60 bought at $90 (2019), 40 at $120 (2026-06-01)."""
    lots = [
        {"acquired": "2019-03-04", "shares": 60, "cost": "5400.00"},
        {"acquired": "2026-06-01", "shares": 40, "cost": "4800.00"},
    ]
    if extra_lot:
        lots[0]["shares"] = 60 - extra_lot["shares"]
        lots[0]["cost"] = str(D(90) * (60 - extra_lot["shares"]))
        lots.append(extra_lot)
    broker = {
        "name": "Brokerage",
        "kind": "taxable",
        "avoid_selling": False,
        "holdings": {"VTI": 100},
        "lots": {"VTI": lots},
    }
    broker.update(brokerage or {})
    ira: dict[str, Any] = {
        "name": "IRA",
        "kind": "traditional",
        "cash": "3000",
        "holdings": {"BND": 200},
    }
    if ira_menu is not None:
        ira["menu"] = ira_menu
    data: dict[str, Any] = {
        "portfolio": {"name": "t", "as_of": AS_OF.isoformat()},
        "targets": {"Stocks": 50, "Bonds": 50},
        "securities": {
            "VTI": {"price": "100", "class": "Stocks", "wash_group": "US total"},
            "VTSAX": {"price": "50", "class": "Stocks", "wash_group": "US total"},
            "ITOT": {"price": "40", "class": "Stocks"},
            "BND": {"price": "50", "class": "Bonds"},
        },
        "accounts": [broker, ira],
    }
    if tax is not False:
        data["tax"] = tax or {"short_term_rate": 35, "long_term_rate": 15}
    return Portfolio.model_validate(data)


WITHDRAW = PlanOptions(new_money={"Brokerage": D(-2000)})


def trade(result, account: str, ticker: str, action: str):
    return next(
        t for t in result.trades if (t.account, t.ticker, t.action) == (account, ticker, action)
    )


def test_a_taxable_sale_takes_the_loss_lot_first_and_reports_gain_and_tax() -> None:
    result = plan(household(ira_menu=["ITOT", "BND"]), WITHDRAW)

    sale = trade(result, "Brokerage", "VTI", "sell")
    assert result.tax is not None
    tax = result.tax.of("Brokerage", "VTI", "sell")
    assert tax is not None
    assert tax.taxable
    # 20 shares at $100 from the June lot at $120: a $400 short-term loss.
    assert (sale.shares, sale.amount) == (D(20), D("2000.00"))
    assert [(lot.acquired, lot.shares, lot.gain, lot.term) for lot in tax.lots] == [
        (dt.date(2026, 6, 1), D(20), D("-400.00"), "short")
    ]
    assert tax.tax == D("-140.00")
    assert result.tax.estimated_tax == D("-140.00")
    assert result.tax.warnings == ()
    # The IRA's sale (none here) and buys carry no tax entry; the IRA buys ITOT (its menu).
    assert result.tax.of("IRA", "ITOT", "buy") is None


def test_a_loss_sale_and_an_ira_buy_of_the_same_group_is_a_wash_sale() -> None:
    result = plan(household(ira_menu=["VTSAX", "BND"]), WITHDRAW)

    assert result.tax is not None
    buy = trade(result, "IRA", "VTSAX", "buy")
    [warning] = result.tax.warnings
    assert (warning.kind, warning.account, warning.ticker) == ("wash-sale", "Brokerage", "VTI")
    assert warning.wash is not None
    assert warning.wash.source == "plan"
    assert (warning.wash.buy_account, warning.wash.buy_ticker) == ("IRA", "VTSAX")
    assert warning.wash.lost_for_good
    # 20 loss shares at -$20; the IRA buys buy.shares VTSAX: the loss on min(both) shares.
    matched = min(D(20), buy.shares)
    assert warning.wash.disallowed == (matched * 20).quantize(D("0.01"))
    assert "this plan buys" in warning.why
    assert "not recovered" in warning.why


def test_no_wash_sales_buys_a_fund_outside_the_group_where_the_account_may() -> None:
    options = dataclasses.replace(WITHDRAW, avoid_wash_sales=True)
    result = plan(household(ira_menu=["VTSAX", "ITOT", "BND"]), options)

    assert result.tax is not None
    assert result.tax.warnings == ()
    bought = {t.ticker for t in result.trades if t.action == "buy"}
    assert "VTSAX" not in bought
    assert "ITOT" in bought
    assert any("not buying VTSAX in IRA" in note for note in result.tax.notes)
    # The class mix is kept: the same after-table as the plan with the wash sale.
    washing = plan(household(ira_menu=["VTSAX", "ITOT", "BND"]), WITHDRAW)
    assert [r.value for r in result.after] == [r.value for r in washing.after]


def test_no_wash_sales_without_a_replacement_keeps_a_needed_sale_and_says_so() -> None:
    # The withdrawal needs the VTI sale and the IRA can buy only VTSAX for stocks.
    options = dataclasses.replace(WITHDRAW, avoid_wash_sales=True)
    result = plan(household(ira_menu=["VTSAX", "BND"]), options)

    assert result.tax is not None
    assert any("could not avoid every wash sale" in note for note in result.tax.notes)


def test_no_wash_sales_drops_a_loss_sale_that_washes_against_a_lot_and_reports_the_drift() -> None:
    # No withdrawal: stocks are over target and only the brokerage holds them; a dividend
    # reinvested 12 days ago makes its loss sale a wash sale that no buy can avoid. (The
    # sale takes half of that lot, a small short-term gain, before the 2019 shares; the
    # other half is the replacement.)
    drip = {"acquired": (AS_OF - dt.timedelta(days=12)).isoformat(), "shares": 10, "cost": "990.00"}
    portfolio = household(ira_menu=["ITOT", "BND"], extra_lot=drip)
    ira = portfolio.accounts[1].model_copy(update={"cash": D(0), "holdings": {"BND": D(20)}})
    portfolio = portfolio.model_copy(update={"accounts": [portfolio.accounts[0], ira]})
    washing = plan(portfolio, PlanOptions())
    assert washing.tax is not None
    assert trade(washing, "Brokerage", "VTI", "sell").amount == D("4500.00")
    [warning] = washing.tax.warnings
    assert warning.wash is not None
    assert (warning.wash.buy_shares, warning.wash.disallowed) == (D(5), D("100.00"))

    avoided = plan(portfolio, PlanOptions(avoid_wash_sales=True))

    assert avoided.tax is not None
    assert avoided.tax.warnings == ()
    assert avoided.trades == ()
    notes = " ".join(avoided.tax.notes)
    assert "not selling VTI in Brokerage" in notes
    # Stocks stay $4,500 over and bonds $4,500 under: $9,000 more money off target.
    assert "leaves $9,000.00 more drift" in notes


def test_a_lot_bought_12_days_before_the_plan_date_flags_the_loss_sale() -> None:
    drip = {"acquired": (AS_OF - dt.timedelta(days=12)).isoformat(), "shares": 2, "cost": "204.00"}
    result = plan(household(ira_menu=["ITOT", "BND"], extra_lot=drip), WITHDRAW)

    assert result.tax is not None
    [warning] = result.tax.warnings
    assert warning.wash is not None
    assert (warning.wash.source, warning.wash.days) == ("lot", 12)
    assert warning.wash.buy_shares == D(2)
    assert not warning.wash.lost_for_good  # a taxable purchase: the loss moves to its basis
    assert warning.wash.disallowed == D("40.00")  # 2 shares at -$20
    assert "12 days before" in warning.why


def test_shares_sold_in_the_same_sale_cannot_replace_themselves() -> None:
    lots = [HeldLot(dt.date(2026, 11, 8), D(10), D(1200), "lot")]
    sold = select_lots(lots, D(10), D(1000), AS_OF, None)
    portfolio = household()

    assert wash_flags(portfolio, [Sale("Brokerage", "VTI", tuple(sold))], [], AS_OF) == []


def test_the_doc_example_roth_buys_25_of_a_40_share_loss() -> None:
    portfolio = household()
    lots = [HeldLot(dt.date(2025, 12, 10), D(40), D(10800), "lot")]
    sold = select_lots(lots, D(40), D(10000), AS_OF, None)  # $250 vs $270: -$800

    [flag] = wash_flags(
        portfolio, [Sale("Brokerage", "VTI", tuple(sold))], [Buy("IRA", "VTI", D(25))], AS_OF
    )
    assert (flag.loss, flag.disallowed, flag.lost_for_good) == (D("800.00"), D("500.00"), True)


def test_a_harvest_lists_a_replacement_and_trades_it_only_with_harvest() -> None:
    tax = {"short_term_rate": 35, "long_term_rate": 15, "harvest_threshold": 500}
    portfolio = household(tax=tax, ira_menu=["ITOT", "BND"])
    result = plan(portfolio, PlanOptions())

    assert result.tax is not None
    [harvest] = result.tax.harvest
    # The June lot: 40 shares at $100 against $120 -> an $800 short-term loss; ITOT is the
    # first Stocks fund outside VTI's wash group.
    assert (harvest.ticker, harvest.shares, harvest.loss, harvest.term) == (
        "VTI",
        D(40),
        D("800.00"),
        "short",
    )
    assert (harvest.replacement, harvest.replacement_shares) == ("ITOT", D(100))
    assert harvest.tax == D("-280.00")
    assert harvest.blocked == ""
    assert not any(t.ticker == "ITOT" and t.account == "Brokerage" for t in result.trades)

    harvested = plan(portfolio, PlanOptions(harvest=True))
    assert harvested.tax is not None
    assert harvested.tax.harvested
    assert trade(harvested, "Brokerage", "VTI", "sell").shares == D(40)
    assert trade(harvested, "Brokerage", "ITOT", "buy").amount == D("4000.00")
    assert [r.value for r in harvested.after] == [r.value for r in result.after]
    assert harvested.tax.gains.short == D("-800.00")


def test_a_harvest_is_blocked_by_a_group_buy_in_the_plan() -> None:
    tax = {"short_term_rate": 35, "long_term_rate": 15, "harvest_threshold": 100}
    result = plan(household(tax=tax, ira_menu=["VTSAX", "BND"]), WITHDRAW)

    assert result.tax is not None
    assert trade(result, "IRA", "VTSAX", "buy")
    # The June lot's 20 shares left after the sale still lose $400.
    [harvest] = result.tax.harvest
    assert (harvest.shares, harvest.loss) == (D(20), D("400.00"))
    assert harvest.blocked == "this plan buys VTSAX in IRA: the loss would be a wash sale"
    harvested = plan(
        household(tax=tax, ira_menu=["VTSAX", "BND"]), dataclasses.replace(WITHDRAW, harvest=True)
    )
    assert harvested.trades == result.trades


def test_the_gain_budget_warns_when_a_needed_sale_exceeds_it() -> None:
    tax = {"short_term_rate": 35, "long_term_rate": 15, "gain_budget": 100}
    under = plan(household(tax=tax, ira_menu=["ITOT", "BND"]), WITHDRAW)
    assert under.tax is not None
    assert under.tax.warnings == ()  # a $400 loss

    one_lot = {"lots": {"VTI": [{"acquired": "2019-03-04", "shares": 100, "cost": "9000.00"}]}}
    result = plan(household(tax=tax, ira_menu=["ITOT", "BND"], brokerage=one_lot), WITHDRAW)

    assert result.tax is not None
    # The withdrawal needs 20 shares bought at $90, sold at $100: $200 long-term, over
    # the $100 budget, and no other sale can raise the cash.
    assert result.tax.gains.long == D("200.00")
    [warning] = result.tax.warnings
    assert warning.kind == "gain-budget"
    assert "$200.00" in warning.why
    assert "cannot do without" in warning.why


def test_a_file_without_tax_keys_gets_exactly_todays_plan() -> None:
    portfolio = household(tax=False, brokerage={"lots": {}})
    result = plan(portfolio, WITHDRAW)

    assert result.tax is None
    assert result == _solved_plan(portfolio, WITHDRAW)


@settings(max_examples=25, deadline=None)
@given(
    withdrawal=st.integers(0, 9000),
    vti=st.integers(1, 300),
    bnd=st.integers(0, 300),
    cash=st.integers(0, 5000),
    stocks=st.integers(0, 100),
)
def test_plans_without_tax_keys_are_todays_plans(withdrawal, vti, bnd, cash, stocks) -> None:
    portfolio = Portfolio.model_validate(
        {
            "portfolio": {"name": "t", "as_of": "2026-11-20"},
            "targets": {"Stocks": stocks, "Bonds": 100 - stocks},
            "securities": {
                "VTI": {"price": "100", "class": "Stocks", "wash_group": "US total"},
                "BND": {"price": "50", "class": "Bonds"},
            },
            "accounts": [
                {"name": "Brokerage", "kind": "taxable", "holdings": {"VTI": vti}},
                {"name": "IRA", "kind": "roth", "cash": cash, "holdings": {"BND": bnd}},
            ],
        }
    )
    options = PlanOptions(new_money={"Brokerage": D(-min(withdrawal, vti * 50))})

    result = plan(portfolio, options)

    assert result.tax is None
    assert result == _solved_plan(portfolio, options)


def test_a_short_term_gain_about_to_turn_long_term_gets_a_note() -> None:
    # Bought 2025-12-01 at $80: on 2026-11-20 it turns long-term on 2026-12-02, in 12 days.
    young = {"lots": {"VTI": [{"acquired": "2025-12-01", "shares": 100, "cost": "8000.00"}]}}
    result = plan(household(ira_menu=["ITOT", "BND"], brokerage=young), WITHDRAW)

    assert result.tax is not None
    assert result.tax.gains.short == D("400.00")
    assert any(
        "turns long-term soon" in note
        and "VTI lot of 2025-12-01 in Brokerage on 2026-12-02" in note
        for note in result.tax.notes
    )


def test_kinds_count_by_their_tax_treatment() -> None:
    # "joint" is taxable and "401k" traditional: the same wash sale as with the plain kinds.
    portfolio = household(ira_menu=["VTSAX", "BND"], brokerage={"kind": "joint"})
    ira = portfolio.accounts[1].model_copy(update={"kind": "401k"})
    portfolio = portfolio.model_copy(update={"accounts": [portfolio.accounts[0], ira]})

    result = plan(portfolio, WITHDRAW)

    assert result.tax is not None
    [warning] = result.tax.warnings
    assert warning.wash is not None
    assert warning.wash.lost_for_good
    assert "(traditional)" in warning.why


def test_only_keeps_harvest_trades_out_of_accounts_left_out() -> None:
    tax = {"short_term_rate": 35, "long_term_rate": 15, "harvest_threshold": 500}
    options = PlanOptions(harvest=True, only=frozenset({"IRA"}))
    result = plan(household(tax=tax, ira_menu=["ITOT", "BND"]), options)

    assert result.tax is not None
    [harvest] = result.tax.harvest
    assert harvest.blocked == "--only leaves this account out of the plan"
    assert all(t.account == "IRA" for t in result.trades)
