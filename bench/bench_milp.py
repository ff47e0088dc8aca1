"""The whole-share MILP's work: branch-and-bound nodes per pass and CPU per plan.

    .venv/bin/python bench/bench_milp.py [--households N] [--limit NODES]

Plans generated households (bench/generate.py, from 2 to 36 accounts, so from
a handful of integer columns to near the MILP's MAX_INTEGER) with whole
shares, in full and cash-flow modes, and prints, per size, the largest node
count of a pass, how many plans reached the node limit, the CPU seconds of
the slowest plan, and the drift that plans stopped at the limit leave above
the LP bound next to what the rounding rule (the fallback) leaves on the same
households. NODE_LIMIT in rebal/core/planner/milp.py is chosen from this: a
plan near MAX_INTEGER stays within a few seconds, and the best plan found by
the limit is far closer to the bound than the rounding rule. CPU time, not
wall time, so a loaded machine reads the same.
"""

from __future__ import annotations

import argparse
import re
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

SIZES = ((2, 6), (3, 12), (5, 20), (8, 32), (12, 48), (20, 80), (36, 130))
ABOVE = re.compile(r"drift \$([\d,.]+) above")


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
          f"{'at limit':>8} {'slowest CPU s':>13}  {'MILP $ above LP':>17} "
          f"{'rounding $ above':>17}")
    with tempfile.TemporaryDirectory() as folder:
        for accounts, positions in SIZES:
            most, limited, slowest, count = 0, 0, 0.0, 0
            milp_gaps: list[float] = []
            rounding_gaps: list[float] = []
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
                    if "stopped at its limit" in result.method:
                        limited += 1
                        milp_gaps.append(_above(result.method))
                        milp.MAX_INTEGER, kept = 0, milp.MAX_INTEGER
                        rounding_gaps.append(_above(plan(portfolio, options).method))
                        milp.MAX_INTEGER = kept
            gaps = (
                f"{min(milp_gaps):>9,.0f}-{max(milp_gaps):<7,.0f} "
                f"{min(rounding_gaps):>9,.0f}-{max(rounding_gaps):<7,.0f}"
                if milp_gaps
                else ""
            )
            print(f"{accounts:>8} {positions:>9} {count:>5} {most:>10} {limited:>8} "
                  f"{slowest:>13.2f}  {gaps}", flush=True)


def _above(method: str) -> float:
    found = ABOVE.search(method)
    return float(found.group(1).replace(",", "")) if found else 0.0


if __name__ == "__main__":
    main()
