"""Asset location: where each class lives, by tax treatment, against the preference.

The preference for a class is its `[location]` entry (treatments, first =
preferred). Without one, a default follows the Bogleheads tax-efficient
placement order, read from the class name (the file's class names are the
user's own, so this is a guess the user can override):

| class name mentions                     | preferred order                       |
|-----------------------------------------|---------------------------------------|
| bond, fixed income, tips, reit, real estate | traditional, hsa, roth, taxable   |
| small, value                            | roth, hsa, traditional, taxable       |
| international, foreign, global, ex-us   | taxable, roth, hsa, traditional       |
| the cash class, cash, money market      | taxable, traditional, roth, hsa       |
| stock, equity, market, index (others)   | taxable, roth, hsa, traditional       |
| anything else                           | no preference                         |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import HUNDRED, ZERO, div, exact, mul, percent_of
from rebal.core.tax.treatment import TREATMENTS, Treatment, tax_treatment
from rebal.model import Portfolio

_DEFAULTS: tuple[tuple[tuple[str, ...], tuple[Treatment, ...]], ...] = (
    (
        ("bond", "fixed income", "tips", "reit", "real estate"),
        ("traditional", "hsa", "roth", "taxable"),
    ),
    (("small", "value"), ("roth", "hsa", "traditional", "taxable")),
    (
        ("international", "foreign", "global", "ex-us", "world"),
        ("taxable", "roth", "hsa", "traditional"),
    ),
    (("cash", "money market"), ("taxable", "traditional", "roth", "hsa")),
    (("stock", "equity", "market", "index"), ("taxable", "roth", "hsa", "traditional")),
)


def preference(portfolio: Portfolio, asset_class: str) -> tuple[tuple[Treatment, ...], bool]:
    """The class's preferred treatments, first = best, and whether the file gave them."""
    if asset_class in portfolio.location:
        return tuple(portfolio.location[asset_class]), True
    if asset_class == portfolio.cash_class:
        return _DEFAULTS[3][1], False
    name = asset_class.casefold()
    for words, order in _DEFAULTS:
        if any(word in name for word in words):
            return order, False
    return (), False


@dataclass(frozen=True)
class LocationRow:
    asset_class: str
    by_treatment: dict[Treatment, Decimal]  # value held under each treatment
    preferred: tuple[Treatment, ...]
    from_file: bool
    # Percent of the class held under its most preferred treatment the household has.
    in_first_choice: Decimal | None
    first_choice: Treatment | None


@exact
def location_table(portfolio: Portfolio) -> list[LocationRow]:
    """One row per class held or targeted, in target order, then the others by name."""
    values: dict[str, dict[Treatment, Decimal]] = {}
    present: set[Treatment] = set()
    for account in portfolio.accounts:
        treatment = tax_treatment(account)
        present.add(treatment)
        if account.cash:
            row = values.setdefault(portfolio.cash_class, {})
            row[treatment] = row.get(treatment, ZERO) + account.cash
        for ticker, shares in account.holdings.items():
            security = portfolio.securities.get(ticker)
            if security is None:
                continue
            value = mul(shares, security.price)
            for name, weight in security.class_weights().items():
                row = values.setdefault(name, {})
                row[treatment] = row.get(treatment, ZERO) + div(mul(value, weight), HUNDRED)
    order = [c for c in portfolio.targets if c in values]
    order += sorted(c for c in values if c not in portfolio.targets)
    rows: list[LocationRow] = []
    for name in order:
        held = values[name]
        preferred, from_file = preference(portfolio, name)
        first = next((t for t in preferred if t in present), None)
        total = sum(held.values(), ZERO)
        share = None if first is None else percent_of(held.get(first, ZERO), total)
        rows.append(
            LocationRow(
                name,
                {t: held.get(t, ZERO) for t in TREATMENTS if t in present},
                preferred,
                from_file,
                share,
                first,
            )
        )
    return rows


def treatments_present(rows: Sequence[LocationRow]) -> list[Treatment]:
    seen: set[Treatment] = set()
    for row in rows:
        seen.update(row.by_treatment)
    return [t for t in TREATMENTS if t in seen]
