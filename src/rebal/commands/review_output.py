"""What `rebal check --json` adds for the review cycle: the money-weighted return and
the saved plan.

Like rebal.commands.output: pure functions from results to `--json` dicts (a
public contract, docs/cli.md); nothing computed here. Their text is
rebal.present.review_text's.
"""

from __future__ import annotations

from typing import Any

from rebal.commands.output import money, percent
from rebal.core.reconcile import PlanProgress
from rebal.core.returns import PeriodReturn
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
        "return": percent(household.rate),
        "change_in_value": percent(result.change_in_value),
        "begin": money(household.begin),
        "end_value": money(household.end_value),
        "net_flows": money(household.net_flows),
        "average_capital": money(household.average_capital),
        "reliable": household.rate is not None and not household.unreliable,
        "flows": [
            {"date": f.date.isoformat(), "account": f.account, "amount": money(f.amount)}
            for f in result.flows
        ],
        "attributed": result.attributed,
        "per_class": [
            {
                "class": row.asset_class,
                "before": money(row.before),
                "after": money(row.after),
                "return": percent(row.money_weighted),
                "change_in_value": percent(row.change),
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
                "shares": format(row.trade.shares.normalize(), "f"),
                "amount": money(row.trade.amount),
                "status": row.trade.status,
                "progress": None if row.progress == "unknown" else row.progress,
                "note": row.note,
            }
            for row in progress.trades
        ],
    }
