"""Tax-loss harvesting suggestions, and the replacement fund they (and --no-wash-sales) buy.

A replacement is a fund the account may buy (its menu, or any priced security
without one) with exactly the same class weights, that is not substantially
identical to the fund sold (another ticker outside its `wash_group`): the swap
keeps the class mix to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from rebal.core.numbers import ZERO, cents, div, mul
from rebal.core.tax.lots import HeldLot, Rates, Term, term_on
from rebal.core.tax.treatment import is_taxable
from rebal.core.tax.wash import WINDOW_DAYS, Buy, substantially_identical
from rebal.model import Account, Portfolio
from rebal.present.figures import plural


def replacement_fund(portfolio: Portfolio, account: Account, ticker: str) -> str | None:
    """The first fund `account` may buy that swaps for `ticker` without a wash sale."""
    weights = portfolio.securities[ticker].class_weights()
    candidates = account.menu if account.menu is not None else sorted(portfolio.securities)
    for candidate in dict.fromkeys(candidates):
        security = portfolio.securities.get(candidate)
        if (
            security is not None
            and security.price > 0
            and security.class_weights() == weights
            and not substantially_identical(portfolio, ticker, candidate)
        ):
            return candidate
    return None


SHARE_PLACES = Decimal("0.000001")


def shares_for(value: Decimal, price: Decimal, whole_shares: bool) -> Decimal:
    """Shares of the replacement that `value` buys: whole ones rounded down, else the
    planner's 6 places rounded up (as its buys are)."""
    if whole_shares:
        return div(value, price).quantize(Decimal(1), rounding=ROUND_DOWN)
    return div(value, price).quantize(SHARE_PLACES, rounding=ROUND_CEILING)


@dataclass(frozen=True)
class Harvest:
    account: str
    ticker: str
    acquired: dt.date | None
    shares: Decimal
    cost: Decimal
    value: Decimal
    loss: Decimal  # positive
    term: Term
    replacement: str | None
    replacement_shares: Decimal
    tax: Decimal | None  # the linear estimate of selling this lot (negative), None without rates
    blocked: str  # why it is not a suggestion to trade ("" when it is)


def harvest_candidates(
    portfolio: Portfolio,
    remaining: Mapping[tuple[str, str], Sequence[HeldLot]],
    buys: Sequence[Buy],
    date: dt.date,
    rates: Rates | None,
    threshold: Decimal,
    whole_shares: bool,
) -> list[Harvest]:
    """Loss lots of at least `threshold` in taxable accounts, after the plan's own sales."""
    found: list[Harvest] = []
    for account in portfolio.accounts:
        if not is_taxable(account):
            continue
        for ticker in account.holdings:
            security = portfolio.securities.get(ticker)
            if security is None or security.price <= 0:
                continue
            for lot in remaining.get((account.name, ticker), ()):
                if lot.cost is None or lot.acquired is None:
                    continue
                value = cents(mul(lot.shares, security.price))
                loss = cents(lot.cost) - value
                if loss <= 0 or loss < threshold:
                    continue
                term = term_on(lot.acquired, date)
                replacement = replacement_fund(portfolio, account, ticker)
                blocked = _blocked(portfolio, account, ticker, lot, buys, date, replacement)
                replacement_shares = ZERO
                if replacement is not None:
                    price = portfolio.securities[replacement].price
                    replacement_shares = shares_for(value, price, whole_shares)
                found.append(
                    Harvest(
                        account.name,
                        ticker,
                        lot.acquired,
                        lot.shares,
                        cents(lot.cost),
                        value,
                        loss,
                        term,
                        replacement,
                        replacement_shares,
                        None if rates is None else cents(-mul(loss, rates.of(term))),
                        blocked,
                    )
                )
    return found


def _blocked(
    portfolio: Portfolio,
    account: Account,
    ticker: str,
    lot: HeldLot,
    buys: Sequence[Buy],
    date: dt.date,
    replacement: str | None,
) -> str:
    if replacement is None:
        return f"{account.name} may buy no fund of the same class outside {ticker}'s wash group"
    for buy in buys:
        if substantially_identical(portfolio, ticker, buy.ticker):
            return f"this plan buys {buy.ticker} in {buy.account}: the loss would be a wash sale"
    for holder in portfolio.accounts:
        for other, lots in holder.lots.items():
            if not substantially_identical(portfolio, ticker, other):
                continue
            for recorded in lots:
                days = (date - recorded.acquired).days
                same = holder is account and other == ticker and recorded.acquired == lot.acquired
                if 0 <= days <= WINDOW_DAYS and not same:
                    return (
                        f"{other} was acquired in {holder.name} on "
                        f"{recorded.acquired.isoformat()}, "
                        f"{plural(days, 'day')} ago: the loss would be a wash sale"
                    )
    return ""
