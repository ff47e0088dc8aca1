"""Holding periods, the lots behind a holding, and which lots a sale takes.

Long-term means held more than one year: the sale's trade date is after the
purchase's first anniversary (IRS Pub. 550). A purchase on the last day of
February has its anniversary on the last day of February of the next year,
so it turns long-term on March 1 (the conservative reading, also for Feb 29).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rebal.core.numbers import HUNDRED, ZERO, cents, div, mul, split_to_cents
from rebal.model import Account

Term = Literal["short", "long"]
# Where a lot's figures come from: a [[accounts]] lots entry, a cost_basis total
# (date unknown), or nothing (shares with unknown basis).
Basis = Literal["lot", "cost_basis", "unknown"]


def anniversary(acquired: dt.date) -> dt.date:
    """The first anniversary of a purchase: the day after it, a sale is long-term."""
    year = acquired.year + 1
    if acquired.month == 2 and acquired.day >= 28:
        last = calendar.monthrange(acquired.year, 2)[1]
        if acquired.day == last:
            return dt.date(year, 2, calendar.monthrange(year, 2)[1])
    return acquired.replace(year=year)


def term_on(acquired: dt.date | None, sold: dt.date) -> Term:
    """The term of shares sold on `sold`; an unknown date is assumed short-term."""
    if acquired is not None and sold > anniversary(acquired):
        return "long"
    return "short"


@dataclass(frozen=True)
class HeldLot:
    """Shares held at one basis: cost None when unknown, acquired None when undated."""

    acquired: dt.date | None
    shares: Decimal
    cost: Decimal | None
    basis: Basis


def held_lots(account: Account, ticker: str) -> list[HeldLot]:
    """The lots of a holding: its lots, else one lot at its cost_basis, else unknown basis.

    Shares the lots do not cover (the store refuses lots that do not add up,
    but an edited holding in the app may get ahead of them) have unknown basis.
    """
    held = account.holdings.get(ticker, ZERO)
    if ticker in account.lots:
        lots = [HeldLot(lot.acquired, lot.shares, lot.cost, "lot") for lot in account.lots[ticker]]
        covered = sum((lot.shares for lot in lots), ZERO)
        if held > covered:
            lots.append(HeldLot(None, held - covered, None, "unknown"))
        return lots
    if held <= 0:
        return []
    if ticker in account.cost_basis:
        return [HeldLot(None, held, account.cost_basis[ticker], "cost_basis")]
    return [HeldLot(None, held, None, "unknown")]


@dataclass(frozen=True)
class SoldLot:
    """Shares a sale takes from one lot, with their proceeds, cost and gain to the cent."""

    acquired: dt.date | None
    shares: Decimal
    proceeds: Decimal
    cost: Decimal | None  # None: unknown basis
    term: Term | None  # None: unknown date and basis
    basis: Basis
    source: int  # index of the lot in the holding's lots; -1 for shares beyond them

    @property
    def gain(self) -> Decimal | None:
        return None if self.cost is None else self.proceeds - self.cost


@dataclass(frozen=True)
class Rates:
    """Marginal rates as fractions (35% -> 0.35)."""

    short: Decimal
    long: Decimal

    @classmethod
    def from_percent(cls, short: Decimal, long: Decimal) -> Rates:
        return cls(div(short, HUNDRED), div(long, HUNDRED))

    def of(self, term: Term) -> Decimal:
        return self.short if term == "short" else self.long


def _rank(
    lot: HeldLot, price: Decimal, sold: dt.date, rates: Rates | None
) -> tuple[int, Decimal, int, Decimal, dt.date]:
    """Cheapest first: known basis before unknown; then tax per share at the lot's rate
    (without rates: losses, then long-term, then short-term); then higher basis, older lot.

    Tax per share is exact for one sale at one price (docs, "Lot selection"): it
    puts a tiny short-term gain before a large long-term one.
    """
    oldest = lot.acquired or dt.date.min
    if lot.cost is None:
        return (1, ZERO, 0, ZERO, oldest)
    per_share = div(lot.cost, lot.shares)
    gain = price - per_share
    term = term_on(lot.acquired, sold)
    if rates is not None:
        key = mul(gain, rates.of(term))
        group = 0
    else:
        key = gain if gain < 0 else ZERO
        group = 0 if gain < 0 else (1 if term == "long" else 2)
    return (0, key, group, -per_share, oldest)


def lot_order(
    lots: Sequence[HeldLot], price: Decimal, sold: dt.date, rates: Rates | None
) -> list[int]:
    """The indexes of `lots` in the order a sale at `price` takes them, least tax first.

    The one order of the lots: the planner's tax costs follow it too, so the lots
    a plan reports are the ones its solver priced (docs/planner.md, "Tax").
    """
    return sorted(range(len(lots)), key=lambda i: _rank(lots[i], price, sold, rates))


def select_lots(
    lots: Sequence[HeldLot],
    shares: Decimal,
    amount: Decimal,
    sold: dt.date,
    rates: Rates | None,
) -> list[SoldLot]:
    """The lots a sale of `shares` for `amount` (cents) takes, least tax first.

    The proceeds are split across the lots by shares, to the cent, so the lots'
    proceeds add up to the trade's amount; each lot's cost is its basis for the
    shares taken, to the cent.
    """
    price = div(amount, shares) if shares else ZERO
    ordered = lot_order(lots, price, sold, rates)
    taken: list[tuple[int, HeldLot, Decimal]] = []
    left = shares
    for source in ordered:
        if left <= 0:
            break
        take = min(lots[source].shares, left)
        taken.append((source, lots[source], take))
        left -= take
    if left > 0:
        # More shares sold than the lots hold: the excess has no known basis.
        taken.append((-1, HeldLot(None, left, None, "unknown"), left))
    proceeds = split_to_cents(
        {i: div(mul(amount, take), shares) for i, (_, _, take) in enumerate(taken)}
    )
    result = []
    for index, (source, lot, take) in enumerate(taken):
        cost = None if lot.cost is None else cents(div(mul(lot.cost, take), lot.shares))
        known_date = lot.acquired is not None or lot.cost is not None
        result.append(
            SoldLot(
                lot.acquired,
                take,
                proceeds[index],
                cost,
                term_on(lot.acquired, sold) if known_date else None,
                lot.basis,
                source,
            )
        )
    return result


def remaining_lots(lots: Sequence[HeldLot], sold: Sequence[SoldLot]) -> list[HeldLot]:
    """The lots left after a sale took `sold` from them."""
    taken: dict[int, Decimal] = {}
    for part in sold:
        taken[part.source] = taken.get(part.source, ZERO) + part.shares
    left: list[HeldLot] = []
    for index, held in enumerate(lots):
        take = min(taken.get(index, ZERO), held.shares)
        if held.shares - take > 0:
            cost = None if held.cost is None else held.cost - div(mul(held.cost, take), held.shares)
            left.append(HeldLot(held.acquired, held.shares - take, cost, held.basis))
    return left
