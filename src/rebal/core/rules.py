"""The portfolio's rules that span tables, each written once.

Targets summing to 100, holdings and menus naming known securities, unique
account names and broker ids, no control characters in any text, and the
warnings about things that are allowed but probably not meant. Pure: each
rule returns findings at a key path of the file; the loader pins them to
lines, and the app's live checks (tui/session.py) call the same functions.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rebal.core.allocation import equity_classes
from rebal.core.numbers import HUNDRED
from rebal.core.tax.treatment import is_taxable, tax_treatment
from rebal.model import UNCLASSIFIED, Bands, Portfolio
from rebal.model.constants import SHARE_SUM_TOLERANCE
from rebal.problems import Severity

KeyPath = tuple[str | int, ...]
# Snapshots are written to the cent; a hand-written one may be off by rounding.
SNAPSHOT_SLACK = Decimal("0.05")


@dataclass(frozen=True)
class Finding:
    """One broken rule, at the key path of the file it is about."""

    where: KeyPath
    message: str
    hint: str = ""
    severity: Severity = "error"


@dataclass(frozen=True)
class TargetSum:
    """Do the targets add up to 100% (within SHARE_SUM_TOLERANCE)?"""

    total: Decimal

    @property
    def gap(self) -> Decimal:
        """Percentage points missing to 100 (negative when over)."""
        return HUNDRED - self.total

    @property
    def ok(self) -> bool:
        return abs(self.gap) <= SHARE_SUM_TOLERANCE


def target_sum(targets: Mapping[str, Decimal]) -> TargetSum:
    return TargetSum(sum(targets.values(), Decimal(0)))


@dataclass(frozen=True)
class AccountRefs:
    """One account as the reference rules see it (from the model or raw data)."""

    name: str | None
    holdings: Sequence[str] = ()
    menu: Sequence[str] = field(default_factory=tuple)


def reference_findings(
    targets: Mapping[str, Decimal] | None,
    securities: Collection[str] | None,
    accounts: Sequence[AccountRefs],
) -> list[Finding]:
    """Targets summing to 100, unique account names, tickers that have a [securities] entry.

    Any part may be None (skip its rule): a file that failed validation still
    gets these checks on the parts that have the right shape.
    """
    findings: list[Finding] = []
    if targets is not None:
        total = target_sum(targets)
        if not total.ok:
            findings.append(
                Finding(
                    ("targets",),
                    f"targets sum to {total.total:f}%, not 100%",
                    f"{'raise' if total.gap > 0 else 'lower'} them by {abs(total.gap):f} "
                    "percentage points in total so they add up to 100",
                )
            )
    names = Counter(account.name for account in accounts if account.name is not None)
    for index, account in enumerate(accounts):
        if account.name is not None and names[account.name] > 1:
            findings.append(
                Finding(
                    ("accounts", index, "name"),
                    f"account name {account.name!r} is used more than once",
                    "give each account its own name",
                )
            )
        if securities is None:
            continue
        for ticker in account.holdings:
            if ticker not in securities:
                findings.append(
                    Finding(
                        ("accounts", index, "holdings", ticker),
                        f"holding of {ticker!r}, which has no [securities.{ticker}] entry",
                        did_you_mean(
                            ticker,
                            securities,
                            f"add [securities.{ticker}] with its price and class",
                        ),
                    )
                )
        for ticker in account.menu:
            if ticker not in securities:
                findings.append(
                    Finding(
                        ("accounts", index, "menu"),
                        f"menu names {ticker!r}, which has no [securities] entry",
                        did_you_mean(
                            ticker,
                            securities,
                            f"add [securities.{ticker}] or remove it from the menu",
                        ),
                    )
                )
    return findings


def portfolio_findings(portfolio: Portfolio) -> list[Finding]:
    """Every cross-table rule on a validated portfolio: errors and warnings."""
    findings = reference_findings(
        dict(portfolio.targets),
        set(portfolio.securities),
        [
            AccountRefs(account.name, list(account.holdings), list(account.menu or []))
            for account in portfolio.accounts
        ],
    )
    findings += _account_findings(portfolio)
    findings += _classification_findings(portfolio)
    findings += _equity_findings(portfolio)
    findings += _band_findings(portfolio)
    findings += _history_findings(portfolio)
    findings += _basis_findings(portfolio)
    findings += _location_findings(portfolio)
    return findings


def _basis_findings(portfolio: Portfolio) -> list[Finding]:
    """Lots and cost_basis name held, known securities; lots add up and are not in the future."""
    findings: list[Finding] = []
    as_of = portfolio.portfolio.as_of
    for index, account in enumerate(portfolio.accounts):
        for key in ("lots", "cost_basis"):
            tickers = list(account.lots if key == "lots" else account.cost_basis)
            for ticker in tickers:
                where: KeyPath = ("accounts", index, key, ticker)
                if ticker not in portfolio.securities:
                    findings.append(
                        Finding(
                            where,
                            f"{key} for {ticker!r}, which has no [securities.{ticker}] entry",
                            did_you_mean(
                                ticker, portfolio.securities, f"add [securities.{ticker}]"
                            ),
                        )
                    )
                elif not account.holdings.get(ticker):
                    findings.append(
                        Finding(
                            where,
                            f"{key} for {ticker!r}, which {account.name!r} does not hold",
                            did_you_mean(
                                ticker,
                                account.holdings,
                                f"add {ticker} to the holdings, or remove its {key}",
                            ),
                        )
                    )
        for ticker, lots in account.lots.items():
            held = account.holdings.get(ticker)
            total = sum((lot.shares for lot in lots), Decimal(0))
            if held and total != held:
                findings.append(
                    Finding(
                        ("accounts", index, "lots", ticker),
                        f"the lots of {ticker} add up to {total:f} shares, "
                        f"but {account.name!r} holds {held:f}",
                        "every share held belongs to one lot: correct the lots or the holding",
                    )
                )
            for number, lot in enumerate(lots):
                if lot.acquired > as_of:
                    findings.append(
                        Finding(
                            ("accounts", index, "lots", ticker, number, "acquired"),
                            f"a lot of {ticker} acquired on {lot.acquired}, after the prices' "
                            f"date {as_of}",
                            "correct the date, or update [portfolio] as_of and the prices",
                        )
                    )
            if ticker in account.cost_basis:
                findings.append(
                    Finding(
                        ("accounts", index, "cost_basis", ticker),
                        f"{ticker} has both lots and a cost_basis: the lots are used",
                        f"remove cost_basis.{ticker} if the lots are complete",
                        "warning",
                    )
                )
        if not is_taxable(account) and (account.lots or account.cost_basis):
            findings.append(
                Finding(
                    ("accounts", index, "lots" if account.lots else "cost_basis"),
                    f"{account.name!r} is a {tax_treatment(account)} account: sales there "
                    "realize no capital gains, so its basis is ignored (its lots' dates "
                    "still count for wash sales)",
                    "keep them if you like; they change no tax figure",
                    "warning",
                )
            )
    return findings


def _location_findings(portfolio: Portfolio) -> list[Finding]:
    findings: list[Finding] = []
    for name, kinds in portfolio.location.items():
        repeated = sorted(kind for kind, count in Counter(kinds).items() if count > 1)
        if repeated:
            findings.append(
                Finding(
                    ("location", name),
                    f"[location] {name} names {', '.join(repeated)} more than once",
                    "list each account kind once, most preferred first",
                )
            )
        if name not in portfolio.targets:
            findings.append(
                Finding(
                    ("location", name),
                    f"[location] ranks {name!r}, which has no target",
                    did_you_mean(name, portfolio.targets, "remove it or fix the class name"),
                    "warning",
                )
            )
    return findings


def _account_findings(portfolio: Portfolio) -> list[Finding]:
    findings: list[Finding] = []
    holders: dict[str, list[str]] = {}
    for account in portfolio.accounts:
        if account.broker_id is not None:
            holders.setdefault(account.broker_id, []).append(account.name)
    for index, account in enumerate(portfolio.accounts):
        sharing = holders.get(account.broker_id or "", [])
        if len(sharing) > 1:
            # An import could not tell which of them the broker account is.
            findings.append(
                Finding(
                    ("accounts", index, "broker_id"),
                    f"broker_id {account.broker_id!r} is also the broker_id of "
                    + ", ".join(repr(n) for n in sharing if n != account.name),
                    "each broker account belongs to one [[accounts]] entry: correct or remove "
                    "the broker_id of the others",
                )
            )
        if account.cash < 0:
            findings.append(
                Finding(
                    ("accounts", index, "cash"),
                    f"cash is negative ({account.cash}): "
                    f"the plan will have to sell in {account.name!r}",
                    "check for an overdraft or unsettled buys",
                    "warning",
                )
            )
    return findings


def _classification_findings(portfolio: Portfolio) -> list[Finding]:
    """Held securities without a class or a price, and held classes without a target."""
    findings: list[Finding] = []
    securities = portfolio.securities
    held: set[str] = set()
    for account in portfolio.accounts:
        held.update(t for t, shares in account.holdings.items() if shares)
    for ticker in sorted(held & set(securities)):
        security = securities[ticker]
        if not security.class_weights():
            findings.append(
                Finding(
                    ("securities", ticker),
                    f"{ticker} has no class, so it counts as {UNCLASSIFIED!r}",
                    'add class = "..." (or classes = { ... }) to classify it',
                    "warning",
                )
            )
        if security.price == 0:
            findings.append(
                Finding(
                    ("securities", ticker, "price"),
                    f"{ticker} is held but its price is 0",
                    "enter the current price; until then it is valued at 0 and not traded",
                    "warning",
                )
            )
    targeted = set(portfolio.targets)
    held_classes: set[str] = set()
    for ticker in held & set(securities):
        held_classes.update(c for c, w in securities[ticker].class_weights().items() if w)
    for name in sorted(held_classes - targeted):
        findings.append(
            Finding(
                ("targets",),
                f"class {name!r} is held but has no target, so its target is 0%",
                f'add "{name}" = ... to [targets]' + _did_you_mean_suffix(name, targeted),
                "warning",
            )
        )
    if portfolio.cash_class not in targeted and any(a.cash for a in portfolio.accounts):
        findings.append(
            Finding(
                ("targets",),
                f"account cash counts in {portfolio.cash_class!r}, which has no target (0%)",
                f'add "{portfolio.cash_class}" = ... to [targets] if you mean to hold cash'
                + _did_you_mean_suffix(portfolio.cash_class, targeted),
                "warning",
            )
        )
    return findings


def _equity_findings(portfolio: Portfolio) -> list[Finding]:
    """No class counts as stocks by its name, and the file does not say which do: the
    stocks/bonds split (step 3) would read 0% stocks for a household of stock funds."""
    if portfolio.portfolio.equity_classes is not None or not portfolio.targets:
        return []
    classes = set(portfolio.targets)
    for security in portfolio.securities.values():
        classes.update(security.class_weights())
    if equity_classes(portfolio, classes):
        return []
    return [
        Finding(
            ("portfolio",),
            "no class counts as stocks: no class name says stock, equity or share, and "
            "[portfolio] equity_classes is not set, so the stocks/bonds split reads 0% stocks",
            'list the stock classes in [portfolio], e.g. equity_classes = ["'
            + next(iter(portfolio.targets))
            + '"]; write equity_classes = [] if none are stocks',
            "warning",
        )
    ]


_PAIR_HINT = (
    'the `absolute`/`relative` pair applies to kind = "5/25" only; write that kind to use it'
)
_IGNORED_BAND_HINTS = {
    "width": "5/25 bands are the smaller of `absolute` (5) points and `relative` (25) "
    'percent of the target; set those, or use kind = "relative" or "absolute"',
    "absolute": _PAIR_HINT,
    "relative": _PAIR_HINT,
    "floor": 'a floor applies to kind = "relative" only; remove it or change the kind',
}


def _band_findings(portfolio: Portfolio) -> list[Finding]:
    """Band settings the chosen kind ignores (say so rather than drop them silently)."""
    bands = portfolio.bands
    written = bands.model_fields_set
    ignored: list[str] = []
    # per_class applies under every kind (for 5/25, in points).
    if bands.kind == "5/25":
        ignored = [key for key in ("width",) if key in written]
    else:
        # Like the floor, the pair's default values (5 and 25) are harmless anywhere.
        default = Bands()
        ignored = [
            key
            for key in ("absolute", "relative")
            if key in written and getattr(bands, key) != getattr(default, key)
        ]
    if bands.kind != "relative" and "floor" in written and bands.floor:
        ignored.append("floor")
    findings = [
        Finding(
            ("bands", key),
            f"`{key}` does not apply to kind = {bands.kind!r} bands, so it is ignored",
            _IGNORED_BAND_HINTS[key],
            "warning",
        )
        for key in ignored
    ]
    targeted = set(portfolio.targets)
    for name in bands.per_class:
        if name not in targeted:
            findings.append(
                Finding(
                    ("bands", "per_class", name),
                    f"band override for {name!r}, which has no target",
                    did_you_mean(name, targeted, "remove it or fix the class name"),
                    "warning",
                )
            )
    return findings


def _history_findings(portfolio: Portfolio) -> list[Finding]:
    """Snapshots the return cannot use as the user may expect."""
    findings: list[Finding] = []
    for index, snapshot in enumerate(portfolio.history):
        if snapshot.date > portfolio.portfolio.as_of:
            findings.append(
                Finding(
                    ("history", index, "date"),
                    f"snapshot dated {snapshot.date}, after the prices' date "
                    f"{portfolio.portfolio.as_of}: it is not used for the return until "
                    "the prices are as of that date or later",
                    "check [portfolio] as_of and this date (rebal dates the snapshots it "
                    "writes by as_of)",
                    "warning",
                )
            )
        spread = sum(snapshot.classes.values(), Decimal(0))
        if snapshot.classes and abs(spread - snapshot.total) > SNAPSHOT_SLACK:
            findings.append(
                Finding(
                    ("history", index, "classes"),
                    f"the classes add up to {spread:f}, "
                    f"but the snapshot's total is {snapshot.total:f}",
                    "the return is computed from the classes; correct whichever is wrong",
                    "warning",
                )
            )
    return findings + _flow_findings(portfolio)


# A pending flow records money that has already moved. rebal dates a plan's new money by
# the day of the save, often days or weeks after the prices' date; more than a year
# after it, the date is a slip (2099 for 2026) or the prices are a year old.
FLOW_DATE_REACH = dt.timedelta(days=366)


def _flow_findings(portfolio: Portfolio) -> list[Finding]:
    """Pending flows the money-weighted return would misread.

    Every pending flow counts in the return since the latest snapshot (one dated
    after the prices' date weighs 0 but still counts as money added), so a date
    before that snapshot or far after the prices is warned about. A date before
    the prices' date and after the snapshot is the period the return measures.
    """
    findings: list[Finding] = []
    latest = portfolio.latest_snapshot()
    as_of = portfolio.portfolio.as_of
    names = [account.name for account in portfolio.accounts]
    for index, flow in enumerate(portfolio.flows):
        if flow.date - as_of > FLOW_DATE_REACH:
            findings.append(
                Finding(
                    ("flows", index, "date"),
                    f"flow dated {flow.date}, more than a year after the prices' date "
                    f"({as_of}): a flow records money that has already moved, and this one "
                    "is counted in the return as if it had",
                    "correct the date to the day the money moved (the year?); if it did move "
                    "then, update the prices and [portfolio] as_of (rebal import)",
                    "warning",
                )
            )
        elif latest is not None and flow.date <= latest.date:
            findings.append(
                Finding(
                    ("flows", index, "date"),
                    f"flow dated {flow.date}, not after the latest snapshot ({latest.date}): "
                    "it is counted as money added after that snapshot",
                    "if the snapshot's values already include it, move it to that "
                    "[[history]] entry's `flows` (or delete it)",
                    "warning",
                )
            )
        if flow.account not in names:
            findings.append(
                Finding(
                    ("flows", index, "account"),
                    f"flow into {flow.account!r}, which is not an account in the file",
                    did_you_mean(flow.account, names, "fix the account's name"),
                    "warning",
                )
            )
    return findings


# The prices are as of one day; a plan for a day long after it plans with old prices,
# and the wash-sale window (30 days either side) must stay within the calendar.
TRADE_DATE_REACH = dt.timedelta(days=366)


def trade_date_problem(trade_date: dt.date, as_of: dt.date) -> str | None:
    """Why `trade_date` cannot be the day the plan's trades are placed, or None.

    Before the prices' date, the plan would sell lots on days they may not have been
    bought yet; more than a year after it, the prices it plans with are stale."""
    if trade_date < as_of:
        return (
            f"the trade date {trade_date.isoformat()} is before the prices' date "
            f"{as_of.isoformat()}: trades are placed on or after the day the prices are from"
        )
    if trade_date - as_of > TRADE_DATE_REACH:
        return (
            f"the trade date {trade_date.isoformat()} is more than a year after the prices' "
            f"date {as_of.isoformat()}: update the prices (rebal import) and plan again"
        )
    return None


def control_character(text: str) -> str | None:
    """The first C0 (other than tab and newline), DEL or C1 control character in `text`."""
    for char in text:
        code = ord(char)
        if (code < 0x20 and char not in "\t\n") or 0x7F <= code <= 0x9F:
            return char
    return None


def control_character_findings(data: Any) -> list[Finding]:
    """Every key and text in plain nested data (a parsed TOML file) holding a control character.

    A name such as "\\x1b]52;c;...\\x07" would make a terminal write to the
    clipboard when shown; no name or note needs one, so the file is refused.
    """
    findings: list[Finding] = []

    def visit(node: Any, where: KeyPath) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str):
                    found = control_character(key)
                    if found is not None:
                        findings.append(_control_finding((*where, key), "the key", found))
                visit(value, (*where, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, (*where, index))
        elif isinstance(node, str):
            found = control_character(node)
            if found is not None:
                findings.append(_control_finding(where, "the text", found))

    visit(data, ())
    return findings


def _control_finding(where: KeyPath, what: str, char: str) -> Finding:
    return Finding(
        where,
        f"{what} contains the control character U+{ord(char):04X}, which a terminal "
        "would act on instead of showing",
        "delete it: such characters come from text copied out of a terminal or a web page",
    )


def did_you_mean(word: str, choices: Iterable[str], fallback: str) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else fallback


def _did_you_mean_suffix(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f", or did you mean {close[0]!r}?" if close else ""
