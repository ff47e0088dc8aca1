"""Every multi-account plan as a linear program, solved by HiGHS in lexicographic passes.

Columns: for every asset j (a class in an account, or a split fund in an
account) a buy b_j >= 0 (only when the account may buy it) and a sell
0 <= s_j <= what it holds; for every class c the drift above and below
target, u+_c, u-_c >= 0.

    cash:     sum_j in a (b_j - s_j) <= cash_a               (cash never negative)
    classes:  sum_j w_jc (b_j - s_j) - [c is cash] sum_j (b_j - s_j)
              - u+_c + u-_c = T_c - E_c

Passes, each optimum fixed (plus a slack) before the next:
    full:       drift sum(u+ + u-), money sold where avoided, money traded
    cash-flow:  drift; then the relative deviations f_c = (u+_c - u-_c) / T_c of
                the targeted classes made as even as the accounts allow, in the
                leximin sense (water-filling: raise the lowest f, then the next,
                up to target; with a withdrawal also lower the highest, down to
                target); money sold where avoided; money traded. A selling
                account sells exactly what its withdrawal needs.
    band-edge:  money outside the bands, money sold where avoided, money traded, drift

Band-edge mode also bounds each class to move only toward its target, never
past it.

With tax in the objective (tax_costs.py, docs/planner.md "Tax in the
objective"), a taxable sale has one sell column per lot; the gain budget's
excess is the first pass, unknown basis and then tax come right after drift
(band-edge: after the money outside the bands), and the location rank of the
buys right after money traded.

Scale: every amount is divided by the household's total (in Decimal) before
it becomes a float, so the solver sees the same numbers whether the household
is worth $85,000 or $85 billion, and every tolerance is a fraction of the
household. HiGHS works in float64: the caller snaps the answer to cents and
re-verifies it in Decimal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rebal.core.numbers import ZERO, exact
from rebal.core.planner.exact import Moves, Sells
from rebal.core.planner.problem import Asset, Problem
from rebal.core.planner.tax_costs import location_rank
from rebal.core.planner.types import PlanError

# All in units of the household's total. Each pass's optimum is fixed for the
# next with SLACK (plus as much relative to the optimum), below the solver's own
# tolerance (FEASIBILITY), which lets the row hold within it. A later pass can
# spend no more than that: a millionth of a dollar on $100,000. With a
# billionth, the money-traded pass left $8 idle in a $7.9B household.
SLACK = 1e-11
FEASIBILITY = 1e-10
# A MILP's passes are fixed with a billionth of the household: HiGHS's branch and
# bound declared the drift row fixed at 1e-11 infeasible for a plan that meets it.
MILP_SLACK = 1e-9
# A leximin row whose dual is at least this is binding: its class cannot be raised
# (or lowered) further without moving one already fixed (the duals sum to 1/T).
BINDING_DUAL = 1e-7
NOISE = 1e-9  # a move under a billionth of the household (or half a cent) is solver noise
HALF_CENT = Decimal("0.005")
# The gain budget is aimed this far inside per lot the solver may sell, so that the
# lines' cents and 6-decimal shares cannot realize more gain than it allows.
BUDGET_MARGIN_PER_LOT = Decimal("0.02")
# Band edges are aimed at exactly: rounding to cents (edge_cents.py) or to whole
# shares keeps a class in band. An edge which is itself a breach (`edges =
# "outside"`) is aimed this fraction of the household inside it, far above the
# solver's noise and far below a cent of any real household. A fraction, not an
# amount, so that the LP is the same at every scale of money.
OUTSIDE_EDGE = Decimal("1e-9")

Entries = list[tuple[int, int, float]]


@dataclass(frozen=True)
class LinearProgram:
    """Bounds and constraint rows (row, column, value entries); objectives are set per pass."""

    n: int
    lower: list[float]
    upper: list[float | None]
    inequalities: tuple[Entries, list[float]]
    equalities: tuple[Entries, list[float]]


class _Columns:
    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float | None] = []

    def add(self, upper: float | None, lower: float = 0.0) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.lower) - 1


@exact
def linear_program(problem: Problem) -> tuple[Moves, int, Sells]:
    """The LP answer as money moves per asset, how many passes it took, and, for the
    sales it priced lot by lot, how much of each fund they sell."""
    mode = problem.options.mode
    try:
        return _solve(problem, keep_direction=mode == "band-edge")
    except PlanError:
        if mode != "band-edge":
            raise
        # Forced sales (negative cash) can make "never past target" impossible;
        # then only the bands bind.
        return _solve(problem, keep_direction=False)


def _solve(problem: Problem, keep_direction: bool) -> tuple[Moves, int, Sells]:
    mode = problem.options.mode
    unit = problem.total

    def scaled(amount: Decimal) -> float:
        # Divided in Decimal first: the float is the same at every scale of money.
        return float(amount / unit)

    columns = _Columns()
    class_row = {c: i for i, c in enumerate(problem.classes)}
    account_row = {a.name: i for i, a in enumerate(problem.accounts)}
    avoids = {a.name: a.avoids_selling for a in problem.accounts}
    may_buy = {a.name: a.may_buy for a in problem.accounts}
    eq: Entries = []
    ub: Entries = []
    objective_avoid: dict[int, float] = {}
    objective_traded: dict[int, float] = {}
    asset_columns: list[tuple[int | None, list[int]]] = []
    taxed = _TaxColumns()
    treatment = {a.name: a.treatment for a in problem.accounts}

    for asset in problem.assets:
        buy = None
        sells: list[int] = []
        if asset.buy_ticker is not None and may_buy[asset.account]:
            buy = columns.add(None)
            if problem.location:
                rank = location_rank(problem.portfolio, treatment[asset.account], asset.weights)
                if rank:
                    taxed.location[buy] = float(rank)
        if asset.sellable > 0:
            sells = taxed.sell_columns(problem, asset, columns, scaled)
        asset_columns.append((buy, sells))
        for column, sign in ((buy, 1.0), *((sell, -1.0) for sell in sells)):
            if column is None:
                continue
            ub.append((account_row[asset.account], column, sign))
            objective_traded[column] = 1.0
            if sign < 0 and avoids[asset.account]:
                objective_avoid[column] = 1.0
            for name, weight in asset.weights.items():
                if name != problem.cash_class:
                    eq.append((class_row[name], column, sign * float(weight)))
            cash_weight = float(asset.weights.get(problem.cash_class, Decimal(0))) - 1.0
            if cash_weight:
                eq.append((class_row[problem.cash_class], column, sign * cash_weight))

    gap = {c: problem.target_money[c] - problem.exposure[c] for c in problem.classes}
    over: dict[str, int] = {}
    under: dict[str, int] = {}
    for name in problem.classes:
        up: float | None = None
        down: float | None = None
        if keep_direction:
            # Toward target, never past it: only the side the class is on may move.
            up = max(0.0, scaled(-gap[name]))
            down = max(0.0, scaled(gap[name]))
        over[name] = columns.add(up)
        under[name] = columns.add(down)
        eq.append((class_row[name], over[name], -1.0))
        eq.append((class_row[name], under[name], 1.0))
    objective_drift = {over[c]: 1.0 for c in problem.classes} | {
        under[c]: 1.0 for c in problem.classes
    }
    n_ub_rows = len(problem.accounts)
    b_ub = [scaled(a.cash) for a in problem.accounts]
    selling = False
    if mode == "cash-flow":
        # Lazy rebalancing (rebalancing-math §2.3): an account that sells raises
        # only what its withdrawal or negative cash needs beyond its own cash.
        # Drift alone cannot say so: selling an over-target class on past the
        # point where cash reaches its target leaves the total drift unchanged.
        for account in problem.accounts:
            sells = [
                column
                for asset, (_, columns_sold) in zip(problem.assets, asset_columns, strict=True)
                if asset.account == account.name
                for column in columns_sold
            ]
            if account.may_sell and sells:
                ub.extend((n_ub_rows, column, 1.0) for column in sells)
                b_ub.append(scaled(max(ZERO, -account.cash)))
                n_ub_rows += 1
                selling = selling or account.cash < 0

    outside: dict[int, float] = {}
    if mode == "band-edge":
        for name in problem.classes:
            low, high = aimed_band(problem, name)
            target = problem.target_money[name]
            violation = columns.add(None)
            outside[violation] = 1.0
            ub.append((n_ub_rows, over[name], 1.0))
            ub.append((n_ub_rows, violation, -1.0))
            b_ub.append(scaled(high - target))
            n_ub_rows += 1
            ub.append((n_ub_rows, under[name], 1.0))
            ub.append((n_ub_rows, violation, -1.0))
            b_ub.append(scaled(target - low))
            n_ub_rows += 1

    over_budget: dict[int, float] = {}
    budget = problem.tax.budget if problem.tax is not None else None
    if budget is not None and problem.options.use_gain_budget and taxed.gain:
        # Realized gain <= budget, less a margin for the cents and share rounding of
        # the lines; the excess column keeps a sale the plan cannot avoid (a
        # withdrawal) feasible, and the first pass makes it as small as it can be.
        excess = columns.add(None)
        over_budget[excess] = 1.0
        ub.extend((n_ub_rows, column, gain) for column, gain in taxed.gain.items())
        ub.append((n_ub_rows, excess, -1.0))
        b_ub.append(scaled(max(ZERO, budget - budget_margin(len(taxed.gain)))))
        n_ub_rows += 1

    targeted = {
        c: scaled(problem.target_money[c]) for c in problem.classes if problem.target_money[c] > 0
    }
    deviation = {c: (over[c], under[c]) for c in targeted}
    solver = Solver(
        LinearProgram(
            len(columns.lower),
            columns.lower,
            columns.upper,
            (ub, b_ub),
            (eq, [scaled(gap[c]) for c in problem.classes]),
        )
    )
    solver.lexicographic_pass(over_budget)
    if mode == "band-edge":
        for objective in (outside, taxed.unknown, taxed.tax, objective_avoid, objective_traded):
            solver.lexicographic_pass(objective)
        solver.lexicographic_pass(taxed.location)
        drift = solver.lexicographic_pass(objective_drift)
    else:
        drift = solver.lexicographic_pass(objective_drift)
        if mode == "cash-flow":
            # Classes fixed below target are fixed for good: their level is
            # as high as it can go. Only those at target may still be evened out.
            at_target = raise_lowest(solver, deviation, targeted, up_to_target=True)
            targeted = {c: targeted[c] for c in at_target}
            deviation = {c: deviation[c] for c in at_target}
            if selling:
                # A withdrawal mirrors the contribution: 0% classes first (they are
                # infinitely over target), then the highest f down toward target.
                solver.lexicographic_pass(
                    {over[c]: 1.0 for c in problem.classes if problem.target_money[c] == 0}
                )
                # Only sales lower a class; buys would lower cash (past target).
                sold = {c: t for c, t in targeted.items() if c != problem.cash_class}
                lower_highest(solver, {c: deviation[c] for c in sold}, sold)
        # Tax (docs/planner.md, "Tax in the objective"): shares of unknown basis only
        # when nothing else will do, then the least tax, before the other tie-breaks.
        solver.lexicographic_pass(taxed.unknown)
        solver.lexicographic_pass(taxed.tax)
        solver.lexicographic_pass(objective_avoid)
        solver.lexicographic_pass(objective_traded)
        solver.lexicographic_pass(taxed.location)
    # Equally close plans can still differ in their mix (a menu's cash may fill
    # either of two classes under target for the same drift and the same
    # dollars): the last pass makes the mix unique, as even as it can be, so
    # that how the household is split into accounts cannot change it. A plan
    # with no drift left is on target: its mix is already the only one.
    if drift > SLACK:
        raise_lowest(solver, deviation, targeted, up_to_target=False)
    solution = solver.solution()

    moves: Moves = {}
    sold_funds: Sells = {}
    for asset, (buy, sells) in zip(problem.assets, asset_columns, strict=True):
        net = (solution[buy] if buy is not None else 0.0) - sum(
            (float(solution[sell]) for sell in sells), 0.0
        )
        if abs(net) < NOISE:
            continue
        amount = Decimal(repr(float(net))) * unit
        if abs(amount) >= HALF_CENT:
            moves[(asset.account, asset.key)] = amount
            by_fund = taxed.by_fund(sells, solution, unit)
            if by_fund and amount < 0:
                sold_funds[(asset.account, asset.key)] = by_fund
    return moves, solver.passes, sold_funds


def aimed_band(problem: Problem, name: str) -> tuple[Decimal, Decimal]:
    """The band edges the LP aims at, in money: the edges themselves, or, when an
    edge is itself a breach (`edges = "outside"`), a billionth of the household inside.

    No fixed amount of money: a margin of two cents made the plan at 100 times the
    money differ from 100 times the plan by up to 6.23 cents a line, and tipped a whole
    share count at one scale and not at another (210 shares of a $1 fund, 211).
    """
    low, high = problem.band_money(name)
    margin = OUTSIDE_EDGE * problem.total
    if problem.portfolio.bands.edges == "outside" and high - low > 4 * margin:
        return low + margin, high - margin
    return low, high


def budget_margin(lines: int) -> Decimal:
    """What the gain budget is aimed inside by: two cents per lot the solver may sell
    (the lines' cents and 6-decimal shares move a lot's gain by less)."""
    return BUDGET_MARGIN_PER_LOT * lines


class _TaxColumns:
    """The sell columns of taxable sales priced lot by lot, and the tax objectives.

    A holding in a taxable account (with [tax]) gets one sell column per lot,
    each up to the lot's value, in the order the lots are sold (tax_costs.py);
    any other holding one column for the whole asset, as without tax.
    """

    def __init__(self) -> None:
        self.tax: dict[int, float] = {}  # tax per dollar sold
        self.unknown: dict[int, float] = {}  # dollars of unknown basis sold
        self.gain: dict[int, float] = {}  # gain per dollar the budget row counts
        self.location: dict[int, float] = {}  # a buy's rank in the location preference
        self.fund: dict[int, str] = {}  # lot column -> the fund it sells

    def sell_columns(
        self,
        problem: Problem,
        asset: Asset,
        columns: _Columns,
        scaled: Callable[[Decimal], float],
    ) -> list[int]:
        tax = problem.tax
        if tax is None or problem.account(asset.account).treatment != "taxable":
            return [columns.add(scaled(asset.sellable))]
        result: list[int] = []
        for holding in asset.holdings:
            for segment in tax.segments(
                asset.account, holding.ticker, holding.shares, holding.price
            ):
                column = columns.add(scaled(segment.value))
                result.append(column)
                self.fund[column] = holding.ticker
                if segment.unknown:
                    self.unknown[column] = 1.0
                if segment.tax:
                    self.tax[column] = float(segment.tax)
                if segment.budgeted:
                    self.gain[column] = float(segment.budgeted)
        return result

    def by_fund(self, sells: list[int], solution: Any, unit: Decimal) -> dict[str, Decimal]:
        """Money sold per fund by the lot columns `sells` (empty for an unpriced sale)."""
        result: dict[str, Decimal] = {}
        for column in sells:
            ticker = self.fund.get(column)
            value = float(solution[column])
            if ticker is None or value < NOISE:
                continue
            result[ticker] = result.get(ticker, ZERO) + Decimal(repr(value)) * unit
        return result


def raise_lowest(
    solver: Solver,
    deviation: dict[str, tuple[int, int]],
    targets: dict[str, float],
    up_to_target: bool,
) -> list[str]:
    """Leximin water-filling: raise the lowest f_c, then the next lowest, ...

    Each round maximises the common level z with E'_c - T_c >= T_c z for the
    classes not yet fixed (z <= 0 with `up_to_target`: never past target). The
    classes whose row has a positive dual cannot rise above z without lowering
    another: they are fixed at z, and the next round raises the rest. At least
    one class is fixed per round (the duals weigh to one), so there are at most
    as many rounds as classes; a round that reaches the cap fixes every class left.
    Those classes, fixed at target or above, are returned: only they may still move.
    """
    level = solver.add_column(-1.0, 0.0 if up_to_target else None)  # f >= -1 always
    rows = {
        c: solver.add_row(0.0, None, [(over, 1.0), (under, -1.0), (level, -targets[c])])
        for c, (over, under) in deviation.items()
    }
    free = list(rows)
    capped: list[str] = []
    while free:
        z = -solver.minimise({level: -1.0})
        if up_to_target and z >= -SLACK:
            binding, z = list(free), min(z, 0.0)
            capped = binding
        else:
            binding, capped = _binding(solver, rows, free), []
        for c in binding:
            solver.change_coefficient(rows[c], level, 0.0)
            solver.change_row_bounds(rows[c], targets[c] * z - SLACK, None)
        free = [c for c in free if c not in binding]
    return capped


def lower_highest(
    solver: Solver, deviation: dict[str, tuple[int, int]], targets: dict[str, float]
) -> None:
    """The mirror image for sales: lower the highest f_c, then the next, down to target."""
    level = solver.add_column(0.0, None)
    rows = {
        c: solver.add_row(None, 0.0, [(over, 1.0), (under, -1.0), (level, -targets[c])])
        for c, (over, under) in deviation.items()
    }
    free = list(rows)
    while free:
        w = solver.minimise({level: 1.0})
        if w <= SLACK:
            binding, w = list(free), max(w, 0.0)
        else:
            binding = _binding(solver, rows, free)
        for c in binding:
            solver.change_coefficient(rows[c], level, 0.0)
            solver.change_row_bounds(rows[c], None, targets[c] * w + SLACK)
        free = [c for c in free if c not in binding]


def _binding(solver: Solver, rows: dict[str, int], free: list[str]) -> list[str]:
    duals = solver.row_duals()
    binding = [c for c in free if abs(duals[rows[c]]) >= BINDING_DUAL]
    # The duals of the free rows weigh to one: the largest is binding whatever the noise.
    return binding or [max(free, key=lambda c: abs(duals[rows[c]]))]


class Solver:
    """One HiGHS model kept across the passes: each pass starts from the previous basis."""

    def __init__(self, program: LinearProgram) -> None:
        import highspy  # lazily: `rebal check` never pays for it
        import numpy as np

        self._highspy = highspy
        self._infinity = highspy.kHighsInf
        n = program.n
        ub_entries, ub_values = program.inequalities
        eq_entries, eq_values = program.equalities
        entries = ub_entries + [(r + len(ub_values), c, v) for r, c, v in eq_entries]
        if entries:
            rows, cols, values = (np.array(x) for x in zip(*entries, strict=True))
        else:
            rows, cols, values = np.zeros(0), np.zeros(0), np.zeros(0)
        order = np.lexsort((rows, cols))
        rows = rows[order].astype(np.int32)
        cols = cols[order].astype(np.int32)
        values = values[order].astype(float)

        model = highspy.HighsLp()
        model.num_col_ = n
        model.num_row_ = len(ub_values) + len(eq_values)
        model.col_cost_ = np.zeros(n)
        model.col_lower_ = np.array(program.lower, dtype=float)
        model.col_upper_ = np.array(
            [self._infinity if u is None else u for u in program.upper], dtype=float
        )
        model.row_lower_ = np.array([-self._infinity] * len(ub_values) + list(eq_values))
        model.row_upper_ = np.array(list(ub_values) + list(eq_values), dtype=float)
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = np.searchsorted(cols, np.arange(n + 1)).astype(np.int32)
        model.a_matrix_.index_ = rows
        model.a_matrix_.value_ = values

        # highspy.Highs() prints a banner to stdout (it would break `--json`) and
        # installs callbacks; its base class, exported in highspy.__all__ but
        # missing from its type stubs, does neither.
        self._solver = highspy._Highs()  # type: ignore[attr-defined]
        self._solver.setOptionValue("output_flag", False)
        self._solver.setOptionValue("primal_feasibility_tolerance", FEASIBILITY)
        self._solver.setOptionValue("dual_feasibility_tolerance", FEASIBILITY)
        self._solver.passModel(model)
        self.passes = 0
        self.slack = SLACK
        self.status = ""
        self._solved = False
        self._integer = False
        # A MILP pass ended at make_integer's node limit (with a plan, unless it raised).
        self.stopped_at_limit = False
        self.nodes: list[int] = []  # branch-and-bound nodes of each MILP pass
        self._start: list[float] | None = None  # the last MILP pass's solution

    def make_integer(self, columns: list[int], nodes: int) -> None:
        """Make `columns` integers (a MILP); each later pass explores at most `nodes` nodes.

        A count of branch-and-bound nodes, not a clock: the same model stops at
        the same node on any machine, however loaded, so the same input gives
        the same plan. A pass stopped there keeps the best solution it found
        (`stopped_at_limit` says so) when it found one.
        """
        import numpy as np

        kind = self._highspy.HighsVarType.kInteger
        self._solver.changeColsIntegrality(
            len(columns), np.array(columns, dtype=np.int32), np.array([kind] * len(columns))
        )
        self._solver.setOptionValue("mip_abs_gap", SLACK)
        self._solver.setOptionValue("mip_feasibility_tolerance", FEASIBILITY)
        self._solver.setOptionValue("mip_max_nodes", nodes)
        self._integer = True
        self.slack = MILP_SLACK

    def _bound(self, value: float | None, default: float) -> float:
        return default if value is None else value

    def add_column(self, lower: float, upper: float | None) -> int:
        import numpy as np

        self._solver.addCol(
            0.0,
            lower,
            self._bound(upper, self._infinity),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        return int(self._solver.getNumCol()) - 1

    def add_row(
        self, lower: float | None, upper: float | None, entries: list[tuple[int, float]]
    ) -> int:
        import numpy as np

        index = np.array([c for c, _ in entries], dtype=np.int32)
        value = np.array([v for _, v in entries], dtype=float)
        self._solver.addRow(
            self._bound(lower, -self._infinity),
            self._bound(upper, self._infinity),
            len(entries),
            index,
            value,
        )
        return int(self._solver.getNumRow()) - 1

    def change_coefficient(self, row: int, column: int, value: float) -> None:
        self._solver.changeCoeff(row, column, value)

    def change_row_bounds(self, row: int, lower: float | None, upper: float | None) -> None:
        self._solver.changeRowBounds(
            row, self._bound(lower, -self._infinity), self._bound(upper, self._infinity)
        )

    def minimise(self, weights: dict[int, float]) -> float:
        """Solve with `weights` as the only costs; the optimum."""
        import numpy as np

        n = int(self._solver.getNumCol())
        cost = np.zeros(n)
        for column, coefficient in weights.items():
            cost[column] = coefficient
        self._solver.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        if self._integer and self._start is not None:
            # The previous pass's plan is feasible here (the rows it added keep its
            # optimum): a start, so a pass stopped at the node limit has a plan.
            # Columns added since then start at zero.
            start = self._highspy.HighsSolution()
            start.col_value = list(self._start) + [0.0] * (n - len(self._start))
            start.value_valid = True
            self._solver.setSolution(start)
        self._solver.run()
        self.passes += 1
        self._solved = True
        status = self._solver.getModelStatus()
        self.status = self._solver.modelStatusToString(status)
        info = self._solver.getInfo()
        if self._integer:
            self.nodes.append(int(info.mip_node_count))
        if self._integer and status == self._highspy.HighsModelStatus.kSolutionLimit:
            self.stopped_at_limit = True
            feasible = self._highspy.SolutionStatus.kSolutionStatusFeasible
            if info.primal_solution_status == feasible:
                self._start = list(self._solver.getSolution().col_value)
                return float(info.objective_function_value)
        if status != self._highspy.HighsModelStatus.kOptimal:
            raise PlanError(
                "no plan satisfies the constraints (each account's cash must stay at or above "
                f"zero): the solver says {self._solver.modelStatusToString(status)}"
            )
        if self._integer:
            self._start = list(self._solver.getSolution().col_value)
        return float(info.objective_function_value)

    def lexicographic_pass(self, weights: dict[int, float], relative_gap: float = 0.0) -> float:
        """Minimise `weights`, then keep it at its optimum (plus slack) in every later pass.

        `relative_gap` (a MILP's): stop once the best found is that close to the bound.
        The optimum (0 for an empty objective).
        """
        if not weights:
            return 0.0
        if self._integer:
            self._solver.setOptionValue("mip_rel_gap", relative_gap)
        best = self.minimise(weights)
        entries = sorted(weights.items())
        self.add_row(None, best + self.slack + self.slack * abs(best), entries)
        return best

    def solution(self) -> Any:
        import numpy as np

        if not self._solved:  # every objective empty: nothing can move
            return np.zeros(int(self._solver.getNumCol()))
        return np.array(self._solver.getSolution().col_value)

    def row_duals(self) -> Any:
        import numpy as np

        return np.array(self._solver.getSolution().row_dual)


__all__ = [
    "LinearProgram",
    "Solver",
    "aimed_band",
    "linear_program",
    "lower_highest",
    "raise_lowest",
]
