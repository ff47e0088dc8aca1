"""The whole-share MILP's work: branch-and-bound nodes per pass and CPU per plan.

    .venv/bin/python bench/bench_milp.py [--households N] [--limit NODES]

Plans generated households (bench/generate.py, from 2 to 40 accounts, so from
a handful of integer columns to the MILP's MAX_INTEGER) with whole shares, in
full and cash-flow modes, and prints, per size, the largest node count of a
pass, how many plans reached the node limit, and the CPU seconds of the
slowest plan. NODE_LIMIT in rebal/core/planner/milp.py is chosen from this:
high enough that such households prove their optimum, low enough that a pass
reaching it stays around a second. CPU time, not wall time, so a loaded
machine reads the same.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import tomli_w

sys.path.insert(0, str(Path(__file__).parent))

from generate import household

from rebal.core.planner import (
    PlanOptions,
    milp,
    plan,
)
from rebal.core.planner.lp import Solver
from rebal.store.load import load

SIZES = ((2, 6), (3, 12), (5, 20), (8, 32), (12, 48), (20, 80), (40, 120))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=4, help="seeds per size")
    parser.add_argument("--limit", type=int, default=milp.NODE_LIMIT, help="nodes per pass")
    args = parser.parse_args()
    milp.NODE_LIMIT = args.limit
    passes: list[list[int]] = []
    original = Solver.make_integer

    def recording(self: Solver, columns: list[int], nodes: int) -> None:
        original(self, columns, nodes)
        passes.append(self.nodes)  # filled in by the passes that follow

    Solver.make_integer = recording  # type: ignore[method-assign]
    print(f"node limit {args.limit} a pass", flush=True)
    print(f"{'accounts':>8} {'positions':>9} {'plans':>5} {'most nodes':>10} "
          f"{'at limit':>8} {'slowest CPU s':>13}")
    with tempfile.TemporaryDirectory() as folder:
        for accounts, positions in SIZES:
            most, limited, slowest, count = 0, 0, 0.0, 0
            for seed in range(args.households):
                path = Path(folder) / f"h{accounts}-{seed}.toml"
                path.write_bytes(tomli_w.dumps(household(accounts, positions, seed)).encode())
                portfolio = load(path).portfolio
                first = portfolio.accounts[0].name
                for options in (
                    PlanOptions(mode="full", whole_shares=True),
                    PlanOptions(
                        mode="cash-flow", whole_shares=True, new_money={first: Decimal(5000)}
                    ),
                ):
                    passes.clear()
                    start = time.process_time()
                    result = plan(portfolio, options)
                    slowest = max(slowest, time.process_time() - start)
                    count += 1
                    nodes = [n for run in passes for n in run]
                    most = max([most, *nodes])
                    limited += "stopped at its limit" in result.method
            print(f"{accounts:>8} {positions:>9} {count:>5} {most:>10} {limited:>8} "
                  f"{slowest:>13.2f}", flush=True)


if __name__ == "__main__":
    main()
