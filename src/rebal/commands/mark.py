"""`rebal mark FILE N STATUS`: set one saved trade's status (planned, placed or done).

N counts the trades of `[plan]` from 1, as `rebal check` lists them. Only
that trade's `status` line changes; the write is atomic and keeps a .bak.
Exit 0 when written, 2 on a bad file, N or STATUS, or a refused save.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rebal.cli import EXIT_INVALID, EXIT_OK
from rebal.commands.check import load_or_explain
from rebal.commands.saving import write_or_explain
from rebal.model.portfolio import TradeStatus
from rebal.present.review_text import trade_marked_text
from rebal.present.terminal import say

STATUSES: tuple[TradeStatus, ...] = ("planned", "placed", "done")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="portfolio TOML file")
    parser.add_argument(
        "number", metavar="N", help="the trade's number, as listed by `rebal check FILE`"
    )
    parser.add_argument("status", metavar="STATUS", help="planned, placed or done")


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    typed: str = args.status.strip().casefold()
    matches = [s for s in STATUSES if s == typed]
    if not matches:
        say(
            f"{path}: {args.status!r} is not a trade status; use planned, placed or done",
            file=sys.stderr,
        )
        return EXIT_INVALID
    status = matches[0]
    loaded = load_or_explain(path)
    if loaded is None:
        return EXIT_INVALID
    saved = loaded.portfolio.plan
    if saved is None:
        say(
            f"{path}: the file has no saved [plan]; save one with `rebal plan --save`",
            file=sys.stderr,
        )
        return EXIT_INVALID
    count = len(saved.trades)
    try:
        number = int(args.number)
    except ValueError:
        number = 0
    if not 1 <= number <= count:
        where = f"1 to {count}" if count else "none: the saved plan has no trades"
        say(
            f"{path}: {args.number!r} is not a trade number of the saved plan ({where}); "
            "`rebal check FILE` lists them",
            file=sys.stderr,
        )
        return EXIT_INVALID
    from rebal.store.save import mark_trades

    trade = saved.trades[number - 1]
    if write_or_explain("mark", path, lambda: mark_trades(loaded, {number - 1: status})) is None:
        return EXIT_INVALID
    marked = trade_marked_text(
        number, trade.action, trade.shares, trade.ticker, trade.account, trade.status, status
    )
    say(f"{path}: {marked}", file=sys.stderr)
    return EXIT_OK
