"""Fixtures for the app's tests: a fresh App on a private copy, and a stand-in planner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

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
from rebal.tui.app import RebalApp
from tui.helpers import FIXTURES, fixed_clock


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


@pytest.fixture
def planner_calls(monkeypatch: pytest.MonkeyPatch) -> list[PlanOptions]:
    """Replace the planner with `stand_in_plan`; collects the options it was given."""
    calls: list[PlanOptions] = []

    def fake(portfolio: Portfolio, options: PlanOptions) -> Plan:
        calls.append(options)
        return stand_in_plan(portfolio, options)

    monkeypatch.setattr("rebal.core.planner.plan", fake, raising=False)
    return calls


@pytest.fixture
def household(tmp_path: Path) -> Path:
    """A private copy of the fixture household, safe to save over."""
    target = tmp_path / "household.toml"
    shutil.copyfile(FIXTURES / "household.toml", target)
    return target


@pytest.fixture
def make_app() -> Callable[..., RebalApp]:
    def make(path: Path, theme: str | None = None) -> RebalApp:
        return RebalApp(path, clock=fixed_clock, theme=theme)

    return make
