"""A plan's answers in words, the same in `rebal plan` and in the app's step 4."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rebal.present.figures import money

if TYPE_CHECKING:
    # Names only: `rebal check` never imports the planner package.
    from rebal.core.planner.types import NewMoneyToBand

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
