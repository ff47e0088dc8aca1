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
class DriftLeft:
    """How much further from target a class ends because of the gain budget."""

    asset_class: str
    points: Decimal  # percentage points of the household, beyond the plan without the cap
    money: Decimal  # the same in money, to the cent


@dataclass(frozen=True)
class GainBudget:
    """`gain_budget` against the plan (docs/planner.md, "Gain budget")."""

    limit: Decimal
    used: Decimal  # the plan's net realized gain (losses subtract)
    counted: Decimal  # the gains the planner holds under the limit (losses do not make room)
    binds: bool  # the plan without the cap would be closer to target
    drift_left: tuple[DriftLeft, ...]  # per class, when it binds
    uncapped_gain: Decimal | None  # net realized gain of the plan without the cap, when it binds


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
    budget: GainBudget | None = None  # None: the file sets no gain_budget

    def of(self, account: str, ticker: str, action: str) -> TradeTax | None:
        for trade in self.trades:
            if (trade.account, trade.ticker, trade.action) == (account, ticker, action):
                return trade
        return None
