"""Fixtures for the app's tests: a fresh App on a private copy, and a stand-in planner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.cli import main
from rebal.core.planner.types import (
    NewMoneyToBand,
    Plan,
    PlanOptions,
    Residual,
    Skipped,
    Trade,
)
from rebal.core.report import build_report
from rebal.model import Portfolio
from rebal.store.load import load
from rebal.tui import session as ss
from rebal.tui.app import RebalApp
from rebal.tui.services import Planner, real_planner
from tui.helpers import FIXTURES, fixed_clock

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "sample_portfolios"


def stand_in_plan(portfolio: Portfolio, options: PlanOptions) -> Plan:
    """A fixed plan for the fixture household: tests what the app does WITH a plan."""
    report = build_report(portfolio, targets=options.targets)
    return Plan(
        options=options,
        method="stand-in planner for the app's tests",
        trades=(
            Trade("401(k)", "VB", "sell", Decimal(35), Decimal("7700.00"), "Small Cap Stock over"),
            Trade("401(k)", "VV", "buy", Decimal(9), Decimal("2250.00"), "Large Cap Stock under"),
            Trade("Taxable", "VXUS", "buy", Decimal(23), Decimal("1495.00"), "uses idle cash"),
            Trade("IRA", "BND", "buy", Decimal(19), Decimal("1368.00"), "Bonds [under]"),
        ),
        skipped=(
            Skipped("IRA", "VV", "buy", Decimal(1), Decimal("250.00"), "below the minimum trade"),
        ),
        before=tuple(report.classes),
        after=tuple(report.classes),
        leftover_cash={"IRA": Decimal(0), "401(k)": Decimal("4082.00"), "Taxable": Decimal(5)},
        residual=(
            Residual("Mid Cap Stock", Decimal("-1088"), "only the taxable account holds it"),
        ),
        new_money_to_band=NewMoneyToBand(
            Decimal("27000"), {"IRA": Decimal("27000")}, (), "buys the underweight classes"
        ),
    )


class PlannerCalls(list[PlanOptions]):
    """A planner for RebalApp(planner=...): `stand_in_plan`, keeping the options of each call."""

    def __call__(self, portfolio: Portfolio, options: PlanOptions) -> Plan:
        self.append(options)
        return stand_in_plan(portfolio, options)


@pytest.fixture
def planner_calls() -> PlannerCalls:
    """The stand-in planner; `make_app` gives it to the app of a test that asks for it."""
    return PlannerCalls()


@pytest.fixture
def household(tmp_path: Path) -> Path:
    """A private copy of the fixture household, safe to save over."""
    target = tmp_path / "household.toml"
    shutil.copyfile(FIXTURES / "household.toml", target)
    return target


@pytest.fixture
def make_app(request: pytest.FixtureRequest) -> Callable[..., RebalApp]:
    """A fresh app with the fixed clock; with the stand-in planner when the test uses
    `planner_calls` (else the real one), or the planner given."""
    default: Planner = (
        request.getfixturevalue("planner_calls") if "planner_calls" in request.fixturenames
        else real_planner
    )

    def make(path: Path, theme: str | None = None, planner: Planner | None = None) -> RebalApp:
        chosen = default if planner is None else planner  # (an empty PlannerCalls is falsy)
        return RebalApp(path, clock=fixed_clock, theme=theme, planner=chosen)

    return make


@pytest.fixture
def reopened(tmp_path: Path) -> ss.Session:
    """The issue's file as reopened: a cash-flow plan of $20,000, trade 2 placed."""
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES_DIR / "household.toml", path)
    assert main(["plan", str(path), "--mode", "cash-flow", "--new-money",
                 "20000@Joint Brokerage", "--whole-shares", "--min-trade", "500", "--save"]) == 0
    assert main(["mark", str(path), "2", "placed"]) == 0
    return ss.open_session(load(path))

