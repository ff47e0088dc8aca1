"""Market values: per holding, per account (cash included) and for the household."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rebal.core.numbers import ZERO, exact, mul
from rebal.model import Account, Portfolio


@dataclass(frozen=True)
class HoldingValue:
    account: str
    ticker: str
    shares: Decimal
    price: Decimal
    value: Decimal


@exact
def holding_values(portfolio: Portfolio) -> list[HoldingValue]:
    """Every position in file order, valued at the file's prices (exact)."""
    values = []
    for account in portfolio.accounts:
        for ticker, shares in account.holdings.items():
            price = portfolio.securities[ticker].price
            values.append(HoldingValue(account.name, ticker, shares, price, mul(shares, price)))
    return values


@exact
def account_value(portfolio: Portfolio, account: Account) -> Decimal:
    invested = sum(
        (
            mul(shares, portfolio.securities[ticker].price)
            for ticker, shares in account.holdings.items()
        ),
        ZERO,
    )
    return invested + account.cash


@exact
def household_total(portfolio: Portfolio) -> Decimal:
    return sum((account_value(portfolio, a) for a in portfolio.accounts), ZERO)
