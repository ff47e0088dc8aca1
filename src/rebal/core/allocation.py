"""Where the money is: by asset class, account, style box, sector and holding.

Split funds count in each of their classes by weight, account cash counts once
in the cash class, and anything unclassified is kept in the total under
"Unclassified" rather than dropped (dropping it would inflate every percentage).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import HUNDRED, ZERO, div, exact, mul, percent_of, round_half_up
from rebal.core.valuation import HoldingValue, holding_values, household_total
from rebal.model import UNCLASSIFIED, Portfolio, Security
from rebal.model.constants import STYLE_CELLS

EQUITY_WORDS = ("stock", "equit", "share")


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
    # Each fund's split once, however many accounts hold it (a large household holds
    # the same few funds in thousands of places).
    splits: dict[str, dict[str, Decimal]] = {}
    for holding in holding_values(portfolio):
        split = splits.get(holding.ticker)
        if split is None:
            split = security_class_weights(portfolio.securities[holding.ticker])
            splits[holding.ticker] = split
        for name, weight in split.items():
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


TARGET_PLACES = 2


@exact
def rescale_to_stock_share(
    targets: Mapping[str, Decimal], equity: set[str], stocks: Decimal
) -> dict[str, Decimal] | None:
    """Targets with the stock classes scaled to add up to `stocks` percent and the
    other classes to the rest, each keeping its proportion within its side.

    Targets are rounded to two places; the rounding rest goes to the largest class
    of its side, so they still sum to exactly 100. None when a side that must get
    a share has no target to scale (nothing says how to split it).
    """
    stock_names = [c for c in targets if c in equity]
    safe_names = [c for c in targets if c not in equity and c != UNCLASSIFIED]
    fixed = targets.get(UNCLASSIFIED, ZERO)
    sides = ((stock_names, stocks), (safe_names, HUNDRED - stocks - fixed))
    result = dict(targets)
    for names, share in sides:
        now = sum((targets[c] for c in names), ZERO)
        if now <= 0:
            if share > 0:
                return None
            continue
        for name in names:
            result[name] = round_half_up(div(mul(targets[name], share), now), TARGET_PLACES)
        largest = max(names, key=lambda c: (targets[c], c))
        result[largest] += share - sum((result[c] for c in names), ZERO)
    return result


@dataclass(frozen=True)
class ClassDriftByAccount:
    """Where one class's excess sits: each account's part of the household's excess.

    An account's part is what it holds in the class minus the target's share of
    the account's own value, so the parts add up to the household's excess exactly.
    """

    asset_class: str
    excess: Decimal  # money above (+) or below (-) the household target
    by_account: dict[str, Decimal]

    @property
    def largest(self) -> str | None:
        """The account holding most of the excess (or most of the shortfall)."""
        if not self.excess or not self.by_account:
            return None
        sign = 1 if self.excess > 0 else -1
        return max(self.by_account, key=lambda a: (sign * self.by_account[a], a))


@exact
def drift_by_account(
    portfolio: Portfolio, targets: Mapping[str, Decimal]
) -> list[ClassDriftByAccount]:
    """Each class's excess over target, split by the account that holds it."""
    by_account = account_class_exposure(portfolio)
    account_totals = {name: sum(v.values(), ZERO) for name, v in by_account.items()}
    household = class_exposure(portfolio)
    names = list(targets) + sorted(c for c in household if c not in targets)
    rows = []
    for name in names:
        share = div(targets.get(name, ZERO), HUNDRED)
        parts = {
            account: exposure.get(name, ZERO) - mul(share, account_totals[account])
            for account, exposure in by_account.items()
        }
        rows.append(ClassDriftByAccount(name, sum(parts.values(), ZERO), parts))
    return rows


@dataclass(frozen=True)
class CellChange:
    cell: str
    now: Decimal | None
    then: Decimal | None
    target: Decimal | None

    @property
    def moved(self) -> Decimal | None:
        """Points since the last review (None without a snapshot's style mix)."""
        if self.now is None or self.then is None:
            return None
        return self.now - self.then

    @property
    def off_target(self) -> Decimal | None:
        if self.now is None or self.target is None:
            return None
        return self.now - self.target


@dataclass(frozen=True)
class StyleComparison:
    cells: dict[str, CellChange]  # every style-box cell
    then_date: str | None  # the snapshot's date, when it carried a style mix
    most_moved: tuple[str, ...]  # the cells that moved most, largest first

    def changed(self, cell: str) -> bool:
        return cell in self.most_moved

    @exact
    def combined(self, part: str) -> CellChange:
        """A row or column of the box added up: "small" (all small cells) or "growth"."""
        cells = [c for c in self.cells.values() if part in c.cell.split("-")]

        def total(values: list[Decimal | None]) -> Decimal | None:
            return None if any(v is None for v in values) else sum(
                (v for v in values if v is not None), ZERO)

        return CellChange(
            part,
            total([c.now for c in cells]),
            total([c.then for c in cells]),
            total([c.target for c in cells]),
        )


MOST_MOVED = 3


@exact
def compare_style_box(
    now: Mapping[str, Decimal],
    then: Mapping[str, Decimal] | None,
    then_date: str | None,
    targets: Mapping[str, Decimal] | None,
) -> StyleComparison:
    """The style box now against the last review's and against the style targets.

    The cells that moved most are those furthest from the last review, or, with
    no snapshot mix, furthest from the targets; cells that did not move are never
    among them.
    """
    cells = {
        cell: CellChange(
            cell,
            now.get(cell, ZERO) if now else None,
            then.get(cell, ZERO) if then is not None else None,
            targets.get(cell, ZERO) if targets is not None else None,
        )
        for cell in STYLE_CELLS
    }

    def distance(change: CellChange) -> Decimal:
        gap = change.moved if change.moved is not None else change.off_target
        return abs(gap) if gap is not None else ZERO

    ranked = sorted((c for c in cells.values() if distance(c) > 0),
                    key=lambda c: (-distance(c), c.cell))
    return StyleComparison(
        cells, then_date if then is not None else None,
        tuple(c.cell for c in ranked[:MOST_MOVED]),
    )
