"""A saved plan's tax options come back with it, and changing one reads as a change since it."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from rebal.cli import main
from rebal.core.planner import plan as make_plan
from rebal.store.load import load
from rebal.tui import session as ss

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"


@pytest.fixture
def reopened(tmp_path: Path) -> ss.Session:
    """The taxable sample saved by `rebal plan --save --no-wash-sales --trade-date`, reopened."""
    path = tmp_path / "taxable.toml"
    shutil.copyfile(SAMPLES / "taxable.toml", path)
    assert main(["plan", str(path), "--save", "--no-wash-sales", "--trade-date", "2026-12-01"]) == 0
    return ss.open_session(load(path))


def test_the_reopened_plan_has_its_tax_options_and_no_change(reopened: ss.Session) -> None:
    assert reopened.options.avoid_wash_sales
    assert not reopened.options.harvest
    assert reopened.options.trade_date == dt.date(2026, 12, 1)
    assert ss.changes_since_saved_plan(reopened) == ()


def test_each_tax_option_changed_since_the_save_is_named(reopened: ss.Session) -> None:
    options = replace(reopened.options, avoid_wash_sales=False, harvest=True, trade_date=None)
    changed = ss.set_options(reopened, options)
    assert ss.changes_since_saved_plan(changed) == (
        "wash sales allowed",
        "harvest losses",
        "trade date 2026-12-01 → the prices' date",
    )


def test_the_same_plan_with_the_same_tax_options_is_the_saved_one(reopened: ss.Session) -> None:
    options = ss.plan_options_for(reopened)
    again = make_plan(reopened.loaded.portfolio, options)
    assert ss.reproduces_saved_plan(reopened.loaded.portfolio.plan, again)
    other = make_plan(reopened.loaded.portfolio, replace(options, avoid_wash_sales=False))
    assert not ss.reproduces_saved_plan(reopened.loaded.portfolio.plan, other)
