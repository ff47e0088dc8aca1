"""Pure session pieces of the review cycle: restored options, the save summary, replacement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core.plan_record import options_from_saved
from rebal.core.planner.types import PlanOptions
from rebal.core.reconcile import trade_progress
from rebal.model import PlannedTrade, SavedPlan
from rebal.store.load import load
from rebal.store.save import preview_review, save_review
from rebal.tui.session import save_summary

D = Decimal


def test_the_saved_inputs_come_back_as_options() -> None:
    saved = SavedPlan(
        mode="cash-flow",
        created=dt.datetime(2026, 12, 1, 9, 30),
        inputs={
            "new_money": ["20000.00@Joint Brokerage", "-500.00@Sam Roth IRA", "junk"],
            "whole_shares": True,
            "min_trade": "500.00",
            "avoid_selling": ["Joint Brokerage=false", "a=b=true", "bad"],
        },
    )
    options = options_from_saved(saved)
    assert options == PlanOptions(
        mode="cash-flow",
        new_money={"Joint Brokerage": D(20000), "Sam Roth IRA": D(-500)},
        whole_shares=True,
        min_trade=D(500),
        avoid_selling={"Joint Brokerage": False, "a=b": True},
    )
    # A number typed by hand is as good as the text rebal writes.
    hand = saved.model_copy(update={"inputs": {"min_trade": D(250)}})
    assert options_from_saved(hand).min_trade == 250
    assert options_from_saved(saved.model_copy(update={"inputs": {}})) == PlanOptions(
        mode="cash-flow"
    )


def test_the_save_summary_names_the_snapshot_date_the_diff_writes(
    tmp_copy: Callable[[str], Path],
) -> None:
    loaded = load(tmp_copy("seed_return"))  # prices of 2026-11-20, saved on 2026-12-01
    created = dt.datetime(2026, 12, 1, 9, 0)
    new = preview_review(loaded, plan=None, created=created)
    summary = save_summary(loaded.text, new)
    assert summary == "Writes a snapshot of the values at the prices of 2026-11-20."
    assert "date = 2026-11-20" in new
    # Saved once, the same snapshot again is no change, and is not claimed.
    saved = save_review(loaded, plan=None, created=created)
    again = preview_review(saved, plan=None, created=created)
    assert save_summary(saved.text, again) == "The file would not change."


def plain_trade(action: str, shares: D, before: D) -> PlannedTrade:
    return PlannedTrade(
        account="A",
        ticker="T",
        action=action,
        shares=shares,  # type: ignore[arg-type]
        amount=shares,
        shares_before=before,
    )


shares = st.decimals(min_value=D("0.01"), max_value=D(10**6), places=3)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["buy", "sell"]), shares, shares)
def test_a_position_moved_by_the_trade_reads_done_and_unmoved_not_started(
    action: str, size: Decimal, before: Decimal
) -> None:
    if action == "sell":
        before = before + size  # a sale cannot exceed the position
    after = before + size if action == "buy" else before - size
    assert trade_progress(plain_trade(action, size, before), after)[0] == "done"
    unmoved = trade_progress(plain_trade(action, size, before), before)[0]
    assert unmoved == ("done" if size <= D("0.001") else "not started")
    other_way = before - size if action == "buy" else before + size
    if other_way >= 0 and size > D("0.001"):
        assert trade_progress(plain_trade(action, size, before), other_way)[0] == "contradicted"
