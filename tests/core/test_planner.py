"""The planner on worked examples: seed figures, menus, modes, rounding, reasons, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_planner_support import D, after_portfolio, by_line, drift_of, make_portfolio

from rebal.core.allocation import class_exposure
from rebal.core.numbers import cents
from rebal.core.planner import PlanError, PlanOptions, Trade, apply_trades, new_money_to_band, plan
from rebal.core.report import class_table
from rebal.model import Portfolio


def values_to_cents(rows) -> dict[str, Decimal]:
    """Class values after a plan, to the cent: share counts carry 6 decimals, amounts are exact."""
    return {row.asset_class: cents(row.value) for row in rows}


SEED_002_SECURITIES = {
    "STOCKS": (D(1), "Stocks"),
    "BONDS": (D(1), "Bonds"),
    "MMKT": (D(1), "Cash"),
}


def seed_002_case_2(cash_as_fund: bool):
    """Seed 002 case 2: $50,000 at 70/20/10; stocks +20%, bonds and cash +5% -> $57,750."""
    holdings = {"STOCKS": D(42000), "BONDS": D(10500)}
    cash = D(0)
    if cash_as_fund:
        holdings["MMKT"] = D(5250)
    else:
        cash = D(5250)
    return make_portfolio(
        {"Stocks": 70, "Bonds": 20, "Cash": 10},
        SEED_002_SECURITIES,
        [{"name": "IRA", "kind": "traditional", "cash": cash, "holdings": holdings}],
    )


@pytest.mark.parametrize("cash_as_fund", [False, True], ids=["account-cash", "cash-fund"])
def test_seed_002_shift_is_exactly_1575(cash_as_fund: bool) -> None:
    portfolio = seed_002_case_2(cash_as_fund)
    result = plan(portfolio, PlanOptions())

    assert by_line(result) == {
        ("IRA", "STOCKS", "sell"): D("1575.00"),
        ("IRA", "BONDS", "buy"): D("1050.00"),
    }
    # The other $525 stays as cash: buying a money-market fund with cash changes nothing.
    expected_cash = D(525) if cash_as_fund else D(5775)
    assert result.leftover_cash == {"IRA": expected_cash}
    assert [(row.asset_class, row.value) for row in result.after] == [
        ("Stocks", D(40425)),
        ("Bonds", D(11550)),
        ("Cash", D(5775)),
    ]
    assert result.residual == ()
    assert result.method.startswith("closed form")
    sell = next(t for t in result.trades if t.action == "sell")
    assert sell.reason == "Stocks is $1,575.00 over target"


def seed_001_drifted():
    """Seed 001's ideal mix (20/24/20/16/20/0, bands 5% of target) drifted on $100,000."""
    return make_portfolio(
        {
            "Large": 20,
            "Mid": 24,
            "Small": 20,
            "Intl": 16,
            "Bonds": 20,
            "Cash": 0,
        },
        {
            "LARGE": (D(185), "Large"),
            "MID": (D(125), "Mid"),
            "SMALL": (D(96), "Small"),
            "INTL": (D(62), "Intl"),
            "BONDS": (D(80), "Bonds"),
        },
        [
            {
                "name": "Retirement",
                "kind": "traditional",
                "cash": D(1000),
                "holdings": {"LARGE": 100, "MID": 200, "SMALL": 250, "INTL": 250, "BONDS": 200},
            }
        ],
        bands={"kind": "relative", "width": 5},
    )


def test_seed_001_full_rebalance_lands_on_every_target() -> None:
    result = plan(seed_001_drifted(), PlanOptions())
    assert by_line(result) == {
        ("Retirement", "LARGE", "buy"): D("1500.00"),
        ("Retirement", "MID", "sell"): D("1000.00"),
        ("Retirement", "SMALL", "sell"): D("4000.00"),
        ("Retirement", "INTL", "buy"): D("500.00"),
        ("Retirement", "BONDS", "buy"): D("4000.00"),
    }
    assert values_to_cents(result.after) == {
        "Large": D(20000),
        "Mid": D(24000),
        "Small": D(20000),
        "Intl": D(16000),
        "Bonds": D(20000),
        "Cash": D(0),
    }
    assert result.leftover_cash == {"Retirement": D(0)}


def test_seed_001_band_edge_moves_only_what_breaches_to_its_edge() -> None:
    portfolio = seed_001_drifted()
    before = {row.asset_class: row.status for row in plan(portfolio, PlanOptions()).before}
    # The seed's table: Large 18.5 < 19, Small 24 > 21, Bonds 16 < 19, Cash 1 > 0 breach.
    assert before == {
        "Large": "under",
        "Mid": "in",
        "Small": "over",
        "Intl": "in",
        "Bonds": "under",
        "Cash": "over",
    }
    result = plan(portfolio, PlanOptions(mode="band-edge"))
    assert all(row.status == "in" for row in result.after)
    trades = by_line(result)
    # Small goes exactly to its 21% edge; the money it and the cash free goes to
    # the classes under target, never past them.
    assert trades[("Retirement", "SMALL", "sell")] == D("3000.00")
    assert ("Retirement", "MID", "sell") not in trades
    after = values_to_cents(result.after)
    assert after["Small"] == D(21000)
    assert after["Cash"] == D(0)
    assert after["Mid"] == D(25000)  # in band and above target: untouched
    assert D(19000) <= after["Large"] <= D(20000)
    assert D(19000) <= after["Bonds"] <= D(20000)
    assert D(15500) <= after["Intl"] <= D(16000)
    # Least turnover: only the money that must move moves.
    assert sum(t.amount for t in result.trades) == D(7000)
    assert result.residual == ()
    assert any("above its band" in t.reason for t in result.trades)


def menu_household(intl_in_ira: bool = True):
    """A 401(k) whose menu has no international fund, beside a smaller IRA."""
    return make_portfolio(
        {"US": 50, "Intl": 25, "Bonds": 25},
        {"USF": (D(10), "US"), "INTF": (D(10), "Intl"), "BNDF": (D(10), "Bonds")},
        [
            {
                "name": "401k",
                "kind": "traditional",
                "menu": ["USF", "BNDF"],
                "holdings": {"USF": 6000},
            },
            {
                "name": "IRA",
                "kind": "roth",
                "holdings": {"BNDF": 4000} if intl_in_ira else {"BNDF": 1000},
            },
        ],
    )


def test_two_accounts_money_goes_where_the_menu_allows() -> None:
    # A greedy fill buys the 401(k)'s shortfall with whatever it can hold and
    # strands the IRA's bonds; the only exact plan buys Intl in the IRA and
    # bonds in the 401(k).
    result = plan(menu_household(), PlanOptions())
    assert by_line(result) == {
        ("401k", "USF", "sell"): D("10000.00"),
        ("401k", "BNDF", "buy"): D("10000.00"),
        ("IRA", "BNDF", "sell"): D("25000.00"),
        ("IRA", "INTF", "buy"): D("25000.00"),
    }
    assert result.residual == ()
    assert values_to_cents(result.after) == {
        "US": D(50000),
        "Intl": D(25000),
        "Bonds": D(25000),
    }
    assert result.method.startswith("linear program")


def test_unreachable_target_reports_residual_naming_the_menu() -> None:
    # The IRA holds only $10,000: Intl cannot reach its $17,500 target.
    portfolio = menu_household(intl_in_ira=False)
    result = plan(portfolio, PlanOptions())
    residual = {r.asset_class: r for r in result.residual}
    assert residual["Intl"].drift == D("-7500.00")
    assert "IRA" in residual["Intl"].reason
    assert "401k" in residual["Intl"].reason  # the menu that leaves it out
    assert residual["US"].drift == D("7500.00")
    # As close as possible: the IRA moves everything it has into Intl.
    assert by_line(result)[("IRA", "INTF", "buy")] == D("10000.00")
    assert drift_of(after_portfolio(portfolio, result.trades)) == D(15000)


def test_whole_share_tie_follows_the_documented_rule() -> None:
    # rebalancing-math §3: $250 cash, funds at $200 and $150, 50/50. One share of
    # either leaves $250 of drift; the rule (largest shortfall, then largest
    # fractional remainder: 125/150 > 125/200) picks the $150 fund.
    portfolio = make_portfolio(
        {"A": 50, "B": 50},
        {"AFUND": (D(200), "A"), "BFUND": (D(150), "B")},
        [{"name": "Tiny", "kind": "roth", "cash": D(250)}],
    )
    result = plan(portfolio, PlanOptions(whole_shares=True))
    assert [(t.ticker, t.action, t.shares, t.amount) for t in result.trades] == [
        ("BFUND", "buy", D(1), D("150.00"))
    ]
    assert result.leftover_cash == {"Tiny": D(100)}
    assert drift_of(after_portfolio(portfolio, result.trades)) == D(250)
    assert "whole shares" in result.method or "whole-share" in result.method


def test_whole_shares_round_sells_up_and_buys_down_without_overspending() -> None:
    portfolio = make_portfolio(
        {"Stocks": 60, "Bonds": 40},
        {"S": (D("33.33"), "Stocks"), "B": (D("47.10"), "Bonds")},
        [{"name": "IRA", "kind": "roth", "cash": D("12.34"), "holdings": {"S": 250, "B": 10}}],
    )
    result = plan(portfolio, PlanOptions(whole_shares=True))
    for trade in result.trades:
        assert trade.shares == trade.shares.to_integral_value()
    assert result.leftover_cash["IRA"] >= 0
    assert drift_of(after_portfolio(portfolio, result.trades)) < drift_of(portfolio)


def test_split_fund_is_not_sold_where_a_plain_fund_serves() -> None:
    portfolio = make_portfolio(
        {"US": 50, "Bonds": 50},
        {"USF": (D(1), "US"), "BAL": (D(1), {"US": 60, "Bonds": 40}), "BNDF": (D(1), "Bonds")},
        [{"name": "IRA", "kind": "roth", "holdings": {"USF": 5000, "BAL": 5000}}],
    )
    result = plan(portfolio, PlanOptions())
    assert ("IRA", "BAL", "sell") not in by_line(result)
    assert by_line(result)[("IRA", "USF", "sell")] == D("3000.00")
    assert by_line(result)[("IRA", "BNDF", "buy")] == D("3000.00")
    assert result.method.startswith("linear program")


def test_sells_prefer_accounts_that_do_not_avoid_selling() -> None:
    portfolio = make_portfolio(
        {"US": 50, "Bonds": 50},
        {"USF": (D(1), "US"), "BNDF": (D(1), "Bonds")},
        [
            {"name": "Taxable", "kind": "taxable", "holdings": {"USF": 6000}},
            {"name": "IRA", "kind": "roth", "holdings": {"USF": 3000, "BNDF": 1000}},
        ],
    )
    result = plan(portfolio, PlanOptions())
    # Bonds need 4,000: the IRA sells all the stock it has first; only the last
    # 1,000 comes from the taxable account, because closeness comes first.
    assert by_line(result) == {
        ("IRA", "USF", "sell"): D("3000.00"),
        ("IRA", "BNDF", "buy"): D("3000.00"),
        ("Taxable", "USF", "sell"): D("1000.00"),
        ("Taxable", "BNDF", "buy"): D("1000.00"),
    }
    assert result.residual == ()
    # The app may flip the preference per account: then the IRA keeps its stock.
    flipped = plan(portfolio, PlanOptions(avoid_selling={"IRA": True, "Taxable": False}))
    assert by_line(flipped) == {
        ("Taxable", "USF", "sell"): D("4000.00"),
        ("Taxable", "BNDF", "buy"): D("4000.00"),
    }


def test_portfolio_at_target_gets_no_trades() -> None:
    portfolio = make_portfolio(
        {"US": 60, "Bonds": 30, "Cash": 10},
        {"USF": (D("2.50"), "US"), "BNDF": (D(5), "Bonds")},
        [
            {"name": "A", "kind": "roth", "cash": D(1000), "holdings": {"USF": 2000}},
            {"name": "B", "kind": "taxable", "holdings": {"USF": 400, "BNDF": 600}},
        ],
    )
    for mode in ("full", "band-edge", "cash-flow"):
        result = plan(portfolio, PlanOptions(mode=mode))  # type: ignore[arg-type]
        assert result.trades == ()
        assert result.residual == ()


def test_cash_flow_contribution_water_fills_the_most_underweight_class() -> None:
    # 70/20/10 with stocks at target and bonds, cash both under: Mao's rule raises
    # the lowest relative deviation first.
    portfolio = make_portfolio(
        {"Stocks": 70, "Bonds": 20, "Cash": 10},
        SEED_002_SECURITIES,
        [{"name": "IRA", "kind": "roth", "holdings": {"STOCKS": 7000, "BONDS": 1000}}],
    )
    result = plan(portfolio, PlanOptions(mode="cash-flow", new_money={"IRA": D(2000)}))
    assert result.method.startswith("Mao")
    # P' = 10,000: Bonds target 2,000 (f = -0.5), Cash target 1,000 (f = -1 before).
    # Cash rises to f = -0.5 (500 kept), then both rise together with the 1,500 left:
    # Bonds +1,000, Cash +500 more: both land on target.
    assert by_line(result) == {("IRA", "BONDS", "buy"): D("1000.00")}
    assert result.leftover_cash == {"IRA": D(1000)}
    assert all(t.action == "buy" for t in result.trades)


def test_cash_flow_withdrawal_only_sells_in_that_account() -> None:
    portfolio = make_portfolio(
        {"Stocks": 50, "Bonds": 50},
        {"S": (D(1), "Stocks"), "B": (D(1), "Bonds")},
        [
            {"name": "IRA", "kind": "roth", "holdings": {"S": 6000, "B": 4000}},
            {"name": "401k", "kind": "traditional", "cash": D(500), "holdings": {"S": 1000}},
        ],
    )
    result = plan(portfolio, PlanOptions(mode="cash-flow", new_money={"IRA": D(-2000)}))
    ira = [t for t in result.trades if t.account == "IRA"]
    assert ira
    assert all(t.action == "sell" for t in ira)
    assert sum(t.amount for t in ira) >= D(2000)
    assert all(v >= 0 for v in result.leftover_cash.values())
    # The overweight class is sold first.
    assert by_line(result).get(("IRA", "S", "sell"), D(0)) >= D(2000)


def test_negative_cash_forces_a_sale_in_that_account() -> None:
    portfolio = make_portfolio(
        {"Stocks": 50, "Bonds": 50},
        {"S": (D(1), "Stocks"), "B": (D(1), "Bonds")},
        [
            {"name": "Margin", "kind": "taxable", "cash": D(-300), "holdings": {"S": 1000}},
            {"name": "IRA", "kind": "roth", "holdings": {"B": 700}},
        ],
    )
    result = plan(portfolio, PlanOptions())
    assert result.leftover_cash["Margin"] >= 0
    assert by_line(result)[("Margin", "S", "sell")] >= D(300)


def test_min_trade_skips_small_lines_and_says_so() -> None:
    portfolio = make_portfolio(
        {"Stocks": 60, "Bonds": 30, "Intl": 10},
        {"S": (D(1), "Stocks"), "B": (D(1), "Bonds"), "I": (D(1), "Intl")},
        [{"name": "IRA", "kind": "roth", "holdings": {"S": 6500, "B": 2500, "I": 1000}}],
    )
    result = plan(portfolio, PlanOptions(min_trade=D(600)))
    assert all(t.amount >= D(600) for t in result.trades)
    assert result.trades == ()  # both lines are $500
    assert {(s.ticker, s.action, s.amount) for s in result.skipped} == {
        ("S", "sell", D("500.00")),
        ("B", "buy", D("500.00")),
    }
    assert {s.reason for s in result.skipped} == {
        "under the minimum trade of $600.00: left as it is"
    }
    assert {r.asset_class for r in result.residual} == {"Stocks", "Bonds"}
    assert all("minimum" in r.reason for r in result.residual)


def test_target_override_replaces_the_file_targets() -> None:
    portfolio = seed_002_case_2(cash_as_fund=False)
    result = plan(portfolio, PlanOptions(targets={"Stocks": D(60), "Bonds": D(40)}))
    after = values_to_cents(result.after)
    assert after == {"Stocks": D(34650), "Bonds": D(23100), "Cash": D(0)}


def test_new_money_to_band_hand_computed() -> None:
    # 50/50 with absolute 5-point bands: stocks at 70% must fall to 55%, so
    # P' >= 70,000 / 0.55 = 127,272.7272...: $27,272.73, all of it into bonds.
    portfolio = make_portfolio(
        {"Stocks": 50, "Bonds": 50},
        {"S": (D(1), "Stocks"), "B": (D(1), "Bonds")},
        [{"name": "IRA", "kind": "roth", "holdings": {"S": 70000, "B": 30000}}],
        bands={"kind": "absolute", "width": 5},
    )
    answer = new_money_to_band(portfolio)
    assert answer.amount == D("27272.73")
    assert answer.by_account == {"IRA": D("27272.73")}
    assert [(t.ticker, t.amount) for t in answer.buys] == [("B", D("27272.73"))]
    # Check it: with that money and no sells, a cash-flow plan puts every class in band.
    result = plan(portfolio, PlanOptions(mode="cash-flow", new_money={"IRA": answer.amount}))
    assert all(row.status == "in" for row in result.after)
    assert all(t.action == "buy" for t in result.trades)


def test_new_money_to_band_is_none_when_a_zero_target_class_is_held() -> None:
    portfolio = make_portfolio(
        {"Stocks": 100, "Gold": 0},
        {"S": (D(1), "Stocks"), "G": (D(1), "Gold")},
        [{"name": "IRA", "kind": "roth", "holdings": {"S": 900, "G": 100}}],
    )
    answer = new_money_to_band(portfolio)
    assert answer.amount is None
    assert "Gold" in answer.reason


def test_apply_trades_moves_shares_and_cash() -> None:
    portfolio = seed_002_case_2(cash_as_fund=False)
    trades = [
        Trade("IRA", "STOCKS", "sell", D(42000), D(42000), "all of it"),
        Trade("IRA", "BONDS", "buy", D("100.5"), D("100.50"), "some"),
    ]
    after = apply_trades(portfolio, trades, {"IRA": D(10)})
    account = after.account("IRA")
    assert "STOCKS" not in account.holdings  # sold to zero: gone
    assert account.holdings["BONDS"] == D("10600.5")
    assert account.cash == D(5250) + D(10) + D(42000) - D("100.50")
    assert portfolio.account("IRA").holdings["STOCKS"] == D(42000)  # input untouched
    with pytest.raises(PlanError, match="only"):
        apply_trades(portfolio, [Trade("IRA", "BONDS", "sell", D(20000), D(1), "")])


def test_plan_after_is_the_table_of_the_applied_trades() -> None:
    portfolio = menu_household(intl_in_ira=False)
    result = plan(portfolio, PlanOptions())
    applied = apply_trades(portfolio, result.trades)
    expected = class_table(class_exposure(applied), portfolio.effective_targets(), portfolio.bands)
    assert list(result.after) == expected


def test_output_is_deterministic() -> None:
    portfolio = menu_household(intl_in_ira=False)
    first = plan(portfolio, PlanOptions(mode="band-edge"))
    second = plan(portfolio, PlanOptions(mode="band-edge"))
    assert first.trades == second.trades


@pytest.mark.parametrize(
    ("new_money", "message"),
    [
        ({"Nowhere": D(100)}, "not in the file"),
        ({"IRA": D(-60000)}, "withdraw less"),
    ],
)
def test_impossible_requests_raise_plan_error(new_money: dict[str, Decimal], message: str) -> None:
    portfolio = seed_002_case_2(cash_as_fund=False)
    with pytest.raises(PlanError, match=message):
        plan(portfolio, PlanOptions(new_money=new_money))


@pytest.mark.parametrize(
    ("cash", "withdrawal", "shown"),
    [
        (D("1E+2"), D("-1E+3"), "-$900.00"),  # printed "-9E+2" before
        (D(0), D("-1E+30"), "-$1,000,000,000,000,000,000,000,000,000,000.00"),
        (D("0.1"), D("-1000"), "-$999.90"),
    ],
)
def test_an_overdrawn_account_names_its_cash_in_plain_money(
    cash: Decimal, withdrawal: Decimal, shown: str
) -> None:
    portfolio = make_portfolio(
        {"Stocks": 100},
        {"VTI": (D(100), "Stocks")},
        [{"name": "A", "kind": "taxable", "cash": cash, "holdings": {"VTI": D(1)}}],
    )
    with pytest.raises(PlanError) as raised:
        plan(portfolio, PlanOptions(new_money={"A": withdrawal}))
    assert f"its cash after the new money ({shown}) is more negative" in str(raised.value)
    assert "E+" not in str(raised.value)


def test_every_trade_has_a_one_line_reason() -> None:
    result = plan(menu_household(intl_in_ira=False), PlanOptions())
    assert result.trades
    for trade in result.trades:
        # The why only: account, action, fund and shares are columns beside it.
        assert not trade.reason.startswith(("buy", "sell"))
        assert trade.account not in trade.reason
        assert trade.ticker not in trade.reason
        assert "\n" not in trade.reason
        assert len(trade.reason) <= 80


def test_band_edge_with_outside_edges_ends_strictly_inside() -> None:
    portfolio = make_portfolio(
        {"Stocks": 50, "Bonds": 50},
        {"S": (D(1), "Stocks"), "B": (D(1), "Bonds")},
        [{"name": "IRA", "kind": "roth", "holdings": {"S": 7000, "B": 3000}}],
        bands={"kind": "absolute", "width": 5, "edges": "outside"},
    )
    result = plan(portfolio, PlanOptions(mode="band-edge"))
    assert all(row.status == "in" for row in result.after)
    # The least whole-cent trade that ends strictly inside: 54.9999% and 45.0001%
    # (a fixed two-cent margin sold $1,500.02).
    assert by_line(result) == {
        ("IRA", "S", "sell"): D("1500.01"),
        ("IRA", "B", "buy"): D("1500.01"),
    }


def test_unclassified_and_unpriced_holdings() -> None:
    # A stub security with no class counts as "Unclassified" (0% target): it is
    # sold, never bought. A security priced 0 is worth nothing and never traded.
    portfolio = Portfolio.model_validate(
        {
            "portfolio": {"name": "t", "as_of": "2026-11-20"},
            "targets": {"Stocks": 100},
            "securities": {
                "S": {"price": 10, "class": "Stocks"},
                "STUB": {"price": 5},
                "DEAD": {"price": 0, "class": "Stocks"},
            },
            "accounts": [
                {"name": "IRA", "kind": "roth", "holdings": {"S": 100, "STUB": 20, "DEAD": 7}}
            ],
        }
    )
    result = plan(portfolio, PlanOptions())
    assert by_line(result) == {
        ("IRA", "STUB", "sell"): D("100.00"),
        ("IRA", "S", "buy"): D("100.00"),
    }
    assert result.residual == ()
