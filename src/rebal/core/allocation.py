"""Where the money is: by asset class, account, style box, sector and holding.

Split funds count in each of their classes by weight, account cash counts once
in the cash class, and anything unclassified is kept in the total under
"Unclassified" rather than dropped (dropping it would inflate every percentage).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import HUNDRED, ZERO, div, exact, mul, percent_of
from rebal.core.valuation import HoldingValue, holding_values, household_total
from rebal.model import UNCLASSIFIED, Portfolio, Security
from rebal.model.constants import STYLE_CELLS

EQUITY_WORDS = ("stock", "equit", "share")
NO_SECTOR_DATA = "No sector data"


@exact
def security_class_weights(security: Security) -> dict[str, Decimal]:
    """Fractions of a security in each class, summing to 1.

    A security with no class counts wholly as "Unclassified" (kept in the
    total, never dropped). A split fund's percentages may be hand-rounded
    (33.33 x 3 = 99.99, which the file allows): they are scaled to sum to
    exactly 1, so no sliver of the fund shows up as a spurious unclassified
    drift and no money is created or lost.
    """
    percents = security.class_weights()
    spread = sum(percents.values(), ZERO)
    if spread <= 0:
        return {UNCLASSIFIED: Decimal(1)}
    return {name: div(pct, spread) for name, pct in percents.items() if pct}


@exact
def class_exposure(portfolio: Portfolio) -> dict[str, Decimal]:
    """Money in each asset class across the household (exact)."""
    exposure: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for holding in holding_values(portfolio):
        for name, weight in security_class_weights(portfolio.securities[holding.ticker]).items():
            exposure[name] += mul(holding.value, weight)
    for account in portfolio.accounts:
        if account.cash:
            exposure[portfolio.cash_class] += account.cash
    return dict(exposure)


@exact
def account_class_exposure(portfolio: Portfolio) -> dict[str, dict[str, Decimal]]:
    """For each account, the money it holds in each class (cash included)."""
    result: dict[str, dict[str, Decimal]] = {}
    for account in portfolio.accounts:
        exposure: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for ticker, shares in account.holdings.items():
            security = portfolio.securities[ticker]
            value = mul(shares, security.price)
            for name, weight in security_class_weights(security).items():
                exposure[name] += mul(value, weight)
        if account.cash:
            exposure[portfolio.cash_class] += account.cash
        result[account.name] = dict(exposure)
    return result


def equity_classes(portfolio: Portfolio, classes: Iterable[str]) -> set[str]:
    """Classes that count as stocks: the file's list, or names that say so."""
    if portfolio.portfolio.equity_classes is not None:
        return set(portfolio.portfolio.equity_classes)
    return {c for c in classes if any(word in c.lower() for word in EQUITY_WORDS)}


def _known_classes(portfolio: Portfolio) -> set[str]:
    names = set(portfolio.targets)
    for security in portfolio.securities.values():
        names.update(security.class_weights())
    return names


@exact
def equity_fraction(portfolio: Portfolio, security: Security) -> Decimal:
    equity = equity_classes(portfolio, _known_classes(portfolio))
    return sum((w for name, w in security_class_weights(security).items() if name in equity), ZERO)


@dataclass(frozen=True)
class StocksVersusSafe:
    """Step 3(a): stocks against bonds and cash, in money and percent of the total."""

    stocks: Decimal
    bonds_and_cash: Decimal
    other: Decimal
    stocks_target: Decimal
    bonds_and_cash_target: Decimal
    total: Decimal


@exact
def stocks_versus_safe(portfolio: Portfolio) -> StocksVersusSafe:
    exposure = class_exposure(portfolio)
    targets = portfolio.effective_targets()
    equity = equity_classes(portfolio, set(exposure) | set(targets))
    stocks = sum((v for c, v in exposure.items() if c in equity), ZERO)
    other = exposure.get(UNCLASSIFIED, ZERO)
    safe = sum(exposure.values(), ZERO) - stocks - other
    stocks_target = sum((t for c, t in targets.items() if c in equity), ZERO)
    return StocksVersusSafe(
        stocks=stocks,
        bonds_and_cash=safe,
        other=other,
        stocks_target=stocks_target,
        bonds_and_cash_target=HUNDRED - stocks_target - targets.get(UNCLASSIFIED, ZERO),
        total=household_total(portfolio),
    )


@dataclass(frozen=True)
class LookThrough:
    """A view of the equity part: each key's share of equity, and how much had data."""

    equity_total: Decimal
    covered: Decimal  # equity money whose security carried data for this view
    shares: dict[str, Decimal]  # key -> percent of the covered equity

    @property
    def coverage(self) -> Decimal | None:
        return percent_of(self.covered, self.equity_total)


def _equity_holdings(portfolio: Portfolio) -> list[tuple[HoldingValue, Security, Decimal]]:
    equity = equity_classes(portfolio, _known_classes(portfolio))
    rows = []
    for holding in holding_values(portfolio):
        security = portfolio.securities[holding.ticker]
        fraction = sum(
            (w for c, w in security_class_weights(security).items() if c in equity), ZERO
        )
        if fraction > 0 and holding.value > 0:
            rows.append((holding, security, mul(holding.value, fraction)))
    return rows


def _look_through(
    rows: list[tuple[Decimal, dict[str, Decimal] | None]], keys: Iterable[str]
) -> LookThrough:
    """Spread each row's equity money over its keys; shares sum to exactly 100.

    Weights below 100 leave their rest under "Unclassified"; weights a little
    above 100 (the file allows 0.01 of slack) are scaled down to 100. When no
    equity carries data the shares are empty: there is no grid, never 0/0.
    """
    equity_total = sum((money for money, _ in rows), ZERO)
    money_by_key: dict[str, Decimal] = {key: ZERO for key in keys}
    covered = ZERO
    for money, weights in rows:
        if not weights:
            continue
        covered += money
        spread = sum(weights.values(), ZERO)
        scale = max(spread, HUNDRED)
        for key, pct in weights.items():
            money_by_key[key] = money_by_key.get(key, ZERO) + div(mul(money, pct), scale)
        if spread < HUNDRED:
            rest = div(mul(money, HUNDRED - spread), HUNDRED)
            money_by_key[UNCLASSIFIED] = money_by_key.get(UNCLASSIFIED, ZERO) + rest
    if covered <= 0:
        return LookThrough(equity_total, covered, {})
    shares = {key: div(mul(value, HUNDRED), covered) for key, value in money_by_key.items()}
    return LookThrough(equity_total, covered, shares)


@exact
def style_box(portfolio: Portfolio) -> LookThrough:
    """The 3x3 size x style grid of the equity part, as percent of equity with style data.

    A security carries one cell (`style = "large-blend"`) or cell weights. When
    any equity has style data, `shares` has all nine cells (plus "Unclassified"
    for weights short of 100); it is empty when no equity has style data, and
    coverage is None when nothing is equity: never 0/0.
    """
    rows: list[tuple[Decimal, dict[str, Decimal] | None]] = []
    for _, security, money in _equity_holdings(portfolio):
        style = security.style
        weights = {style: HUNDRED} if isinstance(style, str) else style
        rows.append((money, weights))
    return _look_through(rows, STYLE_CELLS)


@exact
def sector_exposure(portfolio: Portfolio) -> LookThrough:
    """Look-through sector weights as percent of the equity that has sector data."""
    rows = [(money, security.sectors) for _, security, money in _equity_holdings(portfolio)]
    return _look_through(rows, ())


def concentrated_sectors(view: LookThrough, limit: Decimal) -> list[str]:
    """Sectors above `limit` percent of equity, largest first (Unclassified never counts)."""
    over = [(s, v) for s, v in view.shares.items() if v > limit and s != UNCLASSIFIED]
    return [s for s, _ in sorted(over, key=lambda sv: (-sv[1], sv[0]))]


@dataclass(frozen=True)
class HoldingSummary:
    """Step 3(d): one security across all accounts."""

    ticker: str
    name: str
    value: Decimal
    weight: Decimal | None  # percent of the household
    classes: dict[str, Decimal]  # percent of the security in each class
    accounts: dict[str, Decimal]  # account -> value there
    growth: Decimal | None  # percent since the last snapshot, where known


@exact
def holdings_one_by_one(portfolio: Portfolio) -> list[HoldingSummary]:
    total = household_total(portfolio)
    snapshot = portfolio.latest_snapshot()
    by_ticker: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for holding in holding_values(portfolio):
        split = by_ticker[holding.ticker]
        split[holding.account] = split.get(holding.account, ZERO) + holding.value
    summaries = []
    for ticker, split in by_ticker.items():
        security = portfolio.securities[ticker]
        value = sum(split.values(), ZERO)
        growth = None
        if snapshot is not None and snapshot.holdings.get(ticker):
            before = snapshot.holdings[ticker]
            growth = percent_of(value - before, before)
        summaries.append(
            HoldingSummary(
                ticker=ticker,
                name=security.name or ticker,
                value=value,
                weight=percent_of(value, total),
                classes=security.class_weights() or {UNCLASSIFIED: HUNDRED},
                accounts=split,
                growth=growth,
            )
        )
    return sorted(summaries, key=lambda s: (-s.value, s.ticker))
