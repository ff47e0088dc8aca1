"""The tax figures attached to a plan: per trade, for the whole plan, and the warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from rebal.core.tax.gains import Gains
from rebal.core.tax.harvest import Harvest
from rebal.core.tax.lots import Rates, SoldLot
from rebal.core.tax.wash import WashFlag

TradeKey = tuple[str, str, str]  # (account, ticker, action)


@dataclass(frozen=True)
class TradeTax:
    """A sale's lots and gains; `taxable` False for a sale without capital-gains tax."""

    account: str
    ticker: str
    action: str
    taxable: bool
    lots: tuple[SoldLot, ...] = ()
    gains: Gains = field(default_factory=Gains)
    tax: Decimal | None = None  # linear, before netting; None without rates or basis


@dataclass(frozen=True)
class TaxWarning:
    kind: Literal["wash-sale", "gain-budget"]
    account: str | None
    ticker: str | None
    why: str
    wash: WashFlag | None = None


@dataclass(frozen=True)
class PlanTax:
    date: dt.date  # the plan date the terms and the wash-sale window use
    rates: Rates | None  # None: the file has no [tax], so no tax is estimated
    trades: tuple[TradeTax, ...]
    gains: Gains
    estimated_tax: Decimal | None
    warnings: tuple[TaxWarning, ...]
    harvest: tuple[Harvest, ...]
    harvested: bool  # the harvest trades are in the plan (--harvest)
    notes: tuple[str, ...]

    def of(self, account: str, ticker: str, action: str) -> TradeTax | None:
        for trade in self.trades:
            if (trade.account, trade.ticker, trade.action) == (account, ticker, action):
                return trade
        return None
