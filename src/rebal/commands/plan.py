"""`rebal plan FILE`: the trades that bring the household back to target, account by account.

Exit 0 when a plan was computed (even one that cannot reach the target: its
residual drift is reported), 2 on invalid input, an impossible request or a
refused save. Problems go to stderr and name the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from rebal.cli import EXIT_INVALID, EXIT_OK, ArgumentParser
from rebal.commands.check import load_or_explain, print_blocks
from rebal.commands.output import plan_json
from rebal.commands.saving import write_or_explain
from rebal.core.planner.types import Plan, PlanError, PlanOptions
from rebal.core.report import build_report
from rebal.core.rules import trade_date_problem
from rebal.model import Portfolio
from rebal.model.constants import LARGEST_NUMBER
from rebal.present import figures
from rebal.present.plan_text import csv_written_text, plan_blocks, saved_text
from rebal.present.terminal import safe, say
from rebal.store.atomic import SaveRefused, backup_shown
from rebal.store.load import Loaded

# An amount of money as people type it: 5000, -2500, 5,000.00, $5000, -$2,500.50.
# Commas must group thousands properly, and cents have at most two digits.
_AMOUNT = re.compile(
    r"^(?P<sign>[+-]?)\$?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d{1,2}))?$"
)


class InputError(ValueError):
    """A command-line value rebal cannot use; the message says what to type instead."""


# A negative amount of money, with or without an account ("-2500@IRA",
# "-$2,500.50"): argparse would read it as an unknown option, so the parser is
# told to take it as a value (withdrawals typed naturally). No option looks
# like a number, so nothing is shadowed.
NEGATIVE_AMOUNT = re.compile(r"^-\$?\d[\d,]*(?:\.\d*)?(?:@.*)?$")


def accept_negative_amounts(parser: ArgumentParser) -> None:
    """Let `parser` take "-2500@IRA" as a value (see NEGATIVE_AMOUNT)."""
    parser.accept_dash_values(NEGATIVE_AMOUNT)


def add_arguments(parser: ArgumentParser) -> None:
    accept_negative_amounts(parser)
    parser.add_argument("file", type=Path, metavar="FILE", help="portfolio TOML file")
    parser.add_argument(
        "--mode",
        choices=("full", "band-edge", "cash-flow"),
        default="full",
        help="full: back to target (default); band-edge: only out-of-band classes, to the "
        "nearest band edge; cash-flow: invest new money (or raise a withdrawal) without "
        "selling (or buying)",
    )
    parser.add_argument(
        "--new-money",
        action="append",
        default=[],
        metavar="AMOUNT[@ACCOUNT]",
        help="money added to (negative: withdrawn from) an account, e.g. 5000@'Roth IRA' or "
        "-2,500.00@Brokerage; the account may be left out when the file has only one; repeat "
        "for several accounts",
    )
    parser.add_argument(
        "--whole-shares", action="store_true", help="trade whole shares only; report leftover cash"
    )
    parser.add_argument(
        "--min-trade",
        default="0",
        metavar="AMOUNT",
        help="report trades smaller than this as skipped instead of trading them",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ACCOUNT",
        help="trade in this account only (repeat for several); the others keep what they "
        "hold, and the drift is still measured across the whole household",
    )
    parser.add_argument(
        "--avoid-selling",
        action="append",
        default=[],
        metavar="ACCOUNT",
        help="sell in this account only when nothing else works, whatever the file says "
        "(repeatable)",
    )
    parser.add_argument(
        "--allow-selling",
        action="append",
        default=[],
        metavar="ACCOUNT",
        help="sell in this account freely, even if the file says it avoids selling "
        "(repeatable)",
    )
    parser.add_argument(
        "--details",
        "--verbose",
        action="store_true",
        help="also show how the plan was computed (the method line)",
    )
    add_tax_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the plan as one JSON object")
    parser.add_argument(
        "--csv",
        metavar="OUT",
        help="also write the trades and skipped lines as CSV to OUT (replaced if it exists), "
        "the same CSV as the app's export; - writes it to stdout instead of the tables",
    )
    parser.add_argument(
        "--save",
        action="store_true",
        help="write the plan and today's snapshot into FILE (comments kept, a .bak made)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="with --save: replace a saved plan even though it has placed trades, or some "
        "done and others not (their status would be lost)",
    )


def add_tax_arguments(parser: argparse.ArgumentParser) -> None:
    """The tax options (docs/planner.md, "Tax"); they change nothing for files without tax keys."""
    parser.add_argument(
        "--no-wash-sales",
        action="store_true",
        help="re-plan without the possible wash sales: buy another fund of the class where one "
        "may be bought, else skip the loss sale (the drift it leaves is reported)",
    )
    parser.add_argument(
        "--harvest",
        action="store_true",
        help="add the suggested tax-loss harvesting swaps to the plan",
    )
    parser.add_argument(
        "--trade-date",
        metavar="YYYY-MM-DD",
        help="the day you will trade, for holding periods and wash sales (default: the prices' "
        "as_of date)",
    )


def parse_trade_date(text: str | None, as_of: dt.date) -> dt.date | None:
    if text is None:
        return None
    try:
        date = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"--trade-date {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20"
        ) from None
    problem = trade_date_problem(date, as_of)
    if problem is not None:
        raise InputError(f"--trade-date: {problem}")
    return date


def parse_amount(text: str) -> Decimal:
    """Money typed by a person: '5000', '-2500', '5,000.00' or '$5000'."""
    match = _AMOUNT.match(text.strip())
    if match is None:
        raise InputError(
            f"{text!r} is not an amount of money; write it like 5000, -2500, 5,000.00 or $5000"
        )
    whole = match.group("whole").replace(",", "")
    fraction = match.group("fraction") or "0"
    amount = Decimal(f"{match.group('sign')}{whole}.{fraction}")
    typed = text.strip()
    shown = typed if len(typed) <= 40 else f"{typed[:20]}... ({len(typed)} characters)"
    _within_limit(repr(shown), amount)
    return amount


def _within_limit(what: str, amount: Decimal) -> None:
    """The file refuses figures past LARGEST_NUMBER; so does the command line, before any math."""
    if abs(amount) > LARGEST_NUMBER:
        raise InputError(
            f"{what} is larger than rebal accepts ({figures.amount(LARGEST_NUMBER)}); "
            "check the amount for a typo"
        )


def parse_new_money(specs: Sequence[str], portfolio: Portfolio) -> dict[str, Decimal]:
    """`--new-money` values -> signed amount per account name (repeats add up)."""
    names = [account.name for account in portfolio.accounts]
    result: dict[str, Decimal] = {}
    for spec in specs:
        amount_text, at, account_text = spec.partition("@")
        amount = parse_amount(amount_text)
        if at:
            account = match_account(account_text.strip(), names, f"--new-money {spec!r}")
        elif len(names) == 1:
            account = names[0]
        else:
            raise InputError(
                f"--new-money {spec!r}: say which account, as AMOUNT@ACCOUNT; the accounts are "
                + ", ".join(repr(n) for n in names)
            )
        result[account] = result.get(account, Decimal(0)) + amount
        _within_limit(f"--new-money: the total for {account!r}", result[account])
    return result


def match_account(text: str, names: Sequence[str], flag: str) -> str:
    """The account `text` names: exactly, else ignoring case; otherwise "did you mean"."""
    if not text:
        raise InputError(
            f"{flag}: write the account's name after '@'; the accounts are "
            + ", ".join(repr(n) for n in names)
        )
    if text in names:
        return text
    folded = [n for n in names if n.casefold() == text.casefold()]
    if len(folded) == 1:
        return folded[0]
    close = difflib.get_close_matches(text, names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise InputError(
        f"{flag}: there is no account {text!r}{hint}; the accounts are "
        + ", ".join(repr(n) for n in names)
    )


def parse_accounts(flag: str, values: Sequence[str], portfolio: Portfolio) -> list[str]:
    """The accounts a repeatable account flag names, each matched like --new-money's."""
    names = [account.name for account in portfolio.accounts]
    return list(dict.fromkeys(match_account(v.strip(), names, f"{flag} {v!r}") for v in values))


def parse_selling(
    avoid: Sequence[str], allow: Sequence[str], portfolio: Portfolio
) -> dict[str, bool]:
    """--avoid-selling / --allow-selling -> the per-account override the app's checkboxes give."""
    overrides = {name: True for name in parse_accounts("--avoid-selling", avoid, portfolio)}
    for name in parse_accounts("--allow-selling", allow, portfolio):
        if name in overrides:
            raise InputError(
                f"{name!r} is given both --avoid-selling and --allow-selling: choose one"
            )
        overrides[name] = False
    return overrides


def build_options(args: argparse.Namespace, portfolio: Portfolio) -> PlanOptions:
    min_trade = parse_amount(args.min_trade)
    if min_trade < 0:
        raise InputError(f"--min-trade {args.min_trade!r}: the minimum trade cannot be negative")
    only = parse_accounts("--only", args.only, portfolio)
    return PlanOptions(
        mode=args.mode,
        new_money=parse_new_money(args.new_money, portfolio),
        whole_shares=args.whole_shares,
        min_trade=min_trade,
        avoid_selling=parse_selling(args.avoid_selling, args.allow_selling, portfolio),
        only=frozenset(only) if only else None,
        trade_date=parse_trade_date(args.trade_date, portfolio.portfolio.as_of),
        avoid_wash_sales=args.no_wash_sales,
        harvest=args.harvest,
    )


def _replacement_refusal(portfolio: Portfolio, plan: Plan) -> str | None:
    """Why saving `plan` over the file's saved plan needs --replace, or None."""
    from rebal.core.plan_record import replacement, trade_key

    keys = [trade_key(t.account, t.ticker, t.action, t.shares, t.amount) for t in plan.trades]
    lost = replacement(portfolio.plan, keys)
    if not lost.needs_consent:
        return None
    return (
        f"nothing was saved: {lost.explain()}. Their status would be lost. Mark them with "
        "`rebal mark`, or save with --replace to replace the plan anyway"
    )


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    if args.csv == "-" and args.json:
        say("rebal plan: --csv - and --json both write to stdout; choose one", file=sys.stderr)
        return EXIT_INVALID
    loaded = load_or_explain(path)
    if loaded is None:
        return EXIT_INVALID
    portfolio = loaded.portfolio
    try:
        options = build_options(args, portfolio)
    except InputError as error:
        say(f"{path}: {error}", file=sys.stderr)
        return EXIT_INVALID

    # Imported here, not at module level, so that `rebal check` (which shares
    # this package) never pays for the planner; its solvers load lazily in turn.
    from rebal.core.planner import plan as make_plan

    try:
        plan = make_plan(portfolio, options)
    except PlanError as error:
        say(f"{path}: cannot plan: {error}", file=sys.stderr)
        return EXIT_INVALID

    if args.save and not args.replace:
        refusal = _replacement_refusal(portfolio, plan)
        if refusal:
            say(f"{path}: {refusal}", file=sys.stderr)
            return EXIT_INVALID

    report = build_report(portfolio)
    as_of = portfolio.portfolio.as_of
    if args.json:
        print(json.dumps(plan_json(report, plan, as_of=as_of, file=path), indent=2))
    elif args.csv != "-":
        print_blocks(plan_blocks(report, plan, as_of=as_of, file=path, details=args.details))

    if args.save:
        from rebal.store.save import save_review

        created = dt.datetime.now().replace(microsecond=0)
        current: Loaded = loaded  # narrowed here; a lambda would see Loaded | None
        saved = write_or_explain(
            "plan", path, lambda: save_review(current, plan=plan, created=created)
        )
        if saved is None:
            return EXIT_INVALID
        say(f"{path}: {saved_text(plan, report.total, backup_shown(saved.path))}", file=sys.stderr)
        loaded = saved  # the statuses in the CSV are those now in the file
    if args.csv is not None:
        return write_csv(args.csv, plan, loaded)
    return EXIT_OK


def write_csv(destination: str, plan: Plan, loaded: Loaded) -> int:
    """`--csv OUT`: each trade with its status in the file's saved plan, then the skipped lines."""
    from rebal.present.csv import plan_csv

    text = plan_csv(plan, loaded.portfolio.plan)
    if destination == "-":
        # Data for a program, except when a person reads it on a terminal.
        sys.stdout.write(safe(text.replace("\r\n", "\n")) if sys.stdout.isatty() else text)
        return EXIT_OK
    from rebal.store.export_file import write_export

    try:
        write_export(Path(destination), text, protected=loaded.path)
    except SaveRefused as error:
        say(f"rebal plan: {error}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        say(f"{destination}: cannot write it: {error.strerror or error}; nothing was written",
            file=sys.stderr)
        return EXIT_INVALID
    say(f"{destination}: {csv_written_text(plan)}", file=sys.stderr)
    return EXIT_OK
