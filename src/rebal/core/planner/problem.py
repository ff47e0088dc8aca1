"""The planning problem: the household reduced to what the solvers need.

Single-class funds are aggregated per (account, class) into one "asset": the
solvers decide how much money moves in or out of US Stocks in the Roth IRA, and
`trades.py` later decides which funds carry it (sell the largest position
first, buy the account's preferred fund). A split fund (`classes = {...}`) is
its own asset, because a trade in it moves several classes at once. This keeps
a 2,000-position household down to a few hundred solver columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from rebal.core.allocation import security_class_weights
from rebal.core.bands import band_for
from rebal.core.numbers import HUNDRED, ZERO, div, exact, mul
from rebal.core.planner.only import check_only, may_trade
from rebal.core.planner.tax_costs import TaxCosts, location_applies, tax_costs
from rebal.core.planner.types import Action, PlanError, PlanOptions
from rebal.core.tax.treatment import Treatment, tax_treatment
from rebal.model import Account, Portfolio, Security
from rebal.present.figures import money

# (account, ticker, action): a position the min-trade pass has frozen.
Frozen = frozenset[tuple[str, str, Action]]


@dataclass(frozen=True, slots=True)
class Holding:
    ticker: str
    shares: Decimal
    price: Decimal
    value: Decimal


@dataclass(slots=True)
class Asset:
    """What a solver may trade in one account: a class (single-class funds) or one split fund."""

    account: str
    key: str  # "class:<name>" or "fund:<ticker>"
    weights: Mapping[str, Decimal]  # fraction of each class, summing to 1
    holdings: tuple[Holding, ...]  # sellable positions, in the order they are sold
    buy_ticker: str | None  # the fund a buy goes to, None when it cannot be bought
    _sellable: Decimal = field(default=ZERO, repr=False, compare=False)
    _sellable_of: tuple[Holding, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def sellable(self) -> Decimal:
        # Asked for often by the solvers and the rounding: computed once per holdings tuple.
        if self._sellable_of is not self.holdings:
            self._sellable = sum((h.value for h in self.holdings), ZERO)
            self._sellable_of = self.holdings
        return self._sellable

    @property
    def single_class(self) -> str | None:
        return next(iter(self.weights)) if len(self.weights) == 1 else None


@dataclass(slots=True)
class AccountState:
    name: str
    cash: Decimal  # after new money; may be negative (then it must sell)
    new_money: Decimal
    avoids_selling: bool
    may_buy: bool
    may_sell: bool
    menu: tuple[str, ...] | None
    buyable: tuple[str, ...]  # tickers it may buy, in preference order
    treatment: Treatment = "other"  # its tax treatment (core/tax/treatment.py)


@dataclass
class Problem:
    portfolio: Portfolio  # with the new money already in the accounts' cash
    options: PlanOptions
    accounts: list[AccountState]
    assets: list[Asset]
    classes: list[str]
    targets: dict[str, Decimal]  # percent, every class present
    exposure: dict[str, Decimal]  # money per class before the trades
    target_money: dict[str, Decimal]  # exact t/100 x total
    total: Decimal
    cash_class: str
    frozen_value: dict[str, Decimal] = field(default_factory=dict)  # per class
    # Tax in the objective: the lots' costs (None without [tax] or with use_tax off),
    # and whether buys follow the location preference (tax_costs.py).
    tax: TaxCosts | None = None
    location: bool = False
    weights: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # per ticker
    _by_name: dict[str, AccountState] | None = field(default=None, repr=False)
    _holdings: dict[str, Mapping[str, Decimal]] | None = field(default=None, repr=False)

    @property
    def single_class(self) -> bool:
        return all(asset.single_class is not None for asset in self.assets)

    @property
    def taxed_sales(self) -> bool:
        """Some taxable account may sell with lots priced: only the LP weighs their tax."""
        return self.tax is not None and any(
            asset.holdings and self.account(asset.account).treatment == "taxable"
            for asset in self.assets
        )

    def account(self, name: str) -> AccountState:
        return self._accounts_by_name()[name]

    def held_shares(self, account: str, ticker: str) -> Decimal:
        return self._holdings_by_account()[account].get(ticker, ZERO)

    # Lookups by name, built once: a 500-account household must not scan lists per line.
    def _accounts_by_name(self) -> dict[str, AccountState]:
        if self._by_name is None:
            self._by_name = {a.name: a for a in self.accounts}
        return self._by_name

    def _holdings_by_account(self) -> Mapping[str, Mapping[str, Decimal]]:
        if self._holdings is None:
            self._holdings = {a.name: a.holdings for a in self.portfolio.accounts}
        return self._holdings

    def band_money(self, asset_class: str) -> tuple[Decimal, Decimal]:
        """The band of `asset_class` in money: (low, high) of the total."""
        band = band_for(self.targets[asset_class], self.portfolio.bands, asset_class)
        return div(mul(band.low, self.total), HUNDRED), div(mul(band.high, self.total), HUNDRED)


@exact
def weights_by_ticker(portfolio: Portfolio) -> dict[str, dict[str, Decimal]]:
    """Each security's class fractions, computed once per plan instead of once per holding."""
    return {t: security_class_weights(s) for t, s in portfolio.securities.items()}


@exact
def exposure_of(
    portfolio: Portfolio, weights: Mapping[str, Mapping[str, Decimal]]
) -> dict[str, Decimal]:
    """Money per class: the same arithmetic as allocation.class_exposure, with cached weights.

    Runs under the 50-digit context, so plain operators give exactly what
    class_exposure's mul() gives; the tests hold the two equal.
    """
    exposure: dict[str, Decimal] = {}
    for account in portfolio.accounts:
        for ticker, shares in account.holdings.items():
            value = shares * portfolio.securities[ticker].price
            for name, weight in weights[ticker].items():
                exposure[name] = exposure.get(name, ZERO) + value * weight
    for account in portfolio.accounts:
        if account.cash:
            exposure[portfolio.cash_class] = exposure.get(portfolio.cash_class, ZERO) + account.cash
    return exposure


def planning_targets(
    portfolio: Portfolio, override: Mapping[str, Decimal] | None
) -> dict[str, Decimal]:
    """The file's targets or the override, with 0% for every class held but not targeted."""
    if override is None:
        return portfolio.effective_targets()
    return portfolio.model_copy(update={"targets": dict(override)}).effective_targets()


def tradeable(security: Security | None) -> bool:
    """A security can be bought only with a class and a price above zero."""
    return security is not None and security.price > 0 and bool(security.class_weights())


@exact
def with_new_money(portfolio: Portfolio, new_money: Mapping[str, Decimal]) -> Portfolio:
    """`portfolio` with each account's new money (signed) added to its cash."""
    names = {a.name for a in portfolio.accounts}
    unknown = sorted(set(new_money) - names)
    if unknown:
        raise PlanError(
            f"new money names an account that is not in the file: {', '.join(unknown)} "
            f"(the accounts are {', '.join(sorted(names))})"
        )
    if not any(new_money.values()):
        return portfolio
    accounts = [
        a.model_copy(update={"cash": a.cash + new_money.get(a.name, ZERO)})
        if new_money.get(a.name)
        else a
        for a in portfolio.accounts
    ]
    return portfolio.model_copy(update={"accounts": accounts})


def _preferred_order(
    portfolio: Portfolio, account: Account, tradeable_sorted: tuple[str, ...]
) -> tuple[str, ...]:
    """Tickers the account may buy, most preferred first.

    With a menu: menu order (the first fund of a class on the menu is the one
    bought). Without one: funds the account already holds come first (largest
    position first, so a buy tops up what is there), then every other security
    in ticker order.
    """
    tradeable_set = set(tradeable_sorted)
    if account.menu is not None:
        return tuple(t for t in dict.fromkeys(account.menu) if t in tradeable_set)
    held = sorted(
        (t for t in account.holdings if t in tradeable_set),
        key=lambda t: (-(account.holdings[t] * portfolio.securities[t].price), t),
    )
    held_set = set(held)
    return (*held, *(t for t in tradeable_sorted if t not in held_set))


@exact
def build_problem(
    portfolio: Portfolio,
    options: PlanOptions,
    frozen: Frozen = frozenset(),
    targets: Mapping[str, Decimal] | None = None,
) -> Problem:
    """The problem for `portfolio`; `targets` may pass planning_targets' answer if known."""
    funded = with_new_money(portfolio, options.new_money)
    check_only(portfolio, options)
    targets = dict(planning_targets(portfolio, options.targets) if targets is None else targets)
    weights_of_ticker = weights_by_ticker(funded)
    exposure = exposure_of(funded, weights_of_ticker)
    tradeable_sorted = tuple(sorted(t for t, s in funded.securities.items() if tradeable(s)))
    total = sum(exposure.values(), ZERO)
    cash_class = portfolio.cash_class

    accounts: list[AccountState] = []
    assets: list[Asset] = []
    frozen_value: dict[str, Decimal] = {}
    extra_classes: set[str] = set()
    for account in funded.accounts:
        flow = options.new_money.get(account.name, ZERO)
        buyable = tuple(
            t
            for t in _preferred_order(funded, account, tradeable_sorted)
            if (account.name, t, "buy") not in frozen
        )
        may_buy, may_sell = True, True
        if options.mode == "cash-flow":
            # Lazy rebalancing: money coming in only buys, money going out only sells.
            withdrawing = flow < 0 or account.cash < 0
            may_buy, may_sell = not withdrawing, withdrawing
        if not may_trade(options, account.name):
            may_buy = may_sell = False
        accounts.append(
            AccountState(
                name=account.name,
                cash=account.cash,
                new_money=flow,
                avoids_selling=options.avoid_selling.get(account.name, account.avoids_selling),
                may_buy=may_buy,
                may_sell=may_sell,
                menu=tuple(account.menu) if account.menu is not None else None,
                buyable=buyable if may_buy else (),
                treatment=tax_treatment(account),
            )
        )
        worth = account.cash + sum(
            (q * funded.securities[t].price for t, q in account.holdings.items()), ZERO
        )
        if worth < 0:
            raise PlanError(
                f"account {account.name!r}: its cash after the new money "
                f"({money(account.cash, portfolio.portfolio.currency)}) is "
                f"more negative than its holdings are worth: withdraw less from it"
            )
        # Group this account's sellable positions by asset.
        by_class: dict[str, list[Holding]] = {}
        split: dict[str, list[Holding]] = {}
        weights_of: dict[str, dict[str, Decimal]] = {}
        for ticker, shares in account.holdings.items():
            security = funded.securities[ticker]
            value = shares * security.price
            weights = weights_of_ticker[ticker]
            if shares <= 0 or security.price <= 0:
                continue
            if not may_sell or (account.name, ticker, "sell") in frozen:
                for name, weight in weights.items():
                    frozen_value[name] = frozen_value.get(name, ZERO) + value * weight
                continue
            holding = Holding(ticker, shares, security.price, value)
            if len(weights) == 1:
                by_class.setdefault(next(iter(weights)), []).append(holding)
            else:
                split.setdefault(ticker, []).append(holding)
                weights_of[ticker] = weights
        # Buys: the preferred single-class fund per class; every buyable split fund.
        preferred: dict[str, str] = {}
        split_buys: list[str] = []
        for ticker in buyable if may_buy else ():
            weights = weights_of_ticker[ticker]
            if len(weights) == 1:
                name = next(iter(weights))
                # Buying a money-market fund with cash changes no class: never useful.
                if name != cash_class:
                    preferred.setdefault(name, ticker)
            else:
                split_buys.append(ticker)
                weights_of[ticker] = weights
            extra_classes.update(weights)
        # A split fund bought where a plain fund of each of its classes can be
        # bought instead reaches the same exposure with the same dollars; its
        # column only slows the solver, so it is left out (docs/planner.md).
        split_buys = [t for t in split_buys if not all(c in preferred for c in weights_of[t])]
        for name in list(dict.fromkeys([*by_class, *preferred])):
            holdings = sorted(by_class.get(name, []), key=lambda h: (-h.value, h.ticker))
            assets.append(
                Asset(
                    account.name,
                    f"class:{name}",
                    {name: Decimal(1)},
                    tuple(holdings),
                    preferred.get(name),
                )
            )
        for ticker in list(dict.fromkeys([*split, *split_buys])):
            assets.append(
                Asset(
                    account.name,
                    f"fund:{ticker}",
                    weights_of[ticker],
                    tuple(split.get(ticker, [])),
                    ticker if ticker in split_buys else None,
                )
            )

    if total <= 0:
        raise PlanError(
            "the household is worth nothing after the new money: there is nothing to plan"
            if options.new_money
            else "the household is worth nothing: there is nothing to plan"
        )
    for name in sorted(extra_classes | set(exposure)):
        targets.setdefault(name, ZERO)
    targets.setdefault(cash_class, ZERO)
    classes = list(targets)
    target_money = {c: div(mul(targets[c], total), HUNDRED) for c in classes}
    return Problem(
        portfolio=funded,
        options=options,
        accounts=accounts,
        assets=assets,
        classes=classes,
        targets=targets,
        exposure={c: exposure.get(c, ZERO) for c in classes},
        target_money=target_money,
        total=total,
        cash_class=cash_class,
        frozen_value=frozen_value,
        weights=weights_of_ticker,
        tax=tax_costs(funded, options.trade_date) if options.use_tax else None,
        location=options.use_tax and location_applies(funded),
    )


@exact
def exposure_after(
    problem: Problem, moves: Mapping[tuple[str, str], Decimal]
) -> dict[str, Decimal]:
    """Money per class after `moves` (money per (account, asset key), + buys, - sells)."""
    exposure = dict(problem.exposure)
    weights = {(a.account, a.key): a.weights for a in problem.assets}
    for key, move in moves.items():
        for name, weight in weights[key].items():
            exposure[name] = exposure.get(name, ZERO) + mul(move, weight)
        exposure[problem.cash_class] = exposure.get(problem.cash_class, ZERO) - move
    return exposure


def total_drift(exposure: Mapping[str, Decimal], targets: Mapping[str, Decimal]) -> Decimal:
    """Sum over classes of |money - target money| (the contract's closeness measure)."""
    total = sum(exposure.values(), ZERO)
    names = set(exposure) | set(targets)
    return sum(
        (
            abs(exposure.get(c, ZERO) - div(mul(targets.get(c, ZERO), total), HUNDRED))
            for c in names
        ),
        ZERO,
    )


__all__ = [
    "AccountState",
    "Asset",
    "Frozen",
    "Holding",
    "Problem",
    "build_problem",
    "exposure_after",
    "exposure_of",
    "planning_targets",
    "total_drift",
    "tradeable",
    "weights_by_ticker",
    "with_new_money",
]
