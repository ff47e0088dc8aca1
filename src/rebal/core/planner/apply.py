"""Apply trades to a portfolio: the one definition of "after" that the plan's tables use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from rebal.core.numbers import ZERO, exact
from rebal.core.planner.problem import with_new_money
from rebal.core.planner.types import PlanError, Trade
from rebal.model import Portfolio


@exact
def apply_trades(
    portfolio: Portfolio,
    trades: Iterable[Trade],
    new_money: Mapping[str, Decimal] | None = None,
) -> Portfolio:
    """The portfolio after adding `new_money` to cash and doing `trades`.

    A buy adds its shares to the holding and takes its amount from the
    account's cash; a sell does the reverse. A holding sold down to zero
    disappears from the account. Pure: the input is not changed. Raises
    PlanError for a trade in an unknown account or security, or one that
    sells more shares than are held.
    """
    funded = with_new_money(portfolio, new_money or {})
    holdings = {a.name: dict(a.holdings) for a in funded.accounts}
    cash = {a.name: a.cash for a in funded.accounts}
    for trade in trades:
        if trade.account not in holdings:
            raise PlanError(f"a trade names an unknown account {trade.account!r}")
        if trade.ticker not in funded.securities:
            raise PlanError(f"a trade names an unknown security {trade.ticker!r}")
        held = holdings[trade.account].get(trade.ticker, ZERO)
        if trade.action == "buy":
            holdings[trade.account][trade.ticker] = held + trade.shares
            cash[trade.account] -= trade.amount
        else:
            left = held - trade.shares
            if left < 0:
                raise PlanError(
                    f"{trade.account}: cannot sell {trade.shares} {trade.ticker}, "
                    f"only {held} are held"
                )
            if left == 0:
                del holdings[trade.account][trade.ticker]
            else:
                holdings[trade.account][trade.ticker] = left
            cash[trade.account] += trade.amount
    accounts = [
        a.model_copy(update={"holdings": holdings[a.name], "cash": cash[a.name]})
        for a in funded.accounts
    ]
    return funded.model_copy(update={"accounts": accounts})


__all__ = ["apply_trades"]
