"""The exact methods for one pool: the closed form (full) and Mao's water-filling (cash-flow).

Both compute in Decimal at 50 digits and return money moves per asset:
`{(account, asset key): signed amount}`, positive for a buy, negative for a sell.
They return None when their assumptions do not hold; the caller then uses the
LP, which handles every case and gives the same answer where both apply (the
LP's cash-flow passes are this water-filling across accounts).
"""

from __future__ import annotations

from decimal import Decimal

from rebal.core.numbers import ZERO, div, exact
from rebal.core.planner.problem import Asset, Problem

Moves = dict[tuple[str, str], Decimal]
# Money sold per fund, for the sales the LP priced lot by lot (lp.py): which funds of
# the class carry a sale is then the solver's choice, not the largest position first.
Sells = dict[tuple[str, str], dict[str, Decimal]]


def _class_assets(problem: Problem) -> dict[str, Asset]:
    # Only called when every asset is single-class: one asset per class.
    return {next(iter(asset.weights)): asset for asset in problem.assets}


@exact
def closed_form(problem: Problem) -> Moves | None:
    """One account, full mode, single-class funds: trade each class to exactly its target.

    x_c = t_c x P' - E_c (rebalancing-math §2.1). Applies only when every class
    below target can be bought here and every class above it can be sold
    (nothing frozen in the way); cash takes up whatever is left, which is its
    own target because the targets sum to 100%.
    """
    if len(problem.accounts) != 1 or problem.options.mode != "full" or not problem.single_class:
        return None
    by_class = _class_assets(problem)
    moves: Moves = {}
    for name in problem.classes:
        if name == problem.cash_class:
            continue
        gap = problem.target_money[name] - problem.exposure[name]
        if gap == 0:
            continue
        asset = by_class.get(name)
        if asset is None:
            return None
        if gap > 0 and asset.buy_ticker is None:
            return None
        if gap < 0 and asset.sellable < -gap:
            return None
        moves[(asset.account, asset.key)] = gap
    # The account's cash after these moves is the cash class's target share.
    cash_after = problem.accounts[0].cash - sum(moves.values(), ZERO)
    if cash_after < 0:
        return None
    return moves


@exact
def water_fill(problem: Problem) -> Moves | None:
    """Cash-flow mode in one account with money to invest: Albert Mao's optimal lazy rebalancing.

    The account's cash (new money included) is handed to the classes with the
    lowest fractional deviation f_c = E_c / T_c - 1 first, raising them
    together to a common level, never past target (past target a buy only
    moves drift from cash to that class, so it is not made). Keeping cash is
    one of the candidates when cash has a target. No class is sold.
    """
    if (
        len(problem.accounts) != 1
        or problem.options.mode != "cash-flow"
        or not problem.single_class
    ):
        return None
    account = problem.accounts[0]
    if account.cash < 0 or not account.may_buy:
        return None
    money = account.cash
    by_class = _class_assets(problem)
    base = dict(problem.exposure)
    base[problem.cash_class] -= account.cash  # the account's cash is the money to hand out
    candidates = [
        c
        for c in problem.classes
        if problem.target_money[c] > 0
        and (c == problem.cash_class or (c in by_class and by_class[c].buy_ticker is not None))
    ]
    deviation = {c: div(base[c], problem.target_money[c]) - 1 for c in candidates}
    order = sorted(candidates, key=lambda c: (deviation[c], problem.classes.index(c)))
    if not order or deviation[order[0]] >= 0 or money <= 0:
        return {}
    level = deviation[order[0]]
    pooled = ZERO  # sum of target money of the classes raised so far
    left = money
    taken: list[str] = []
    for index, name in enumerate(order):
        taken.append(name)
        pooled += problem.target_money[name]
        following = deviation[order[index + 1]] if index + 1 < len(order) else ZERO
        following = min(following, ZERO)
        cost = pooled * (following - level)
        if cost <= left:
            left -= cost
            level = following
            if following == 0:
                break
        else:
            level += div(left, pooled)
            break
    moves: Moves = {}
    for name in taken:
        amount = problem.target_money[name] * (level - deviation[name])
        if name != problem.cash_class and amount > 0:
            asset = by_class[name]
            moves[(asset.account, asset.key)] = amount
    return moves
