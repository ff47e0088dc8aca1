"""From money moves per asset to trade lines per fund, in cents or whole shares.

Which fund carries a move: a sell of a class in an account takes the largest
position of that class first (fewest lines), a buy goes to the account's
preferred fund (see problem.py). Then, per account:

- fractional shares: amounts are split to cents with the largest-remainder
  method so that the account's net spending is its planned net spending to the
  cent, and never more than its cash; a position sold to less than half a
  cent of zero (what is left would round to $0.00) is sold whole. Shares =
  amount / price rounded up to 6 decimals (the amount is the exact figure; the
  share count is what to type into a broker; rounding up, a class bought or
  sold to a band edge never stops short of it). Band-edge rounds the lines
  toward the bands instead and then checks each class exactly (edge_cents.py).
- whole shares (rebalancing-math §2.6): sells round up (down in a taxable
  account under a gain budget), buys round down, then
  the leftover cash buys single shares, largest remaining shortfall first
  (ties: larger fractional remainder, lower price, ticker), while a share both
  fits in the cash and lowers the household's total drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from rebal.core.numbers import CENT, ZERO, div, exact, floor_to, mul, split_to_cents
from rebal.core.planner.edge_cents import (
    SOLVER_REACH,
    Aim,
    keep_inside,
    line_direction,
    round_toward,
)
from rebal.core.planner.exact import Moves, Sells
from rebal.core.planner.lp import FEASIBILITY
from rebal.core.planner.problem import Problem
from rebal.core.planner.types import Action

SHARE_PLACES = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class Line:
    account: str
    ticker: str
    action: Action
    shares: Decimal
    amount: Decimal  # cents


@exact
def fund_amounts(
    problem: Problem, moves: Moves, sells: Sells | None = None
) -> dict[str, dict[str, Decimal]]:
    """Signed money per (account, fund): positive buys, negative sells (not yet rounded).

    A sale the LP priced lot by lot (`sells`) is split over the funds as the LP
    split it; any other takes the largest position first.
    """
    result: dict[str, dict[str, Decimal]] = {a.name: {} for a in problem.accounts}
    for asset in problem.assets:
        move = moves.get((asset.account, asset.key), ZERO)
        lines = result[asset.account]
        split = (sells or {}).get((asset.account, asset.key))
        if move > 0 and asset.buy_ticker is not None:
            lines[asset.buy_ticker] = lines.get(asset.buy_ticker, ZERO) + move
        elif move < 0 and split:
            total = sum(split.values(), ZERO)
            for ticker, amount in split.items():
                lines[ticker] = lines.get(ticker, ZERO) + div(mul(move, amount), total)
        elif move < 0:
            left = -move
            for holding in asset.holdings:
                if left <= 0:
                    break
                take = min(left, holding.value)
                lines[holding.ticker] = lines.get(holding.ticker, ZERO) - take
                left -= take
    return result


def _cents(amount: Decimal) -> Decimal:
    """numbers.cents without its per-call context switch (callers already run at 50 digits)."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _held(problem: Problem, account: str, ticker: str) -> Decimal:
    return problem.held_shares(account, ticker)


def _price(problem: Problem, ticker: str) -> Decimal:
    return problem.portfolio.securities[ticker].price


def _shares(problem: Problem, account: str, ticker: str, amount: Decimal, whole: bool) -> Decimal:
    """The shares a line of signed `amount` trades: rounded up to 6 decimals (never
    more than are held), or every share held for a position sold whole."""
    held = _held(problem, account, ticker)
    if whole:
        return held
    shares = div(abs(amount), _price(problem, ticker)).quantize(
        SHARE_PLACES, rounding=ROUND_CEILING
    )
    return shares if amount > 0 else min(held, shares)


@exact
def to_cents(
    problem: Problem,
    amounts: Mapping[str, Mapping[str, Decimal]],
    aimed: Aim | None = None,
) -> list[Line]:
    """Cents per line, per account; band-edge (`aimed`) rounds toward the bands and
    keeps each class the solver's answer has in band inside (edge_cents.py)."""
    toward = aimed.toward if aimed is not None else {}
    rounded: dict[str, dict[str, Decimal]] = {}
    whole: dict[str, frozenset[str]] = {}
    for account in problem.accounts:
        parts = {t: a for t, a in amounts[account.name].items() if abs(a) >= CENT / 2}
        if not parts:
            continue
        fixed: dict[str, Decimal] = {}
        for ticker, amount in parts.items():
            value = mul(_held(problem, account.name, ticker), _price(problem, ticker))
            # Only a remainder that rounds to $0.00 is solver noise: a cent or more
            # left is a sale the plan sized (a $0.99 withdrawal from a $1.00
            # position sells $0.99, not the whole position).
            if amount < 0 and value + amount < CENT / 2:
                fixed[ticker] = -_cents(value)  # sold whole
        rest = {t: a for t, a in parts.items() if t not in fixed}
        spend_fixed = sum(fixed.values(), ZERO)
        allowed = floor_to(account.cash - spend_fixed, CENT)
        account_lines = {
            **_account_cents(
                problem,
                account.name,
                rest,
                sum(parts.values(), ZERO) - spend_fixed,
                allowed,
                toward,
            ),
            **fixed,
        }
        rounded[account.name] = {t: a for t, a in account_lines.items() if a != 0}
        whole[account.name] = frozenset(fixed)

    def shares_of(account: str, ticker: str, amount: Decimal) -> Decimal:
        return _shares(problem, account, ticker, amount, ticker in whole[account])

    if aimed is not None and aimed.inside:
        keep_inside(problem, rounded, whole, shares_of, aimed.inside)
    lines: list[Line] = []
    for account in problem.accounts:
        for ticker, amount in sorted(rounded.get(account.name, {}).items()):
            if amount == 0:
                continue
            action: Action = "buy" if amount > 0 else "sell"
            lines.append(
                Line(
                    account.name,
                    ticker,
                    action,
                    shares_of(account.name, ticker, amount),
                    abs(amount),
                )
            )
    return lines


def _account_cents(
    problem: Problem,
    account: str,
    rest: Mapping[str, Decimal],
    net: Decimal,
    allowed: Decimal,
    toward: Mapping[str, int],
) -> dict[str, Decimal]:
    """One account's lines (not sold whole) in cents: `net` is their planned net
    spending, `allowed` the most they may spend (the cash)."""
    if not rest:
        return {}
    cash_way = toward.get(problem.cash_class, 0)
    direction = {t: line_direction(problem.weights[t], toward, problem.cash_class) for t in rest}
    noise = SOLVER_REACH * problem.total
    directed = {t: round_toward(a, direction[t], noise) for t, a in rest.items() if direction[t]}
    free = {t: a for t, a in rest.items() if t not in directed}
    if not free:
        # Every line serves a band: the cash takes what they round by.
        total = sum(directed.values(), ZERO)
    elif cash_way:
        # Cash moves against the net spending: its target decides how the net rounds.
        total = round_toward(net, -cash_way, noise)
    elif directed:
        # The cash takes what the directed lines round by.
        total = sum(directed.values(), ZERO) + _cents(sum(free.values(), ZERO))
    else:
        # The account's planned net spending is what is rounded, not what is left
        # after the whole-position sales: a position sold whole may round its
        # sale up a little, and the other lines give that back (else a
        # withdrawal could sell a cent more than it needs).
        total = _cents(net)
    total = min(total, allowed)
    if free:
        return {**directed, **split_to_cents(free, total - sum(directed.values(), ZERO))}
    # Directed lines alone may overspend the cash by the cents they round up. A sale
    # of an over-weight class sells them where it can (a cent more keeps its class in
    # band), else the lines rounded up the most give them back (the largest-remainder
    # rule); keep_inside mends a class this takes out of its band.
    over = sum(directed.values(), ZERO) - total
    while over > 0:
        sells = [
            t
            for t in directed
            if direction[t] < 0
            and directed[t] < 0
            and CENT - directed[t] <= mul(_held(problem, account, t), _price(problem, t))
        ]
        chosen = max(sells or directed, key=lambda t: (directed[t] - rest[t], t))
        directed[chosen] -= CENT
        over -= CENT
    return directed


def _drift_change(
    exposure: Mapping[str, Decimal],
    target: Mapping[str, Decimal],
    change: Mapping[str, Decimal],
) -> Decimal:
    before = sum((abs(exposure.get(c, ZERO) - target.get(c, ZERO)) for c in change), ZERO)
    after = sum(
        (abs(exposure.get(c, ZERO) + d - target.get(c, ZERO)) for c, d in change.items()), ZERO
    )
    return after - before


# The solver holds its rows to this fraction of the household: its answers can sit
# that far from the exact vertex.
SOLVER_NOISE = Decimal(repr(FEASIBILITY))


def _share_count(problem: Problem, amount: Decimal, price: Decimal, rounding: str) -> Decimal:
    """`amount / price` rounded to a whole share; a count within the solver's noise of
    a whole number is that number (3,628.7999999999983 of a $64.80 fund is 56
    shares, not 55). The noise is a fraction of the household, so the count is
    the same at every scale of money."""
    shares = div(amount, price)
    nearest = shares.to_integral_value(rounding=ROUND_HALF_UP)
    if abs(mul(shares - nearest, price)) <= SOLVER_NOISE * problem.total:
        return nearest
    return shares.to_integral_value(rounding=rounding)


@exact
def to_whole_shares(problem: Problem, amounts: Mapping[str, Mapping[str, Decimal]]) -> list[Line]:
    cash_class = problem.cash_class
    shares: dict[tuple[str, str], Decimal] = {}  # signed: negative sells
    cash_left: dict[str, Decimal] = {}
    capped = (
        problem.tax is not None
        and problem.tax.budget is not None
        and problem.options.use_gain_budget
    )
    for account in problem.accounts:
        cash = account.cash
        # Under a gain budget a taxable sale rounds down: rounded up, it could realize
        # more gain than the solver allowed (the lots it adds are the costliest).
        sell_rounding = (
            ROUND_FLOOR
            if capped and account.treatment == "taxable" and account.cash >= 0
            else ROUND_CEILING
        )
        for ticker, amount in sorted(amounts[account.name].items()):
            price = _price(problem, ticker)
            if amount < 0:
                held = _held(problem, account.name, ticker)
                count = min(held, _share_count(problem, -amount, price, sell_rounding))
                if count > 0:
                    shares[(account.name, ticker)] = -count
                    cash += _cents(mul(count, price))
        for ticker, amount in sorted(amounts[account.name].items()):
            if amount > 0:
                count = _share_count(problem, amount, _price(problem, ticker), ROUND_FLOOR)
                if count > 0:
                    shares[(account.name, ticker)] = count
                    cash -= _cents(mul(count, _price(problem, ticker)))
        # Cents rounding of each line can overspend by a cent or two: give back shares.
        while cash < 0:
            buys = [k for k in shares if k[0] == account.name and shares[k] > 0]
            if not buys:
                break
            largest = max(buys, key=lambda k: (mul(shares[k], _price(problem, k[1])), k[1]))
            shares[largest] -= 1
            cash += _cents(_price(problem, largest[1]))
            if shares[largest] == 0:
                del shares[largest]
        cash_left[account.name] = cash

    exposure = dict(problem.exposure)
    weights = problem.weights
    for (_, ticker), count in shares.items():
        value = mul(count, _price(problem, ticker))
        for name, weight in weights[ticker].items():
            exposure[name] = exposure.get(name, ZERO) + mul(value, weight)
        exposure[cash_class] = exposure.get(cash_class, ZERO) - value

    for account in problem.accounts:
        planned = {t: a for t, a in amounts[account.name].items() if a > 0}
        while planned:
            options = []
            for ticker, amount in planned.items():
                price = _price(problem, ticker)
                if price > cash_left[account.name]:
                    continue
                have = shares.get((account.name, ticker), ZERO)
                shortfall = amount - mul(have, price)
                remainder = div(amount, price) - have
                options.append((-shortfall, -remainder, price, ticker))
            chosen = None
            for _, _, price, ticker in sorted(options):
                change = {c: mul(price, w) for c, w in weights[ticker].items()}
                change[cash_class] = change.get(cash_class, ZERO) - price
                if _drift_change(exposure, problem.target_money, change) < 0:
                    chosen = (ticker, price, change)
                    break
            if chosen is None:
                break
            ticker, price, change = chosen
            key = (account.name, ticker)
            shares[key] = shares.get(key, ZERO) + 1
            cash_left[account.name] -= _cents(price)
            for name, delta in change.items():
                exposure[name] = exposure.get(name, ZERO) + delta

    position = {a.name: i for i, a in enumerate(problem.accounts)}
    lines = []
    for (account_name, ticker), count in sorted(
        shares.items(), key=lambda item: (position[item[0][0]], item[0][1])
    ):
        if count == 0:
            continue
        amount = _cents(mul(abs(count), _price(problem, ticker)))
        lines.append(Line(account_name, ticker, "buy" if count > 0 else "sell", abs(count), amount))
    return lines
