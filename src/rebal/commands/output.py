"""The `--json` objects `rebal check` and `rebal plan` print.

Pure functions from the calculation results to data: plain dicts of strings (a
public contract, see docs/cli.md). The human text's words and figures are
rebal.present's; rebal.commands.rich_text lays them out for a terminal,
rebal.commands.plain_text for a pipe. Nothing here reads files
or computes figures; the app's export may reuse the JSON functions.

Rounding: money to the cent, percentages to 2 places, both half up
(rebal.core.numbers). The human tables show the seed's figures the seed's way:
returns and drifted weights to one place (9.05% shows as 9.1%).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rebal.core.report import AccountRow, ClassRow, Report
from rebal.core.returns import WeightedReturn
from rebal.core.tax.gains import tax_applies
from rebal.model import Portfolio
from rebal.present.figures import json_decimal, json_money, json_percent
from rebal.present.rows import column_cents
from rebal.problems import Problem

if TYPE_CHECKING:
    # Type names only: `rebal check` never imports the planner package.
    from rebal.core.planner.types import Plan, Residual, Skipped, Trade
    from rebal.core.tax.summary import GainBudget

JSON_SCHEMA_VERSION = 1


# --------------------------------------------------------------------- JSON


def class_rows_json(rows: Iterable[ClassRow]) -> list[dict[str, Any]]:
    rows = list(rows)
    values = column_cents([row.value for row in rows])
    return [
        {
            "class": row.asset_class,
            "target": json_percent(row.target),
            "actual": json_percent(row.actual),
            "value": json_money(value),
            "low": json_percent(row.band.low),
            "high": json_percent(row.band.high),
            "status": row.status,
        }
        for row, value in zip(rows, values, strict=True)
    ]


def accounts_json(rows: Iterable[AccountRow]) -> list[dict[str, Any]]:
    rows = list(rows)
    values = column_cents([a.value for a in rows])
    return [
        {
            "account": a.account,
            "value": json_money(value),
            "cash": json_money(a.cash),
            "kind": a.kind,
            "tax_treatment": a.tax_treatment,
        }
        for a, value in zip(rows, values, strict=True)
    ]


def return_json(result: WeightedReturn | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "since": result.since.isoformat(),
        "weighted": json_percent(result.weighted),
        "per_class": [
            {
                "class": row.asset_class,
                "before": json_money(row.before),
                "after": json_money(row.after),
                "return": json_percent(row.change),
                "weight_before": json_percent(row.weight_before),
                "weight_after": json_percent(row.weight_after),
            }
            for row in result.per_class
        ],
    }


def report_json(report: Report, *, as_of: dt.date, file: Path | None = None) -> dict[str, Any]:
    """The `rebal check --json` object for one file."""
    data: dict[str, Any] = {"schema": JSON_SCHEMA_VERSION}
    if file is not None:
        data["file"] = str(file)
    data.update(
        {
            "portfolio": report.name,
            "currency": report.currency,
            "as_of": as_of.isoformat(),
            "total": json_money(report.total),
            "classes": class_rows_json(report.classes),
            "accounts": accounts_json(report.accounts),
            "return": return_json(report.weighted_return),
        }
    )
    return data


def problems_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """Each problem as `rebal check` prints it on stderr, and field by field."""
    return [
        {
            "severity": problem.severity,
            "line": problem.line,
            "column": problem.column,
            "path": problem.path,
            "message": problem.message,
            "hint": problem.hint,
            "text": str(problem),
        }
        for problem in problems
    ]


def invalid_file_json(file: Path, problems: Iterable[Problem]) -> dict[str, Any]:
    """The `rebal check --json` object for a file that cannot be used: why, and no figures."""
    return {
        "schema": JSON_SCHEMA_VERSION,
        "file": str(file),
        "valid": False,
        "problems": problems_json(problems),
    }


def trade_json(trade: Trade | Skipped) -> dict[str, Any]:
    return {
        "account": trade.account,
        "ticker": trade.ticker,
        "action": trade.action,
        "shares": json_decimal(trade.shares),
        "amount": json_money(trade.amount),
        "reason": trade.reason,
    }


def residual_json(rows: Iterable[Residual]) -> list[dict[str, Any]]:
    return [
        {"class": r.asset_class, "drift": json_money(r.drift), "reason": r.reason} for r in rows
    ]


def plan_json(
    report: Report, plan: Plan, *, as_of: dt.date, file: Path | None = None
) -> dict[str, Any]:
    """The `rebal plan --json` object: the check object plus the plan."""
    data = report_json(report, as_of=as_of, file=file)
    amount = plan.new_money_to_band.amount
    data.update(
        {
            "mode": plan.options.mode,
            "method": plan.method,
            "only": None
            if plan.options.only is None
            else [row.account for row in report.accounts if row.account in plan.options.only],
            "avoid_selling": dict(plan.options.avoid_selling),
            "trades": [trade_json(t) | trade_tax_json(plan, t) for t in plan.trades],
            "skipped": [trade_json(s) for s in plan.skipped],
            "after": class_rows_json(plan.after),
            "leftover_cash": [
                {"account": account, "cash": json_money(cash)}
                for account, cash in plan.leftover_cash.items()
            ],
            "residual": residual_json(plan.residual),
            "new_money_to_band": None if amount is None else json_money(amount),
            "notes": list(plan.notes),
            **plan_tax_json(plan),
        }
    )
    return data


# -------------------------------------------------------------------- taxes
# docs/cli.md, "Tax": every key is present for every file; files without tax
# keys get null / [] and the same text output as before.


def _money_or_null(value: Decimal | None) -> str | None:
    return None if value is None else json_money(value)


def trade_tax_json(plan: Plan, trade: Trade) -> dict[str, Any]:
    """The tax keys of one trade: its lots, gain by term and linear tax (null for a buy)."""
    found = None if plan.tax is None else plan.tax.of(trade.account, trade.ticker, trade.action)
    if found is None:
        return {"lots": [], "gain": None, "tax": None}
    if not found.taxable:
        return {"lots": [], "gain": None, "tax": json_money(found.tax or Decimal(0))}
    return {
        "lots": [
            {
                "acquired": None if lot.acquired is None else lot.acquired.isoformat(),
                "shares": json_decimal(lot.shares),
                "cost": _money_or_null(lot.cost),
                "proceeds": json_money(lot.proceeds),
                "gain": _money_or_null(lot.gain),
                "term": lot.term,
                "basis": lot.basis,
            }
            for lot in found.lots
        ],
        "gain": {
            "short": json_money(found.gains.short),
            "long": json_money(found.gains.long),
            "unknown_basis": json_money(found.gains.unknown_basis),
        },
        "tax": _money_or_null(found.tax),
    }


def plan_tax_json(plan: Plan) -> dict[str, Any]:
    """The plan's "tax", "warnings" and "harvest" keys."""
    summary = plan.tax
    if summary is None:
        return {"tax": None, "warnings": [], "harvest": []}
    from rebal.core.tax.gains import ESTIMATE_LABEL

    rates = summary.rates
    return {
        "tax": {
            "date": summary.date.isoformat(),
            "short_term_rate": None if rates is None else json_percent(rates.short * 100),
            "long_term_rate": None if rates is None else json_percent(rates.long * 100),
            "short_gain": json_money(summary.gains.short),
            "long_gain": json_money(summary.gains.long),
            "net_gain": json_money(summary.gains.net),
            "estimated_tax": _money_or_null(summary.estimated_tax),
            "unknown_basis": json_money(summary.gains.unknown_basis),
            "label": ESTIMATE_LABEL,
            "notes": list(summary.notes),
            "budget": _budget_json(summary.budget),
        },
        "warnings": [
            {
                "kind": w.kind,
                "account": w.account,
                "ticker": w.ticker,
                "why": w.why,
                **(
                    {}
                    if w.wash is None
                    else {
                        "source": w.wash.source,
                        "buy_account": w.wash.buy_account,
                        "buy_ticker": w.wash.buy_ticker,
                        "buy_shares": json_decimal(w.wash.buy_shares),
                        "acquired": w.wash.acquired.isoformat(),
                        "days": w.wash.days,
                        "loss": json_money(w.wash.loss),
                        "disallowed": json_money(w.wash.disallowed),
                        "lost_for_good": w.wash.lost_for_good,
                    }
                ),
            }
            for w in summary.warnings
        ],
        "harvest": [
            {
                "account": h.account,
                "ticker": h.ticker,
                "acquired": None if h.acquired is None else h.acquired.isoformat(),
                "shares": json_decimal(h.shares),
                "cost": json_money(h.cost),
                "value": json_money(h.value),
                "loss": json_money(h.loss),
                "term": h.term,
                "replacement": h.replacement,
                "replacement_shares": json_decimal(h.replacement_shares),
                "tax": _money_or_null(h.tax),
                "blocked": h.blocked or None,
                "traded": summary.harvested and not h.blocked,
            }
            for h in summary.harvest
        ],
    }


def _budget_json(budget: GainBudget | None) -> dict[str, Any] | None:
    if budget is None:
        return None
    return {
        "limit": json_money(budget.limit),
        "used": json_money(budget.used),
        "counted": json_money(budget.counted),
        "binds": budget.binds,
        "drift_left": [
            {"class": d.asset_class, "points": json_percent(d.points), "money": json_money(d.money)}
            for d in budget.drift_left
        ],
        "uncapped_gain": _money_or_null(budget.uncapped_gain),
    }


def holdings_tax_json(portfolio: Portfolio) -> dict[str, Any]:
    """`rebal check --json`'s "unrealized" (taxable accounts with basis) and "location" keys."""
    from rebal.core.tax.gains import unrealized
    from rebal.core.tax.location import location_table

    return {
        "unrealized": [
            {
                "account": row.account,
                "class": row.asset_class,
                "value": json_money(row.value),
                "cost": json_money(row.cost),
                "short_gain": json_money(row.short),
                "long_gain": json_money(row.long),
                "unknown_basis_value": json_money(row.unknown_value),
            }
            for row in unrealized(portfolio, portfolio.portfolio.as_of)
        ]
        if tax_applies(portfolio)
        else [],
        "location": [
            {
                "class": row.asset_class,
                "by_treatment": {k: json_money(v) for k, v in row.by_treatment.items()},
                "preferred": list(row.preferred),
                "preference_from_file": row.from_file,
                "first_choice": row.first_choice,
                "in_first_choice": json_percent(row.in_first_choice),
            }
            for row in location_table(portfolio)
        ],
    }
