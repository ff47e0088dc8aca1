"""Full rebalance across accounts as a min-cost flow on integer cents (exact).

When every fund belongs to one class, the problem is a transportation problem
(rebalancing-math §2.5): each account supplies its money (holdings it may sell
plus cash), which must end up in classes; the sink takes each class's target.

    account -> class  "keep" arc: capacity = what the account holds there,
                      cost -(1 + A if the account avoids selling else 1)
    account -> class  "buy" arc (when the account can buy that class): cost +1
    account -> cash   money left as cash: cost 0
    class   -> sink   up to the target: cost 0; above it: cost D

Not keeping a held cent is a sale, so every sold cent costs 1 (plus A in an
avoid-selling account) and every bought cent costs 1. With N nodes, a cycle
of the residual network changes the trading cost by at most N x (1 + A) per
unit, so D > N x (1 + A) and A > N make the single cost lexicographic:
least drift, then least money sold where selling is avoided, then least
money traded. Integer data give an integral optimum: no float anywhere.
"""

from __future__ import annotations

from decimal import Decimal

from rebal.core.numbers import CENT, ZERO, cents, div, exact, mul, split_to_cents
from rebal.core.planner.exact import Moves
from rebal.core.planner.problem import Problem


def _to_cents(amount: Decimal) -> int:
    return int(cents(amount) / CENT)


@exact
def min_cost_flow(problem: Problem) -> Moves:
    import networkx as nx  # lazily: `rebal check` never pays for it

    n_nodes = len(problem.accounts) + len(problem.classes) + 2
    avoid_cost = n_nodes + 1
    over_cost = n_nodes * (avoid_cost + 1) + 1

    graph = nx.MultiDiGraph()
    sink = ("sink",)
    supply_total = 0
    for account in problem.accounts:
        supply = _to_cents(account.cash)
        node = ("account", account.name)
        for asset in problem.assets:
            if asset.account != account.name:
                continue
            supply += _to_cents(asset.sellable)
        # build_problem has checked the exact worth is not negative; rounding each
        # figure to cents may still leave a cent short.
        supply = max(supply, 0)
        graph.add_node(node, demand=-supply)
        supply_total += supply
        for asset in problem.assets:
            if asset.account != account.name:
                continue
            target_node = ("class", next(iter(asset.weights)))
            held = _to_cents(asset.sellable)
            if held > 0:
                keep = -(1 + (avoid_cost if account.avoids_selling else 0))
                graph.add_edge(node, target_node, key="keep", capacity=held, weight=keep)
            if asset.buy_ticker is not None:
                graph.add_edge(node, target_node, key="buy", capacity=supply, weight=1)
        graph.add_edge(node, ("class", problem.cash_class), key="cash", capacity=supply, weight=0)

    frozen = {c: _to_cents(problem.frozen_value.get(c, ZERO)) for c in problem.classes}
    household = supply_total + sum(frozen.values())
    target = split_to_cents(
        {
            c: div(mul(problem.targets[c], Decimal(household)), Decimal(100))
            for c in problem.classes
        },
        Decimal(household),
    )
    for name in problem.classes:
        room = max(0, int(target[name]) - frozen[name])
        graph.add_node(("class", name), demand=0)
        if room > 0:
            graph.add_edge(("class", name), sink, key="target", capacity=room, weight=0)
        graph.add_edge(("class", name), sink, key="over", weight=over_cost)
    graph.add_node(sink, demand=supply_total)

    _, flows = nx.network_simplex(graph)
    moves: Moves = {}
    for asset in problem.assets:
        arcs = flows[("account", asset.account)].get(("class", next(iter(asset.weights))), {})
        kept = arcs.get("keep", 0)
        bought = arcs.get("buy", 0)
        held = _to_cents(asset.sellable)
        net = bought - (held - kept)
        if net:
            moves[(asset.account, asset.key)] = Decimal(net) * CENT
    return moves


__all__ = ["min_cost_flow"]
