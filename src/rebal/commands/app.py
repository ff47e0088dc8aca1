"""`rebal FILE [--theme NAME]`: open the guided review in the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rebal.files import regular_file_problem
from rebal.present.terminal import say

EXIT_INVALID = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", type=Path, help="the portfolio TOML file to review")
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="colour theme: dark (default), light or high-contrast (see themes/)",
    )


def run(args: argparse.Namespace) -> int:
    from rebal.themes import DEFAULT_THEME, theme_names

    if args.file is None:
        say("usage: rebal FILE [--theme NAME]   (or rebal --help)", file=sys.stderr)
        say(
            "rebal: give the portfolio file to open, e.g. rebal sample_portfolios/household.toml",
            file=sys.stderr,
        )
        return EXIT_INVALID
    problem = regular_file_problem(args.file)
    if problem is not None:
        # Nothing to show or to fix in the app: say so before the screen is taken over.
        what = "is a folder, not a portfolio file" if args.file.is_dir() else problem
        say(f"rebal: {args.file}: {what}", file=sys.stderr)
        return EXIT_INVALID
    names = theme_names()
    theme = args.theme or DEFAULT_THEME
    if args.theme is not None and args.theme not in names:
        say(
            f"rebal: unknown theme {args.theme!r}; valid names: {', '.join(names)}",
            file=sys.stderr,
        )
        return EXIT_INVALID
    # Textual is imported only now, so `rebal check` and friends never pay for it.
    from rebal.tui.app import RebalApp

    RebalApp(args.file, theme=theme).run()
    return 0
