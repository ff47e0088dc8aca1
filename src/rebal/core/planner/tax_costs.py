"""What the solvers know of taxes (docs/planner.md, "Tax in the objective").

With `[tax]` in the file, a sale in a taxable account is priced lot by lot: each
lot is a segment of the holding with its own tax per dollar sold, in the order
`core/tax/lots.lot_order` takes the lots, so the lots a plan reports are the ones
its solver priced. A segment's cost is what selling that dollar adds to the tax,
never below zero: a loss costs nothing rather than earning a credit, so the
solver never sells only to realize a loss (a harvest is asked for with
`--harvest`). Sales in tax-advantaged accounts cost nothing.

With `[tax]` or `[location]`, a buy also has a location cost: the rank of the
account's tax treatment in the class's preference (core/tax/location.py).
Files with neither are planned exactly as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import ZERO, div, exact, mul
from rebal.core.tax.location import preference
from rebal.core.tax.lots import HeldLot, Rates, held_lots, lot_order, term_on
from rebal.core.tax.treatment import Treatment, is_taxable
from rebal.model import Portfolio


def plan_date(portfolio: Portfolio, trade_date: dt.date | None) -> dt.date:
    """The day terms and the wash-sale window are taken on: --trade-date, else as_of."""
    return trade_date or portfolio.portfolio.as_of


@dataclass(frozen=True, slots=True)
class Segment:
    """One lot of a holding, as a sale can take it."""

    value: Decimal  # money: the lot's shares (those still held) x price
    tax: Decimal  # tax per dollar sold: rate x gain / price, 0 for a loss
    unknown: bool  # the lot's basis is unknown
    # What the gain budget counts per dollar sold: the highest realized gain per dollar
    # (a loss and an unknown basis count 0) of this lot and of every lot before it.
    # A sale takes the lots least tax first, which is not always least gain first (a
    # long-term lot's larger gain can cost less tax than a short-term lot's smaller
    # one): counted at its own gain, a later lot would let the solver sell it alone,
    # and the sale would realize the earlier lot's larger gain instead.
    budgeted: Decimal


@dataclass(frozen=True)
class TaxCosts:
    """The tax side of one planning problem."""

    rates: Rates
    date: dt.date
    budget: Decimal | None  # the most realized gain the plan may create, if the file caps it
    lots: Mapping[tuple[str, str], tuple[HeldLot, ...]]  # (taxable account, ticker)

    @exact
    def segments(self, account: str, ticker: str, shares: Decimal, price: Decimal) -> list[Segment]:
        """The lots a sale of this holding takes, cheapest first ([] outside taxable accounts)."""
        lots = self.lots.get((account, ticker))
        if lots is None or price <= 0:
            return []
        result: list[Segment] = []
        left = shares
        budgeted = ZERO
        for index in lot_order(lots, price, self.date, self.rates):
            if left <= 0:
                break
            lot = lots[index]
            take = min(lot.shares, left)
            left -= take
            value = mul(take, price)
            if lot.cost is None:
                result.append(Segment(value, ZERO, True, budgeted))
                continue
            gain = max(ZERO, div(price - div(lot.cost, lot.shares), price))
            budgeted = max(budgeted, gain)
            rate = self.rates.of(term_on(lot.acquired, self.date))
            result.append(Segment(value, mul(gain, rate), False, budgeted))
        if left > 0:
            # Shares beyond the lots (an edited holding): their basis is unknown.
            result.append(Segment(mul(left, price), ZERO, True, budgeted))
        return result

    @exact
    def budgeted_gain(self, account: str, ticker: str, shares: Decimal, price: Decimal) -> Decimal:
        """The gain the budget row counts for a sale of `shares` (Segment.budgeted)."""
        return sum(
            (mul(s.value, s.budgeted) for s in self.segments(account, ticker, shares, price)),
            ZERO,
        )


def tax_costs(portfolio: Portfolio, trade_date: dt.date | None) -> TaxCosts | None:
    """The tax costs of `portfolio`'s sales, or None when the file has no [tax]."""
    if portfolio.tax is None:
        return None
    lots = {
        (account.name, ticker): tuple(held_lots(account, ticker))
        for account in portfolio.accounts
        if is_taxable(account)
        for ticker in account.holdings
    }
    return TaxCosts(
        Rates.from_percent(portfolio.tax.short_term_rate, portfolio.tax.long_term_rate),
        plan_date(portfolio, trade_date),
        portfolio.tax.gain_budget,
        lots,
    )


def location_applies(portfolio: Portfolio) -> bool:
    """Buys follow the asset-location preference when the file has [tax] or [location]."""
    return portfolio.tax is not None or bool(portfolio.location)


def location_rank(
    portfolio: Portfolio, treatment: Treatment, weights: Mapping[str, Decimal]
) -> Decimal:
    """How far from its preferred place a buy lands: the treatment's rank (0 = first choice)
    in each class's preference, weighted by the fund's class fractions. A treatment the
    preference does not list ranks after every listed one; a class without a preference is 0.
    """
    rank = ZERO
    for name, weight in weights.items():
        order, _ = preference(portfolio, name)
        if not order:
            continue
        place = order.index(treatment) if treatment in order else len(order)
        rank += mul(weight, Decimal(place))
    return rank


__all__ = [
    "Segment",
    "TaxCosts",
    "location_applies",
    "location_rank",
    "plan_date",
    "tax_costs",
]
