"""plan(): pick the exact method that applies, turn its answer into trades, explain them.

Method choice (docs/planner.md): every fund single-class and one account ->
closed form (full) or Mao's water-filling (cash-flow, money to invest), in
Decimal; anything else -> the LP, which solves the same lexicographic problem
(the closed forms are its answer where they apply). Whole shares and the
minimum trade are applied to the answer, then the trades are applied to the
portfolio and re-verified in Decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rebal.core.numbers import CENT, HUNDRED, ZERO, cents, div, exact, mul
from rebal.core.planner.aggregate import group_accounts, spread
from rebal.core.planner.apply import apply_trades
from rebal.core.planner.band_money import least_new_money
from rebal.core.planner.edge_cents import aim
from rebal.core.planner.exact import Moves, Sells, closed_form, water_fill
from rebal.core.planner.lp import linear_program
from rebal.core.planner.milp import drift_apart, whole_share_lines
from rebal.core.planner.problem import (
    Problem,
    build_problem,
    exposure_after,
    exposure_of,
    planning_targets,
    total_drift,
    with_new_money,
)
from rebal.core.planner.reasons import Explainer, Outcome
from rebal.core.planner.rounding import Line, fund_amounts, to_cents, to_whole_shares
from rebal.core.planner.taxes import with_taxes
from rebal.core.planner.types import Action, Plan, PlanError, PlanOptions, Residual, Skipped, Trade
from rebal.core.report import class_table
from rebal.model import Portfolio
from rebal.present.figures import money


def solve(problem: Problem) -> tuple[Moves, str, Sells]:
    """The continuous answer, the name of the method that produced it, and the funds
    the sales priced lot by lot take (exact.Sells)."""
    # The closed form trades each class to target in whatever funds come first: only
    # the LP weighs which lots a taxable sale takes, and the gain budget.
    if problem.single_class and not problem.taxed_sales:
        moves = closed_form(problem)
        if moves is not None:
            return moves, "closed form (one account)", {}
        moves = water_fill(problem)
        if moves is not None:
            return moves, "Mao's optimal lazy rebalancing (water-filling, one account)", {}
    grouping = group_accounts(problem)
    solved = problem if grouping is None else grouping[0]
    moves, passes, sells = linear_program(solved)
    method = f"linear program (HiGHS, {passes} lexicographic passes)"
    if grouping is not None:
        # Accounts whose sales are priced lot by lot are never grouped: their sells
        # keep their keys.
        moves = spread(problem, grouping[1], moves)
        method += f", {len(grouping[1])} groups of interchangeable accounts"
    return moves, method, sells


def _lines(problem: Problem, moves: Moves, sells: Sells) -> tuple[list[Line], str]:
    """The trade lines, and how whole shares were found (for `method`)."""
    amounts = fund_amounts(problem, moves, sells)
    if not problem.options.whole_shares:
        aimed = aim(problem, moves) if problem.options.mode == "band-edge" else None
        return to_cents(problem, amounts, aimed), ""
    lines, why = whole_share_lines(problem, moves)
    if lines is not None:
        return lines, f" + whole shares {why}"
    lines = to_whole_shares(problem, amounts)
    apart = drift_apart(problem, moves, lines)
    return lines, f" + whole shares by the rounding rule ({why}; drift {apart})"


def _line_order(position: dict[str, int], line: Line) -> tuple[int, bool, str]:
    """Trades are listed by account in file order, sells first (they pay for the buys), then ticker.

    The one order every consumer sees: the CLI tables, --json, the app and saved plans.
    """
    return position[line.account], line.action != "sell", line.ticker


def _unrounded_exposure(problem: Problem, moves: Moves) -> dict[str, Decimal]:
    return exposure_after(problem, moves)


def _verify(after: Portfolio, trades: Sequence[Trade]) -> None:
    for account in after.accounts:
        if account.cash < 0:
            raise PlanError(
                f"account {account.name!r}: its cash would be "
                f"{money(account.cash, after.portfolio.currency)} after the trades; "
                "there is not enough to sell there to cover it"
            )
    for trade in trades:
        if trade.amount <= 0 or trade.amount != trade.amount.quantize(CENT):
            raise PlanError(f"internal check failed: trade amount {trade.amount} is not in cents")


@exact
def plan(portfolio: Portfolio, options: PlanOptions) -> Plan:
    """A trade plan for `portfolio` under `options` (see docs/planner.md), with its taxes."""
    return with_taxes(portfolio, options, _solved_plan)


def _solved_plan(portfolio: Portfolio, options: PlanOptions) -> Plan:
    if options.min_trade < 0:
        raise PlanError("the minimum trade cannot be negative")
    funded = with_new_money(portfolio, options.new_money)
    policy = portfolio.bands
    table_targets = planning_targets(portfolio, options.targets)
    currency = portfolio.portfolio.currency

    frozen: set[tuple[str, str, Action]] = set(options.frozen)
    skipped: dict[tuple[str, str, Action], Line] = {}
    while True:
        problem = build_problem(portfolio, options, frozenset(frozen), table_targets)
        moves, method, sells = solve(problem)
        lines, whole_shares = _lines(problem, moves, sells)
        # A sale that covers an account's negative cash is never skipped: without
        # it the account would stay overdrawn.
        small = [
            line
            for line in lines
            if options.min_trade > 0
            and line.amount < options.min_trade
            and not (line.action == "sell" and problem.account(line.account).cash < 0)
        ]
        if not small:
            break
        # Freeze those positions and solve again: each round freezes at least one,
        # so this ends.
        for line in small:
            key = (line.account, line.ticker, line.action)
            frozen.add(key)
            skipped[key] = line

    explainer = Explainer(
        problem, currency, [(line.account, line.ticker) for line in lines if line.action == "buy"]
    )
    position = {a.name: i for i, a in enumerate(portfolio.accounts)}
    trades = tuple(
        Trade(
            line.account,
            line.ticker,
            line.action,
            line.shares,
            line.amount,
            explainer.trade(line.account, line.ticker, line.action == "sell"),
        )
        for line in sorted(lines, key=lambda line: _line_order(position, line))
    )
    after_portfolio = apply_trades(portfolio, trades, options.new_money)
    notes: list[str] = []
    # problem.exposure is the funded portfolio's, plus 0 for classes only buyable.
    before_exposure = {c: v for c, v in problem.exposure.items() if v or c in table_targets}
    after_exposure = exposure_of(after_portfolio, problem.weights)
    before_drift = total_drift(before_exposure, problem.targets)
    after_drift = total_drift(after_exposure, problem.targets)
    # Cents and 6-decimal share counts may move the drift by a fraction of a cent per line.
    tolerance = CENT * (len(trades) + 1)
    if (
        trades
        and after_drift > before_drift + tolerance
        and all(a.cash >= 0 for a in funded.accounts)
    ):
        # Rounding (whole shares, cents) made things worse than doing nothing.
        notes.append(
            "after rounding, the best plan found would have left the portfolio further from "
            "target than it is: no trades"
        )
        trades = ()
        after_portfolio = funded
        after_exposure = before_exposure
    _verify(after_portfolio, trades)

    after_rows = class_table(after_exposure, table_targets, policy)
    unrounded = _unrounded_exposure(problem, moves)
    skipped_classes = {c for line in skipped.values() for c in problem.weights[line.ticker]}
    if skipped_classes:
        skipped_classes.add(portfolio.cash_class)
    residual: list[Residual] = []
    after_total = sum(after_exposure.values(), ZERO)
    gaps = {
        row.asset_class: row.value - div(mul(row.target, after_total), HUNDRED)
        for row in after_rows
    }
    explainer.outcome = Outcome(
        after_portfolio,
        gaps,
        frozenset(line.account for line in skipped.values() if line.action == "buy"),
    )
    for row in after_rows:
        name = row.asset_class
        gap = gaps[name]
        if options.mode == "band-edge":
            if row.status == "in":
                continue
        elif abs(gap) < CENT:
            continue
        goal = div(mul(problem.targets.get(name, ZERO), problem.total), HUNDRED)
        unrounded_gap = unrounded.get(name, ZERO) - goal
        if (
            options.mode != "band-edge"
            and abs(unrounded_gap) < CENT
            and not options.whole_shares
            and name not in skipped_classes
        ):
            # A cent of rounding from target is not a residual; a class out of its
            # band is one, however little money it lacks.
            continue
        residual.append(
            Residual(
                name,
                cents(gap),
                explainer.residual(
                    name, gap, unrounded.get(name, ZERO) - goal, name in skipped_classes
                ),
            )
        )

    if options.new_money:
        added = ", ".join(f"{money(v, currency)} to {k}" for k, v in options.new_money.items() if v)
        if added:
            notes.append(f"new money added to cash before planning: {added}; 'before' includes it")
    method += whole_shares
    skipped_records = tuple(
        Skipped(
            line.account,
            line.ticker,
            line.action,
            line.shares,
            line.amount,
            f"under the minimum trade of {money(options.min_trade, currency)}: left as it is",
        )
        for line in sorted(skipped.values(), key=lambda line: _line_order(position, line))
    )
    return Plan(
        options=options,
        method=method,
        trades=trades,
        skipped=skipped_records,
        before=tuple(class_table(before_exposure, table_targets, policy)),
        after=tuple(after_rows),
        leftover_cash={a.name: a.cash for a in after_portfolio.accounts},
        residual=tuple(residual),
        new_money_to_band=least_new_money(
            portfolio,
            table_targets,
            problem.weights,
            policy,
            None if any(options.new_money.values()) else before_exposure,
            options.only,
        ),
        notes=tuple(notes),
    )


__all__ = ["money", "plan", "solve"]
