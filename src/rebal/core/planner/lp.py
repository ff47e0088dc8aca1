"""The general case as a linear program, solved by HiGHS in lexicographic passes.

Columns: for every asset j (a class in an account, or a split fund in an
account) a buy b_j >= 0 (only when the account may buy it) and a sell
0 <= s_j <= what it holds; for every class c the drift above and below
target, u+_c, u-_c >= 0.

    cash:     sum_j in a (b_j - s_j) <= cash_a               (cash never negative)
    classes:  sum_j w_jc (b_j - s_j) - [c is cash] sum_j (b_j - s_j)
              - u+_c + u-_c = T_c - E_c                       (E' - T = u+ - u-)

Objectives, minimised one after the other, each optimum then fixed (with
half a cent of slack) as a constraint for the next pass:

    full:       drift sum(u+ + u-), money sold in avoid-selling accounts, money traded
    cash-flow:  drift, spread of relative deviations (max - min, Mao's tie-break,
                in money of the household), money sold where avoided, money traded;
                a selling account sells exactly what its withdrawal needs
    band-edge:  money outside the bands, money sold where avoided, money traded, drift

Band-edge mode also bounds each class to move only toward its target, never
past it. HiGHS works in float64: the caller snaps the answer to cents and
re-verifies it in Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rebal.core.numbers import CENT, ZERO
from rebal.core.planner.exact import Moves
from rebal.core.planner.problem import Problem
from rebal.core.planner.types import PlanError

# Each pass's optimum is fixed for the next pass with this much slack: enough
# for HiGHS's float tolerances (1e-7), far too little for a later pass to buy
# anything with it (a larger slack, say half a cent, lets the turnover pass
# trade a fraction of a cent of drift for noise lines).
SLACK = 1e-6
EDGE_MARGIN = Decimal("0.02")
NOISE = 0.005  # a move under half a cent is solver noise, not a trade


class _Columns:
    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float | None] = []

    def add(self, upper: float | None, lower: float = 0.0) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.lower) - 1


def linear_program(problem: Problem) -> tuple[Moves, int]:
    """The LP answer as money moves per asset, and how many passes it took."""
    mode = problem.options.mode
    try:
        return _solve(problem, keep_direction=mode == "band-edge")
    except PlanError:
        if mode != "band-edge":
            raise
        # Forced sales (negative cash) can make "never past target" impossible;
        # then only the bands bind.
        return _solve(problem, keep_direction=False)


def _solve(problem: Problem, keep_direction: bool) -> tuple[Moves, int]:
    mode = problem.options.mode
    columns = _Columns()
    class_row = {c: i for i, c in enumerate(problem.classes)}
    account_row = {a.name: i for i, a in enumerate(problem.accounts)}
    avoids = {a.name: a.avoids_selling for a in problem.accounts}
    may_buy = {a.name: a.may_buy for a in problem.accounts}
    eq: list[tuple[int, int, float]] = []
    ub: list[tuple[int, int, float]] = []
    objective_avoid: dict[int, float] = {}
    objective_traded: dict[int, float] = {}
    asset_columns: list[tuple[int | None, int | None]] = []

    for asset in problem.assets:
        buy = sell = None
        if asset.buy_ticker is not None and may_buy[asset.account]:
            buy = columns.add(None)
        sellable = float(asset.sellable)
        if sellable > 0:
            sell = columns.add(sellable)
        asset_columns.append((buy, sell))
        for column, sign in ((buy, 1.0), (sell, -1.0)):
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
            up = max(0.0, float(-gap[name]))
            down = max(0.0, float(gap[name]))
        over[name] = columns.add(up)
        under[name] = columns.add(down)
        eq.append((class_row[name], over[name], -1.0))
        eq.append((class_row[name], under[name], 1.0))
    objective_drift = {over[c]: 1.0 for c in problem.classes} | {
        under[c]: 1.0 for c in problem.classes
    }
    n_ub_rows = len(problem.accounts)
    b_ub = [float(a.cash) for a in problem.accounts]
    if mode == "cash-flow":
        # Lazy rebalancing (rebalancing-math §2.3): an account that sells raises
        # only what its withdrawal or negative cash needs beyond its own cash.
        # Drift alone cannot say so: selling an over-target class on past the
        # point where cash reaches its target leaves the total drift unchanged.
        for account in problem.accounts:
            sells = [
                column
                for asset, (_, column) in zip(problem.assets, asset_columns, strict=True)
                if column is not None and asset.account == account.name
            ]
            if account.may_sell and sells:
                ub.extend((n_ub_rows, column, 1.0) for column in sells)
                b_ub.append(float(max(ZERO, -account.cash)))
                n_ub_rows += 1

    objectives: list[tuple[dict[int, float], float]] = []
    if mode == "band-edge":
        outside: dict[int, float] = {}
        for name in problem.classes:
            low, high = problem.band_money(name)
            # An edge that is not a whole number of cents away is aimed at two
            # cents inside, so that rounding the lines to cents cannot leave the
            # class a hair outside its band. Whole-cent moves are kept exact.
            # With `edges = "outside"` the edge itself is a breach: always aim inside.
            held = problem.exposure[name]
            edge_is_breach = problem.portfolio.bands.edges == "outside"
            if high - low > 4 * EDGE_MARGIN:
                if edge_is_breach or (high - held) % CENT:
                    high -= EDGE_MARGIN
                if edge_is_breach or (low - held) % CENT:
                    low += EDGE_MARGIN
            target = problem.target_money[name]
            violation = columns.add(None)
            outside[violation] = 1.0
            ub.append((n_ub_rows, over[name], 1.0))
            ub.append((n_ub_rows, violation, -1.0))
            b_ub.append(float(high - target))
            n_ub_rows += 1
            ub.append((n_ub_rows, under[name], 1.0))
            ub.append((n_ub_rows, violation, -1.0))
            b_ub.append(float(target - low))
            n_ub_rows += 1
        objectives = [
            (outside, SLACK),
            (objective_avoid, SLACK),
            (objective_traded, SLACK),
            (objective_drift, SLACK),
        ]
    else:
        objectives = [(objective_drift, SLACK)]
        if mode == "cash-flow":
            low_level = columns.add(None, lower=-1e9)
            high_level = columns.add(None, lower=-1e9)
            # The levels are relative deviations f_c = (u+ - u-) / T_c measured in
            # money of the whole household (f_c x P), so that the pass's slack
            # is a millionth of a dollar like the others. Measured as bare
            # fractions, that slack was worth 1e-6 x T_c (12 cents on a
            # $119,000 target), which the money-traded pass then spent on
            # leaving cash unspent.
            household = float(problem.total)
            for name in problem.classes:
                class_target = float(problem.target_money[name])
                if class_target <= 0:
                    continue
                scale = class_target / household
                # low <= (u+ - u-) x P / T <= high
                for row_sign, level in ((1.0, low_level), (-1.0, high_level)):
                    ub.append((n_ub_rows, level, row_sign))
                    ub.append((n_ub_rows, over[name], -row_sign / scale))
                    ub.append((n_ub_rows, under[name], row_sign / scale))
                    b_ub.append(0.0)
                    n_ub_rows += 1
            objectives.append(({high_level: 1.0, low_level: -1.0}, SLACK))
        objectives += [(objective_avoid, SLACK), (objective_traded, SLACK)]

    n = len(columns.lower)
    solution, passes = lexicographic(
        LinearProgram(
            n,
            columns.lower,
            columns.upper,
            (ub, b_ub),
            (eq, [float(gap[c]) for c in problem.classes]),
            objectives,
        )
    )

    moves: Moves = {}
    for asset, (buy, sell) in zip(problem.assets, asset_columns, strict=True):
        net = (solution[buy] if buy is not None else 0.0) - (
            solution[sell] if sell is not None else 0.0
        )
        if abs(net) >= NOISE:
            moves[(asset.account, asset.key)] = Decimal(repr(float(net)))
    return moves, passes


__all__ = ["linear_program"]


Entries = list[tuple[int, int, float]]
Objectives = list[tuple[dict[int, float], float]]


@dataclass(frozen=True)
class LinearProgram:
    """Bounds, constraint rows (row, column, value entries) and objectives in pass order."""

    n: int
    lower: list[float]
    upper: list[float | None]
    inequalities: tuple[Entries, list[float]]
    equalities: tuple[Entries, list[float]]
    objectives: Objectives


def lexicographic(program: LinearProgram) -> tuple[Any, int]:
    """Minimise each objective in turn, fixing each optimum (plus slack) for the next.

    HiGHS through highspy keeps the model between passes, so each later pass
    starts from the previous optimal basis (a few pivots instead of a fresh
    solve), and highspy imports in a quarter of scipy.optimize's time. Without
    highspy, scipy's linprog (the same HiGHS) solves each pass from scratch.
    """
    try:
        from highspy import _core as highs_core  # lazily: `rebal check` never pays for it
    except ImportError:
        return _passes_scipy(program)
    return _passes_highspy(highs_core, program)


def _columnwise(entries: Entries, n: int, row_offset: int) -> tuple[Any, Any, Any]:
    import numpy as np

    if not entries:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0)
    rows, cols, values = (np.array(x) for x in zip(*entries, strict=True))
    return rows.astype(np.int32) + row_offset, cols.astype(np.int32), values.astype(float)


def _passes_highspy(highs_core: Any, program: LinearProgram) -> tuple[Any, int]:
    import numpy as np

    n, lower, upper = program.n, program.lower, program.upper
    inequalities, equalities, objectives = (
        program.inequalities,
        program.equalities,
        program.objectives,
    )
    infinity = highs_core.kHighsInf
    ub_entries, ub_values = inequalities
    eq_entries, eq_values = equalities
    r1, c1, v1 = _columnwise(ub_entries, n, 0)
    r2, c2, v2 = _columnwise(eq_entries, n, len(ub_values))
    rows = np.concatenate([r1, r2])
    cols = np.concatenate([c1, c2])
    values = np.concatenate([v1, v2])
    order = np.lexsort((rows, cols))
    rows, cols, values = rows[order], cols[order], values[order]
    starts = np.searchsorted(cols, np.arange(n + 1)).astype(np.int32)

    model = highs_core.HighsLp()
    model.num_col_ = n
    model.num_row_ = len(ub_values) + len(eq_values)
    model.col_cost_ = np.zeros(n)
    model.col_lower_ = np.array(lower, dtype=float)
    model.col_upper_ = np.array([infinity if u is None else u for u in upper], dtype=float)
    model.row_lower_ = np.array([-infinity] * len(ub_values) + list(eq_values), dtype=float)
    model.row_upper_ = np.array(list(ub_values) + list(eq_values), dtype=float)
    model.a_matrix_.format_ = highs_core.MatrixFormat.kColwise
    model.a_matrix_.start_ = starts
    model.a_matrix_.index_ = rows
    model.a_matrix_.value_ = values

    solver = highs_core._Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(model)
    everything = np.arange(n, dtype=np.int32)
    solution = None
    passes = 0
    for weights, slack in objectives:
        if not weights:
            continue
        cost = np.zeros(n)
        for column, coefficient in weights.items():
            cost[column] = coefficient
        solver.changeColsCost(n, everything, cost)
        solver.run()
        passes += 1
        status = solver.getModelStatus()
        if status != highs_core.HighsModelStatus.kOptimal:
            raise PlanError(
                "no plan satisfies the constraints (each account's cash must stay at or above "
                f"zero): the solver says {solver.modelStatusToString(status)}"
            )
        solution = np.array(solver.getSolution().col_value)
        best = float(solver.getInfo().objective_function_value)
        used = np.flatnonzero(cost).astype(np.int32)
        solver.addRow(-infinity, best + slack + 1e-9 * abs(best), len(used), used, cost[used])
    if solution is None:  # every objective empty: nothing can move
        solution = np.zeros(n)
    return solution, passes


def _passes_scipy(program: LinearProgram) -> tuple[Any, int]:
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, vstack

    n, lower, upper = program.n, program.lower, program.upper
    inequalities, equalities, objectives = (
        program.inequalities,
        program.equalities,
        program.objectives,
    )

    def matrix(entries: Entries, rows: int) -> Any:
        if not entries:
            return coo_matrix((rows, n))
        r, c, v = zip(*entries, strict=True)
        return coo_matrix((v, (r, c)), shape=(rows, n))

    ub_entries, ub_values = inequalities
    eq_entries, eq_values = equalities
    a_eq = matrix(eq_entries, len(eq_values)).tocsr()
    rows_ub = [matrix(ub_entries, len(ub_values)).tocsr()]
    values_ub = list(ub_values)
    bounds = list(zip(lower, upper, strict=True))
    solution = None
    passes = 0
    for weights, slack in objectives:
        if not weights:
            continue
        cost = np.zeros(n)
        for column, coefficient in weights.items():
            cost[column] = coefficient
        result = linprog(
            cost,
            A_ub=vstack(rows_ub).tocsr(),
            b_ub=np.array(values_ub),
            A_eq=a_eq,
            b_eq=np.array(eq_values),
            bounds=bounds,
            method="highs",
        )
        passes += 1
        if result.status != 0:
            raise PlanError(
                "no plan satisfies the constraints (each account's cash must stay at or above "
                f"zero): the solver says {result.message}"
            )
        solution = result.x
        rows_ub.append(coo_matrix(cost.reshape(1, -1)).tocsr())
        values_ub.append(float(result.fun) + slack + 1e-9 * abs(float(result.fun)))
    if solution is None:
        solution = np.zeros(n)
    return solution, passes
