"""The tax options of a saved plan's inputs, read back, and their changes in words (pure)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from rebal.core.plan_record import options_from_saved
from rebal.core.planner.types import PlanOptions
from rebal.model import SavedPlan
from rebal.present.plan_words import tax_option_changes


def saved(**inputs: object) -> SavedPlan:
    return SavedPlan.model_validate(
        {"mode": "full", "created": dt.date(2026, 11, 20), "inputs": inputs}
    )


def test_the_recorded_tax_options_become_the_plan_options() -> None:
    options = options_from_saved(
        saved(avoid_wash_sales=True, harvest=True, trade_date=dt.date(2026, 12, 1))
    )
    assert (options.avoid_wash_sales, options.harvest, options.trade_date) == (
        True,
        True,
        dt.date(2026, 12, 1),
    )


def test_inputs_without_them_give_the_defaults() -> None:
    options = options_from_saved(saved(whole_shares=True))
    assert options.whole_shares
    assert (options.avoid_wash_sales, options.harvest, options.trade_date) == (False, False, None)


@pytest.mark.parametrize(
    ("key", "value"),
    [("avoid_wash_sales", "true"), ("harvest", 0), ("trade_date", "12/01/2026")],
)
def test_a_value_that_is_no_option_is_refused_at_its_key(key: str, value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        saved(**{key: value})
    assert [e["loc"] for e in raised.value.errors()] == [("inputs", key)]


def test_changes_are_named_by_what_the_option_is_now() -> None:
    was = PlanOptions()
    now = PlanOptions(avoid_wash_sales=True, harvest=True, trade_date=dt.date(2027, 1, 2))
    assert tax_option_changes(was, now) == [
        "no wash sales",
        "harvest losses",
        "trade date the prices' date → 2027-01-02",
    ]
    assert tax_option_changes(now, was) == [
        "wash sales allowed",
        "no loss harvesting",
        "trade date 2027-01-02 → the prices' date",
    ]
    assert tax_option_changes(now, now) == []
