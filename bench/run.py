"""Benchmark `rebal check`, `rebal plan` and the planner's own solve; print one table.

    make bench          (or: .venv/bin/python bench/run.py [--runs 5])

Generates (bench/generate.py, fixed seed) a 50-account, 2,000-position
household and one ten times larger in a temporary folder, then measures:

- the floor: `python -c pass`, and python with pydantic really in use (one model
  validated; a bare `import pydantic` is lazy and loads almost nothing);
- `rebal check FILE` and `rebal plan FILE` as subprocesses (median wall time);
- in-process, the planner's own solve (`rebal.core.planner.plan`) with every
  import already paid, on both households (median).

Targets (issue 2): `rebal check` imports neither Textual nor a solver and
stays within 2x of the interpreter-plus-pydantic floor; the solve takes under
200 ms on 2,000 positions and grows no worse than linearly (solve_large /
solve_small at most the positions ratio, 10). Timings are printed, never
asserted in the test suite; the import rule is asserted here (and in
tests/core/test_planner_bench.py).
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write  # noqa: E402  (bench/ is not a package)

SMALL = (50, 2_000)
LARGE = (500, 20_000)
CHECK_FLOOR_RATIO = 2.0
SOLVE_LIMIT = 0.200
# Modules `rebal check` must never load: the UI and every solver library.
FORBIDDEN = ("textual", "highspy", "numpy", "rebal.tui", "rebal.core.planner.lp")

PROBE = """
import json, sys
from rebal.cli import main
code = main(["check", sys.argv[1]])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"textual", "highspy", "numpy"}
    or m.startswith(("rebal.tui", "rebal.core.planner.lp")))
with open(sys.argv[2], "w") as out:
    json.dump({"code": code, "loaded": loaded}, out)
"""


def rebal_executable() -> Path | None:
    candidate = Path(sys.executable).with_name("rebal")
    if candidate.exists():
        return candidate
    found = shutil.which("rebal")
    return Path(found) if found else None


def wall(command: Sequence[str], runs: int) -> float:
    """Median wall time of `command` (its output discarded; exit codes 0 and 1 are fine)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise RuntimeError(
                f"{' '.join(map(str, command))} exited {done.returncode}: "
                f"{done.stderr.decode(errors='replace').strip()[:300]}"
            )
    return statistics.median(times)


def check_imports(path: Path) -> tuple[int, list[str]]:
    """Run `rebal check PATH` in a fresh interpreter; return its exit code and heavy modules."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "modules.json"
        subprocess.run(
            [sys.executable, "-c", PROBE, str(path), str(report)],
            capture_output=True,
            check=True,
        )
        data = json.loads(report.read_text())
    return int(data["code"]), list(data["loaded"])


def solve_time(path: Path, runs: int) -> tuple[float, float, float, str, int]:
    """In-process times of plan() once every import is paid; its method and trades.

    The first time (a median) follows `timeit`'s convention (garbage collector
    off while timing, after a full collection), the second leaves the collector
    on: its pauses depend on everything else alive in the process, so it is
    noisier. The third is the least CPU time of the quiet runs: on a busy
    machine it is the figure to compare between two versions of the planner.
    """
    from rebal.core.planner import PlanOptions, plan
    from rebal.store.load import load

    portfolio = load(path).portfolio
    result = plan(portfolio, PlanOptions())  # pays the imports (highspy, numpy)
    quiet, busy, cpu = [], [], []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started, started_cpu = time.perf_counter(), time.process_time()
            plan(portfolio, PlanOptions())
            quiet.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        finally:
            gc.enable()
        started = time.perf_counter()
        plan(portfolio, PlanOptions())
        busy.append(time.perf_counter() - started)
    return (
        statistics.median(quiet),
        statistics.median(busy),
        min(cpu),
        result.method,
        len(result.trades),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    runs = max(1, args.runs)
    python = sys.executable
    rebal = rebal_executable()

    with tempfile.TemporaryDirectory(prefix="rebal-bench-") as folder:
        small = write(Path(folder) / "small.toml", *SMALL)
        large = write(Path(folder) / "large.toml", *LARGE)

        interpreter = wall([python, "-c", "pass"], runs)
        bare_import = wall([python, "-c", "import pydantic"], runs)
        # `import pydantic` is lazy: it loads almost nothing until a model is built.
        # The floor is what any program that really uses pydantic pays: the
        # interpreter, pydantic, and one model class validating one value.
        floor = wall(
            [
                python,
                "-c",
                "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)",
            ],
            runs,
        )
        rows: list[tuple[str, str, str]] = [
            ("python -c pass", f"{interpreter * 1000:8.1f} ms", "interpreter start-up"),
            (
                "python -c 'import pydantic'",
                f"{bare_import * 1000:8.1f} ms",
                "lazy import: pydantic not yet in use",
            ),
            (
                "pydantic, one model validated",
                f"{floor * 1000:8.1f} ms",
                "the interpreter-plus-pydantic floor for check",
            ),
        ]
        verdicts: list[tuple[str, bool | None, str]] = []

        code, loaded = check_imports(small)
        verdicts.append(
            (
                "rebal check imports no UI or solver",
                not loaded,
                "none loaded" if not loaded else "loaded: " + ", ".join(loaded),
            )
        )

        timings: dict[str, float] = {}
        for label, path, size in (("small", small, SMALL), ("large", large, LARGE)):
            what = f"{size[0]} accounts, {size[1]:,} positions"
            for command in ("check", "plan"):
                name = f"rebal {command} ({label})"
                if rebal is None:
                    rows.append((name, "not available", "no rebal executable"))
                    continue
                try:
                    seconds = wall([str(rebal), command, str(path)], runs)
                except RuntimeError as error:
                    rows.append((name, "not available", str(error)[:60]))
                    continue
                timings[f"{command}_{label}"] = seconds
                base = floor if command == "check" else interpreter
                base_name = "floor" if command == "check" else "interpreter"
                rows.append(
                    (
                        name,
                        f"{seconds * 1000:8.1f} ms",
                        f"{seconds / base:5.2f}x {base_name}; {what}",
                    )
                )
            seconds, with_gc, cpu, method, trades = solve_time(path, runs)
            timings[f"solve_{label}"] = seconds
            timings[f"solve_gc_{label}"] = with_gc
            rows.append(
                (
                    f"planner solve ({label})",
                    f"{seconds * 1000:8.1f} ms",
                    f"in-process, as timeit (gc off); {with_gc * 1000:.1f} ms with gc on; "
                    f"least CPU {cpu * 1000:.1f} ms; {trades} trades; {method}",
                )
            )

    if "check_small" in timings:
        ratio = timings["check_small"] / floor
        verdicts.append(
            (
                f"rebal check within {CHECK_FLOOR_RATIO:g}x of the floor",
                ratio <= CHECK_FLOOR_RATIO,
                f"{ratio:.2f}x (vs the bare lazy import: "
                f"{timings['check_small'] / bare_import:.2f}x; large file: "
                f"{timings.get('check_large', 0) / floor:.2f}x)",
            )
        )
    else:
        verdicts.append(("rebal check within 2x of the floor", None, "rebal check not available"))
    verdicts.append(
        (
            "solve under 200 ms on 2,000 positions",
            timings["solve_small"] < SOLVE_LIMIT,
            f"{timings['solve_small'] * 1000:.1f} ms",
        )
    )
    growth = timings["solve_large"] / timings["solve_small"]
    positions_ratio = LARGE[1] / SMALL[1]
    verdicts.append(
        (
            "solve grows no worse than linearly",
            growth <= positions_ratio,
            f"solve_large / solve_small = {growth:.1f} vs positions ratio {positions_ratio:g} "
            f"(gc on: {timings['solve_gc_large'] / timings['solve_gc_small']:.1f})",
        )
    )
    if "plan_small" in timings:
        rows.append(
            (
                "plan / interpreter",
                f"{timings['plan_small'] / interpreter:8.2f} x",
                f"large: {timings['plan_large'] / interpreter:.2f}x",
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  {'time':>12}  notes")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")
    print()
    for name, held, detail in verdicts:
        mark = "n/a " if held is None else ("OK  " if held else "MISS")
        print(f"[{mark}] {name}: {detail}")
    return 0 if code in (0, 1) and not loaded else 1


if __name__ == "__main__":
    raise SystemExit(main())
