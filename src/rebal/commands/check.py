"""`rebal check FILE...`: the class table with bands, accounts and return, per file.

Exit 0 when every class of every file is in band, 1 when any class is out,
2 when a file cannot be used (its problems go to stderr as FILE:LINE:COL: ...).
Every file is checked even after a bad one; the worst exit code wins.

Each file's output is written as soon as it and the files before it are done
(a JSON list as `[`, the objects, `]`), so memory does not grow with the number
of files; many files are checked by a pool of processes, one per usable core.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rebal.cli import EXIT_INVALID, EXIT_OK, EXIT_OUT_OF_BAND
from rebal.commands.output import (
    holdings_tax_json,
    invalid_file_json,
    problems_json,
    report_json,
)
from rebal.commands.plain_text import plain_text
from rebal.commands.review_output import period_json, plan_json
from rebal.core.report import Report, build_report
from rebal.present.blocks import BLANK, Block
from rebal.present.figures import plural
from rebal.present.report_text import report_blocks
from rebal.present.review_text import returns_blocks, saved_plan_block
from rebal.present.tax import holdings_tax_blocks
from rebal.present.terminal import say
from rebal.problems import PortfolioError, Problem
from rebal.store.load import Loaded, load

if TYPE_CHECKING:
    from concurrent.futures import Future

    from rich.console import Console

# Below this many files one process is quicker: starting the workers and sending
# them the files costs more than the second core saves.
PARALLEL_FROM = 200
# Files per task sent to a worker: large enough that sending costs little, small
# enough that the first results are written early and the memory held stays small.
CHUNK_FILES = 32


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="portfolio TOML file")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per file (a list when several files are given)",
    )


def stdout_console() -> Console:
    """stdout as rich sees it (a terminal, with its width and colours, or not): a console
    that never reads user text as markup and never colours numbers by guess. Only a
    terminal is printed to through it; a pipe or a file gets plain lines."""
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def stdout_is_plain() -> bool:
    """True when rich would not take stdout for a terminal, told without importing rich
    (a tenth of the start of `rebal check` to a pipe): stdout is no tty and no variable
    forces one. Otherwise rich decides (`stdout_console().is_terminal`): it may still
    say no (TTY_COMPATIBLE=0, FORCE_COLOR empty, Jupyter)."""
    if os.environ.get("TTY_COMPATIBLE") == "1" or "FORCE_COLOR" in os.environ:
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:  # a closed stream, as rich reads it
        return True


def stdout_terminal() -> Console | None:
    """The stdout console when it is a terminal; None for a pipe or a file."""
    if stdout_is_plain():
        return None
    console = stdout_console()
    return console if console.is_terminal else None


def print_blocks(blocks: Iterable[Block]) -> None:
    """Rich tables on a terminal; plain lines with computed widths to a pipe or a file,
    where rich's layout would cost more than the work (68% of `rebal plan` at 100,000
    positions) and there is no width to fit."""
    console = stdout_terminal()
    if console is None:
        sys.stdout.write(plain_text(blocks))
        return
    from rebal.commands.rich_text import renderables

    for part in renderables(blocks):
        console.print(part)


def load_or_explain(
    path: Path, found: list[Problem] | None = None, *, err: TextIO | None = None
) -> Loaded | None:
    """Load `path`, printing warnings (or every problem, returning None) to `err` (stderr).

    The problems printed are also appended to `found` when it is given.
    """
    stream = sys.stderr if err is None else err
    try:
        loaded = load(path)
    except PortfolioError as error:
        for problem in error.problems:
            say(problem, file=stream)
        errors = sum(1 for p in error.problems if p.severity == "error")
        say(f"{path}: {plural(errors, 'problem')}; nothing was done with this file", file=stream)
        if found is not None:
            found.extend(error.problems)
        return None
    for warning in loaded.warnings:
        say(warning, file=stream)
    if found is not None:
        found.extend(loaded.warnings)
    return loaded


@dataclass(frozen=True)
class Style:
    """How each file's output is written; plain data, so it crosses to worker processes.

    `json_prefix` is None for text output, else the indentation of each JSON line
    ("" for one file alone, two spaces for an object inside the list).
    `terminal` is the stdout console's colour system and width, when it is a
    terminal (rich tables); None means a pipe or a file (plain lines).
    """

    json_prefix: str | None
    terminal: tuple[str | None, int] | None


@dataclass(frozen=True)
class Checked:
    """One file's verdict and everything it prints, ready to write in input order."""

    code: int
    out: str
    err: str


def file_json(
    report: Report, loaded: Loaded, path: Path, problems: list[Problem]
) -> dict[str, Any]:
    data = report_json(report, as_of=loaded.portfolio.portfolio.as_of, file=path)
    data["money_weighted"] = period_json(report.money_weighted)
    data["last_period"] = period_json(report.last_period)
    data["plan"] = plan_json(report.plan_progress)
    data["valid"] = True
    data["problems"] = problems_json(problems)  # warnings only
    data.update(holdings_tax_json(loaded.portfolio))
    return data


def file_blocks(report: Report, loaded: Loaded, path: Path) -> list[Block]:
    """The text of `rebal check` for one file."""
    blocks = report_blocks(report, as_of=loaded.portfolio.portfolio.as_of, file=path)
    for part in returns_blocks(report.money_weighted, report.last_period):
        blocks += [BLANK, part]
    if report.plan_progress is not None:
        blocks += [BLANK, saved_plan_block(report.plan_progress)]
    blocks += holdings_tax_blocks(loaded.portfolio)
    return blocks


def render_text(blocks: list[Block], terminal: tuple[str | None, int] | None) -> str:
    if terminal is None:
        return plain_text(blocks)
    # Only for a terminal: a pipe's text never loads rich's console or tables.
    from rich.console import Console

    from rebal.commands.rich_text import renderables

    color_system, width = terminal
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=True,
        color_system=color_system,  # type: ignore[arg-type]  # the parent console's own value
        highlight=False,
        emoji=False,
    )
    for part in renderables(blocks):
        console.print(part)
    return buffer.getvalue()


def check_file(path: Path, style: Style) -> Checked:
    """Check one file; nothing is printed here, so this runs the same in any process."""
    err = io.StringIO()
    problems: list[Problem] = []
    loaded = load_or_explain(path, problems, err=err)
    data: dict[str, Any]
    if loaded is None:
        code = EXIT_INVALID
        if style.json_prefix is None:
            return Checked(code, "", err.getvalue())
        # Listed too, so a script sees every file it asked about.
        data = invalid_file_json(path, problems)
    else:
        report = build_report(loaded.portfolio)
        code = EXIT_OUT_OF_BAND if report.out_of_band else EXIT_OK
        if style.json_prefix is None:
            text = render_text(file_blocks(report, loaded, path), style.terminal)
            return Checked(code, text, err.getvalue())
        data = file_json(report, loaded, path, problems)
    lines = json.dumps(data, indent=2)
    if style.json_prefix:
        # json.dumps never puts a newline inside a string, so every newline starts a line.
        lines = style.json_prefix + lines.replace("\n", "\n" + style.json_prefix)
    return Checked(code, lines, err.getvalue())


def check_chunk(paths: list[Path], style: Style) -> list[Checked]:
    """The files' results, each run of files that print nothing to stderr as one: the
    chunk crosses back to the parent as a few strings, written in a few calls."""
    separator = "\n" if style.json_prefix is None else ",\n"  # as write_all puts them
    runs: list[tuple[int, list[str], str]] = []  # (worst code, outputs, stderr of the first)
    for path in paths:
        result = check_file(path, style)
        if result.err or not runs:
            runs.append((result.code, [], result.err))
        code, outs, err = runs[-1]
        if result.out:
            outs.append(result.out)
        runs[-1] = (max(code, result.code), outs, err)
    return [Checked(code, separator.join(outs), err) for code, outs, err in runs]


def checked_in_order(paths: Iterable[Path], style: Style, *, workers: int) -> Iterator[Checked]:
    """Each file's result in input order, as soon as it and all before it are ready.

    With `workers` > 1 the files are checked in chunks by that many processes; at
    most `2 * workers` chunks are in flight, so memory stays the same whatever the
    number of files (and `paths` is read only as fast as the output is written).
    """
    if workers <= 1:
        for path in paths:
            yield check_file(path, style)
        return
    # Imported only for a batch: checking one file (the usual case) never pays for it.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked workers start with every module this process has imported; started any
    # other way (spawn, or forkserver, Python 3.14's default on Linux), each would import
    # pydantic and the model again, a fifth of a second of CPU. fork is safe on Linux,
    # and the pool forks its workers before it starts a thread.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    chunks = batched(paths, CHUNK_FILES)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[list[Checked]]] = deque()
        for chunk in itertools.islice(chunks, 2 * workers):
            pending.append(pool.submit(check_chunk, chunk, style))
        while pending:
            done = pending.popleft().result()
            following = next(chunks, None)
            if following is not None:
                pending.append(pool.submit(check_chunk, following, style))
            yield from done


def batched(paths: Iterable[Path], size: int) -> Iterator[list[Path]]:
    iterator = iter(paths)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def worker_count(files: int) -> int:
    """Both cores (or all usable ones) for many files; one process below `PARALLEL_FROM`."""
    if files < PARALLEL_FROM:
        return 1
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return max(1, len(usable) if usable is not None else (os.cpu_count() or 1))


def write_all(
    results: Iterable[Checked], *, as_list: bool, json_mode: bool, out: TextIO, err: TextIO
) -> int:
    """Write each result as it comes, in order; return the worst exit code.

    A list of JSON objects is written as `[`, the objects separated by commas, `]`:
    the same text `json.dumps(objects, indent=2)` makes, without holding the objects.
    """
    worst = EXIT_OK
    written = 0
    if json_mode and as_list:
        out.write("[\n")
    for result in results:
        worst = max(worst, result.code)
        if result.err:
            out.flush()  # keep what a file prints to each stream in order on a shared terminal
            err.write(result.err)
            err.flush()
        if not result.out:
            continue
        if json_mode:
            out.write(f",\n{result.out}" if written else result.out)
        else:
            out.write(f"\n{result.out}" if written else result.out)
        written += 1
    if json_mode:
        out.write("\n]\n" if as_list else "\n")
    out.flush()
    return worst


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.files
    as_list = len(paths) > 1
    console = stdout_terminal()
    terminal = None if console is None else (console.color_system, console.width)
    style = Style(json_prefix=("  " if as_list else "") if args.json else None, terminal=terminal)
    results = checked_in_order(paths, style, workers=worker_count(len(paths)))
    return write_all(results, as_list=as_list, json_mode=args.json, out=sys.stdout, err=sys.stderr)
