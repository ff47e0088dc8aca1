"""Apply an import to the user's portfolio file, changing only what the import is about.

The change itself (which account each broker account is, holdings, cash and
prices before and after) is computed, pure, by rebal.importers.change. This
module only turns it into the file:

- `prepare_import` computes the change and the edited text. The text is an
  edit of the user's file made with tomlkit, so every comment, key and
  account the import is not about stays byte for byte; the edit is re-parsed
  with the loader and checked against the change before anything is written.
- `apply_import` writes it with `write_atomic`, refusing when the file
  changed on disk since it was read.

`match_accounts`, `describe` and the change's types are re-exported here, so
the CLI and the app use one module for the whole import.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rebal.core.numbers import cents
from rebal.importers import change as import_change_module
from rebal.importers.change import (
    NOTHING_IMPORTED,
    SKIP,
    AccountChange,
    AccountMatch,
    Chooser,
    ImportChange,
    ImportRefused,
    NewSecurity,
    PriceChange,
    describe_change,
    import_change,
    parse_account_mappings,
)
from rebal.importers.model import ImportResult
from rebal.model import Portfolio
from rebal.problems import Problem
from rebal.store.atomic import Backup, SaveRefused, write_atomic
from rebal.store.load import Loaded
from rebal.store.toml_edit import (
    EditRefused,
    KeyPath,
    MayChange,
    dumps_keeping_line_endings,
    exact_number,
    inline_numbers,
    money,
    set_key,
    share_count,
    take_trailing,
    verify_edit,
)


@dataclass(frozen=True)
class ImportPlan:
    """An import ready to write: the change, the edited text and what it reads as."""

    loaded: Loaded
    change: ImportChange
    text: str  # the edited file
    portfolio: Portfolio  # the edited file, validated
    # The loader's warnings about the edited file: what `apply_import` returns
    # with it, kept from the check so the text is not parsed again.
    edited_warnings: tuple[Problem, ...] = field(default=())

    @property
    def changes_anything(self) -> bool:
        return self.text != self.loaded.text

    @property
    def imports_nothing(self) -> bool:
        """Every broker account was skipped (see NOTHING_IMPORTED)."""
        return self.change.imports_nothing


def match_accounts(
    loaded: Loaded,
    results: Sequence[ImportResult],
    mapping: Mapping[str, str] | None = None,
    skip: Collection[str] = (),
    choose: Chooser | None = None,
    answered_in: str = "--account",
) -> list[AccountMatch]:
    """Pair each broker account with an account of the file; raise ImportRefused if unsure
    (its hints name `answered_in` for the mappings: the CLI's flag or the app's field)."""
    return import_change_module.match_accounts(
        loaded.portfolio, loaded.path, results, mapping, skip, choose, answered_in
    )


def prepare_import(
    loaded: Loaded,
    results: Sequence[ImportResult],
    matches: Sequence[AccountMatch],
) -> ImportPlan:
    """The change the import makes, with the edited text; raise ImportRefused if it is unsafe."""
    change = import_change(loaded.portfolio, loaded.path, results, matches)
    text = _edit(loaded.text, change)
    edited, edited_warnings = _verify(loaded, text, change)
    return ImportPlan(loaded, change, text, edited, tuple(edited_warnings))


def describe(plan: ImportPlan) -> list[str]:
    """The change as plain lines of text (the --dry-run output and the app's preview)."""
    return describe_change(plan.change)


def apply_import(plan: ImportPlan, *, backup: Backup = "replace") -> Loaded:
    """Write the prepared import; return the file as now on disk.

    `backup` as for write_atomic: the app keeps the backup its session's first
    write made.

    An import that changes nothing (every account skipped, or the file already
    says what the exports say) writes nothing: not even a backup.

    Raises SaveRefused (FileChangedOnDisk when the file was edited meanwhile);
    the file is then untouched.
    """
    loaded = plan.loaded
    if not plan.changes_anything:
        return loaded
    fingerprint = write_atomic(
        loaded.path, loaded.as_written(plan.text), loaded.fingerprint, backup=backup
    )
    return Loaded(
        loaded.path,
        plan.text,
        plan.portfolio,
        list(plan.edited_warnings),
        fingerprint,
        loaded.bom,
    )


# ---------------------------------------------------------------- editing


def _edit(text: str, change: ImportChange) -> str:
    """`text` with the change made, by tomlkit, everything else kept as written."""
    import tomlkit
    from tomlkit.items import Table

    document = tomlkit.parse(text)
    accounts: Any = document.get("accounts", [])
    for account in change.accounts:
        table = accounts[account.index]
        _replace_holdings(table, account.holdings_after)
        if account.cash.changed or "cash" not in table:
            set_key(table, "cash", money(account.cash_after))
        broker_id = account.match.broker.broker_id
        if table.get("broker_id") != broker_id:
            set_key(table, "broker_id", broker_id)
        if account.basis.changed:
            _replace_basis(table, account.basis.cost_basis)
    securities: Any = document.get("securities")
    if securities is None:
        securities = tomlkit.table(is_super_table=True)
        document["securities"] = securities
    for price in change.prices:
        entry = securities[price.key]
        if price.changed:
            set_key(entry, "price", exact_number(price.after or Decimal(0)))
        if entry.get("price_as_of") != price.as_of:
            set_key(entry, "price_as_of", price.as_of)
    # Comments after the last [securities.X] table introduce what follows it
    # (e.g. an "accounts" banner): new stubs go before them, not after.
    children = [v for v in securities.values() if isinstance(v, Table)]
    trailing = take_trailing(children[-1]) if change.new_securities and children else []
    entry = None
    for new in change.new_securities:
        entry = tomlkit.table()
        if new.name:
            entry["name"] = new.name
        entry["price"] = exact_number(new.price)
        entry["price_as_of"] = new.as_of
        if new.cusip:
            entry["cusip"] = new.cusip
        entry.add(tomlkit.comment('class = "..."  <- set the asset class (rebal check flags it)'))
        entry.add(tomlkit.nl())
        securities[new.key] = entry
    if entry is not None and trailing:
        entry.value.body.pop()  # its blank line: the moved comments bring their own
        entry.value.body.extend(trailing)
    portfolio: Any = document["portfolio"]
    if portfolio.get("as_of") != change.as_of_after:
        set_key(portfolio, "as_of", change.as_of_after)
    return dumps_keeping_line_endings(document, text)


def _replace_holdings(table: Any, holdings: Mapping[str, Decimal]) -> None:
    """Replace an account's holdings where they are written, keeping the line's comment.

    Tickers already listed keep their place and new ones follow in the file's
    order. Inline tables (`holdings = { VTI = 10 }`) are rebuilt in the same
    spacing style; a `[accounts.holdings]` sub-table is edited key by key, so
    comments on unchanged lines stay.
    """
    from tomlkit.items import InlineTable

    current = table.get("holdings")
    existing = list(current) if current is not None else []
    ordered = {t: holdings[t] for t in existing if t in holdings}
    ordered.update({t: s for t, s in holdings.items() if t not in ordered})
    if current is None or isinstance(current, InlineTable):
        spaced = current is None or current.as_string().startswith("{ ") or not existing
        rebuilt = inline_numbers(ordered, spaced=spaced)
        if current is not None:
            rebuilt.trivia.comment_ws = current.trivia.comment_ws
            rebuilt.trivia.comment = current.trivia.comment
        table["holdings"] = rebuilt
        return
    for ticker in [t for t in current if t not in ordered]:
        del current[ticker]
    for ticker, shares in ordered.items():
        if ticker in current and Decimal(str(current[ticker])) == shares:
            continue
        set_key(current, ticker, share_count(shares))


def _replace_basis(table: Any, basis: Mapping[str, Decimal]) -> None:
    """Make the account's cost_basis `basis`, editing it where and as it is written.

    A new one is written as dotted keys (`cost_basis.VTI = 28000.00`, as
    docs/portfolio-format.md shows it); an inline table or a sub-table is
    edited key by key, so the comments on lines it keeps stay.
    """
    import tomlkit

    current = table.get("cost_basis")
    if not basis:
        if current is not None:
            del table["cost_basis"]
        return
    pending = dict(basis)
    if current is None:
        ticker, amount = next(iter(pending.items()))
        # After the account's last key, above the comments that close it (as set_key does).
        trailing = take_trailing(table)
        table.add(tomlkit.key(["cost_basis", ticker]), money(amount))
        table.value.body.extend(trailing)
        del pending[ticker]
        current = table["cost_basis"]
    for ticker in [t for t in current if t not in basis]:
        del current[ticker]
    for ticker, amount in pending.items():
        if ticker in current and Decimal(str(current[ticker])) == amount:
            continue
        current[ticker] = money(amount)


def _verify(loaded: Loaded, text: str, change: ImportChange) -> tuple[Portfolio, list[Problem]]:
    """Re-read the edited text and check it says exactly what the import intends.

    Returns the edited portfolio and the loader's warnings about it.
    """
    places: set[KeyPath] = {("portfolio", "as_of")}
    for account in change.accounts:
        keys = ("holdings", "cash", "broker_id", "cost_basis")
        places.update(("accounts", account.index, key) for key in keys)
    for price in change.prices:
        places.update(("securities", price.key, key) for key in ("price", "price_as_of"))
    places.update(("securities", new.key) for new in change.new_securities)
    priced = [(p.key, p.after) for p in change.prices]
    priced += [(new.key, new.price) for new in change.new_securities]

    def as_intended(portfolio: Portfolio) -> Iterator[str]:
        for account in change.accounts:
            now = portfolio.accounts[account.index]
            if dict(now.holdings) != account.holdings_after or now.cash != cents(
                account.cash_after
            ):
                yield f"accounts[{account.index}] holdings or cash"
            if dict(now.cost_basis) != account.basis.cost_basis:
                yield f"accounts[{account.index}].cost_basis"
        for ticker, price in priced:
            if portfolio.securities[ticker].price != price:
                yield f"securities.{ticker}.price"

    try:
        return verify_edit(
            loaded.path, loaded.text, text, MayChange(frozenset(places)), expect=as_intended
        )
    except EditRefused as refused:
        raise ImportRefused(
            refused.problems or [Problem(loaded.path, refused.detail)]
        ) from None


__all__ = [
    "NOTHING_IMPORTED",
    "SKIP",
    "AccountChange",
    "AccountMatch",
    "Chooser",
    "ImportChange",
    "ImportPlan",
    "ImportRefused",
    "NewSecurity",
    "PriceChange",
    "SaveRefused",
    "apply_import",
    "describe",
    "inline_numbers",
    "match_accounts",
    "parse_account_mappings",
    "prepare_import",
]
