"""Possible wash sales (IRC 1091) that a plan would create, from what the file shows.

A loss sale in a taxable account is flagged against each purchase of the same
ticker, or of a fund with the same `wash_group`, in any account of the
household: a buy in the same plan, or a lot acquired 0 to 30 days before the
plan date. Whether two different funds are substantially identical is the
user's call (`wash_group`); rebal does not decide it. Purchases after the
plan date cannot be seen, and the output says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rebal.core.numbers import ZERO, cents, div, mul
from rebal.core.tax.lots import SoldLot
from rebal.core.tax.treatment import is_taxable, tax_treatment
from rebal.model import Portfolio
from rebal.present.figures import plural

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Sale:
    account: str
    ticker: str
    lots: tuple[SoldLot, ...]


@dataclass(frozen=True)
class Buy:
    account: str
    ticker: str
    shares: Decimal


@dataclass(frozen=True)
class WashFlag:
    account: str  # where the loss sale is
    ticker: str
    loss: Decimal  # positive: the estimated loss on the sale's loss lots
    loss_shares: Decimal
    source: Literal["plan", "lot"]  # a buy in this plan, or a recorded lot
    buy_account: str
    buy_ticker: str
    buy_shares: Decimal
    days: int  # days from the purchase to the plan date (0 for this plan's buys)
    acquired: dt.date
    disallowed: Decimal  # about this much of the loss, on min(shares) at the average loss
    lost_for_good: bool  # the purchase is in a tax-advantaged account (Rev. Rul. 2008-5)
    why: str


def substantially_identical(portfolio: Portfolio, a: str, b: str) -> bool:
    """Same ticker, or both in the same user-named `wash_group`."""
    if a == b:
        return True
    group_a = _group(portfolio, a)
    return group_a is not None and group_a == _group(portfolio, b)


def _group(portfolio: Portfolio, ticker: str) -> str | None:
    security = portfolio.securities.get(ticker)
    return None if security is None else security.wash_group


def window(date: dt.date) -> tuple[dt.date, dt.date]:
    """The 61-day window around a sale on `date`."""
    return date - dt.timedelta(days=WINDOW_DAYS), date + dt.timedelta(days=WINDOW_DAYS)


def wash_flags(
    portfolio: Portfolio, sales: Sequence[Sale], buys: Sequence[Buy], date: dt.date
) -> list[WashFlag]:
    """Every (loss sale, purchase) pair that may be a wash sale, sale by sale."""
    flags: list[WashFlag] = []
    for sale in sales:
        account = portfolio.account(sale.account)
        if not is_taxable(account):
            continue
        losing = [lot for lot in sale.lots if lot.gain is not None and lot.gain < 0]
        if not losing:
            continue
        loss = -sum((lot.gain or ZERO for lot in losing), ZERO)
        loss_shares = sum((lot.shares for lot in losing), ZERO)
        for buy in buys:
            if substantially_identical(portfolio, sale.ticker, buy.ticker):
                flags.append(
                    _flag(
                        portfolio,
                        sale,
                        loss,
                        loss_shares,
                        "plan",
                        buy.account,
                        buy.ticker,
                        buy.shares,
                        date,
                        date,
                    )
                )
        for holder in portfolio.accounts:
            for ticker, lots in holder.lots.items():
                if not substantially_identical(portfolio, sale.ticker, ticker):
                    continue
                for index, lot in enumerate(lots):
                    days = (date - lot.acquired).days
                    if not 0 <= days <= WINDOW_DAYS:
                        continue
                    shares = lot.shares
                    if holder.name == sale.account and ticker == sale.ticker:
                        # Shares sold in this sale cannot replace themselves.
                        shares -= sum((s.shares for s in sale.lots if s.source == index), ZERO)
                    if shares > 0:
                        flags.append(
                            _flag(
                                portfolio,
                                sale,
                                loss,
                                loss_shares,
                                "lot",
                                holder.name,
                                ticker,
                                shares,
                                lot.acquired,
                                date,
                            )
                        )
    return flags


def _flag(
    portfolio: Portfolio,
    sale: Sale,
    loss: Decimal,
    loss_shares: Decimal,
    source: Literal["plan", "lot"],
    buy_account: str,
    buy_ticker: str,
    buy_shares: Decimal,
    acquired: dt.date,
    date: dt.date,
) -> WashFlag:
    matched = min(loss_shares, buy_shares)
    disallowed = cents(mul(div(loss, loss_shares), matched))
    lost = not is_taxable(portfolio.account(buy_account))
    sold = sum((lot.shares for lot in sale.lots), ZERO)
    days = (date - acquired).days
    start, end = window(date)
    head = (
        f"possible wash sale: selling {_n(sold)} {sale.ticker} in {sale.account} at an estimated "
        f"${cents(loss):,.2f} loss on {date.isoformat()}"
    )
    kind = tax_treatment(portfolio.account(buy_account))
    if source == "plan":
        head += f" while this plan buys {_n(buy_shares)} {buy_ticker} in {buy_account} ({kind})"
    else:
        head += (
            f"; {_n(buy_shares)} {buy_ticker} were acquired in {buy_account} ({kind}) on "
            f"{acquired.isoformat()}, {plural(days, 'day')} before (the window is "
            f"{start.isoformat()} to {end.isoformat()})"
        )
    tail = (f". The loss on {plural(matched, 'share')} (about ${disallowed:,.2f}) "
            "would be disallowed")
    tail += (
        " and, the purchase being in a tax-advantaged account, not recovered."
        if lost
        else " and added to the replacement's basis."
    )
    group = _group(portfolio, sale.ticker)
    advice = f' Buy a fund outside "{group}"' if group else f" Buy a fund other than {buy_ticker}"
    if source == "lot":
        advice = " Skip this sale until the window has passed, or accept the disallowed part."
    else:
        advice += ", or skip this sale."
    return WashFlag(
        sale.account,
        sale.ticker,
        cents(loss),
        loss_shares,
        source,
        buy_account,
        buy_ticker,
        buy_shares,
        days,
        acquired,
        disallowed,
        lost,
        head + tail + advice,
    )


def _n(shares: Decimal) -> str:
    return f"{shares.normalize():f}"


def unseen_purchases_note(tickers: Sequence[str], date: dt.date) -> str:
    """What rebal cannot see, for a plan with loss sales."""
    start, end = window(date)
    return (
        "rebal cannot see purchases after the plan date: if any account of yours or your "
        f"spouse's buys {', '.join(tickers)} or a fund you treat as identical between "
        f"{start.isoformat()} and {end.isoformat()} (automatic contributions and dividend "
        "reinvestment included), part of these losses may be disallowed"
    )
