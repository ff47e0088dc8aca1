"""plan(): pick the exact method that applies, turn its answer into trades, explain them.

Method choice (docs/planner.md): every fund single-class and one account ->
closed form (full) or Mao's water-filling (cash-flow, money to invest);
every fund single-class and full mode -> min-cost flow on cents; anything
else (split funds, band-edge, cash-flow across accounts, withdrawals) -> the
LP. Whole shares and the minimum trade are applied to the answer, then the
trades are applied to the portfolio and re-verified in Decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rebal.core.bands import band_for, status
from rebal.core.numbers import CENT, HUNDRED, ZERO, cents, div, exact, mul, percent_of
from rebal.core.planner.aggregate import group_accounts, spread
from rebal.core.planner.apply import apply_trades
from rebal.core.planner.band_money import least_new_money
from rebal.core.planner.exact import Moves, closed_form, water_fill
from rebal.core.planner.flow import min_cost_flow
from rebal.core.planner.lp import linear_program
from rebal.core.planner.problem import (
    Problem,
    build_problem,
    exposure_of,
    planning_targets,
    total_drift,
    with_new_money,
)
from rebal.core.planner.rounding import Line, fund_amounts, to_cents, to_whole_shares
from rebal.core.planner.taxes import with_taxes
from rebal.core.planner.types import Action, Plan, PlanError, PlanOptions, Residual, Skipped, Trade
from rebal.core.report import class_table
from rebal.model import Portfolio


def money(amount: Decimal, currency: str = "USD") -> str:
    sign = "-" if amount < 0 else ""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{cents(abs(amount)):,.2f}"


def share_text(shares: Decimal) -> str:
    return f"{shares.normalize():f}" if shares else "0"


def solve(problem: Problem) -> tuple[Moves, str]:
    """The continuous answer and the name of the method that produced it."""
    if problem.single_class:
        moves = closed_form(problem)
        if moves is not None:
            return moves, "closed form (one account)"
        moves = water_fill(problem)
        if moves is not None:
            return moves, "Mao's optimal lazy rebalancing (water-filling, one account)"
    grouping = group_accounts(problem)
    solved = problem if grouping is None else grouping[0]
    if problem.single_class and problem.options.mode == "full":
        moves = min_cost_flow(solved)
        method = "min-cost flow on cents (networkx network simplex)"
    else:
        moves, passes = linear_program(solved)
        method = f"linear program (HiGHS, {passes} lexicographic passes)"
    if grouping is not None:
        moves = spread(problem, grouping[1], moves)
        method += f", {len(grouping[1])} groups of interchangeable accounts"
    return moves, method


def _lines(problem: Problem, moves: Moves) -> list[Line]:
    amounts = fund_amounts(problem, moves)
    if problem.options.whole_shares:
        return to_whole_shares(problem, amounts)
    return to_cents(problem, amounts)


def _trade(line: Line) -> Trade:
    return Trade(line.account, line.ticker, line.action, line.shares, line.amount, "")


class _Explainer:
    """One-line reasons for trades and residual drift, from the state before the trades."""

    def __init__(self, problem: Problem, currency: str) -> None:
        self.problem = problem
        self.currency = currency
        self.drift = {c: problem.exposure[c] - problem.target_money[c] for c in problem.classes}
        self._holders_cache: dict[str, list[str]] = {}

    def _weights(self, ticker: str) -> dict[str, Decimal]:
        return self.problem.weights[ticker]

    def _band_side(self, name: str) -> str | None:
        problem = self.problem
        band = band_for(problem.targets[name], problem.portfolio.bands, name)
        actual = percent_of(problem.exposure[name], problem.total)
        side = status(actual, band, problem.portfolio.bands)
        if side == "in" or actual is None:
            return None
        edge = band.high if side == "over" else band.low
        word = "above" if side == "over" else "below"
        sign = ">" if side == "over" else "<"
        return f"{name} is {word} its band ({cents(actual)}% {sign} {cents(edge)}%)"

    def trade(self, line: Line) -> str:
        """Why this line: the account, action, fund and shares are columns beside it."""
        weights = self._weights(line.ticker)
        selling = line.action == "sell"
        # The class this trade serves: the most over target for a sell, most under for a buy.
        main = max(weights, key=lambda c: ((self.drift[c] if selling else -self.drift[c]), c))
        share = f" ({cents(weights[main] * HUNDRED)}% of this fund)" if len(weights) > 1 else ""
        account = self.problem.account(line.account)
        gap = self.drift[main]
        serves = (selling and gap > 0) or (not selling and gap < 0)
        why = ""
        if self.problem.options.mode == "band-edge" and serves:
            why = self._band_side(main) or ""
        if not why and serves:
            word = "over" if selling else "under"
            why = f"{main} is {money(abs(gap), self.currency)} {word} target"
        if why:
            why += share
        if selling and account.new_money < 0:
            # Cash-flow and withdrawals: the withdrawal is why this account sells.
            cause = f"raises cash for the {money(-account.new_money, self.currency)} withdrawal"
            return f"{cause}; {why}" if why else cause
        if selling and account.cash < 0:
            cause = f"covers this account's negative cash ({money(account.cash, self.currency)})"
            return f"{cause}; {why}" if why else cause
        if not why:
            return "frees cash for classes under target" if selling else "invests idle cash"
        if selling:
            why += self._where_sold(account.name, account.avoids_selling, main)
        return why

    def _where_sold(self, account: str, avoids_selling: bool, asset_class: str) -> str:
        """Why a sale lands in this account, when accounts that avoid selling hold the class too."""
        if avoids_selling:
            return "; sold here although this account avoids selling"
        spared = [name for name in self._avoiding_holders(asset_class) if name != account]
        if not spared:
            return ""
        # Short on purpose: "sold here, not in X, which avoids selling" ran past 80 columns,
        # and a reason stays one line however many accounts a household has.
        if len(spared) > 2:
            return f"; {len(spared)} accounts that hold it avoid selling"
        verb = "avoids" if len(spared) == 1 else "avoid"
        return f"; {' and '.join(spared)} {verb} selling"

    def _avoiding_holders(self, asset_class: str) -> list[str]:
        """Accounts that avoid selling and hold `asset_class`, in file order (cached per class:
        a scan of every asset for every sale made reasons quadratic in the household's size)."""
        if asset_class not in self._holders_cache:
            self._holders_cache[asset_class] = list(
                dict.fromkeys(
                    asset.account
                    for asset in self.problem.assets
                    if asset.holdings
                    and asset_class in asset.weights
                    and self.problem.account(asset.account).avoids_selling
                )
            )
        return self._holders_cache[asset_class]

    def residual(self, name: str, gap: Decimal, unrounded: Decimal, skipped: bool) -> str:
        problem = self.problem
        options = problem.options
        minimum = money(options.min_trade, self.currency)
        if abs(unrounded) < CENT:
            if skipped:
                return f"trades under the minimum of {minimum} were skipped"
            if options.whole_shares:
                return "whole shares: no further share fits in the cash left and lowers the drift"
            return "rounding to cents"
        if skipped:
            return f"trades under the minimum of {minimum} were skipped"
        if options.mode == "cash-flow":
            if gap > 0:
                return "cash-flow mode sells only to raise cash for a withdrawal"
            return (
                "cash-flow mode: the money coming in is not enough, or cannot buy it where it lands"
            )
        if gap < 0:
            buyers = [
                a.name
                for a in problem.accounts
                if any(
                    asset.account == a.name
                    and asset.buy_ticker is not None
                    and name in asset.weights
                    for asset in problem.assets
                )
            ]
            menus = [
                a.name for a in problem.accounts if a.menu is not None and a.name not in buyers
            ]
            where = ""
            if menus:
                which, verb = ("menu of", "leaves") if len(menus) == 1 else ("menus of", "leave")
                where = f" (the {which} {', '.join(menus)} {verb} it out)"
            if not buyers:
                return f"no account can buy {name}{where}"
            return (
                f"only {', '.join(buyers)} can buy {name}{where}, and "
                f"{'it has' if len(buyers) == 1 else 'they have'} no more money to move into it"
            )
        holders = [
            a.name
            for a in problem.accounts
            if any(
                asset.account == a.name and name in asset.weights and asset.holdings
                for asset in problem.assets
            )
        ]
        under = [c for c in problem.classes if self.drift[c] < 0]
        if name == problem.cash_class:
            return "the accounts holding this cash cannot buy what is under target"
        if not holders:
            return f"{name} cannot be sold here (frozen, or no price)"
        return (
            f"{name} is held in {', '.join(holders)}, which cannot buy "
            f"{', '.join(under) if under else 'anything under target'}"
        )


def _line_order(position: dict[str, int], line: Line) -> tuple[int, bool, str]:
    """Trades are listed by account in file order, sells first (they pay for the buys), then ticker.

    The one order every consumer sees: the CLI tables, --json, the app and saved plans.
    """
    return position[line.account], line.action != "sell", line.ticker


def _unrounded_exposure(problem: Problem, moves: Moves) -> dict[str, Decimal]:
    exposure = dict(problem.exposure)
    weights = {(a.account, a.key): a.weights for a in problem.assets}
    for key, move in moves.items():
        for name, weight in weights[key].items():
            exposure[name] = exposure.get(name, ZERO) + mul(move, weight)
        exposure[problem.cash_class] = exposure.get(problem.cash_class, ZERO) - move
    return exposure


def _verify(after: Portfolio, trades: Sequence[Trade]) -> None:
    for account in after.accounts:
        if account.cash < 0:
            raise PlanError(
                f"account {account.name!r}: its cash would be {account.cash} after the trades; "
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
    first_problem: Problem | None = None
    while True:
        problem = build_problem(portfolio, options, frozenset(frozen), table_targets)
        first_problem = first_problem or problem
        moves, method = solve(problem)
        lines = _lines(problem, moves)
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

    explainer = _Explainer(first_problem, currency)
    position = {a.name: i for i, a in enumerate(portfolio.accounts)}
    trades = tuple(
        Trade(
            line.account, line.ticker, line.action, line.shares, line.amount, explainer.trade(line)
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
    for row in after_rows:
        name = row.asset_class
        gap = row.value - div(mul(row.target, after_total), HUNDRED)
        if options.mode == "band-edge":
            if row.status == "in":
                continue
        elif abs(gap) < CENT:
            continue
        goal = div(mul(problem.targets.get(name, ZERO), problem.total), HUNDRED)
        unrounded_gap = unrounded.get(name, ZERO) - goal
        if abs(unrounded_gap) < CENT and not options.whole_shares and name not in skipped_classes:
            continue  # a cent of rounding is not a residual
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
    if options.whole_shares:
        method += " + whole-share rounding"
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
        ),
        notes=tuple(notes),
    )


__all__ = ["money", "plan", "solve"]
