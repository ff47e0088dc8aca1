"""Write a brand-new portfolio file from broker exports (`rebal init`).

Built with tomlkit rather than tomli-w: the file is the user's from now on,
and its comments must sit next to the tables they explain (what to fill in
under [targets], which `kind` was guessed, which securities need a class),
which tomli-w cannot write. tomlkit is imported only here, when writing.

The starter `[targets]` is `Unclassified = 100`, under a prominent comment.
The loader requires targets summing to 100, and until the user gives the new
securities a class every holding counts as "Unclassified": this is the only
mix that is both valid and true. `rebal check` then lists each unclassified
security until the user writes real classes and targets; nothing invents an
allocation for them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rebal.core.numbers import cents
from rebal.importers.model import BrokerAccount, ImportResult
from rebal.model import UNCLASSIFIED
from rebal.problems import Problem, ProblemsError
from rebal.store.atomic import write_atomic
from rebal.store.load import Loaded
from rebal.store.toml_edit import (
    EVERYTHING,
    EditRefused,
    inline_numbers,
    money,
    quantity,
    verify_edit,
)

if TYPE_CHECKING:
    from tomlkit.items import Item

BROKER_NAMES = {"fidelity": "Fidelity", "schwab": "Schwab", "vanguard": "Vanguard"}

# The broker's label says what kind of account it is often enough to guess;
# the file says it was a guess, and `kind` decides where selling is avoided.
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    (r"\broth\b", "roth"),
    (r"\bhsa\b|health savings", "hsa"),
    (
        r"\bira\b|401\s*\(?k|403\s*\(?b|\b457\b|rollover|\bsep\b|simple|traditional|retirement",
        "traditional",
    ),
    (r"individual|joint|brokerage|\btrust\b|tenant|taxable", "taxable"),
)


class InitRefused(ProblemsError):
    """The new file was not written; `problems` say why."""


def guess_kind(label: str) -> str:
    lowered = label.lower()
    for pattern, kind in _KIND_WORDS:
        if re.search(pattern, lowered):
            return kind
    return "other"


def account_names(accounts: Sequence[BrokerAccount]) -> list[str]:
    """Readable, unique names: "Fidelity ROTH IRA"; the number is added only to tell twins apart."""
    base = []
    for account in accounts:
        broker = BROKER_NAMES.get(account.broker)
        label = account.label if account.label else account.broker_id
        base.append(f"{broker} {label}" if broker else label)
    names = []
    for name, account in zip(base, accounts, strict=True):
        if base.count(name) > 1 and account.broker_id not in name:
            name = f"{name} {account.broker_id}"
        names.append(name)
    return names


def render_new_portfolio(
    results: Sequence[ImportResult], output: Path, today: dt.date, name: str | None = None
) -> str:
    """The text of a new portfolio file holding every account of `results`."""
    import tomlkit

    accounts = [account for result in results for account in result.accounts]
    ids = [a.broker_id for a in accounts]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InitRefused(
            [
                Problem(
                    output,
                    f"broker account {', '.join(duplicates)} appears in more than one export",
                    hint="pass each account's export once",
                )
            ]
        )
    as_of = max(result.as_of for result in results)
    document = tomlkit.document()
    document.add(tomlkit.comment(f"Portfolio file written by `rebal init` on {today} from:"))
    for result in results:
        document.add(
            tomlkit.comment(f"  {result.file.name} ({result.format}, as of {result.as_of})")
        )
    for line in (
        "",
        "What to do next:",
        "  1. Check each account's `kind` (taxable, traditional, roth, hsa, other):",
        "     it was guessed from the broker's label, and taxable accounts avoid selling.",
        '  2. Give every security a class, e.g. class = "US Stocks"',
        "     (`rebal check` lists the ones still missing).",
        "  3. Replace the placeholder [targets] with your target mix (it must sum to 100).",
        f"  4. Run `rebal check {output.name}`, then `rebal {output.name}`.",
        f"Later, `rebal import NEW-EXPORTS... --into {output.name}` updates holdings and prices",
        "and keeps everything you write here, comments included.",
    ):
        document.add(tomlkit.comment(line) if line else tomlkit.comment(""))
    document.add(tomlkit.nl())

    portfolio = tomlkit.table()
    portfolio["name"] = name or "My household"
    portfolio["currency"] = "USD"
    portfolio["as_of"] = as_of
    _comment(portfolio["as_of"], "the date of the prices below")
    portfolio["cash_class"] = "Cash"
    _comment(portfolio["cash_class"], "uninvested account cash counts in this class")
    document["portfolio"] = portfolio

    document.add(tomlkit.nl())
    for line in (
        "TARGETS: REPLACE THIS PLACEHOLDER WITH YOUR OWN MIX.",
        f'Until your securities have a class they all count as "{UNCLASSIFIED}", so',
        "this is the only target that adds up to 100 and is true today. Write yours,",
        "using the same class names as the securities' `class`, for example:",
        '  "US Stocks" = 55',
        '  "International Stocks" = 25',
        "  Bonds = 16",
        "  Cash = 4",
    ):
        document.add(tomlkit.comment(line))
    targets = tomlkit.table()
    targets[UNCLASSIFIED] = 100
    document["targets"] = targets

    bands = tomlkit.table()
    bands["kind"] = "relative"
    _comment(bands["kind"], "each class may stray 5% of its own target before it is flagged")
    bands["width"] = 5
    document["bands"] = bands

    securities = tomlkit.table(is_super_table=True)
    for key, (security_name, price, cusip, price_date) in _securities(results).items():
        entry = tomlkit.table()
        if security_name:
            entry["name"] = security_name
        entry["price"] = quantity(price)
        entry["price_as_of"] = price_date
        if cusip:
            entry["cusip"] = cusip
        entry.add(tomlkit.comment('class = "..."  <- set the asset class'))
        securities[key] = entry
    document["securities"] = securities

    account_tables = tomlkit.aot()
    for account_name, account in zip(account_names(accounts), accounts, strict=True):
        table = tomlkit.table()
        table["name"] = account_name
        kind = guess_kind(account.label)
        table["kind"] = kind
        _comment(table["kind"], f"guessed from {account.label!r}: check it")
        table["broker_id"] = account.broker_id
        table["cash"] = quantity(cents(account.cash))
        table["holdings"] = inline_numbers({p.key: p.shares for p in account.positions})
        if kind == "taxable":  # as an import does (rebal.importers.basis): gains only there
            for position in account.positions:
                if position.cost_basis is not None and position.shares:
                    table.add(
                        tomlkit.key(["cost_basis", position.key]),
                        money(position.cost_basis),
                    )
        account_tables.append(table)
    document["accounts"] = account_tables
    return tomlkit.dumps(document)


def _securities(
    results: Sequence[ImportResult],
) -> dict[str, tuple[str | None, Decimal, str | None, dt.date]]:
    """key -> (name, price, cusip, date of the price); the last file read wins."""
    found: dict[str, tuple[str | None, Decimal, str | None, dt.date]] = {}
    for result in results:
        for account in result.accounts:
            for position in account.positions:
                price = position.price if position.price is not None else Decimal(0)
                found[position.key] = (position.name, price, position.cusip, result.as_of)
    return found


def _comment(item: Item, text: str) -> None:
    item.comment(text)
    item.trivia.comment_ws = "  "


def write_new_portfolio(
    results: Sequence[ImportResult], output: Path, today: dt.date, name: str | None = None
) -> Loaded:
    """Write the new file (never over an existing one) and return it loaded.

    Raises InitRefused when the file exists or the text would not load;
    SaveRefused from write_atomic if the file appears meanwhile.
    """
    if os.path.lexists(output):  # a dangling symlink would be written through
        raise InitRefused(
            [
                Problem(
                    output,
                    "already exists; rebal init never overwrites a file",
                    hint=f"choose another name, or update it: rebal import ... --into {output}",
                )
            ]
        )
    text = render_new_portfolio(results, output, today, name)
    try:
        portfolio, problems = verify_edit(output, "", text, EVERYTHING)
    except EditRefused as refused:
        raise InitRefused(refused.problems or [Problem(output, refused.detail)]) from None
    # Checked above, so the file on disk is this text: no need to read it back.
    fingerprint = write_atomic(output, text, None)
    return Loaded(output, text, portfolio, problems, fingerprint)


__all__ = ["InitRefused", "render_new_portfolio", "write_new_portfolio"]
