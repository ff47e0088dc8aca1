"""A plan's answers in words, the same in `rebal plan` and in the app's step 4."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rebal.present.figures import money

if TYPE_CHECKING:
    # Names only: `rebal check` never imports the planner package.
    from rebal.core.planner.types import NewMoneyToBand, PlanOptions

NEW_MONEY_LEAD = "New money to get back in band without selling"


def new_money_answer(band: NewMoneyToBand, currency: str) -> str:
    """What follows the lead: "none can", "none needed", or the amount and where it
    goes, "$1,500.00 ($1,000.00 to Roth, $500.00 to 401(k))". Not terminal-safe:
    account names are the user's, so the caller passes it through `safe`."""
    if band.amount is None:
        return "none can"
    if band.amount == 0:
        return "none needed"
    where = ", ".join(
        f"{money(value, currency)} to {account}"
        for account, value in band.by_account.items()
        if value
    )
    total = money(band.amount, currency)
    return f"{total} ({where})" if where else total


def tax_option_changes(was: PlanOptions, now: PlanOptions) -> list[str]:
    """The tax options that differ between a saved plan's and a new one's, each named
    by what it is now: "no wash sales", "harvest losses", "trade date 2026-11-20 →
    the prices' date"."""
    changes = []
    if was.avoid_wash_sales != now.avoid_wash_sales:
        changes.append("no wash sales" if now.avoid_wash_sales else "wash sales allowed")
    if was.harvest != now.harvest:
        changes.append("harvest losses" if now.harvest else "no loss harvesting")
    if was.trade_date != now.trade_date:
        changes.append(f"trade date {_trade_date(was)} → {_trade_date(now)}")
    return changes


def _trade_date(options: PlanOptions) -> str:
    return "the prices' date" if options.trade_date is None else options.trade_date.isoformat()
