"""What `rebal check --json` adds for the review cycle: the money-weighted return and
the saved plan.

Like rebal.commands.output: pure functions from results to `--json` dicts (a
public contract, docs/cli.md); nothing computed here. Their text is
rebal.present.review_text's.
"""

from __future__ import annotations

from typing import Any

from rebal.core.reconcile import PlanProgress
from rebal.core.returns import PeriodReturn
from rebal.present.figures import json_decimal, json_money, json_percent
from rebal.present.review_text import METHOD

# --------------------------------------------------------------------- JSON


def period_json(result: PeriodReturn | None) -> dict[str, Any] | None:
    """One period's money-weighted return with its parts (null when there is none)."""
    if result is None:
        return None
    household = result.household
    return {
        "method": METHOD,
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "return": json_percent(household.rate),
        "change_in_value": json_percent(result.change_in_value),
        "begin": json_money(household.begin),
        "end_value": json_money(household.end_value),
        "net_flows": json_money(household.net_flows),
        "average_capital": json_money(household.average_capital),
        "reliable": household.rate is not None and not household.unreliable,
        "flows": [
            {"date": f.date.isoformat(), "account": f.account, "amount": json_money(f.amount)}
            for f in result.flows
        ],
        "attributed": result.attributed,
        "per_class": [
            {
                "class": row.asset_class,
                "before": json_money(row.before),
                "after": json_money(row.after),
                "return": json_percent(row.money_weighted),
                "change_in_value": json_percent(row.change),
            }
            for row in result.per_class
        ],
    }


def plan_json(progress: PlanProgress | None) -> dict[str, Any] | None:
    """The saved plan with each trade's status and progress (null when there is none)."""
    if progress is None:
        return None
    return {
        "created": progress.created.isoformat(),
        "mode": progress.mode,
        "done": progress.done,
        "placed": progress.placed,
        "trades": [
            {
                "number": row.number,
                "account": row.trade.account,
                "ticker": row.trade.ticker,
                "action": row.trade.action,
                "shares": json_decimal(row.trade.shares, normalized=True),
                "amount": json_money(row.trade.amount),
                "status": row.trade.status,
                "progress": None if row.progress == "unknown" else row.progress,
                "note": row.note,
            }
            for row in progress.trades
        ],
    }
