"""Golden sentences of rebal.present.review_text's confirmations (`rebal flow`, `rebal mark`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from rebal.present.review_text import flow_recorded_text, trade_marked_text


def test_a_flow_reads_as_a_contribution_or_a_withdrawal() -> None:
    day = dt.date(2026, 3, 15)
    assert flow_recorded_text(D("5000"), "Roth IRA", day) == (
        "recorded a contribution of 5,000.00 to Roth IRA on 2026-03-15"
    )
    assert flow_recorded_text(D("-2500.5"), "Brokerage", day) == (
        "recorded a withdrawal of 2,500.50 from Brokerage on 2026-03-15"
    )


def test_a_marked_trade_says_what_it_was() -> None:
    assert trade_marked_text(2, "sell", D("10.000"), "VTI", "Joint", "planned", "placed") == (
        "trade 2, sell 10 VTI in Joint, is now placed (was planned)"
    )
    assert trade_marked_text(1, "buy", D("0.5"), "BND", "IRA", "done", "done") == (
        "trade 1, buy 0.5 BND in IRA, is now done (unchanged)"
    )
