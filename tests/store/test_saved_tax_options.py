"""A saved plan records its tax options (`[plan] inputs`), and they come back when it reopens."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from test_save import CREATED, household_plan
from test_saved_plan_figures import PLAN, refused_at

from rebal.core.plan_record import options_from_saved
from rebal.store.load import Loaded, load, parse
from rebal.store.save import save_review


@pytest.fixture
def taxable(tmp_copy: Callable[[str], Path]) -> Loaded:
    return load(tmp_copy("taxable"))

def test_the_tax_options_are_saved_and_come_back_when_the_plan_reopens(taxable: Loaded) -> None:
    plan = household_plan(
        taxable, avoid_wash_sales=True, harvest=True, trade_date=dt.date(2026, 12, 1)
    )
    saved = save_review(taxable, plan=plan, decisions=[], created=CREATED)

    inputs = tomllib.loads(saved.text)["plan"]["inputs"]
    assert (inputs["avoid_wash_sales"], inputs["harvest"]) == (True, True)
    assert inputs["trade_date"] == dt.date(2026, 12, 1)  # a bare TOML date
    assert "trade_date = 2026-12-01" in saved.text

    reopened = load(taxable.path)
    assert reopened.portfolio.plan is not None
    options = options_from_saved(reopened.portfolio.plan)
    assert (options.avoid_wash_sales, options.harvest, options.trade_date) == (
        True,
        True,
        dt.date(2026, 12, 1),
    )


def test_a_plan_without_tax_options_is_saved_as_before(taxable: Loaded) -> None:
    saved = save_review(taxable, plan=household_plan(taxable), decisions=[], created=CREATED)

    inputs = tomllib.loads(saved.text)["plan"]["inputs"]
    assert not {"avoid_wash_sales", "harvest", "trade_date"} & set(inputs)
    assert load(taxable.path).portfolio.plan is not None


def test_a_file_saved_before_the_tax_options_loads_with_them_off(
    taxable: Loaded,
) -> None:
    text = taxable.path.read_text() + PLAN.replace(
        "INPUTS", 'new_money = [], whole_shares = false, min_trade = "0.00", avoid_selling = []'
    )
    portfolio, problems = parse(taxable.path, text)

    assert [p for p in problems if p.severity == "error"] == []
    assert portfolio is not None
    assert portfolio.plan is not None
    options = options_from_saved(portfolio.plan)
    assert (options.avoid_wash_sales, options.harvest, options.trade_date) == (False, False, None)


@pytest.mark.parametrize(
    "written",
    [
        'trade_date = "2026-12-01"',  # quoted, as a person might type it
        "trade_date = 2026-12-01",
    ],
)
def test_a_trade_date_typed_by_hand_is_read(taxable: Loaded, written: str) -> None:
    portfolio, _ = parse(taxable.path, taxable.path.read_text() + PLAN.replace("INPUTS", written))

    assert portfolio is not None
    assert portfolio.plan is not None
    assert options_from_saved(portfolio.plan).trade_date == dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("written", "path", "message"),
    [
        ('avoid_wash_sales = "yes"', "plan.inputs.avoid_wash_sales", 'found "yes"'),
        ("harvest = 1", "plan.inputs.harvest", "expected true or false, found 1"),
        ('trade_date = "tomorrow"', "plan.inputs.trade_date", 'found "tomorrow"'),
        ('trade_date = "2026-02-30"', "plan.inputs.trade_date", 'found "2026-02-30"'),
        ("trade_date = 20261201", "plan.inputs.trade_date", "found 20261201"),
        ("trade_date = 2026-12-01T10:00:00", "plan.inputs.trade_date", "2026-12-01T10:00:00"),
    ],
)
def test_a_hostile_tax_option_is_refused_at_its_key(
    taxable: Loaded, written: str, path: str, message: str
) -> None:
    assert message in refused_at(taxable, written, path).message


def test_min_trade_written_by_hand_still_reads_beside_the_tax_options(taxable: Loaded) -> None:
    portfolio, _ = parse(
        taxable.path,
        taxable.path.read_text() + PLAN.replace("INPUTS", "min_trade = 500, harvest = true"),
    )
    assert portfolio is not None
    assert portfolio.plan is not None
    options = options_from_saved(portfolio.plan)
    assert (options.min_trade, options.harvest) == (Decimal(500), True)
