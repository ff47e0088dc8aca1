"""Band-edge with fractional shares: the cents of the trade lines keep every class the
plan brings into its band inside it, and the plan is the same at every scale of money.

The inside check is exact and independent of the planner's own tables: the trades are
applied, each class's weight is a Fraction of the total, and it is compared with the
band's edges under the file's `edges` rule.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from test_planner_consistency import BRUTE_CLASSES, _endings, _scale_options, small_households
from test_planner_properties import requests
from test_planner_support import D, make_portfolio, scaled

from rebal.core.allocation import class_exposure
from rebal.core.bands import band_for, status
from rebal.core.numbers import CENT, ZERO, percent_of
from rebal.core.planner import Plan, PlanError, PlanOptions, apply_trades, plan
from rebal.core.planner.plan import _unrounded_exposure, solve
from rebal.core.planner.problem import Problem, build_problem
from rebal.model import Portfolio

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
# The solver holds its rows to a ten-billionth of the household; its answer is
# trusted to a billionth (the plan's own rounding must absorb the rest).
SOLVER = Decimal("1e-9")
# The properties speak of bands at least this wide per trade line (see _reached).
ROOM = 10 * CENT


@st.composite
def band_edge_requests(draw: st.DrawFn) -> tuple[Portfolio, PlanOptions]:
    portfolio, options = draw(requests())
    edges = draw(st.sampled_from(["inside", "outside"]))
    bands = portfolio.bands.model_copy(update={"edges": edges})
    return (
        portfolio.model_copy(update={"bands": bands}),
        PlanOptions(mode="band-edge", new_money=options.new_money),
    )


def _in_band(portfolio: Portfolio, name: str, weight: Fraction) -> bool:
    """Exact: `weight` (percent) inside the band of `name`, edges as the file says."""
    band = band_for(portfolio.targets[name], portfolio.bands, name)
    low, high, target = Fraction(band.low), Fraction(band.high), Fraction(band.target)
    if weight == target:
        return True
    if portfolio.bands.edges == "inside":
        return low <= weight <= high
    return low < weight < high


def _weights_after(portfolio: Portfolio, options: PlanOptions, result: Plan) -> dict[str, Fraction]:
    after = apply_trades(portfolio, result.trades, options.new_money)
    exposure = class_exposure(after)
    total = sum((Fraction(v) for v in exposure.values()), Fraction(0))
    return {c: Fraction(exposure.get(c, ZERO)) * 100 / total for c in portfolio.targets}


def _reached(portfolio: Portfolio, options: PlanOptions, lines: int) -> set[str]:
    """The classes the solver's answer (before cents) puts inside their bands, among
    those whose band is at least ten cents wide per trade line. Narrower bands belong
    to households of a few dollars, where no cent may land in a band at all (a 1% band
    of $0.04 is $0.0008 wide) or only a move of three lines in two accounts at once
    keeps three classes in (a $10 household with a 10-cent band for Intl)."""
    problem = build_problem(portfolio, options)
    moves, _, _ = solve(problem)
    unrounded = _unrounded_exposure(problem, moves)
    noise = SOLVER * problem.total
    reached = set()
    for name in portfolio.targets:
        low, high = problem.band_money(name)
        if 0 < high - low < ROOM * (lines + 1):
            continue
        value = unrounded.get(name, ZERO)
        if portfolio.bands.edges == "outside":  # the edges themselves are breaches
            inside = low < value < high or value == problem.target_money[name]
        else:
            inside = low - noise <= value <= high + noise
        if inside:
            reached.add(name)
    return reached


# Found by hypothesis, scale 1 vs 10^2: two-cent margins inside the edges (0.02 of
# money at one scale, 0.0002 at the other) made Account 1 buy $1,198.81 of IN0 at
# one scale and $119,874.77 (/100 = $1,198.7477) at the other: 6.23 cents apart.
_MARGINS_APART = make_portfolio(
    {"US": 4, "Intl": 55, "Bonds": 31, "Cash": 10},
    {
        "US0": ("9.99", "US"),
        "US1": ("1", "US"),
        "IN0": ("1", "Intl"),
        "BO0": ("9.99", "Bonds"),
        "BO1": ("9.99", "Bonds"),
        "BAL": ("9.99", {"US": 60, "Bonds": 40}),
    },
    [
        {
            "name": "Account 0",
            "kind": "taxable",
            "cash": D("443.74"),
            "menu": ["BAL", "US1", "BO1", "US0", "BO0", "IN0"],
        },
        {
            "name": "Account 1",
            "kind": "taxable",
            "cash": D("72.58"),
            "menu": ["US1", "IN0", "BO1"],
            "holdings": {"BAL": 9, "US0": 34, "BO0": 217},
        },
    ],
)


# Found by hypothesis: Bonds' band (0.95-1.05% of $0.04) is $0.0008 wide, so no
# trade reaches it, and the plan showed Bonds under its band without a word on why
# (a residual under a cent from target was taken for "rounding" in every mode).
_BAND_NO_CENT_REACHES = make_portfolio(
    {"US": 0, "Intl": 0, "Bonds": 1, "Cash": 99},
    {"US0": ("64.80", "US"), "IN0": ("290.12", "Intl"), "BO0": ("25.50", "Bonds")},
    [{"name": "Account 0", "kind": "taxable", "cash": D("0.04"), "menu": ["BO0"]}],
)


@SETTINGS
@given(band_edge_requests())
@example((_MARGINS_APART, PlanOptions(mode="band-edge")))
@example((_BAND_NO_CENT_REACHES, PlanOptions(mode="band-edge")))
def test_the_cents_keep_every_class_the_plan_reaches_inside_its_band(
    request: tuple[Portfolio, PlanOptions],
) -> None:
    portfolio, options = request
    try:
        result = plan(portfolio, options)
    except PlanError:
        return
    weights = _weights_after(portfolio, options, result)
    rows = {row.asset_class: row for row in result.after}
    residual = {r.asset_class for r in result.residual}
    for name, weight in weights.items():
        inside = _in_band(portfolio, name, weight)
        # What the plan claims is what the trades do, and a class it leaves out of
        # its band is listed with a reason.
        assert (rows[name].status == "in") == inside, name
        assert inside or name in residual, name
    for name in _reached(portfolio, options, len(result.trades)):
        assert _in_band(portfolio, name, weights[name]), (name, float(weights[name]))


# Found by hypothesis, scale 1 vs 10^2: at 100 times the money US, Intl and Bonds all
# ended a fraction of a cent outside their edges (share counts of a $29,012 fund move
# by $0.029); the one step that brought Bonds and Intl in moved US a tenth of a cent
# further out, so the search refused it and US and Intl were left "just outside".
_THREE_ON_THEIR_EDGES = make_portfolio(
    {"US": 25, "Intl": 13, "Bonds": 28, "Cash": 34},
    {"US0": ("290.12", "US"), "US1": ("9.99", "US"), "IN0": ("150", "Intl"),
     "BO0": ("25.50", "Bonds")},
    [{"name": "Account 0", "kind": "roth", "cash": D("5.87"),
      "holdings": {"BO0": 44, "IN0": 180, "US1": 112, "US0": 211}}],
    bands={"kind": "relative", "width": 5},
)


@SETTINGS
@given(band_edge_requests(), st.integers(1, 3))
@example((_MARGINS_APART, PlanOptions(mode="band-edge")), 2)
@example((_THREE_ON_THEIR_EDGES, PlanOptions(
    mode="band-edge", new_money={"Account 0": D("942.00")})), 2)
def test_a_band_edge_plan_scales_with_the_money_to_the_cent_of_each_line(
    request: tuple[Portfolio, PlanOptions], power: int
) -> None:
    portfolio, options = request
    factor = Decimal(10) ** power
    try:
        base = plan(portfolio, options)
    except PlanError:
        return
    big = plan(scaled(portfolio, factor), _scale_options(options, factor))
    problem = build_problem(portfolio, options)
    lines_of = len(base.trades) + len(big.trades)
    for name in portfolio.targets:
        low, high = problem.band_money(name)
        if 0 < high - low < ROOM * (lines_of + 1):
            return  # cents that serve a band of a few cents are not the plan's figures
    # Each plan rounds each line by less than its smallest unit (a cent of its own
    # money), toward the band of its class, and one line of an account may take the
    # cents its other lines round by (its cash must balance: the cents two buys round
    # up are sold a cent more each). So a line is within a cent of each plan per line
    # of its account; the solvers agree to a billionth of the household.
    reached = _reached(portfolio, options, lines_of)
    total = problem.total
    unit = CENT + CENT / factor
    noise = SOLVER * total
    lines = {(t.account, t.ticker): t for t in base.trades}
    scaled_lines = {(t.account, t.ticker): t for t in big.trades}
    keys = lines.keys() | scaled_lines.keys()
    per_account = {account: sum(1 for a, _ in keys if a == account) for account, _ in keys}
    for key in keys:
        one, other = lines.get(key), scaled_lines.get(key)
        signed = ZERO if one is None else one.amount if one.action == "buy" else -one.amount
        scaled_signed = ZERO
        if other is not None:
            scaled_signed = (other.amount if other.action == "buy" else -other.amount) / factor
        difference = abs(signed - scaled_signed)
        assert difference <= unit * per_account[key[0]] + noise, (key, signed, scaled_signed)
    # A class either plan leaves a hair of (a cent of cash at one scale) has a row there only.
    rows = {row.asset_class: row for row in base.after}
    scaled_rows = {row.asset_class: row for row in big.after}
    for name in rows.keys() | scaled_rows.keys():
        value = rows[name].value if name in rows else ZERO
        scaled_value = scaled_rows[name].value / factor if name in scaled_rows else ZERO
        assert abs(value - scaled_value) <= 2 * unit * len(keys) + noise, name
        if name in reached:
            assert rows[name].status == scaled_rows[name].status, name


def _whole_dollar_plan_in_band(problem: Problem) -> bool:
    """Some whole-dollar plan moves every class only toward its target (band-edge's
    rule) and ends with all of them in their bands (a brute force over both accounts)."""
    first, second = (a.name for a in problem.accounts)
    policy = problem.portfolio.bands
    start = problem.exposure
    for (one, _, _), (two, _, _) in itertools.product(
        list(_endings(problem, first)), list(_endings(problem, second))
    ):
        end = {c: Decimal(one[c] + two[c]) for c in BRUTE_CLASSES}
        total = sum(end.values(), ZERO)
        ok = True
        for name in BRUTE_CLASSES:
            target = problem.target_money[name]
            before, after = start.get(name, ZERO) - target, end[name] - target
            if before * after < 0 or abs(after) > abs(before):
                ok = False  # past its target, or away from it
                break
            band = band_for(problem.targets[name], policy, name)
            if status(percent_of(end[name], total), band, policy) != "in":
                ok = False
                break
        if ok:
            return True
    return False


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_households())
def test_band_edge_is_in_band_wherever_a_whole_dollar_plan_is(portfolio: Portfolio) -> None:
    """An independent check of the LP and the cents together: whole-dollar plans are
    cent plans, so where one puts every class in band, the planner's plan does too."""
    options = PlanOptions(mode="band-edge")
    if not _whole_dollar_plan_in_band(build_problem(portfolio, options)):
        return
    result = plan(portfolio, options)
    assert all(row.status == "in" for row in result.after), [
        (row.asset_class, row.actual) for row in result.after
    ]
