"""`rebal flow FILE AMOUNT@ACCOUNT [--date D] [--note TEXT]`: record a contribution or withdrawal.

The flow goes into the file's pending `[[flows]]` (money moved since the
latest `[[history]]` snapshot); the next saved review moves it into its new
snapshot. `rebal check` then shows the return since the last review
money-weighted (Modified Dietz) instead of counting the money as gain.
Exit 0 when written, 2 on a bad file, amount, account or date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
from decimal import Decimal
from pathlib import Path

from rebal.cli import EXIT_INVALID, EXIT_OK, ArgumentParser
from rebal.commands.check import load_or_explain
from rebal.commands.plan import InputError, accept_negative_amounts, parse_amount
from rebal.commands.saving import write_or_explain
from rebal.core.rules import control_character
from rebal.model import Flow, Portfolio
from rebal.present.review_text import flow_recorded_text
from rebal.present.terminal import say


def add_arguments(parser: ArgumentParser) -> None:
    accept_negative_amounts(parser)
    parser.add_argument("file", type=Path, metavar="FILE", help="portfolio TOML file")
    parser.add_argument(
        "flow",
        metavar="AMOUNT@ACCOUNT",
        help="money added (negative: withdrawn), e.g. 20000@'Jordan 401(k)' or -2,500@Brokerage; "
        "the account may be left out when the file has only one",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the day the money moved (default: today)"
    )
    parser.add_argument("--note", default="", help="a note kept with the flow")


def parse_flow(spec: str, portfolio: Portfolio) -> tuple[str, Decimal]:
    """AMOUNT@ACCOUNT -> (account name, amount); InputError says what to type instead."""
    amount_text, at, account_text = spec.partition("@")
    amount = parse_amount(amount_text)
    if not amount:
        raise InputError(f"{spec!r}: a flow of zero changes nothing; give the amount moved")
    names = [account.name for account in portfolio.accounts]
    account = account_text.strip()
    if not at and len(names) == 1:
        return names[0], amount
    if account in names:
        return account, amount
    folded = [n for n in names if n.casefold() == account.casefold()]
    if len(folded) == 1:
        return folded[0], amount
    close = difflib.get_close_matches(account, names, n=1) if account else []
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    what = (
        f"there is no account {account!r}{hint}" if at else "say which account, as AMOUNT@ACCOUNT"
    )
    raise InputError(f"{spec!r}: {what}; the accounts are " + ", ".join(repr(n) for n in names))


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    loaded = load_or_explain(path)
    if loaded is None:
        return EXIT_INVALID
    try:
        account, amount = parse_flow(args.flow, loaded.portfolio)
        today = dt.date.today()
        date = today if args.date is None else _parse_date(args.date)
        if date > today:
            raise InputError(
                f"--date {date.isoformat()} is after today ({today.isoformat()}): a flow "
                "records money that has already moved; give the day it moved"
            )
        bad = control_character(args.note)
        if bad is not None:
            raise InputError(
                f"--note holds the control character U+{ord(bad):04X}, which a terminal "
                "would act on instead of showing; write the note without it"
            )
    except InputError as error:
        say(f"{path}: {error}", file=sys.stderr)
        return EXIT_INVALID
    flow = Flow.model_validate(
        {"date": date, "account": account, "amount": amount, "note": args.note}
    )
    from rebal.store.save import add_flow

    if write_or_explain("flow", path, lambda: add_flow(loaded, flow)) is None:
        return EXIT_INVALID
    say(f"{path}: {flow_recorded_text(flow.amount, account, date)}", file=sys.stderr)
    return EXIT_OK


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"--date {text!r}: write the date as YYYY-MM-DD, e.g. 2026-03-15"
        ) from None
