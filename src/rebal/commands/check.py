"""`rebal check FILE...`: the class table with bands, accounts and return, per file.

Exit 0 when every class of every file is in band, 1 when any class is out,
2 when a file cannot be used (its problems go to stderr as FILE:LINE:COL: ...).
Every file is checked even after a bad one; the worst exit code wins.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from rebal.cli import EXIT_INVALID, EXIT_OK, EXIT_OUT_OF_BAND
from rebal.commands.output import (
    invalid_file_json,
    problems_json,
    report_json,
    report_renderables,
)
from rebal.commands.review_output import (
    period_json,
    plan_json,
    plan_renderable,
    returns_renderables,
)
from rebal.core.report import build_report
from rebal.present.terminal import say
from rebal.problems import PortfolioError, Problem
from rebal.store.load import Loaded, load

# Wide enough for the class table when output goes to a pipe or a file,
# where rich would otherwise assume 80 columns and wrap the rows.
PIPE_WIDTH = 120


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="portfolio TOML file")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per file (a list when several files are given)",
    )


def stdout_console() -> Console:
    """A console that never reads user text as markup and never colours numbers by guess."""
    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        console = Console(highlight=False, emoji=False, width=PIPE_WIDTH)
    return console


def load_or_explain(path: Path, found: list[Problem] | None = None) -> Loaded | None:
    """Load `path`, printing warnings (or every problem, returning None) to stderr.

    The problems printed are also appended to `found` when it is given.
    """
    try:
        loaded = load(path)
    except PortfolioError as error:
        for problem in error.problems:
            say(problem, file=sys.stderr)
        errors = sum(1 for p in error.problems if p.severity == "error")
        say(f"{path}: {errors} problem(s); nothing was done with this file", file=sys.stderr)
        if found is not None:
            found.extend(error.problems)
        return None
    for warning in loaded.warnings:
        say(warning, file=sys.stderr)
    if found is not None:
        found.extend(loaded.warnings)
    return loaded


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.files
    worst = EXIT_OK
    objects: list[dict[str, Any]] = []
    console = stdout_console()
    for index, path in enumerate(paths):
        problems: list[Problem] = []
        loaded = load_or_explain(path, problems)
        if loaded is None:
            worst = max(worst, EXIT_INVALID)
            if args.json:
                # Listed too, so a script sees every file it asked about.
                objects.append(invalid_file_json(path, problems))
            continue
        report = build_report(loaded.portfolio)
        as_of = loaded.portfolio.portfolio.as_of
        if report.out_of_band:
            worst = max(worst, EXIT_OUT_OF_BAND)
        if args.json:
            data = report_json(report, as_of=as_of, file=path)
            data["money_weighted"] = period_json(report.money_weighted)
            data["last_period"] = period_json(report.last_period)
            data["plan"] = plan_json(report.plan_progress)
            data["valid"] = True
            data["problems"] = problems_json(problems)  # warnings only
            objects.append(data)
            continue
        if index:
            console.print()
        for part in report_renderables(report, as_of=as_of, file=path):
            console.print(part)
        for part in returns_renderables(report.money_weighted, report.last_period):
            console.print()
            console.print(part)
        if report.plan_progress is not None:
            console.print()
            console.print(plan_renderable(report.plan_progress))
    if args.json:
        payload: Any = objects[0] if len(paths) == 1 else objects
        print(json.dumps(payload, indent=2))
    return worst
