"""`rebal import FILE... --into PORTFOLIO`: update holdings, cash and prices from broker exports.

Exit 0 when the import was applied (or, with --dry-run, could be) or had
nothing to do (every account skipped, or the file already up to date: then
nothing is written), 2 when
anything is wrong: an unreadable or partly unparseable export, an account
that cannot be matched in a script, a portfolio file that does not load or
changed meanwhile. Nothing is written in any of those cases. The change is
printed to stdout; problems and warnings go to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rebal.cli import EXIT_INVALID, EXIT_OK
from rebal.importers import (
    FORMATS,
    BrokerAccount,
    ExportGivenTwice,
    ImportResult,
    read_each_export,
)
from rebal.present.terminal import say
from rebal.problems import PortfolioError, Problem
from rebal.store.atomic import backup_shown
from rebal.store.load import Loaded, load


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="broker export (CSV, OFX or QFX)"
    )
    parser.add_argument(
        "--into", required=True, type=Path, metavar="PORTFOLIO", help="the portfolio TOML file"
    )
    parser.add_argument(
        "--account",
        action="append",
        default=[],
        metavar='"NAME"=BROKER-ID',
        help="import broker account BROKER-ID into the account called NAME (repeatable)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="BROKER-ID",
        help="leave this broker account out of the import (repeatable)",
    )
    parser.add_argument(
        "--format",
        metavar="FORMAT",
        help=f"read every FILE as this format instead of detecting it ({'|'.join(FORMATS)})",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the changes and write nothing"
    )


def read_exports(
    paths: Sequence[Path], format_name: str | None, today: dt.date | None = None
) -> list[ImportResult] | None:
    """Read every export; print all problems of all files and return None if any failed.

    `today` (default: the computer's date) is the latest date an export may have.
    """
    results: list[ImportResult] = []
    failed = False
    for path, outcome in read_each_export(paths, format_name, today):
        if isinstance(outcome, ImportResult):
            results.append(outcome)
            continue
        failed = True
        _print_problems(outcome.problems)
        if not isinstance(outcome, ExportGivenTwice):  # its first naming was read whole
            say(f"{path}: not imported (a partly read file is never applied)", file=sys.stderr)
    return None if failed else results


def load_portfolio(path: Path, exports: Sequence[Path] = ()) -> Loaded | None:
    if not os.path.lexists(path) and exports:
        # The likely slip: importing before any portfolio file exists (a broken
        # link is there: the loader says what it is, as init would refuse it).
        listed = " ".join(_shell_word(str(p)) for p in exports)
        say(
            f"{path}: error: there is no such portfolio file (to start one from these "
            f"exports: rebal init --from {listed} {_shell_word(str(path))})",
            file=sys.stderr,
        )
        return None
    try:
        return load(path)
    except PortfolioError as error:
        for problem in error.problems:
            say(problem, file=sys.stderr)
        say(f"{path}: fix these problems first; nothing was written", file=sys.stderr)
        return None


def _shell_word(text: str) -> str:
    """`text` as it can be pasted into a shell."""
    import shlex

    return shlex.quote(text)


def ask_on_terminal(broker: BrokerAccount, file: Path, candidates: Sequence[str]) -> str | None:
    """Ask which account a broker account is; None (refuse) on `q` or end of input."""
    from rebal.store.apply_import import SKIP

    say(f"\nWhich account is {broker.display} from {file.name}?", file=sys.stderr)
    for number, name in enumerate(candidates, 1):
        say(f"  {number}) {name}", file=sys.stderr)
    say("  s) skip it this time", file=sys.stderr)
    say("  q) stop (nothing is written)", file=sys.stderr)
    while True:
        say("choice: ", end="", file=sys.stderr, flush=True)
        try:
            answer = input().strip().lower()
        except EOFError:
            return None
        if answer == "q":
            return None
        if answer == "s":
            return SKIP
        if answer.isdigit() and 1 <= int(answer) <= len(candidates):
            return candidates[int(answer) - 1]
        say(f"  type a number from 1 to {len(candidates)}, s or q", file=sys.stderr)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        say(problem, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from rebal.store.apply_import import (
        NOTHING_IMPORTED,
        ImportRefused,
        SaveRefused,
        apply_import,
        describe,
        match_accounts,
        parse_account_mappings,
        prepare_import,
    )

    try:
        mapping = parse_account_mappings(args.account)
    except ValueError as error:
        say(f"rebal import: {error}", file=sys.stderr)
        return EXIT_INVALID
    loaded = load_portfolio(args.into, args.files)
    if loaded is None:
        return EXIT_INVALID
    results = read_exports(args.files, args.format)
    if results is None:
        say(f"{args.into}: nothing was written", file=sys.stderr)
        return EXIT_INVALID
    choose = ask_on_terminal if sys.stdin.isatty() else None
    try:
        matches = match_accounts(loaded, results, mapping, args.skip, choose)
        plan = prepare_import(loaded, results, matches)
    except ImportRefused as error:
        _print_problems(error.problems)
        say(f"{args.into}: nothing was written", file=sys.stderr)
        return EXIT_INVALID
    for line in describe(plan):
        say(line)
    if plan.imports_nothing:
        say(f"{args.into}: {NOTHING_IMPORTED}", file=sys.stderr)
        return EXIT_OK
    if args.dry_run:
        say(f"{args.into}: dry run, nothing was written", file=sys.stderr)
        return EXIT_OK
    if not plan.changes_anything:
        say(f"{args.into}: already up to date, nothing was written", file=sys.stderr)
        return EXIT_OK
    try:
        apply_import(plan)
    except SaveRefused as error:
        say(error, file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        # The write is atomic: a failure leaves the old file exactly as it was.
        say(
            f"{args.into}: error: cannot write it: {error.strerror or error}; "
            "the file is unchanged",
            file=sys.stderr,
        )
        return EXIT_INVALID
    say(
        f"{args.into}: updated (the previous version is in {backup_shown(args.into)}); "
        f"run `rebal check {args.into}`",
        file=sys.stderr,
    )
    return EXIT_OK
