"""What the planner takes and gives back. Pure data: no solver imports here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from rebal.core.report import ClassRow
from rebal.core.tax.summary import PlanTax
from rebal.model.portfolio import PlanMode

Action = Literal["buy", "sell"]


@dataclass(frozen=True)
class PlanOptions:
    mode: PlanMode = "full"
    # Signed new money per account name (negative: a withdrawal from that account).
    new_money: Mapping[str, Decimal] = field(default_factory=dict)
    whole_shares: bool = False
    min_trade: Decimal = Decimal(0)
    # Per-account override of Account.avoids_selling (the app lets the user toggle it).
    avoid_selling: Mapping[str, bool] = field(default_factory=dict)
    # Edited targets/bands from the app; None means the file's.
    targets: Mapping[str, Decimal] | None = None
    # The accounts that may trade (`rebal plan --only`); None: every account.
    # The others keep their holdings and cash, and still count in the drift.
    only: frozenset[str] | None = None
    # Tax (docs/planner.md, "Tax"): the trade date for terms and wash sales (None:
    # the prices' as_of), avoiding wash sales, and adding the harvest trades.
    trade_date: dt.date | None = None
    avoid_wash_sales: bool = False
    harvest: bool = False
    # Positions the planner must leave alone, as (account, ticker, action).
    frozen: frozenset[tuple[str, str, Action]] = frozenset()
    # Tax in the objective (docs/planner.md, "Tax in the objective"): with [tax], the
    # solver prices each lot a taxable sale takes and obeys gain_budget; with [tax] or
    # [location], buys follow the location preference. False plans as if the file had
    # neither (the tax stage still reports the plan's lots and gains).
    use_tax: bool = True
    # False: ignore gain_budget (the plan it is compared with, to say what the cap costs).
    use_gain_budget: bool = True


@dataclass(frozen=True)
class Trade:
    account: str
    ticker: str
    action: Action
    shares: Decimal  # positive; whole numbers in whole-share mode
    amount: Decimal  # positive, in cents
    reason: str  # one line a person can read


@dataclass(frozen=True)
class Skipped:
    account: str
    ticker: str
    action: Action
    shares: Decimal
    amount: Decimal
    reason: str


@dataclass(frozen=True)
class Residual:
    asset_class: str
    drift: Decimal  # money above (+) or below (-) target after the plan
    reason: str


@dataclass(frozen=True)
class NewMoneyToBand:
    """The least new money that, with no sells, puts every class in its band."""

    amount: Decimal | None  # None: no amount can (a 0% class is held)
    by_account: Mapping[str, Decimal]  # where it goes
    buys: tuple[Trade, ...]  # what it buys there
    reason: str


@dataclass(frozen=True)
class Plan:
    options: PlanOptions
    method: str  # which exact method or solver produced it, for the docs and --json
    trades: tuple[Trade, ...]
    skipped: tuple[Skipped, ...]
    before: tuple[ClassRow, ...]
    after: tuple[ClassRow, ...]
    leftover_cash: Mapping[str, Decimal]  # account -> cash left after the trades
    residual: tuple[Residual, ...]  # empty when the target (or band) is reached
    new_money_to_band: NewMoneyToBand
    notes: tuple[str, ...] = ()
    # Lots, gains, estimated tax and wash-sale warnings; None for files without tax keys.
    tax: PlanTax | None = None


class PlanError(ValueError):
    """The request cannot be planned (e.g. a withdrawal larger than the account)."""
