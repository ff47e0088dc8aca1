"""Plans limited to some accounts (`rebal plan --only`).

The accounts left out get no trades at all: the problem gives them nothing to
buy and nothing to sell, so their holdings and cash stay as they are, while
the drift is still measured across the whole household.
"""

from __future__ import annotations

from rebal.core.numbers import ZERO
from rebal.core.planner.types import PlanError, PlanOptions
from rebal.model import Portfolio
from rebal.present.figures import money


def may_trade(options: PlanOptions, account: str) -> bool:
    """Whether `account` may trade at all: every account does unless --only names others."""
    return options.only is None or account in options.only


def check_only(portfolio: Portfolio, options: PlanOptions) -> None:
    """--only names accounts of the file, and leaves out none that must trade."""
    if options.only is None:
        return
    names = {a.name for a in portfolio.accounts}
    unknown = sorted(options.only - names)
    if unknown:
        raise PlanError(
            f"--only names an account that is not in the file: {', '.join(unknown)} "
            f"(the accounts are {', '.join(sorted(names))})"
        )
    for account in portfolio.accounts:
        if account.name in options.only:
            continue
        flow = options.new_money.get(account.name, ZERO)
        if flow:
            raise PlanError(
                f"new money goes to {account.name!r}, which --only leaves out: "
                f"add --only {account.name!r}, or put the money in an account that trades"
            )
        if account.cash < 0:
            raise PlanError(
                f"{account.name!r} has negative cash "
                f"({money(account.cash, portfolio.portfolio.currency)}) and only a sale there can "
                f"cover it, but --only leaves it out: add --only {account.name!r}"
            )


__all__ = ["check_only", "may_trade"]
