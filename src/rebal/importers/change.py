"""What an import changes in a portfolio: account matching and price reconciliation.

Pure: it takes the portfolio as read and the parsed exports, and returns an
ImportChange (holdings, cash and prices before and after, new securities,
accounts skipped, warnings), or raises ImportRefused. It reads and writes no
file and knows nothing of TOML; rebal.store.apply_import turns the change into
an edit of the user's file.

1. `match_accounts` pairs every broker account with one `[[accounts]]`
   entry: by an explicit `--account "Name"=ID` mapping, then by the stored
   `broker_id`, then by name (the broker's label or number equal to the
   account's name). What it cannot tell is asked through `choose`, or refused.
2. `import_change` computes the change: for each matched account the import
   replaces `holdings` and `cash` and sets `broker_id`; it updates `price`
   and `price_as_of` of every security it saw (never back to an older price),
   adds a stub for each new one, and moves `[portfolio] as_of` to the date of
   the newest price it writes (not at all when it writes none). `cost_basis`
   follows the export where it has one, never touching typed lots
   (rebal.importers.basis has the rules).
3. `describe_change` gives it as lines of text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rebal.importers.basis import BasisAfter, basis_after_import
from rebal.importers.model import BrokerAccount, ImportResult, Position, RowClass
from rebal.model import Account, Portfolio
from rebal.present.figures import number, plural, shares
from rebal.problems import Problem, ProblemsError

SKIP = "\0skip"  # what a chooser returns to leave a broker account out of this import
# What `rebal import` and the app say when every broker account was skipped.
NOTHING_IMPORTED = "nothing imported (every broker account was skipped), the file is unchanged"

# (broker account, the file it came from, names of the accounts it could be)
# -> an account name, SKIP, or None to refuse.
Chooser = Callable[[BrokerAccount, Path, Sequence[str]], str | None]


class ImportRefused(ProblemsError):
    """Nothing was written; `problems` say why and what to do."""


@dataclass(frozen=True)
class AccountMatch:
    file: Path
    broker: BrokerAccount
    account: str | None  # the [[accounts]] name; None when skipped
    how: str  # the mapping's field ("--account"), "broker id", "name", "chosen", "skipped"


@dataclass(frozen=True)
class Change:
    """One number before and after; None means absent (e.g. a holding added or removed)."""

    key: str
    before: Decimal | None
    after: Decimal | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class PriceChange(Change):
    as_of: dt.date  # the date of the file the new price comes from


@dataclass(frozen=True)
class AccountChange:
    index: int  # position in [[accounts]]
    name: str
    match: AccountMatch
    holdings: tuple[Change, ...]  # the account's tickers, then the new ones in the file's order
    cash: Change
    broker_id_before: str | None
    basis: BasisAfter  # cost_basis after the import (rebal.importers.basis)

    @property
    def holdings_after(self) -> dict[str, Decimal]:
        return {c.key: c.after for c in self.holdings if c.after is not None}

    @property
    def cash_after(self) -> Decimal:
        assert self.cash.after is not None  # an import always knows the cash it sets
        return self.cash.after


@dataclass(frozen=True)
class NewSecurity:
    key: str
    name: str | None
    price: Decimal
    cusip: str | None
    as_of: dt.date


@dataclass(frozen=True)
class ImportChange:
    results: tuple[ImportResult, ...]
    accounts: tuple[AccountChange, ...]
    skipped: tuple[AccountMatch, ...]
    prices: tuple[PriceChange, ...]
    new_securities: tuple[NewSecurity, ...]
    as_of_before: dt.date
    as_of_after: dt.date
    price_as_of: dt.date
    warnings: tuple[Problem, ...] = ()

    @property
    def imports_nothing(self) -> bool:
        """Every broker account was skipped: the file is to stay exactly as it is."""
        return not self.accounts


# ---------------------------------------------------------------- matching


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def parse_account_mappings(
    pairs: Sequence[str], answered_in: str = "--account"
) -> dict[str, str]:
    """`["Roth IRA=Z23456789"]` -> {"Z23456789": "Roth IRA"} (broker id -> account name).

    The split is at the last `=`, so an account name may itself contain `=`.
    Quotes around the name or the id are dropped: the app's accounts field
    takes `"Roth IRA"=Z23456789` as written, with no shell to remove them.
    `answered_in` is where the pairs were typed, as a refusal names it: the CLI's flag,
    or the app's field label.
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, broker_id = pair.rpartition("=")
        name, broker_id = _unquoted(name), _unquoted(broker_id)
        if not sep or not name or not broker_id:
            raise ValueError(f'{answered_in} {pair!r}: write it as "Account name"=BROKER-ID')
        mapping[broker_id] = name
    return mapping


def _unquoted(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


def match_accounts(
    portfolio: Portfolio,
    file: Path,
    results: Sequence[ImportResult],
    mapping: Mapping[str, str] | None = None,
    skip: Collection[str] = (),
    choose: Chooser | None = None,
    answered_in: str = "--account",
) -> list[AccountMatch]:
    """Pair each broker account with an account of `portfolio` (read from `file`).

    Raises ImportRefused when it cannot tell and `choose` does not answer; its hints
    name `answered_in` (the CLI's flag, or the app's field label) for the mappings.
    """
    by_id = {_norm(k): v for k, v in (mapping or {}).items()}
    skipped = {_norm(s) for s in skip}
    names = [account.name for account in portfolio.accounts]
    problems: list[Problem] = []
    for name in by_id.values():
        if name not in names:
            problems.append(
                Problem(
                    file,
                    # Said to the app's accounts field as well as to --account.
                    f"{name!r}, given for a broker account, is not an account in this file",
                    hint="accounts: " + ", ".join(repr(n) for n in names),
                )
            )
    if problems:
        raise ImportRefused(problems)
    matches: list[AccountMatch] = []
    taken: dict[str, AccountMatch] = {}
    pending: list[tuple[ImportResult, BrokerAccount]] = []
    for result in results:
        for broker in result.accounts:
            found = _match_one(portfolio.accounts, broker, by_id, skipped, answered_in)
            if found is None:
                pending.append((result, broker))
                continue
            matches.append(AccountMatch(result.file, broker, found[0], found[1]))
    for result, broker in pending:
        # Only accounts no one else claimed and not tied to another broker account.
        claimed = {m.account for m in matches}
        candidates = [
            a.name
            for a in portfolio.accounts
            if a.name not in claimed and (a.broker_id is None or _norm(a.broker_id) == "")
        ]
        chosen = choose(broker, result.file, candidates) if choose is not None else None
        if chosen is None:
            problems.append(_ambiguous(file, result, broker, candidates))
            continue
        if chosen == SKIP:
            matches.append(AccountMatch(result.file, broker, None, "skipped"))
        else:
            matches.append(AccountMatch(result.file, broker, chosen, "chosen"))
    for match in matches:
        if match.account is None:
            continue
        earlier = taken.get(match.account)
        if earlier is not None:
            problems.append(
                Problem(
                    file,
                    f"both {earlier.broker.display} ({earlier.file.name}) and "
                    f"{match.broker.display} ({match.file.name}) would replace account "
                    f"{match.account!r}",
                    hint="import one of them, or map them to different accounts with "
                    + answered_in,
                )
            )
        taken[match.account] = match
    if problems:
        raise ImportRefused(problems)
    return matches


def _match_one(
    accounts: Sequence[Account],
    broker: BrokerAccount,
    by_id: Mapping[str, str],
    skipped: Collection[str],
    answered_in: str,
) -> tuple[str | None, str] | None:
    key = _norm(broker.broker_id)
    if key in by_id:
        return by_id[key], answered_in
    if key in skipped:
        return None, "skipped"
    stored = [a.name for a in accounts if _norm(a.broker_id) == key]
    if len(stored) == 1:
        return stored[0], "broker id"
    free = [a for a in accounts if not a.broker_id]
    named = [a.name for a in free if _norm(a.name) in {_norm(broker.label), key}]
    if len(named) == 1:
        return named[0], "name"
    return None


def _ambiguous(
    path: Path, result: ImportResult, broker: BrokerAccount, candidates: Sequence[str]
) -> Problem:
    if not candidates:
        return Problem(
            path,
            f"{result.format} account {broker.display} from {result.file.name} has no "
            "account left to go into: every [[accounts]] entry is already taken by "
            "another broker account",
            hint=f"add an [[accounts]] entry for it (name and kind), or skip "
            f"{broker.broker_id} to leave it out; in a script, --skip {broker.broker_id}",
        )
    choices = ", ".join(repr(c) for c in candidates)
    return Problem(
        path,
        f"cannot tell which account of this file the {result.format} account "
        f"{broker.display} in {result.file.name} belongs to; choices: {choices}",
        # Answered in the app's accounts field, or with the flags in a script.
        hint=f'answer "{candidates[0]}"={broker.broker_id} to import it into that account, '
        f"or skip {broker.broker_id} to leave it out; in a script, --account "
        f'"{candidates[0]}"={broker.broker_id} or --skip {broker.broker_id}',
    )


# ---------------------------------------------------------------- the change


def import_change(
    portfolio: Portfolio,
    file: Path,
    results: Sequence[ImportResult],
    matches: Sequence[AccountMatch],
) -> ImportChange:
    """What the import changes in `portfolio` (read from `file`); raise ImportRefused if unsafe.

    Each matched account's holdings and cash become the file's; each security
    seen gets the price of the newest file that lists it, unless the portfolio
    already knows a newer price or the file's price is a zero.
    """
    alias = {s.cusip.upper(): key for key, s in portfolio.securities.items() if s.cusip}
    price_as_of = max(r.as_of for r in results)
    seen: dict[str, Position] = {}  # file key -> the position giving its price
    seen_on: dict[str, dt.date] = {}  # ... and the date of the file it is from
    seen_in: dict[str, Path] = {}  # ... and that file
    as_of_by_file = {r.file: r.as_of for r in results}
    notes: list[Problem] = []

    def see_price(key: str, position: Position, file: Path) -> None:
        """Record the price `file` gives `key`; two different prices get a warning."""
        as_of = as_of_by_file[file]
        earlier = seen.get(key)
        if earlier is None or earlier.price == position.price:
            if earlier is None or as_of >= seen_on[key]:
                seen[key], seen_on[key], seen_in[key] = position, as_of, file
            return
        # The newer file's price is the more current one; on the same date the
        # later file wins. Either way the user is told, since one of them is off.
        newer = as_of >= seen_on[key]
        kept_price = position.price if newer else earlier.price
        kept_file = file if newer else seen_in[key]
        notes.append(
            Problem(
                file,
                f"{key} is priced {number(earlier.price)} in {seen_in[key].name} "
                f"(as of {seen_on[key]}) but {number(position.price)} in {file.name} "
                f"(as of {as_of}); the price {number(kept_price)} from {kept_file.name} is used",
                line=position.line,
                hint="check the two files are from the same day; edit the price in the "
                "portfolio file after importing if it is wrong",
                severity="warning",
            )
        )
        if newer:
            seen[key], seen_on[key], seen_in[key] = position, as_of, file

    account_changes: list[AccountChange] = []
    refusals: list[Problem] = []
    for match in matches:
        if match.account is None:
            continue
        index = next(i for i, a in enumerate(portfolio.accounts) if a.name == match.account)
        account = portfolio.accounts[index]
        holdings: dict[str, Decimal] = {}
        cash = match.broker.cash if match.broker.reports_cash else account.cash
        if not match.broker.reports_cash and account.cash:
            notes.append(
                Problem(
                    match.file,
                    f"no cash line for {match.broker.display}: the cash of "
                    f"{account.name!r} is left at {account.cash}",
                    hint="add a CASH row to the export if the account holds cash",
                    severity="warning",
                )
            )
        for fund in match.broker.cash_funds:
            # The file calls this money-market fund cash; a portfolio that tracks
            # it as a security (e.g. `VMFXX` with class "Cash") keeps doing so.
            if fund.key in account.holdings:
                holdings[fund.key] = holdings.get(fund.key, Decimal(0)) + fund.shares
                cash -= fund.value or fund.shares * (fund.price or 1)
                if fund.price is not None:
                    see_price(fund.key, fund, match.file)
        reported: dict[str, Decimal | None] = {}  # key -> the export's basis, None: unknown
        for position in match.broker.positions:
            key = _security_key(position, alias)
            holdings[key] = holdings.get(key, Decimal(0)) + position.shares
            if position.price is not None:
                see_price(key, position, match.file)
            if position.reports_basis:
                earlier_basis = reported.get(key, Decimal(0))
                reported[key] = (
                    None
                    if earlier_basis is None or position.cost_basis is None
                    else earlier_basis + position.cost_basis
                )
        basis = basis_after_import(file, index, account, holdings, reported)
        refusals.extend(basis.problems)
        tickers = list(account.holdings) + [t for t in holdings if t not in account.holdings]
        account_changes.append(
            AccountChange(
                index=index,
                name=account.name,
                match=match,
                holdings=tuple(
                    Change(t, account.holdings.get(t), holdings.get(t)) for t in tickers
                ),
                cash=Change("cash", account.cash, cash),
                broker_id_before=account.broker_id,
                basis=basis,
            )
        )
    if refusals:
        raise ImportRefused(refusals)
    prices: list[PriceChange] = []
    new_securities: list[NewSecurity] = []
    for key, position in list(seen.items()):
        assert position.price is not None
        existing = portfolio.securities.get(key)
        if existing is None:
            new_securities.append(
                NewSecurity(key, position.name, position.price, position.cusip, seen_on[key])
            )
            continue
        # A hand-entered price is as of the portfolio's as_of; an imported one says its date.
        known_since = existing.price_as_of or portfolio.portfolio.as_of
        if seen_on[key] < known_since:
            # An older export must not turn a current price (or its date) back.
            del seen[key]
            if position.price == existing.price:
                continue
            notes.append(
                Problem(
                    seen_in[key],
                    f"{key}: the file's price {number(position.price)} is from {seen_on[key]}, "
                    f"older than the price in the portfolio ({number(existing.price)}, as of "
                    f"{known_since}); the newer price is kept",
                    line=position.line,
                    hint="import a newer export to update it",
                    severity="warning",
                )
            )
            continue
        if position.price == 0 and existing.price > 0:
            # A zero in an export is a missing quote, not a worthless fund.
            del seen[key]
            notes.append(
                Problem(
                    seen_in[key],
                    f"{key}: the file gives a price of 0; the price in the portfolio "
                    f"({number(existing.price)}) is kept",
                    line=position.line,
                    hint="edit the price in the portfolio file if the security really is "
                    "worth nothing",
                    severity="warning",
                )
            )
            continue
        prices.append(PriceChange(key, existing.price, position.price, seen_on[key]))
    for account_change in account_changes:
        for change in account_change.holdings:
            if change.after and change.key not in portfolio.securities and change.key not in seen:
                raise ImportRefused(
                    [
                        Problem(
                            file,
                            f"{change.key} in {account_change.name!r} has no price in the "
                            "import and no [securities] entry",
                            hint="give it a price (or value) in the export, or add "
                            f"[securities.{change.key}] with its price, then import again",
                        )
                    ]
                )
    # `as_of` is the date of the file's prices: it moves to the newest price the import
    # writes, never to the date of a file whose accounts were all skipped, nor for
    # holdings imported without prices.
    written = [p.as_of for p in prices] + [new.as_of for new in new_securities]
    as_of_after = max([*written, portfolio.portfolio.as_of])
    warnings = [w for r in results for w in r.warnings] + notes
    if price_as_of < portfolio.portfolio.as_of:
        warnings.append(
            Problem(
                file,
                f"the imported files are dated {price_as_of}, older than the portfolio's "
                f"as_of {portfolio.portfolio.as_of}; as_of is left as it is",
                severity="warning",
            )
        )
    return ImportChange(
        results=tuple(results),
        accounts=tuple(account_changes),
        skipped=tuple(m for m in matches if m.account is None),
        prices=tuple(prices),
        new_securities=tuple(new_securities),
        as_of_before=portfolio.portfolio.as_of,
        as_of_after=as_of_after,
        price_as_of=price_as_of,
        warnings=tuple(warnings),
    )


def _security_key(position: Position, alias: Mapping[str, str]) -> str:
    """The [securities] key for a position: a CUSIP the file already aliases maps to its ticker."""
    if position.ticker is not None:
        return position.ticker
    assert position.cusip is not None
    return alias.get(position.cusip.upper(), position.cusip.upper())


# ---------------------------------------------------------------- the diff


def _describe_basis(basis: BasisAfter) -> list[str]:
    """The summary's cost_basis lines of one account: what changes, and what is kept and why."""
    lines: list[str] = []
    for line in basis.lines:
        if line.changed:
            text = f"  cost_basis {line.ticker}: {_money(line.before)} -> {_money(line.after)}"
            lines.append(f"{text} ({line.why})" if line.why else text)
        elif line.before is not None:
            lines.append(f"  cost_basis {line.ticker}: {_money(line.before)} {line.why}")
        elif line.why:
            lines.append(f"  {line.ticker}: {line.why}")
    if basis.unknown:
        they, their = ("it is", "its") if len(basis.unknown) == 1 else ("they are", "their")
        lines.append(
            f"  no cost basis for {', '.join(basis.unknown)}: the export does not know it, so "
            f"{they} sold last and {their} tax is reported as unknown (add cost_basis or lots "
            "to the file if you know it)"
        )
    return lines


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def describe_change(diff: ImportChange) -> list[str]:
    """The change as plain lines of text (the --dry-run output and the app's preview)."""
    lines: list[str] = []
    for result in diff.results:
        counts = ", ".join(
            f"{result.counts.get(row_class, 0)} {row_class.value}" for row_class in RowClass
        )
        lines.append(
            f"{result.file.name}: {result.format}, {plural(len(result.accounts), 'account')}, "
            f"as of {result.as_of} (from {result.as_of_source}); rows: {counts}"
        )
        for note in result.notes:
            lines.append(f"  note: {note}")
    lines.append("")
    for change in diff.accounts:
        match = change.match
        lines.append(
            f"account {change.name!r} <- {match.broker.display} "
            f"({match.file.name}, matched by {match.how})"
        )
        for holding in change.holdings:
            if holding.changed:
                lines.append(
                    f"  {holding.key}: {shares(holding.before)} -> "
                    f"{shares(holding.after)} shares"
                )
        unchanged = sum(1 for h in change.holdings if not h.changed)
        if unchanged:
            lines.append(f"  ({plural(unchanged, 'holding')} unchanged)")
        if change.cash.changed:
            lines.append(f"  cash: {number(change.cash.before)} -> {number(change.cash.after)}")
        else:
            lines.append(f"  cash: {number(change.cash.after)} (unchanged)")
        if change.broker_id_before != match.broker.broker_id:
            lines.append(
                f"  broker_id: {change.broker_id_before or '—'} -> {match.broker.broker_id}"
            )
        lines.extend(_describe_basis(change.basis))
    for match in diff.skipped:
        lines.append(f"skipped {match.broker.display} ({match.file.name})")
    changed_prices = [p for p in diff.prices if p.changed]
    if changed_prices:
        lines.append("")
        lines.append("prices:")
        for price in changed_prices:
            lines.append(
                f"  {price.key}: {number(price.before)} -> {number(price.after)} "
                f"(as of {price.as_of})"
            )
    if diff.new_securities:
        lines.append("")
        lines.append("new securities (no class yet: add one; rebal check lists them):")
        for new in diff.new_securities:
            name = f" {new.name!r}" if new.name else ""
            lines.append(f"  {new.key}{name} at {number(new.price)}")
    if diff.as_of_after != diff.as_of_before:
        lines.append("")
        lines.append(f"portfolio as_of: {diff.as_of_before} -> {diff.as_of_after}")
    if diff.warnings:
        lines.append("")
        lines.extend(str(w) for w in diff.warnings)  # each says "warning:" itself
    return lines
