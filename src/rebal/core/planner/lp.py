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
    cash-flow:  drift, spread of relative deviations (max - min, Mao's tie-break),
                money sold where avoided, money traded
    band-edge:  money outside the bands, money sold where avoided, money traded, drift

Band-edge mode also bounds each class to move only toward its target, never
past it. HiGHS works in float64: the caller snaps the answer to cents and
re-verifies it in Decimal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rebal.core.numbers import CENT
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
    import numpy as np
    from scipy.optimize import linprog  # lazily: `rebal check` never pays for it
    from scipy.sparse import coo_matrix, vstack

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

    objectives: list[tuple[dict[int, float], float]] = []
    if mode == "band-edge":
        outside: dict[int, float] = {}
        for name in problem.classes:
            low, high = problem.band_money(name)
            # An edge that is not a whole number of cents away is aimed at two
            # cents inside, so that rounding the lines to cents cannot leave the
            # class a hair outside its band. Whole-cent moves are kept exact.
            held = problem.exposure[name]
            if high - low > 4 * EDGE_MARGIN:
                if (high - held) % CENT:
                    high -= EDGE_MARGIN
                if (low - held) % CENT:
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
            for name in problem.classes:
                scale = float(problem.target_money[name])
                if scale <= 0:
                    continue
                # low <= (u+ - u-) / T <= high
                for row_sign, level in ((1.0, low_level), (-1.0, high_level)):
                    ub.append((n_ub_rows, level, row_sign))
                    ub.append((n_ub_rows, over[name], -row_sign / scale))
                    ub.append((n_ub_rows, under[name], row_sign / scale))
                    b_ub.append(0.0)
                    n_ub_rows += 1
            objectives.append(({high_level: 1.0, low_level: -1.0}, SLACK))
        objectives += [(objective_avoid, SLACK), (objective_traded, SLACK)]

    n = len(columns.lower)

    def matrix(entries: list[tuple[int, int, float]], rows: int) -> Any:
        if not entries:
            return coo_matrix((rows, n))
        r, c, v = zip(*entries, strict=True)
        return coo_matrix((v, (r, c)), shape=(rows, n))

    a_eq = matrix(eq, len(problem.classes)).tocsr()
    b_eq = np.array([float(gap[c]) for c in problem.classes])
    a_ub = matrix(ub, n_ub_rows).tocsr()
    bounds = list(zip(columns.lower, columns.upper, strict=True))
    rows_ub = [a_ub]
    values_ub = list(b_ub)
    solution = None
    passes = 0
    for weights, slack in objectives:
        if not weights and solution is not None:
            continue
        cost = np.zeros(n)
        for column, coefficient in weights.items():
            cost[column] = coefficient
        result = linprog(
            cost,
            A_ub=vstack(rows_ub).tocsr(),
            b_ub=np.array(values_ub),
            A_eq=a_eq,
            b_eq=b_eq,
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
        fixed = coo_matrix(cost.reshape(1, -1))
        rows_ub.append(fixed.tocsr())
        values_ub.append(float(result.fun) + slack + 1e-9 * abs(float(result.fun)))
    assert solution is not None  # the drift pass always runs

    moves: Moves = {}
    for asset, (buy, sell) in zip(problem.assets, asset_columns, strict=True):
        net = (solution[buy] if buy is not None else 0.0) - (
            solution[sell] if sell is not None else 0.0
        )
        if abs(net) >= NOISE:
            moves[(asset.account, asset.key)] = Decimal(repr(float(net)))
    return moves, passes


__all__ = ["linear_program"]
