"""Step 4's wording of a trade's reason: the why, without restating the row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rebal.core.planner.types import Trade
from rebal.tui.screens.rebalance import reason_only


def trade(reason: str) -> Trade:
    return Trade("Jordan 401(k)", "FXAIX", "sell", Decimal("34.655432"), Decimal("7464.78"),
                 reason)


@pytest.mark.parametrize(
    ("reason", "shown"),
    [
        ("sell 34.655432 FXAIX in Jordan 401(k): US Stocks is $94,500.78 over target",
         "US Stocks is $94,500.78 over target"),
        # Anything else is shown whole: a reason that merely contains ': ', another
        # trade's restatement, or nothing after the colon.
        ("note: raises cash for the buys", "note: raises cash for the buys"),
        ("sell 3 VTI in IRA: US Stocks over", "sell 3 VTI in IRA: US Stocks over"),
        ("sell 34.655432 FXAIX in Jordan 401(k): ", "sell 34.655432 FXAIX in Jordan 401(k): "),
        ("Small Cap Stock over", "Small Cap Stock over"),
    ],
)
def test_the_restated_trade_is_dropped_from_its_reason(reason: str, shown: str) -> None:
    assert reason_only(trade(reason)) == shown
