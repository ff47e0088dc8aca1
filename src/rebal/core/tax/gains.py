"""Realized gains by term, netting, and the estimated tax change (IRS Pub. 550 rules).

Two figures, on purpose different:
- a trade's tax is linear: short-term gain x short rate + long-term gain x long
  rate, before any netting (what the trade adds, taken alone);
- the plan's estimated tax nets the terms and caps a net loss at the
  $3,000 a year that may offset ordinary income, at the short-term rate.
Carryovers and gains realized earlier in the year are taken as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import HUNDRED, ZERO, cents, div, exact, mul
from rebal.core.tax.lots import Rates, SoldLot, held_lots, term_on
from rebal.core.tax.treatment import is_taxable
from rebal.model import UNCLASSIFIED, Portfolio

# The yearly net capital loss that may offset ordinary income (IRS; $1,500 if married
# filing separately, which the file cannot say yet).
LOSS_LIMIT = Decimal(3000)

ESTIMATE_LABEL = (
    "estimated change in tax from your marginal rates; ignores brackets, the 0% long-term band, "
    "NIIT thresholds, AMT, carryovers and your other gains this year; not tax advice"
)


def tax_applies(portfolio: Portfolio) -> bool:
    """[tax] is given, or a taxable account records lots or a cost basis: tax figures apply."""
    return portfolio.tax is not None or any(
        is_taxable(a) and (a.lots or a.cost_basis) for a in portfolio.accounts
    )


@dataclass(frozen=True)
class Gains:
    """Realized gain (negative: loss) by term, to the cent, and proceeds of unknown basis."""

    short: Decimal = ZERO
    long: Decimal = ZERO
    unknown_basis: Decimal = ZERO  # proceeds of shares whose basis is unknown

    def __add__(self, other: Gains) -> Gains:
        return Gains(
            self.short + other.short,
            self.long + other.long,
            self.unknown_basis + other.unknown_basis,
        )

    @property
    def net(self) -> Decimal:
        return self.short + self.long


def realized(lots: Iterable[SoldLot]) -> Gains:
    total = Gains()
    for lot in lots:
        gain = lot.gain
        if gain is None:
            total += Gains(unknown_basis=lot.proceeds)
        elif lot.term == "long":
            total += Gains(long=gain)
        else:
            total += Gains(short=gain)
    return total


def linear_tax(gains: Gains, rates: Rates) -> Decimal:
    """One trade's tax, before netting: each term at its rate (a loss gives a negative tax)."""
    return cents(mul(gains.short, rates.short) + mul(gains.long, rates.long))


def estimated_tax(gains: Gains, rates: Rates, loss_limit: Decimal = LOSS_LIMIT) -> Decimal:
    """The netted estimate (docs/planner.md, "Tax"): nets terms, caps a net loss."""
    short, long = gains.short, gains.long
    if short >= 0 and long >= 0:
        return cents(mul(short, rates.short) + mul(long, rates.long))
    net = short + long
    if net < 0:
        return cents(-mul(min(-net, loss_limit), rates.short))
    # One term lost, the other gained more: the net keeps the gaining term's character.
    return cents(mul(net, rates.long if long > 0 else rates.short))


@dataclass(frozen=True)
class Unrealized:
    """One taxable account's unrealized gain in one class, if everything were sold on a date."""

    account: str
    asset_class: str
    value: Decimal  # market value with known basis
    cost: Decimal
    short: Decimal
    long: Decimal
    unknown_value: Decimal  # market value whose basis is unknown


@exact
def unrealized(portfolio: Portfolio, date: dt.date) -> list[Unrealized]:
    """Unrealized gains by taxable account and class (class weights split a fund), to the cent."""
    rows: list[Unrealized] = []
    for account in portfolio.accounts:
        if not is_taxable(account):
            continue
        by_class: dict[str, list[Decimal]] = {}
        for ticker in account.holdings:
            security = portfolio.securities.get(ticker)
            if security is None:
                continue
            weights = security.class_weights() or {UNCLASSIFIED: Decimal(100)}
            for lot in held_lots(account, ticker):
                value = mul(lot.shares, security.price)
                for name, weight in weights.items():
                    part = div(mul(value, weight), HUNDRED)
                    figures = by_class.setdefault(name, [ZERO] * 5)
                    if lot.cost is None:
                        figures[4] += part
                        continue
                    cost = div(mul(lot.cost, weight), HUNDRED)
                    figures[0] += part
                    figures[1] += cost
                    figures[2 if term_on(lot.acquired, date) == "short" else 3] += part - cost
        order = {name: index for index, name in enumerate(portfolio.targets)}
        for name in sorted(by_class, key=lambda c: (order.get(c, len(order)), c)):
            value, cost, short, long, unknown = (cents(x) for x in by_class[name])
            rows.append(Unrealized(account.name, name, value, cost, short, long, unknown))
    return rows
