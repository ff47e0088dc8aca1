"""Replacing a saved plan without losing the user's record of it.

A saved plan is the user's log of orders: `placed` means an order is in
flight, `done` that it went through. A new plan may replace one whose trades
are all planned (nothing started) or all done (finished) freely. Otherwise
(an order placed, or some trades done and others not) replacing it would
lose that record, so it needs the user's say-so (`rebal plan --save
--replace`, or a yes in the app). A new trade identical to a saved one
(same account, ticker, action, shares and amount) keeps its status, and so
is never lost. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rebal.core.numbers import cents
from rebal.model import Bands, SavedPlan
from rebal.model.plan_inputs import recorded_number, split_record
from rebal.model.portfolio import PlannedTrade
from rebal.present import figures

if TYPE_CHECKING:
    # The planner package loads its solver front end on import; only its types are needed.
    from rebal.core.planner.types import PlanOptions

TradeKey = tuple[str, str, str, Decimal, Decimal]


def trade_key(account: str, ticker: str, action: str, shares: Decimal, amount: Decimal) -> TradeKey:
    """What makes two trades the same order: amounts compared to the cent, as saved."""
    return (account, ticker, action, shares, cents(amount))


def saved_key(trade: PlannedTrade) -> TradeKey:
    return trade_key(trade.account, trade.ticker, trade.action, trade.shares, trade.amount)


@dataclass(frozen=True)
class Replacement:
    """What replacing `saved` with new trades would lose."""

    lost_placed: list[tuple[int, PlannedTrade]]  # (1-based number, trade) placed, not kept
    lost_done: list[tuple[int, PlannedTrade]]  # done in a plan not finished, not kept

    @property
    def needs_consent(self) -> bool:
        return bool(self.lost_placed or self.lost_done)

    def explain(self, *, starts_sentence: bool = False) -> str:
        """A clause naming the trades whose status would be lost: lower case, for the
        middle of a sentence (the CLI's "nothing was saved: ..."), or capitalised when
        it starts one (the app's dialog)."""
        parts = []
        if self.lost_placed:
            parts.append("placed: " + "; ".join(_describe(n, t) for n, t in self.lost_placed))
        if self.lost_done:
            parts.append("done: " + "; ".join(_describe(n, t) for n, t in self.lost_done))
        saved = "The saved plan" if starts_sentence else "the saved plan"
        return f"{saved} has trades the new one would drop (" + " / ".join(parts) + ")"


def _describe(number: int, trade: PlannedTrade) -> str:
    return (
        f"#{number} {trade.action} {figures.shares(trade.shares)} {trade.ticker} in {trade.account}"
    )


def replacement(saved: SavedPlan | None, new_keys: Iterable[TradeKey]) -> Replacement:
    """What replacing `saved` with trades `new_keys` would lose of the user's record."""
    if saved is None:
        return Replacement([], [])
    kept = set(new_keys)
    statuses = {trade.status for trade in saved.trades}
    finished = statuses == {"done"}
    placed, done = [], []
    for number, trade in enumerate(saved.trades, start=1):
        if saved_key(trade) in kept:
            continue
        if trade.status == "placed":
            placed.append((number, trade))
        elif trade.status == "done" and not finished:
            done.append((number, trade))
    return Replacement(placed, done)


def same_saved_trade(saved: SavedPlan | None, key: TradeKey) -> PlannedTrade | None:
    """The saved trade identical to `key`, whose status (and record) a new plan keeps."""
    if saved is None:
        return None
    for trade in saved.trades:
        if saved_key(trade) == key:
            return trade
    return None


def plan_flow_note(created: dt.date | dt.datetime) -> str:
    """The note on the flow recording a saved plan's new money, so that replacing
    the plan (before the money moved into a snapshot) can withdraw it."""
    when = created.isoformat(sep=" ") if isinstance(created, dt.datetime) else created.isoformat()
    return f"new money of the plan saved {when}"


def targets_record(targets: Mapping[str, Decimal]) -> list[str]:
    """The targets a plan aimed at, as `[plan] inputs.targets` records them: "CLASS=PERCENT"."""
    return [f"{name}={value.normalize():f}" for name, value in targets.items()]


def bands_record(bands: Bands) -> list[str]:
    """The bands a plan kept to, as `[plan] inputs.bands` records them: "KEY=VALUE", a
    per-class width as "per_class.CLASS=WIDTH"."""
    record = [
        f"kind={bands.kind}",
        f"width={bands.width.normalize():f}",
        f"floor={bands.floor.normalize():f}",
        f"absolute={bands.absolute.normalize():f}",
        f"relative={bands.relative.normalize():f}",
        f"edges={bands.edges}",
    ]
    return record + [
        f"per_class.{name}={width.normalize():f}" for name, width in sorted(bands.per_class.items())
    ]


def recorded_changes(recorded: object, now: list[str]) -> tuple[str, ...] | None:
    """What differs between a recorded list ("NAME=VALUE", NAME may hold "=") and `now`,
    in words ("US Stocks 40 → 45"); None when the plan has no such record (saved by an
    older rebal)."""
    if not isinstance(recorded, list):
        return None
    was = dict(split_record(str(entry)) for entry in recorded)
    current = dict(split_record(entry) for entry in now)
    changes = []
    for name in [*was, *(n for n in current if n not in was)]:
        before, after = was.get(name), current.get(name)
        if before != after:
            changes.append(f"{name} {before or 'none'} → {after or 'none'}")
    return tuple(changes)


def options_from_saved(saved: SavedPlan) -> PlanOptions:
    """The options a saved plan was made with, read back from its `inputs`.

    The inverse of what a save writes (docs/portfolio-format.md, `[plan]`):
    new money as "AMOUNT@ACCOUNT", `whole_shares`, `min_trade` (text or a
    number typed by hand), avoid-selling overrides as "ACCOUNT=true|false",
    and the tax options `avoid_wash_sales`, `harvest` and `trade_date` (off
    and the prices' date when absent: files saved before they were recorded).
    An entry of the older keys edited into something else is left out (the
    option then has its default) rather than refusing to reopen the file; the
    tax options, and any figure beyond the file's limits, are refused when the
    file loads (model.SavedPlan).
    """
    from rebal.core.planner.types import PlanOptions

    inputs = saved.inputs
    new_money: dict[str, Decimal] = {}
    for spec in _strings(inputs.get("new_money")):
        amount_text, _, account = spec.partition("@")
        amount = _decimal(amount_text)
        if amount is not None and account:
            new_money[account] = new_money.get(account, Decimal(0)) + amount
    avoid: dict[str, bool] = {}
    for spec in _strings(inputs.get("avoid_selling")):
        account, _, flag = spec.rpartition("=")
        if account and flag in ("true", "false"):
            avoid[account] = flag == "true"
    whole = inputs.get("whole_shares")
    raw_min = inputs.get("min_trade")
    min_trade = _decimal(raw_min) if isinstance(raw_min, str | Decimal) else None
    tax = saved.tax_inputs
    return PlanOptions(
        mode=saved.mode,
        new_money=new_money,
        whole_shares=whole if isinstance(whole, bool) else False,
        min_trade=min_trade if min_trade is not None and min_trade >= 0 else Decimal(0),
        avoid_selling=avoid,
        trade_date=tax.trade_date,
        avoid_wash_sales=tax.avoid_wash_sales,
        harvest=tax.harvest,
    )


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _decimal(value: str | Decimal) -> Decimal | None:
    return value if isinstance(value, Decimal) else recorded_number(value)


def reproduces(saved: SavedPlan | None, keys: Iterable[TradeKey]) -> bool:
    """Whether trades `keys` are exactly the saved plan's, in order (nothing to save)."""
    return saved is not None and [saved_key(t) for t in saved.trades] == list(keys)
