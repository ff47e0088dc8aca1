"""Batch `rebal check`: files per second in text and --json mode against the parse floor.

    .venv/bin/python bench/bench_batch.py [--files 10000] [--rounds 3]

The default is the scale issue 9 measured (10,000 files at 143 files/s); at
2,000 files the start-up (0.2-0.3 s, one core) is a seventh of the run.

Generates N small valid portfolios in a temporary folder (copies of
sample_portfolios/household.toml, each with its prices moved by up to 5% so
the files differ) and measures, in one run and alternating so machine noise
hits each alike (median of the rounds, wall time, each a fresh interpreter as
for a user, output to /dev/null):

- the parse floor: one process calling `rebal.store.load.load` on each file;
- `rebal check FILE...` (text to a pipe: plain lines) and `rebal check --json`,
  with the CPU time of all their processes (the parent and the pool's workers,
  from `getrusage(RUSAGE_CHILDREN)`), per file, the start-up included;
- the start-up: `rebal check` of one file (interpreter, imports, one file), wall
  and CPU;
- the text batch's pace once started: N / (its wall time - the start-up's);
- CPU time per file in one process (`time.process_time`, which a busy machine
  disturbs less than wall time): tomllib alone, tomli alone (its compiled
  build, the parser rebal reads with: the true parse floor, no rebal code),
  load only, the text and the JSON of `rebal.commands.check.check_file`, so
  the ratios hold where other work keeps the second core busy;
- peak RSS of the --json batch (the largest process: rebal or one of its
  workers, from `getrusage(RUSAGE_CHILDREN)` in a fresh wrapper process), at N
  files and at N/10 files: streaming keeps it about the same.

The projection, for a machine whose cores are free: the start-up's CPU, then
the N files' text CPU (one process) shared by the cores, so the files per
second it prints are N / (start-up + N x text / cores). Until 2026-12 it left
the start-up out (cores / text per file), though 0.2-0.4 s of start-up is a
tenth to a fifth of a run of 2,000 files; the batch's own CPU per file,
printed beside it, shows what the pool adds (the workers' sharing of the
machine, sending files and results).

The interpreter is printed with how it holds its core: the figures of a Python
whose executable loads libpython as a shared library (this machine's pyenv
build) are some 1.2-1.4x those of a distribution's Python, which users mostly run;
to measure with another interpreter, run this file from a venv made with it
(`/usr/bin/python3 -m venv /tmp/v && /tmp/v/bin/pip install -e .`).

Target (issue 9): text mode at >= 1,000 files/s on 2 cores. Printed, never
asserted; the exit status is 0 either way. Bytecode is compiled first (an
installed package has it; PYTHONDONTWRITEBYTECODE may be set). Run `uptime`
beside it: on a shared machine only the CPU figures and the ratios compare.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_portfolios" / "household.toml"
REBAL = [sys.executable, "-c", "import sys; from rebal.cli import main; sys.exit(main())"]
TARGET_FILES_PER_SECOND = 1000
START_UP = "start-up"

FLOOR = r"""
import sys
from pathlib import Path
from rebal.store.load import load
for name in sys.argv[1:]:
    load(Path(name))
"""

CPU_PER_FILE = r"""
import sys, time, tomllib
from decimal import Decimal
try:
    import tomli
except ImportError:  # rebal then reads with tomllib
    tomli = tomllib
from pathlib import Path
from rebal.commands.check import Style, check_file
from rebal.store.load import load
paths = [Path(name) for name in sys.argv[1:]]
for path in paths[:20]:  # warm: first-use imports and caches
    check_file(path, Style(json_prefix=None, terminal=None))
    check_file(path, Style(json_prefix="  ", terminal=None))
def per_file(work):
    started = time.process_time()
    for path in paths:
        work(path)
    return (time.process_time() - started) / len(paths) * 1000
texts = {path: path.read_text(encoding="utf-8") for path in paths}
print(per_file(lambda p: tomllib.loads(texts[p], parse_float=Decimal)),
      per_file(lambda p: tomli.loads(texts[p], parse_float=Decimal)), per_file(load),
      per_file(lambda p: check_file(p, Style(json_prefix=None, terminal=None))),
      per_file(lambda p: check_file(p, Style(json_prefix="  ", terminal=None))))
"""

PEAK_RSS = r"""
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

PRICE = re.compile(r"^price = (\d+\.\d+)$", re.MULTILINE)


def generate(folder: Path, count: int) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    paths = []
    for index in range(count):
        factor = 1 + (index % 101 - 50) / 1000

        def moved(match: re.Match[str], factor: float = factor) -> str:
            price = float(match.group(1))
            return match.group(0) if price == 1.0 else f"price = {price * factor:.2f}"

        path = folder / f"household-{index:05d}.toml"
        path.write_text(PRICE.sub(moved, text), encoding="utf-8")
        paths.append(path)
    return paths


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (of the command and every process it waited for)."""
    cpu = children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: some class out of band, as in the sample
        raise SystemExit(f"{command[:4]}... exited {done.returncode}")
    return elapsed, children_cpu() - cpu


def peak_rss_mib(files: list[str]) -> float:
    command = [sys.executable, "-c", PEAK_RSS, *REBAL, "check", "--json", *files]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024  # ru_maxrss is in KiB on Linux


def interpreter() -> str:
    """The interpreter measured, and how its core is linked: a Python whose executable
    loads libpython as a shared library (pyenv's `--enable-shared`) runs pure-Python
    code markedly slower than a distribution's or python.org's build, whose executable
    holds the interpreter itself (1.2-1.4x for this batch, measured side by side in 2026-12)."""
    version = sys.version.split()[0]
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return f"{sys.executable} (Python {version})"
    linked = "libpython as a shared library" if "libpython" in maps else "libpython built in"
    return f"{sys.executable} (Python {version}, {linked})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    with tempfile.TemporaryDirectory(prefix="rebal-batch-") as tmp:
        files = [str(p) for p in generate(Path(tmp), args.files)]
        commands = {
            "parse floor (load only, 1 process)": [sys.executable, "-c", FLOOR, *files],
            "rebal check (text to a pipe)": [*REBAL, "check", *files],
            "rebal check --json": [*REBAL, "check", "--json", *files],
            START_UP: [*REBAL, "check", files[0]],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                elapsed, cpu_time = timed(command)
                times[name].append(elapsed)
                cpus[name].append(cpu_time)
        cpu = subprocess.run(
            [sys.executable, "-c", CPU_PER_FILE, *files[:500]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        rss_all = peak_rss_mib(files)
        rss_tenth = peak_rss_mib(files[: max(1, len(files) // 10)])

    floor = statistics.median(times["parse floor (load only, 1 process)"])
    start_up = statistics.median(times.pop(START_UP))
    start_up_cpu = statistics.median(cpus.pop(START_UP))
    print(f"{args.files} files, {args.rounds} rounds (median wall time), {cores} usable cores")
    print(f"interpreter: {interpreter()}")
    print(f"{'':38} {'seconds':>8} {'files/s':>8} {'vs floor':>9} {'CPU/file':>9}")
    for name, measured in times.items():
        seconds = statistics.median(measured)
        per_file = statistics.median(cpus[name]) / args.files * 1000
        print(
            f"{name:38} {seconds:8.2f} {args.files / seconds:8.0f} {seconds / floor:8.2f}x "
            f"{per_file:6.2f} ms"
        )
    print(f"start-up (rebal check of one file): {start_up:.2f} s wall, {start_up_cpu:.2f} s CPU")
    text_rate = args.files / statistics.median(times["rebal check (text to a pipe)"])
    verdict = "met" if text_rate >= TARGET_FILES_PER_SECOND else "NOT met"
    print(f"text mode {text_rate:.0f} files/s: target >= {TARGET_FILES_PER_SECOND} {verdict}")
    # The pool's own pace, without the one-time start-up a longer batch shares out.
    text_after_start = statistics.median(times["rebal check (text to a pipe)"]) - start_up
    if text_after_start > 0:  # a batch of a few files is all start-up
        print(
            f"text mode once started: {args.files / text_after_start:.0f} files/s "
            f"(the batch's wall time less the start-up's)"
        )
    tomllib_ms, toml_ms, load_ms, text_ms, json_ms = (float(value) for value in cpu)
    projected = start_up_cpu + args.files * text_ms / 1000 / (cores or 1)
    print(
        f"CPU per file, one process: tomllib alone {tomllib_ms:.2f} ms, tomli alone "
        f"{toml_ms:.2f} ms, load {load_ms:.2f} ms "
        f"({load_ms / toml_ms:.2f}x tomli), text {text_ms:.2f} ms ({text_ms / load_ms:.2f}x "
        f"load), json {json_ms:.2f} ms ({json_ms / load_ms:.2f}x load); on {cores} free cores "
        f"{args.files} files of text would take {start_up_cpu:.2f} s to start + "
        f"{projected - start_up_cpu:.2f} s: {args.files / projected:.0f} files/s"
    )
    print(
        f"peak RSS of --json: {rss_all:.0f} MiB at {args.files} files, "
        f"{rss_tenth:.0f} MiB at {max(1, args.files // 10)} files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
