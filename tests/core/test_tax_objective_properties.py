"""Properties of tax in the planner's objective (docs/planner.md, "Tax in the objective").

Random households with a taxable account holding lots beside tax-advantaged accounts:
no plan realizes more than its gain budget, a gain is never taxed below zero, the
planner never pays more tax than the tax-blind plan at the same drift, the order of
the accounts does not change what it costs, and files without [tax] or [location]
get exactly the plan they got before.
"""

from __future__ import annotations

import dataclasses
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_planner_properties import requests

from rebal.core.numbers import CENT, ZERO
from rebal.core.planner import Plan, PlanError, PlanOptions, plan
from rebal.model import Portfolio
from rebal.store.load import load

D = Decimal
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
DATES = ["2019-03-04", "2025-11-21", "2026-06-01", "2026-11-08"]
PRICES = {"VTI": D(100), "VTSAX": D("50.5"), "ITOT": D(40), "BND": D(50), "FXNAX": D("10.52")}
CLASSES = {"VTI": "Stocks", "VTSAX": "Stocks", "ITOT": "Stocks", "BND": "Bonds", "FXNAX": "Bonds"}
SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"


@st.composite
def lots_for(draw: st.DrawFn, shares: int, price: Decimal) -> list[dict[str, Any]]:
    """`shares` split into 1 to 3 lots, each bought at 40% to 160% of `price`."""
    cuts = sorted(draw(st.lists(st.integers(1, max(1, shares - 1)), max_size=2, unique=True)))
    edges = [0, *[c for c in cuts if c < shares], shares]
    lots = []
    for low, high in itertools.pairwise(edges):
        if high <= low:
            continue
        per_share = price * D(draw(st.integers(40, 160))) / 100
        lots.append(
            {
                "acquired": draw(st.sampled_from(DATES)),
                "shares": high - low,
                "cost": str((per_share * (high - low)).quantize(CENT)),
            }
        )
    return lots


@st.composite
def taxed_households(
    draw: st.DrawFn, with_tax: bool = True, budget: bool | None = None
) -> Portfolio:
    brokerage: dict[str, Any] = {
        "name": "Brokerage",
        "kind": "taxable",
        "avoid_selling": draw(st.booleans()),
        "cash": str(D(draw(st.integers(0, 300_000))) * CENT),
        "holdings": {},
        "lots": {},
    }
    for ticker in draw(
        st.lists(st.sampled_from(sorted(PRICES)), min_size=1, max_size=3, unique=True)
    ):
        shares = draw(st.integers(1, 200))
        brokerage["holdings"][ticker] = shares
        if draw(st.integers(0, 4)):  # now and then a holding of unknown basis
            brokerage["lots"][ticker] = draw(lots_for(shares, PRICES[ticker]))
    others = []
    for index in range(draw(st.integers(1, 2))):
        held = draw(st.lists(st.sampled_from(sorted(PRICES)), max_size=3, unique=True))
        others.append(
            {
                "name": f"IRA {index}",
                "kind": draw(st.sampled_from(["traditional", "roth", "401k", "hsa"])),
                "cash": str(D(draw(st.integers(0, 300_000))) * CENT),
                "holdings": {t: draw(st.integers(0, 200)) for t in held},
                **(
                    {
                        "menu": draw(
                            st.lists(st.sampled_from(sorted(PRICES)), min_size=1, unique=True)
                        )
                    }
                    if draw(st.booleans())
                    else {}
                ),
            }
        )
    stocks = draw(st.integers(0, 100))
    data: dict[str, Any] = {
        "portfolio": {"name": "t", "as_of": "2026-11-20"},
        "targets": {"Stocks": stocks, "Bonds": 100 - stocks},
        "securities": {t: {"price": str(p), "class": CLASSES[t]} for t, p in PRICES.items()},
        "accounts": [brokerage, *others],
    }
    if with_tax:
        data["tax"] = {
            "short_term_rate": draw(st.sampled_from([22, 35, 40.8])),
            "long_term_rate": draw(st.sampled_from([0, 15, 18.8, 23.8])),
        }
        if budget or (budget is None and draw(st.booleans())):
            data["tax"]["gain_budget"] = draw(st.sampled_from([0, 25, 200, 1000, 3000]))
    return Portfolio.model_validate(data)


def taxed_tax(result: Plan) -> Decimal:
    """The tax the planner weighs: each lot's gain at its term's rate, a loss counting 0."""
    assert result.tax is not None
    assert result.tax.rates is not None
    rates = result.tax.rates
    return sum(
        (
            max(ZERO, lot.gain or ZERO) * rates.of(lot.term or "short")
            for trade in result.tax.trades
            if trade.taxable
            for lot in trade.lots
        ),
        ZERO,
    )


def drift(result: Plan) -> Decimal:
    total = sum((row.value for row in result.after), ZERO)
    return sum((abs(row.value - row.target * total / 100) for row in result.after), ZERO)


def planned(portfolio: Portfolio, options: PlanOptions) -> Plan | None:
    try:
        return plan(portfolio, options)
    except PlanError:
        return None  # a household worth nothing


@SETTINGS
@given(taxed_households(budget=True), st.booleans())
def test_no_plan_realizes_more_than_the_budget(portfolio: Portfolio, whole: bool) -> None:
    assert portfolio.tax is not None
    result = planned(portfolio, PlanOptions(whole_shares=whole))
    if result is None or portfolio.tax.gain_budget is None:
        return
    assert result.tax is not None
    assert result.tax.budget is not None
    budget = result.tax.budget
    assert budget.counted <= portfolio.tax.gain_budget
    assert budget.used <= portfolio.tax.gain_budget
    assert not any(w.kind == "gain-budget" for w in result.tax.warnings)
    if budget.binds:
        assert budget.drift_left
        assert all(d.money >= CENT for d in budget.drift_left)
    else:  # the plan solved without the cap ends no closer, or the cap allows it
        free = plan(portfolio, PlanOptions(whole_shares=whole, use_gain_budget=False))
        assert free.tax is not None
        assert free.tax.budget is not None
        fits = free.tax.budget.counted <= portfolio.tax.gain_budget
        assert fits or drift(result) <= drift(free) + CENT * len(result.after)


@SETTINGS
@given(taxed_households(), st.sampled_from(["full", "band-edge", "cash-flow"]), st.booleans())
def test_a_gain_is_never_taxed_below_zero(portfolio: Portfolio, mode: str, whole: bool) -> None:
    result = planned(portfolio, PlanOptions(mode=mode, whole_shares=whole))  # type: ignore[arg-type]
    if result is None:
        return
    assert result.tax is not None
    for trade in result.tax.trades:
        if trade.gains.short >= 0 and trade.gains.long >= 0 and trade.tax is not None:
            assert trade.tax >= 0
    gains = result.tax.gains
    if gains.net >= 0:
        assert result.tax.estimated_tax is not None
        assert result.tax.estimated_tax >= 0


@SETTINGS
@given(taxed_households())
def test_the_planner_never_pays_more_tax_than_the_tax_blind_plan(portfolio: Portfolio) -> None:
    assert portfolio.tax is not None
    untaxed = portfolio.model_copy(
        update={"tax": portfolio.tax.model_copy(update={"gain_budget": None})}
    )
    aware = planned(untaxed, PlanOptions())
    blind = planned(untaxed, PlanOptions(use_tax=False))
    if aware is None or blind is None:
        return
    lines = len(aware.trades) + len(blind.trades) + 1
    # Both reach the least drift first (cents rounding aside); then the aware one sells the
    # least of unknown basis, and at that, pays the least tax it can see.
    assert abs(drift(aware) - drift(blind)) <= CENT * lines
    assert aware.tax is not None
    assert blind.tax is not None
    unknown, blind_unknown = aware.tax.gains.unknown_basis, blind.tax.gains.unknown_basis
    assert unknown <= blind_unknown + CENT * lines
    if unknown >= blind_unknown - CENT * lines:  # else it paid known tax for unknown
        assert taxed_tax(aware) <= taxed_tax(blind) + CENT * lines


@SETTINGS
@given(taxed_households())
def test_the_order_of_accounts_and_lots_does_not_change_the_tax_or_the_mix(
    portfolio: Portfolio,
) -> None:
    # The accounts in the other order, and each holding's lots too.
    accounts = [
        a.model_copy(update={"lots": {t: list(reversed(lots)) for t, lots in a.lots.items()}})
        for a in reversed(portfolio.accounts)
    ]
    reordered = portfolio.model_copy(update={"accounts": accounts})
    first, second = planned(portfolio, PlanOptions()), planned(reordered, PlanOptions())
    if first is None or second is None:
        return
    lines = len(first.trades) + len(second.trades) + 1
    assert abs(taxed_tax(first) - taxed_tax(second)) <= CENT * lines
    assert first.tax is not None
    assert second.tax is not None
    assert abs(first.tax.gains.unknown_basis - second.tax.gains.unknown_basis) <= CENT * lines
    for a, b in zip(first.after, second.after, strict=True):
        assert abs(a.value - b.value) <= CENT * lines


def same_plan(portfolio: Portfolio, options: PlanOptions) -> None:
    try:
        result = plan(portfolio, options)
    except PlanError:
        with pytest.raises(PlanError):
            plan(portfolio, dataclasses.replace(options, use_tax=False))
        return
    blind = plan(portfolio, dataclasses.replace(options, use_tax=False))
    assert dataclasses.replace(result, options=blind.options) == blind


@SETTINGS
@given(taxed_households(with_tax=False), st.sampled_from(["full", "band-edge", "cash-flow"]))
def test_files_with_lots_but_no_tax_table_get_todays_plans(portfolio: Portfolio, mode: str) -> None:
    same_plan(portfolio, PlanOptions(mode=mode))  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_generated_households_without_tax_get_todays_plans(
    request: tuple[Portfolio, PlanOptions],
) -> None:
    portfolio, options = request
    same_plan(portfolio, options)


@pytest.mark.parametrize("name", ["household", "seed_bands", "seed_return"])
@pytest.mark.parametrize("mode", ["full", "band-edge", "cash-flow"])
def test_the_samples_without_tax_get_todays_plans(name: str, mode: str) -> None:
    portfolio = load(SAMPLES / f"{name}.toml").portfolio
    assert portfolio.tax is None
    assert not portfolio.location
    same_plan(portfolio, PlanOptions(mode=mode))  # type: ignore[arg-type]
    same_plan(portfolio, PlanOptions(mode=mode, whole_shares=True))  # type: ignore[arg-type]


@SETTINGS
@given(taxed_households())
def test_the_lots_reported_are_the_lots_the_solver_priced(portfolio: Portfolio) -> None:
    from rebal.core.planner.plan import solve
    from rebal.core.planner.problem import build_problem

    result = planned(portfolio, PlanOptions())
    if result is None:
        return
    problem = build_problem(portfolio, PlanOptions())
    _, _, sells = solve(problem)
    assert problem.tax is not None
    # The tax the solver's split costs: each fund's money taken from its lots in order.
    priced = ZERO
    sold: dict[tuple[str, str], Decimal] = {}
    for (account, _), funds in sells.items():
        for ticker, money in funds.items():
            sold[(account, ticker)] = sold.get((account, ticker), ZERO) + money
            held = portfolio.account(account).holdings[ticker]
            price = portfolio.securities[ticker].price
            left = money
            for segment in problem.tax.segments(account, ticker, D(held), price):
                take = min(left, segment.value)
                priced += take * segment.tax
                left -= take
    reported = {
        (t.account, t.ticker): t.amount
        for t in result.trades
        if t.action == "sell" and portfolio.account(t.account).kind == "taxable"
    }
    lines = len(result.trades) + 1
    # The same funds sell the same money (to the cent per line), at the same tax.
    assert set(reported) == {k for k, v in sold.items() if v >= CENT / 2}
    for key, amount in reported.items():
        assert abs(amount - sold[key]) <= CENT
    assert abs(taxed_tax(result) - priced) <= CENT * lines
