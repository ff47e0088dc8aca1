"""`rebal init --from FILE... [OUTPUT]`: start a portfolio file from broker exports.

OUTPUT defaults to portfolio.toml and is never overwritten. Because `--from`
takes several files, a last `--from` argument ending in `.toml` is taken as
OUTPUT (a broker export is never a .toml file); `-o OUTPUT` says it outright.
Exit 0 when the file was written, 2 otherwise (nothing written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from rebal.cli import EXIT_INVALID, EXIT_OK
from rebal.files import regular_file_problem
from rebal.importers import FORMATS
from rebal.present.figures import plural
from rebal.present.terminal import say

DEFAULT_OUTPUT = Path("portfolio.toml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="sources",
        nargs="+",
        type=Path,
        required=True,
        metavar="FILE",
        help="broker exports (CSV, OFX or QFX) to build the file from",
    )
    parser.add_argument(
        "output",
        nargs="?",
        type=Path,
        metavar="OUTPUT",
        help=f"new file (default {DEFAULT_OUTPUT})",
    )
    parser.add_argument(
        "-o",
        "--output",
        dest="output_option",
        type=Path,
        metavar="OUTPUT",
        help="the new file, said outright (same as OUTPUT)",
    )
    parser.add_argument("--name", help='the household\'s name (default "My household")')
    parser.add_argument(
        "--format",
        metavar="FORMAT",
        help=f"read every FILE as this format instead of detecting it ({'|'.join(FORMATS)})",
    )


def split_output(sources: list[Path], output: Path | None) -> tuple[list[Path], Path]:
    if output is None and len(sources) > 1 and sources[-1].suffix.lower() == ".toml":
        return sources[:-1], sources[-1]
    return sources, output or DEFAULT_OUTPUT


def run(args: argparse.Namespace) -> int:
    from rebal.commands.import_ import read_exports
    from rebal.store.atomic import SaveRefused
    from rebal.store.new_file import InitRefused, write_new_portfolio

    sources, output = split_output(list(args.sources), args.output_option or args.output)
    if os.path.lexists(output):  # a dangling symlink would be written through
        # Importing into it is the way on only for a portfolio file that can be read.
        unreadable = regular_file_problem(output)
        say(
            f"{output}: already exists; rebal init never overwrites a file "
            + (
                f"(choose another name, or use `rebal import ... --into {output}`)"
                if unreadable is None
                else f"({unreadable}; choose another name)"
            ),
            file=sys.stderr,
        )
        return EXIT_INVALID
    if not output.parent.is_dir():
        say(
            f"{output}: error: the folder {str(output.parent)!r} does not exist; create it "
            "first or choose another place",
            file=sys.stderr,
        )
        return EXIT_INVALID
    today = dt.date.today()
    results = read_exports(sources, args.format, today)
    if results is None:
        say(f"{output}: nothing was written", file=sys.stderr)
        return EXIT_INVALID
    try:
        loaded = write_new_portfolio(results, output, today, args.name)
    except InitRefused as error:
        for problem in error.problems:
            say(problem, file=sys.stderr)
        say(f"{output}: nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except SaveRefused as error:
        say(error, file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        say(
            f"{output}: error: cannot write it: {error.strerror or error}; nothing was written",
            file=sys.stderr,
        )
        return EXIT_INVALID
    accounts = len(loaded.portfolio.accounts)
    securities = len(loaded.portfolio.securities)
    say(
        f"{output}: written with {plural(accounts, 'account')} and "
        f"{plural(securities, 'security', 'securities')}. "
        "Next: give each security a class and replace the placeholder [targets] "
        f"(see the comments at the top), then run `rebal check {output}`."
    )
    return EXIT_OK
