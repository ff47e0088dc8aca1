"""Whole shares as a small mixed-integer program (HiGHS), where it is affordable.

Integer columns: the shares each account buys of each fund it may buy (the
funds the LP's assets buy), and the shares it sells of each position it may
sell (a fractional position can also be sold whole: a binary column for its
fraction, allowed only with every whole share of it). The rows are the LP's:
each account's cash never below zero, drift above and below target per class.
Everything is in units of the household's total, like the LP.

Passes (each optimum fixed for the next, as in the LP; drift to a billionth of
the household, the tie-breaks to within 0.1% of their bound):
    full:       drift; money sold where avoided; money traded
    cash-flow:  drift; distance to the continuous plan's class mix (which
                carries its water-filling); money traded
With tax in the objective (tax_costs.py), as in the LP: the gain budget's
excess first; after drift (and the mix), unknown basis sold, then the tax of
the lots sold; the location rank of the buys last.

Each pass explores at most NODE_LIMIT branch-and-bound nodes: a count, not a
clock, so the same household gives the same plan on any machine under any
load. A pass stopped there keeps the best plan it found, and `method` says
the search stopped at the limit and how far its drift is from the LP bound.

Band-edge, cash-flow withdrawals, a household with more than MAX_INTEGER
columns, or a MILP without any whole-share plan at the node limit keep the
rounding rule (rounding.to_whole_shares); `method` then says why and how far
the rounded plan's drift is from the continuous optimum (the LP bound).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from rebal.core.numbers import ZERO, cents, exact, mul
from rebal.core.planner.exact import Moves
from rebal.core.planner.lp import LinearProgram, Solver, budget_margin
from rebal.core.planner.problem import Asset, Problem, exposure_after, total_drift
from rebal.core.planner.reasons import money
from rebal.core.planner.rounding import Line
from rebal.core.planner.tax_costs import location_rank
from rebal.core.planner.types import PlanError

MAX_INTEGER = 400  # integer columns; past this the MILP is not tried
# Branch-and-bound nodes per pass: a count, so the plan is the same on any machine.
# Proving the least drift of a household with a dozen funds can take far more
# nodes than any limit that keeps a plan interactive; the best plan found by the
# limit is still far closer to the LP bound than the rounding rule (bench/
# bench_milp.py, households of 2 to 36 accounts: at most $410 above it, where
# rounding leaves up to $5,130), and the slowest plan took 3 s of CPU. Each
# pass starts from the previous pass's plan.
NODE_LIMIT = 300
# Drift is solved to a billionth of the household; the tie-breaks after it stop
# within 0.1% of their bound: many whole-share plans tie on drift, and proving
# which trades the last dollar less took HiGHS a second on the sample household.
TIE_BREAK_GAP = 1e-3


@dataclass(frozen=True, slots=True)
class _Column:
    account: str
    ticker: str
    sign: int  # +1 buy, -1 sell
    shares: Decimal  # shares per unit of the column (1, or a position's fraction)


@exact
def whole_share_lines(problem: Problem, moves: Moves) -> tuple[list[Line] | None, str]:
    """The MILP's whole-share lines, or None and why it was not used."""
    mode = problem.options.mode
    if mode == "band-edge":
        return None, "band-edge keeps the rounding rule"
    if mode == "cash-flow" and any(a.may_sell and a.cash < 0 for a in problem.accounts):
        return None, "a cash-flow withdrawal keeps the rounding rule"
    unit = problem.total
    prices = {t: s.price for t, s in problem.portfolio.securities.items()}
    columns: list[_Column] = []
    lower: list[float] = []
    upper: list[float | None] = []
    integer: list[int] = []
    links: list[tuple[int, int, Decimal]] = []  # (whole shares, fraction, whole count)
    for asset in problem.assets:
        account = problem.account(asset.account)
        if asset.buy_ticker is not None and account.may_buy:
            price = prices[asset.buy_ticker]
            worth = account.cash + sum(
                (a.sellable for a in _assets_of(problem, account.name)), ZERO
            )
            most = (worth / price).to_integral_value(rounding=ROUND_FLOOR) if worth > 0 else ZERO
            columns.append(_Column(asset.account, asset.buy_ticker, 1, Decimal(1)))
            lower.append(0.0)
            upper.append(float(most))
            integer.append(len(columns) - 1)
        for holding in asset.holdings:
            if mode == "cash-flow":
                # A cash-flow account sells only what its withdrawal needs beyond its
                # cash (lp.py); one that needs some kept the rounding rule above, so
                # here every withdrawal is paid from cash and nothing is sold.
                break
            whole = holding.shares.to_integral_value(rounding=ROUND_FLOOR)
            columns.append(_Column(asset.account, holding.ticker, -1, Decimal(1)))
            lower.append(0.0)
            upper.append(float(whole))
            integer.append(len(columns) - 1)
            fraction = holding.shares - whole
            if fraction > 0:
                columns.append(_Column(asset.account, holding.ticker, -1, fraction))
                lower.append(0.0)
                upper.append(1.0)
                integer.append(len(columns) - 1)
                links.append((len(columns) - 2, len(columns) - 1, whole))
    if len(integer) > MAX_INTEGER:
        return None, f"{len(integer)} integer columns are over the MILP's {MAX_INTEGER}"

    class_row = {c: i for i, c in enumerate(problem.classes)}
    account_row = {a.name: len(problem.classes) + i for i, a in enumerate(problem.accounts)}
    entries: list[tuple[int, int, float]] = []
    traded: dict[int, float] = {}
    avoided: dict[int, float] = {}
    for index, column in enumerate(columns):
        value = float(mul(column.shares, prices[column.ticker]) / unit)
        signed = column.sign * value
        traded[index] = value
        if column.sign < 0 and problem.account(column.account).avoids_selling:
            avoided[index] = value
        entries.append((account_row[column.account], index, signed))
        weights = problem.weights[column.ticker]
        for name, weight in weights.items():
            if name != problem.cash_class:
                entries.append((class_row[name], index, signed * float(weight)))
        cash_weight = float(weights.get(problem.cash_class, ZERO)) - 1.0
        if cash_weight:
            entries.append((class_row[problem.cash_class], index, signed * cash_weight))
    n = len(columns)
    over = {c: n + 2 * i for i, c in enumerate(problem.classes)}
    under = {c: n + 2 * i + 1 for i, c in enumerate(problem.classes)}
    for name in problem.classes:
        entries.append((class_row[name], over[name], -1.0))
        entries.append((class_row[name], under[name], 1.0))
    lower += [0.0] * (2 * len(problem.classes))
    upper += [None] * (2 * len(problem.classes))
    gap = [float((problem.target_money[c] - problem.exposure[c]) / unit) for c in problem.classes]
    cash = [float(a.cash / unit) for a in problem.accounts]
    # Rows are renumbered by Solver: the class rows are equalities, the cash rows inequalities.
    ub = [(r - len(problem.classes), c, v) for r, c, v in entries if r >= len(problem.classes)]
    eq = [(r, c, v) for r, c, v in entries if r < len(problem.classes)]
    solver = Solver(LinearProgram(len(lower), lower, upper, (ub, cash), (eq, gap)))
    for whole_column, fraction_column, whole in links:
        # The fraction is sold only with every whole share: whole_shares >= whole x fraction.
        solver.add_row(0.0, None, [(whole_column, 1.0), (fraction_column, -float(whole))])
    taxed = _tax_columns(solver, problem, columns, prices)
    solver.make_integer(integer, NODE_LIMIT)

    drift = {over[c]: 1.0 for c in problem.classes} | {under[c]: 1.0 for c in problem.classes}
    try:
        solver.lexicographic_pass(taxed.over_budget)
        solver.lexicographic_pass(drift)
        if problem.options.mode == "cash-flow":
            solver.lexicographic_pass(
                _distance_to(solver, problem, moves, over, under), TIE_BREAK_GAP
            )
        solver.lexicographic_pass(taxed.unknown)
        solver.lexicographic_pass(taxed.tax, TIE_BREAK_GAP)
        if problem.options.mode != "cash-flow":
            solver.lexicographic_pass(avoided, TIE_BREAK_GAP)
        solver.lexicographic_pass(traded, TIE_BREAK_GAP)
        solver.lexicographic_pass(taxed.location, TIE_BREAK_GAP)
    except PlanError:
        if solver.stopped_at_limit:
            return None, f"the MILP found no whole-share plan within {NODE_LIMIT} nodes a pass"
        return None, f"the MILP stopped: {solver.status.lower()}"
    lines = _lines(problem, columns, list(solver.solution()[: len(columns)]), prices)
    if lines is None:
        return None, "the MILP's lines overspent a cent when rounded"
    if solver.stopped_at_limit:
        return lines, (
            f"by MILP (HiGHS, stopped at its limit of {NODE_LIMIT} nodes a pass: the best "
            f"plan found, not proven optimal; drift {drift_apart(problem, moves, lines)})"
        )
    return lines, "by MILP (HiGHS, optimal)"


@dataclass
class _Taxed:
    over_budget: dict[int, float] = field(default_factory=dict)
    unknown: dict[int, float] = field(default_factory=dict)
    tax: dict[int, float] = field(default_factory=dict)
    location: dict[int, float] = field(default_factory=dict)


def _tax_columns(
    solver: Solver, problem: Problem, columns: list[_Column], prices: dict[str, Decimal]
) -> _Taxed:
    """The LP's tax objectives for the integer columns (lp.py, _TaxColumns).

    Each taxable sale (with [tax]) gets continuous lot columns, each up to its lot's
    value, that add up to the money its share columns sell: the lots are priced
    cheapest first, so the lots sold are the ones lot_order reports.
    """
    taxed = _Taxed()
    unit = problem.total
    if problem.location:
        for index, column in enumerate(columns):
            if column.sign > 0:
                treatment = problem.account(column.account).treatment
                rank = location_rank(problem.portfolio, treatment, problem.weights[column.ticker])
                if rank:
                    taxed.location[index] = float(rank * prices[column.ticker] / unit)
    tax = problem.tax
    if tax is None:
        return taxed
    sold: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for index, column in enumerate(columns):
        if column.sign < 0 and problem.account(column.account).treatment == "taxable":
            value = float(mul(column.shares, prices[column.ticker]) / unit)
            sold.setdefault((column.account, column.ticker), []).append((index, value))
    gains: list[tuple[int, float]] = []
    for (account, ticker), share_columns in sold.items():
        held = problem.held_shares(account, ticker)
        link = [(index, -value) for index, value in share_columns]
        for segment in tax.segments(account, ticker, held, prices[ticker]):
            lot = solver.add_column(0.0, float(segment.value / unit))
            link.append((lot, 1.0))
            if segment.unknown:
                taxed.unknown[lot] = 1.0
            if segment.tax:
                taxed.tax[lot] = float(segment.tax)
            if segment.budgeted:
                gains.append((lot, float(segment.budgeted)))
        solver.add_row(0.0, 0.0, link)
    if tax.budget is not None and problem.options.use_gain_budget and gains:
        excess = solver.add_column(0.0, None)
        taxed.over_budget[excess] = 1.0
        limit = max(ZERO, tax.budget - budget_margin(len(gains)))
        solver.add_row(None, float(limit / unit), [*gains, (excess, -1.0)])
    return taxed


def _assets_of(problem: Problem, account: str) -> list[Asset]:
    return [a for a in problem.assets if a.account == account]


def _distance_to(
    solver: Solver, problem: Problem, moves: Moves, over: dict[str, int], under: dict[str, int]
) -> dict[int, float]:
    """Columns measuring sum_c |E'_c - E*_c|, E* the continuous plan's class mix."""
    goal = exposure_after(problem, moves)
    weights: dict[int, float] = {}
    for name in problem.classes:
        above = solver.add_column(0.0, None)
        below = solver.add_column(0.0, None)
        # E'_c - T_c = over - under, so E'_c - E*_c = over - under - (E*_c - T_c).
        offset = float((goal.get(name, ZERO) - problem.target_money[name]) / problem.total)
        solver.add_row(
            offset,
            offset,
            [(over[name], 1.0), (under[name], -1.0), (above, -1.0), (below, 1.0)],
        )
        weights[above] = weights[below] = 1.0
    return weights


def _lines(
    problem: Problem, columns: list[_Column], solution: list[float], prices: dict[str, Decimal]
) -> list[Line] | None:
    net: dict[tuple[str, str], Decimal] = {}
    for column, value in zip(columns, solution, strict=True):
        count = Decimal(round(float(value)))
        if count:
            key = (column.account, column.ticker)
            net[key] = net.get(key, ZERO) + column.sign * count * column.shares
    lines: list[Line] = []
    spent: dict[str, Decimal] = {}
    for (account, ticker), shares in sorted(net.items()):
        if not shares:
            continue
        amount = cents(mul(abs(shares), prices[ticker]))
        lines.append(Line(account, ticker, "buy" if shares > 0 else "sell", abs(shares), amount))
        spent[account] = spent.get(account, ZERO) + (amount if shares > 0 else -amount)
    # Each line's amount is rounded to the cent: the cash rule is checked again here.
    if any(problem.account(a).cash - s < 0 for a, s in spent.items()):
        return None
    return lines


def drift_gap(problem: Problem, moves: Moves, lines: list[Line]) -> Decimal:
    """How much more drift `lines` leave than the continuous plan `moves` (the LP bound)."""
    exposure = dict(problem.exposure)
    for line in lines:
        value = line.amount if line.action == "buy" else -line.amount
        for name, weight in problem.weights[line.ticker].items():
            exposure[name] = exposure.get(name, ZERO) + mul(value, weight)
        exposure[problem.cash_class] = exposure.get(problem.cash_class, ZERO) - value
    bound = exposure_after(problem, moves)
    return total_drift(exposure, problem.targets) - total_drift(bound, problem.targets)


def drift_apart(problem: Problem, moves: Moves, lines: list[Line]) -> str:
    """`drift_gap` in words: "$12.34 above the LP's"."""
    gap = drift_gap(problem, moves, lines)
    side = "above" if gap >= 0 else "below"
    return f"{money(abs(gap), problem.portfolio.portfolio.currency)} {side} the LP's"


__all__ = ["MAX_INTEGER", "NODE_LIMIT", "drift_apart", "drift_gap", "whole_share_lines"]
