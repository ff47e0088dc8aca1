"""Solve for groups of interchangeable accounts, then spread the answer over their members.

Accounts that can buy the same assets, sell under the same rule (avoid
selling, cash-flow direction) and have no negative cash are interchangeable
for the solvers: only their totals matter. With tax in the objective, a
taxable account is never grouped (its lots price its sales) and, when buys
follow the location preference, only accounts of one tax treatment are.
Grouped, a group's class-level answer can always be spread back exactly:

- sells of an asset are taken from the members in file order, each up to what
  it holds there;
- buys are then placed in file order, each member up to its own cash plus what
  it just sold. The group's cash covers its buys, and every member can buy
  every asset the group buys, so the buys always fit.

Drift, money sold where selling is avoided and money traded are the same as
for the ungrouped problem, so the lexicographic optimum is kept; the solver
sees tens of groups instead of hundreds of accounts, which keeps the solve
time growing linearly with the household (the LP's pivots grow faster than
its size).
"""

from __future__ import annotations

import dataclasses

from rebal.core.numbers import ZERO, exact
from rebal.core.planner.exact import Moves
from rebal.core.planner.problem import AccountState, Asset, Holding, Problem

Members = dict[str, list[str]]


@exact
def group_accounts(problem: Problem) -> tuple[Problem, Members] | None:
    """The problem over groups of interchangeable accounts, or None if nothing groups."""
    by_signature: dict[tuple[object, ...], list[AccountState]] = {}
    buyable_keys: dict[str, set[str]] = {}
    for asset in problem.assets:
        if asset.buy_ticker is not None:
            buyable_keys.setdefault(asset.account, set()).add(asset.key)
    for account in problem.accounts:
        if account.cash < 0 or (problem.tax is not None and account.treatment == "taxable"):
            # A taxable account's sales are priced by its own lots (tax_costs.py).
            key: tuple[object, ...] = ("alone", account.name)
        else:
            key = (
                account.avoids_selling,
                account.may_buy,
                account.may_sell,
                frozenset(buyable_keys.get(account.name, ())),
                # Buys follow the location preference: only one treatment per group.
                account.treatment if problem.location else None,
            )
        by_signature.setdefault(key, []).append(account)
    if len(by_signature) == len(problem.accounts):
        return None

    members: Members = {}
    accounts: list[AccountState] = []
    group_of: dict[str, str] = {}
    for index, group in enumerate(by_signature.values()):
        name = group[0].name if len(group) == 1 else f"group {index}"
        members[name] = [a.name for a in group]
        for account in group:
            group_of[account.name] = name
        first = group[0]
        accounts.append(
            dataclasses.replace(
                first,
                name=name,
                cash=sum((a.cash for a in group), ZERO),
                new_money=sum((a.new_money for a in group), ZERO),
                menu=None,
                buyable=(),
            )
        )
    # Collect each group's holdings per asset first: concatenating tuples one
    # member at a time would be quadratic in the group's size.
    merged: dict[tuple[str, str], Asset] = {}
    pooled: dict[tuple[str, str], list[Holding]] = {}
    for asset in problem.assets:
        slot = (group_of[asset.account], asset.key)
        pooled.setdefault(slot, []).extend(asset.holdings)
        if slot not in merged:
            merged[slot] = dataclasses.replace(asset, account=slot[0], holdings=())
        elif merged[slot].buy_ticker is None and asset.buy_ticker is not None:
            merged[slot].buy_ticker = asset.buy_ticker
    for slot, asset in merged.items():
        asset.holdings = tuple(pooled[slot])
    grouped = dataclasses.replace(
        problem, accounts=accounts, assets=list(merged.values()), _by_name=None, _holdings=None
    )
    return grouped, members


@exact
def spread(problem: Problem, members: Members, moves: Moves) -> Moves:
    """The grouped answer as moves of the original accounts (see the module docstring)."""
    assets = {(a.account, a.key): a for a in problem.assets}
    cash = {a.name: a.cash for a in problem.accounts}
    result: Moves = {}
    sells = sorted((k, m) for k, m in moves.items() if m < 0)
    buys = sorted((k, m) for k, m in moves.items() if m > 0)
    for (group, key), move in sells:
        left = -move
        for name in members[group]:
            asset = assets.get((name, key))
            if asset is None or left <= 0:
                continue
            take = min(left, asset.sellable)
            if take > 0:
                result[(name, key)] = result.get((name, key), ZERO) - take
                cash[name] += take
                left -= take
    for (group, key), move in buys:
        left = move
        takers = [n for n in members[group] if (n, key) in assets]
        for name in takers:
            if left <= 0:
                break
            take = min(left, max(cash[name], ZERO))
            if take > 0:
                result[(name, key)] = result.get((name, key), ZERO) + take
                cash[name] -= take
                left -= take
        if left > 0 and takers:
            # Float dust from the solver (a fraction of a cent): the cents
            # rounding caps each account's spending at its cash anyway.
            richest = max(takers, key=lambda n: (cash[n], n))
            result[(richest, key)] = result.get((richest, key), ZERO) + left
            cash[richest] -= left
    return {k: v for k, v in result.items() if v != 0}


__all__ = ["Members", "group_accounts", "spread"]
