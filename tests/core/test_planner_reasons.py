"""Reasons that tell the truth: each names the constraint that binds in the plan as made.

The golden cases are the ones users saw contradict their own plans; the
property holds every random plan to the rule that no reason says an account
cannot buy a class the same plan buys there.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_planner_support import by_line, make_portfolio

from rebal.core.numbers import CENT, ZERO
from rebal.core.planner import Plan, PlanError, PlanOptions, plan
from rebal.model import Portfolio
from rebal.store.load import load

SAMPLES = Path(__file__).parents[2] / "sample_portfolios"
D = Decimal


def tdf_ira() -> Portfolio:
    """One IRA: a target-date fund (US 60 / Intl 20 / Bond 20) and a US fund; no Intl fund."""
    return make_portfolio(
        {"US": 40, "Intl": 30, "Bond": 30},
        {
            "TDF": (1, {"US": 60, "Intl": 20, "Bond": 20}),
            "USF": (1, "US"),
            "BNDF": (1, "Bond"),
        },
        [{"name": "IRA", "kind": "ira", "holdings": {"TDF": 50000, "USF": 20000}}],
    )


def reasons(result: Plan) -> dict[str, str]:
    return {r.asset_class: r.reason for r in result.residual}


def test_a_split_fund_residual_names_the_lock_not_a_missing_buy() -> None:
    # Before: "US is held in IRA, which cannot buy Intl, Bond" (the IRA buys both)
    # and "no account can buy Intl (no menu offers a fund of that class)" (no menus).
    result = plan(tdf_ira(), PlanOptions())
    assert by_line(result) == {
        ("IRA", "USF", "sell"): D("20000.00"),
        ("IRA", "BNDF", "buy"): D("8750.00"),
        ("IRA", "TDF", "buy"): D("11250.00"),
    }
    assert reasons(result) == {
        "US": "US held inside TDF can only be sold together with its Intl and Bond",
        "Intl": "Intl can be bought in IRA only through TDF (20% Intl), which brings US and Bond "
        "with it (US already over target)",
    }
    buy_tdf = next(t for t in result.trades if t.ticker == "TDF")
    assert buy_tdf.reason == (
        "Intl is $11,000.00 under target; this account can buy it only through TDF (20%)"
    )
    assert result.new_money_to_band.reason == (
        "Intl comes only inside split funds (TDF), which bring other classes with them: "
        "this estimate needs a fund of that class alone"
    )
    assert "menu" not in result.new_money_to_band.reason


def household(**changes: Any) -> Portfolio:
    portfolio = load(SAMPLES / "household.toml").portfolio
    return portfolio.model_copy(update=changes)


def test_a_class_no_security_belongs_to_says_so_and_blames_no_menu() -> None:
    # Before: "the menu of Jordan 401(k) leaves it out" for a class nothing in the file is.
    base = household()
    targets = dict(base.targets)
    targets["US Stocks"] -= 5
    targets["Gold"] = D(5)
    result = plan(household(targets=targets), PlanOptions())
    assert reasons(result)["Gold"] == (
        "no security in the file is Gold: add one under [securities] (with a price) to buy it"
    )
    assert result.new_money_to_band.reason.startswith("no security in the file is Gold")


def test_the_household_never_says_an_account_cannot_buy_what_it_buys() -> None:
    # Before: "US Stocks is held in Jordan 401(k), Jordan Traditional IRA, Joint Brokerage,
    # which cannot buy US Small Stocks, International Stocks, Bonds, Cash" in a plan that
    # buys International Stocks and Bonds in the Traditional IRA.
    options = PlanOptions(min_trade=D(1000), new_money={"Joint Brokerage": D(-10000)})
    result = plan(household(), options)
    assert result.residual
    assert contradictions(household(), result) == []


def test_cash_kept_because_a_buy_was_under_the_minimum_says_so() -> None:
    # The Roth IRA's $310.20 is under the $500 minimum: it keeps its cash for that reason,
    # not because Cash is "as far under its target" as the classes it could buy.
    result = plan(household(), PlanOptions(mode="cash-flow", min_trade=D(500)))
    assert result.leftover_cash["Sam Roth IRA"] == D("310.20")
    assert any(
        "buys under the minimum of $500.00 were skipped in Sam Roth IRA" in r.reason
        for r in result.residual
    )


def test_only_names_the_accounts_it_leaves_out() -> None:
    result = plan(household(), PlanOptions(only=frozenset({"Sam Roth IRA"})))
    assert {t.account for t in result.trades} <= {"Sam Roth IRA"}
    assert reasons(result)["US Stocks"] == "--only leaves out 3 accounts, which hold it"
    menu = menu_household(intl_in_ira=False)
    only_401k = plan(menu, PlanOptions(only=frozenset({"401k"})))
    assert reasons(only_401k)["Intl"] == (
        "no account can buy Intl: the menu of 401k has no Intl fund; --only leaves out IRA"
    )


def test_only_refuses_to_leave_out_money_that_must_move() -> None:
    menu = menu_household(intl_in_ira=False)
    with pytest.raises(PlanError, match="new money goes to 'IRA', which --only leaves out"):
        plan(menu, PlanOptions(only=frozenset({"401k"}), new_money={"IRA": D(100)}))


def test_only_refuses_an_unknown_account_and_an_overdraft_it_leaves_out() -> None:
    menu = menu_household(intl_in_ira=False)
    with pytest.raises(PlanError, match="--only names an account that is not in the file: Ira"):
        plan(menu, PlanOptions(only=frozenset({"Ira"})))
    overdrawn = menu.model_copy(
        update={"accounts": [menu.accounts[0], menu.accounts[1].model_copy(update={"cash": D(-5)})]}
    )
    with pytest.raises(PlanError, match=r"'IRA' has negative cash .* --only leaves it out"):
        plan(overdrawn, PlanOptions(only=frozenset({"401k"})))


def menu_household(intl_in_ira: bool) -> Portfolio:
    """A 401(k) whose menu has no international fund, beside a smaller IRA."""
    return make_portfolio(
        {"US": 50, "Intl": 25, "Bonds": 25},
        {"USF": (D(10), "US"), "INTF": (D(10), "Intl"), "BNDF": (D(10), "Bonds")},
        [
            {"name": "401k", "kind": "401k", "menu": ["USF", "BNDF"], "holdings": {"USF": 6000}},
            {
                "name": "IRA",
                "kind": "roth-ira",
                "holdings": {"BNDF": 4000} if intl_in_ira else {"BNDF": 1000},
            },
        ],
    )


def test_a_menu_and_spent_cash_are_named_where_they_bind() -> None:
    result = plan(menu_household(intl_in_ira=False), PlanOptions())
    # Bonds is under target, yet the IRA sells them: to pay for Intl, which only it can buy.
    sale = next(t for t in result.trades if (t.account, t.action) == ("IRA", "sell"))
    assert sale.reason == "frees cash to buy Intl in this account"
    assert reasons(result) == {
        "US": "401k holds it but cannot buy Intl there",
        "Intl": "only IRA can buy it (the menu of 401k has no Intl fund); IRA has no cash left "
        "and nothing over target left to sell",
    }


def test_whole_shares_name_the_cash_left_and_the_share_it_cannot_buy() -> None:
    portfolio = make_portfolio(
        {"US": 50, "Bonds": 50},
        {"USF": (D(300), "US"), "BNDF": (D(400), "Bonds")},
        [{"name": "IRA", "kind": "ira", "cash": D(800), "holdings": {}}],
    )
    result = plan(portfolio, PlanOptions(whole_shares=True))
    assert by_line(result) == {
        ("IRA", "USF", "buy"): D("300.00"),
        ("IRA", "BNDF", "buy"): D("400.00"),
    }
    assert reasons(result)["US"] == (
        "whole shares: the $100.00 left in IRA buys no share of USF ($300.00)"
    )


# --------------------------------------------------------------- property (d)

ACCOUNT = re.compile(r"\bA\d\b")


def _bought(portfolio: Portfolio, result: Plan) -> set[tuple[str, str]]:
    return {
        (trade.account, name)
        for trade in result.trades
        if trade.action == "buy"
        for name, weight in portfolio.securities[trade.ticker].class_weights().items()
        if weight > 0
    }


def contradictions(portfolio: Portfolio, result: Plan) -> list[str]:
    """Every clause of a residual reason that says an account cannot buy what it buys."""
    bought = _bought(portfolio, result)
    names = [a.name for a in portfolio.accounts]
    classes = sorted({c for _, c in bought} | {r.asset_class for r in result.residual})
    traded = {t.account for t in result.trades}
    found: list[str] = []
    for residual in result.residual:
        for piece in re.split(r"; | \(", residual.reason):
            # "(the menu of X has no Y fund)" loses its "(" above; an account's own
            # parentheses, "Jordan 401(k)", stay balanced.
            clause = piece[:-1] if piece.count(")") > piece.count("(") else piece
            named = [n for n in names if n in clause]
            if "cannot buy" in clause:
                who, _, what = clause.partition("cannot buy")
                found += [
                    clause
                    for n in names
                    for c in classes
                    if n in who and re.search(rf"\b{re.escape(c)}\b", what) and (n, c) in bought
                ]
            if clause.startswith("no account can buy"):
                found += [clause for n in names if (n, residual.asset_class) in bought]
            if re.search(r"ha(s|ve) no .* fund", clause):
                c = residual.asset_class
                found += [clause for n in named if (n, c) in bought]
            if clause.startswith("--only leaves out"):
                found += [clause for n in named if n in traded]
            # "only A0 can buy it" names who can; "only 3 accounts can buy it" counts them.
            if (
                clause.startswith("only ")
                and clause.endswith("can buy it")
                and "accounts" not in clause
            ):
                found += [
                    clause for n in names if n not in named and (n, residual.asset_class) in bought
                ]
    for trade in result.trades:
        # "Intl is $11,000.00 under target; this account can buy it only through TDF (20%)"
        only_through = re.search(r"^(.+?) is .*can buy it only through (\S+)", trade.reason)
        if only_through:
            main, fund = only_through.groups()
            found += [
                trade.reason
                for other in result.trades
                if other.account == trade.account
                and other.action == "buy"
                and other.ticker != fund
                and main in portfolio.securities[other.ticker].class_weights()
            ]
    return found


def test_band_edge_drift_left_by_whole_shares_is_blamed_on_the_rounding() -> None:
    # Before: "only Jordan 401(k), Jordan Traditional IRA, Sam Roth IRA, Joint Brokerage can
    # buy International Stocks, and they have no more money to move into it" while the
    # Traditional IRA keeps $1,352.11 of cash.
    result = plan(household(), PlanOptions(mode="band-edge", whole_shares=True))
    assert result.leftover_cash["Jordan Traditional IRA"] > 1000
    for name in ("International Stocks", "Bonds"):
        assert reasons(result)[name] == (
            "the plan puts it in its band, but whole shares leave it just outside, "
            "and another share would not lower the total drift"
        )


CLASSES = ["US", "Intl", "Bonds"]
PRICES = [D(p) for p in ("1", "9.99", "25.50", "150", "290.12")]


@st.composite
def requests(draw: st.DrawFn) -> tuple[Portfolio, PlanOptions]:
    securities: dict[str, tuple[Decimal, Any]] = {}
    for name in CLASSES:
        for n in range(draw(st.integers(0, 2))):
            securities[f"{name[:2].upper()}{n}"] = (draw(st.sampled_from(PRICES)), name)
    if draw(st.booleans()):
        securities["BAL"] = (draw(st.sampled_from(PRICES)), {"US": 60, "Intl": 20, "Bonds": 20})
    if not securities:
        securities["US0"] = (D(1), "US")
    tickers = sorted(securities)
    accounts = []
    for i in range(draw(st.integers(1, 6))):
        held = draw(st.lists(st.sampled_from(tickers), max_size=3, unique=True))
        account: dict[str, Any] = {
            "name": f"A{i}",
            "kind": draw(st.sampled_from(["brokerage", "roth-ira", "401k", "hsa"])),
            "cash": Decimal(draw(st.integers(0, 300_000))) * CENT,
            "holdings": {t: Decimal(draw(st.integers(0, 300))) for t in held},
        }
        if draw(st.booleans()):
            account["menu"] = draw(st.lists(st.sampled_from(tickers), min_size=1, unique=True))
        accounts.append(account)
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=3, max_size=3)))
    edges = [0, *cuts, 100]
    targets = {n: edges[i + 1] - edges[i] for i, n in enumerate([*CLASSES, "Cash"])}
    portfolio = make_portfolio(targets, securities, accounts)
    names = [a["name"] for a in accounts]
    only = draw(st.one_of(st.none(), st.sets(st.sampled_from(names), min_size=1)))
    new_money: dict[str, Decimal] = {}
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(only) if only else names))
        new_money[name] = Decimal(draw(st.integers(-2000, 5000)))
    avoid = draw(st.dictionaries(st.sampled_from(names), st.booleans(), max_size=2))
    options = PlanOptions(
        mode=draw(st.sampled_from(["full", "band-edge", "cash-flow"])),
        new_money=new_money,
        whole_shares=draw(st.booleans()),
        min_trade=D(draw(st.sampled_from([0, 0, 100]))),
        avoid_selling=avoid,
        only=None if only is None else frozenset(only),
    )
    return portfolio, options


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(requests())
def test_no_reason_says_an_account_cannot_buy_a_class_the_plan_buys_there(
    request: tuple[Portfolio, PlanOptions],
) -> None:
    portfolio, options = request
    try:
        result = plan(portfolio, options)
    except PlanError:
        return  # an impossible request (a withdrawal too large, an empty household)
    assert contradictions(portfolio, result) == []
    for residual in result.residual:
        assert residual.reason
        assert "solver" not in residual.reason
    if options.only is not None:
        assert {t.account for t in result.trades} <= options.only
    assert sum((t.amount for t in result.trades), ZERO) >= 0


def test_new_money_to_band_under_only_goes_to_the_named_accounts() -> None:
    """Found by attack: `--only "Sam Roth IRA"` still suggested new money for the
    Traditional IRA and the 401(k), which the plan leaves out."""
    portfolio = load(SAMPLES / "household.toml").portfolio
    answer = plan(portfolio, PlanOptions(only=frozenset({"Sam Roth IRA"}))).new_money_to_band
    assert answer.amount is not None
    assert set(answer.by_account) == {"Sam Roth IRA"}
    assert {trade.account for trade in answer.buys} == {"Sam Roth IRA"}
    everywhere = plan(portfolio, PlanOptions()).new_money_to_band
    assert len(everywhere.by_account) > 1  # without --only the money may go anywhere
