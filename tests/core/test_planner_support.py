"""Small builders for planner tests: a portfolio from plain dicts, and measures of a plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rebal.core.allocation import class_exposure
from rebal.core.planner import Plan, Trade, apply_trades
from rebal.core.planner.problem import planning_targets, total_drift
from rebal.model import Portfolio


def D(value: str | int) -> Decimal:
    return Decimal(value)


def make_portfolio(
    targets: Mapping[str, Any],
    securities: Mapping[str, tuple[Any, Any]],
    accounts: Sequence[Mapping[str, Any]],
    bands: Mapping[str, Any] | None = None,
    cash_class: str = "Cash",
) -> Portfolio:
    """`securities` maps ticker -> (price, class name or {class: percent})."""
    securities_table: dict[str, dict[str, Any]] = {}
    for ticker, (price, classes) in securities.items():
        entry: dict[str, Any] = {"price": Decimal(str(price))}
        if isinstance(classes, str):
            entry["class"] = classes
        else:
            entry["classes"] = {k: Decimal(str(v)) for k, v in classes.items()}
        securities_table[ticker] = entry
    return Portfolio.model_validate(
        {
            "portfolio": {"name": "test", "as_of": "2026-11-20", "cash_class": cash_class},
            "targets": {k: Decimal(str(v)) for k, v in targets.items()},
            "bands": dict(bands or {}),
            "securities": securities_table,
            "accounts": [dict(a) for a in accounts],
        }
    )


def by_line(plan: Plan) -> dict[tuple[str, str, str], Decimal]:
    return {(t.account, t.ticker, t.action): t.amount for t in plan.trades}


def drift_of(portfolio: Portfolio, targets: Mapping[str, Decimal] | None = None) -> Decimal:
    return total_drift(class_exposure(portfolio), planning_targets(portfolio, targets))


def after_portfolio(
    portfolio: Portfolio, trades: Sequence[Trade], new_money: Mapping[str, Decimal] | None = None
) -> Portfolio:
    return apply_trades(portfolio, trades, new_money)


def scaled(portfolio: Portfolio, factor: Decimal) -> Portfolio:
    """`portfolio` with every price and every account's cash multiplied by `factor`."""
    securities = {
        t: s.model_copy(update={"price": s.price * factor}) for t, s in portfolio.securities.items()
    }
    accounts = [a.model_copy(update={"cash": a.cash * factor}) for a in portfolio.accounts]
    return portfolio.model_copy(update={"securities": securities, "accounts": accounts})
