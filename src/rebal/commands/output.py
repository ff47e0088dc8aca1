"""What `rebal check` and `rebal plan` print: the `--json` objects and the human tables.

Pure functions from the calculation results to data: the JSON side builds
plain dicts of strings (a public contract, see docs/cli.md), the human side
builds rich renderables. Nothing here reads files or computes figures; the
app's export may reuse the JSON functions.

Rounding: money to the cent, percentages to 2 places, both half up
(rebal.core.numbers). The human tables show the seed's figures the seed's way:
returns and drifted weights to one place (9.05% shows as 9.1%).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from rebal.core.numbers import cents, display_percent
from rebal.core.report import AccountRow, ClassRow, Report
from rebal.core.returns import WeightedReturn
from rebal.core.tax.gains import tax_applies
from rebal.core.trade_order import in_placing_order
from rebal.model import Portfolio
from rebal.present import figures
from rebal.present.plan_words import NEW_MONEY_LEAD, new_money_answer
from rebal.present.rows import ClassCells, column_cents
from rebal.present.styled import plain, status_text
from rebal.present.tax import (
    TextTable,
    estimate_label,
    harvest_table,
    holdings_tax_shown,
    location_text_table,
    lots_table,
    realized_line,
    tax_notes,
    unrealized_table,
    warnings_table,
)
from rebal.present.terminal import safe
from rebal.problems import Problem

if TYPE_CHECKING:
    # Type names only: `rebal check` never imports the planner package.
    from rebal.core.planner.types import Plan, Residual, Skipped, Trade

JSON_SCHEMA_VERSION = 1

PROSE_COLUMNS = frozenset({"Reason", "Why", "Progress"})


# --------------------------------------------------------------------- JSON


def money(value: Decimal) -> str:
    """Money as a string to the cent, half up: 54525 -> "54525.00"."""
    return format(cents(value), "f")


def percent(value: Decimal | None) -> str | None:
    """A percentage as a string to 2 places, half up; None stays None (JSON null)."""
    return None if value is None else display_percent(value, 2)


def class_rows_json(rows: Iterable[ClassRow]) -> list[dict[str, Any]]:
    rows = list(rows)
    values = column_cents([row.value for row in rows])
    return [
        {
            "class": row.asset_class,
            "target": percent(row.target),
            "actual": percent(row.actual),
            "value": money(value),
            "low": percent(row.band.low),
            "high": percent(row.band.high),
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
            "value": money(value),
            "cash": money(a.cash),
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
        "weighted": percent(result.weighted),
        "per_class": [
            {
                "class": row.asset_class,
                "before": money(row.before),
                "after": money(row.after),
                "return": percent(row.change),
                "weight_before": percent(row.weight_before),
                "weight_after": percent(row.weight_after),
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
            "total": money(report.total),
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
        "shares": format(trade.shares, "f"),
        "amount": money(trade.amount),
        "reason": trade.reason,
    }


def residual_json(rows: Iterable[Residual]) -> list[dict[str, Any]]:
    return [{"class": r.asset_class, "drift": money(r.drift), "reason": r.reason} for r in rows]


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
                {"account": account, "cash": money(cash)}
                for account, cash in plan.leftover_cash.items()
            ],
            "residual": residual_json(plan.residual),
            "new_money_to_band": None if amount is None else money(amount),
            "notes": list(plan.notes),
            **plan_tax_json(plan),
        }
    )
    return data


# -------------------------------------------------------------- human text


def columns_table(*columns: str, right: Sequence[str] = ()) -> Table:
    table = Table(
        show_edge=False,
        pad_edge=False,
        box=None,
        header_style="bold",
    )
    for column in columns:
        # Figures and names never wrap; free text (reasons) wraps in what is left.
        wraps = column in PROSE_COLUMNS
        table.add_column(
            column,
            justify="right" if column in right else "left",
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
            ratio=1 if wraps else None,
        )
    return table


def titled(title: str, table: Table) -> Group:
    """A bold heading line above `table` (a rich table title would wrap at the table's width)."""
    return Group(plain(title, "bold"), table)


def class_table(rows: Iterable[ClassRow], *, title: str = "Allocation by class") -> Group:
    table = columns_table(
        "Class",
        "Target",
        "Band",
        "Actual",
        "Drift",
        "Value",
        "Status",
        right=("Target", "Actual", "Drift", "Value"),
    )
    rows = list(rows)
    values = column_cents([row.value for row in rows])
    for row, value in zip(rows, values, strict=True):
        cells = ClassCells.of(row)
        table.add_row(
            plain(cells.asset_class),
            cells.target,
            cells.band,
            cells.actual,
            cells.drift,
            figures.amount(value),
            status_text(row.status),
        )
    return titled(title, table)


def kind_text(row: AccountRow) -> str:
    """The kind as written, with its tax treatment when the words differ: "401k (traditional)"."""
    if row.kind == row.tax_treatment:
        return row.kind
    return f"{row.kind} ({row.tax_treatment})"


def accounts_table(rows: Iterable[AccountRow]) -> Group:
    table = columns_table("Account", "Kind", "Value", "Cash", right=("Value", "Cash"))
    rows = list(rows)
    values = column_cents([row.value for row in rows])
    for row, value in zip(rows, values, strict=True):
        table.add_row(
            plain(row.account),
            plain(kind_text(row)),
            figures.amount(value),
            figures.amount(row.cash),
        )
    return titled("Accounts", table)


def return_table(result: WeightedReturn) -> RenderableType:
    heading = plain(
        f"Weighted return since {result.since.isoformat()}: "
        f"{figures.percent(result.weighted, 1)} "
        f"({figures.amount(result.total_before)} → {figures.amount(result.total_after)})",
        "bold",
    )
    table = columns_table(
        "Class",
        "Then",
        "Now",
        "Return",
        "Weight then",
        "Weight now",
        right=("Then", "Now", "Return", "Weight then", "Weight now"),
    )
    for row in result.per_class:
        table.add_row(
            plain(row.asset_class),
            figures.amount(row.before),
            figures.amount(row.after),
            figures.percent(row.change, 1),
            figures.percent(row.weight_before, 1),
            figures.percent(row.weight_after, 1),
        )
    return Group(heading, table)


def report_header(report: Report, *, as_of: dt.date, file: Path) -> Text:
    header = plain(f"{report.name}", "bold")
    header.append(safe(f"  ({file})\n"), style="dim")
    header.append(f"Prices as of {as_of.isoformat()} · total {figures.amount(report.total)} ")
    header.append(safe(report.currency))
    out = report.out_of_band
    if out:
        header.append(f"\n{len(out)} of {len(report.classes)} classes out of band: ")
        header.append(safe(", ".join(row.asset_class for row in out)))
    else:
        header.append("\nEvery class is inside its band.")
    return header


def report_renderables(report: Report, *, as_of: dt.date, file: Path) -> list[RenderableType]:
    """The `rebal check` output for one file."""
    parts: list[RenderableType] = [
        report_header(report, as_of=as_of, file=file),
        Text(""),
        class_table(report.classes),
        Text(""),
        accounts_table(report.accounts),
    ]
    wr = report.weighted_return
    if wr is None:
        parts += [Text(""), plain("No [[history]] snapshot yet: no return to show.", "dim")]
    elif wr.since < as_of:
        # On the day of a review there are no days since it (a "0.0%" would hide the
        # year's return): `rebal check` then shows the period just closed instead.
        parts += [Text(""), return_table(wr)]
    return parts


def _trade_table(rows: Iterable[Trade | Skipped]) -> Table:
    """Trades (or trades skipped), one a row: action, ticker, shares, amount, reason."""
    table = columns_table(
        "Action",
        "Ticker",
        "Shares",
        "Amount",
        "Reason",
        right=("Shares", "Amount"),
    )
    for row in rows:
        table.add_row(
            plain(row.action.upper() if row.action == "sell" else row.action),
            plain(row.ticker),
            figures.shares(row.shares),
            figures.amount(row.amount),
            plain(row.reason),
        )
    return table


def trades_by_account(
    trades: Iterable[Trade], leftover_cash: Mapping[str, Decimal], accounts: Sequence[str] = ()
) -> list[RenderableType]:
    grouped: dict[str, list[Trade]] = {}
    for trade in in_placing_order(trades, accounts):
        grouped.setdefault(trade.account, []).append(trade)
    if not grouped:
        return [plain("No trades: nothing would bring the household closer to its targets.")]
    parts: list[RenderableType] = []
    for account, rows in grouped.items():
        bought = sum((t.amount for t in rows if t.action == "buy"), Decimal(0))
        sold = sum((t.amount for t in rows if t.action == "sell"), Decimal(0))
        title = f"{account}: sell {figures.amount(sold)}, buy {figures.amount(bought)}"
        if account in leftover_cash:
            title += f", cash left {figures.amount(leftover_cash[account])}"
        table = _trade_table(rows)
        parts += [titled(title, table), Text("")]
    return parts


def before_after_table(before: Sequence[ClassRow], after: Sequence[ClassRow]) -> Group:
    table = columns_table(
        "Class",
        "Target",
        "Before",
        "After",
        "Value after",
        "Status after",
        right=("Target", "Before", "After", "Value after"),
    )
    actual_before = {row.asset_class: row for row in before}
    values_after = column_cents([row.value for row in after])
    for row, value in zip(after, values_after, strict=True):
        previous = actual_before.get(row.asset_class)
        table.add_row(
            plain(row.asset_class),
            figures.percent(row.target),
            figures.percent(previous.actual if previous else None),
            figures.percent(row.actual),
            figures.amount(value),
            status_text(row.status),
        )
    return titled("Classes before and after the trades", table)


def plan_renderables(
    report: Report, plan: Plan, *, as_of: dt.date, file: Path, details: bool = False
) -> list[RenderableType]:
    """The `rebal plan` output: trades by account, skips, leftovers, residuals, classes.

    How the plan was computed (the solver's method line) is for `details` only:
    it says nothing a person needs to place the trades.
    """
    options = plan.options
    heading = report_header(report, as_of=as_of, file=file)
    heading.append(f"\nPlan: mode {options.mode}")
    if options.new_money:
        where = ", ".join(f"{figures.amount(v)} to {k}" for k, v in options.new_money.items())
        heading.append(safe(f"; new money {where}"))
    if options.whole_shares:
        heading.append("; whole shares")
    if options.min_trade:
        heading.append(f"; minimum trade {figures.amount(options.min_trade)}")
    if options.only is not None:
        trading = [row.account for row in report.accounts if row.account in options.only]
        heading.append("; trading only in " + ", ".join(trading))
    avoided = [name for name, avoid in options.avoid_selling.items() if avoid]
    allowed = [name for name, avoid in options.avoid_selling.items() if not avoid]
    if avoided:
        heading.append("; avoid selling in " + ", ".join(avoided))
    if allowed:
        heading.append("; selling allowed in " + ", ".join(allowed))
    if details:
        heading.append(f"\nMethod: {plan.method}", style="dim")
    parts: list[RenderableType] = [heading, Text("")]
    parts += trades_by_account(
        plan.trades, plan.leftover_cash, [row.account for row in report.accounts]
    )
    if plan.skipped:
        parts += [titled("Skipped (not traded)", _trade_table(plan.skipped)), Text("")]
    leftover = {k: v for k, v in plan.leftover_cash.items() if v}
    if leftover:
        table = columns_table("Account", "Cash left", right=("Cash left",))
        for account, cash in leftover.items():
            table.add_row(plain(account), figures.amount(cash))
        parts += [titled("Cash left in accounts", table), Text("")]
    parts += [before_after_table(plan.before, plan.after), Text("")]
    if plan.residual:
        table = columns_table(
            "Class",
            "Drift left",
            "Why",
            right=("Drift left",),
        )
        for residual in plan.residual:
            table.add_row(
                plain(residual.asset_class), figures.amount(residual.drift), plain(residual.reason)
            )
        parts += [titled("Drift the plan cannot remove", table), Text("")]
    parts += tax_renderables(plan)
    parts.append(new_money_text(plan, report.currency))
    for note in plan.notes:
        parts.append(plain(f"Note: {note}", "dim"))
    return parts


def new_money_text(plan: Plan, currency: str = "USD") -> Text:
    band = plan.new_money_to_band
    text = plain(f"{NEW_MONEY_LEAD}: {new_money_answer(band, currency)}")
    if band.reason:
        text.append(safe(f"\n  {band.reason}"), style="dim")
    return text


# -------------------------------------------------------------------- taxes
# docs/cli.md, "Tax": every key is present for every file; files without tax
# keys get null / [] and the same text output as before.


def _money_or_null(value: Decimal | None) -> str | None:
    return None if value is None else money(value)


def trade_tax_json(plan: Plan, trade: Trade) -> dict[str, Any]:
    """The tax keys of one trade: its lots, gain by term and linear tax (null for a buy)."""
    found = None if plan.tax is None else plan.tax.of(trade.account, trade.ticker, trade.action)
    if found is None:
        return {"lots": [], "gain": None, "tax": None}
    if not found.taxable:
        return {"lots": [], "gain": None, "tax": money(found.tax or Decimal(0))}
    return {
        "lots": [
            {
                "acquired": None if lot.acquired is None else lot.acquired.isoformat(),
                "shares": format(lot.shares, "f"),
                "cost": _money_or_null(lot.cost),
                "proceeds": money(lot.proceeds),
                "gain": _money_or_null(lot.gain),
                "term": lot.term,
                "basis": lot.basis,
            }
            for lot in found.lots
        ],
        "gain": {
            "short": money(found.gains.short),
            "long": money(found.gains.long),
            "unknown_basis": money(found.gains.unknown_basis),
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
            "short_term_rate": None if rates is None else percent(rates.short * 100),
            "long_term_rate": None if rates is None else percent(rates.long * 100),
            "short_gain": money(summary.gains.short),
            "long_gain": money(summary.gains.long),
            "net_gain": money(summary.gains.net),
            "estimated_tax": _money_or_null(summary.estimated_tax),
            "unknown_basis": money(summary.gains.unknown_basis),
            "label": ESTIMATE_LABEL,
            "notes": list(summary.notes),
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
                        "buy_shares": format(w.wash.buy_shares, "f"),
                        "acquired": w.wash.acquired.isoformat(),
                        "days": w.wash.days,
                        "loss": money(w.wash.loss),
                        "disallowed": money(w.wash.disallowed),
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
                "shares": format(h.shares, "f"),
                "cost": money(h.cost),
                "value": money(h.value),
                "loss": money(h.loss),
                "term": h.term,
                "replacement": h.replacement,
                "replacement_shares": format(h.replacement_shares, "f"),
                "tax": _money_or_null(h.tax),
                "blocked": h.blocked or None,
                "traded": summary.harvested and not h.blocked,
            }
            for h in summary.harvest
        ],
    }


def text_table(data: TextTable) -> Group:
    """A rebal.present.tax table as the CLI prints it: titled, totals in bold."""
    table = columns_table(*data.columns, right=data.right)
    for index, row in enumerate(data.rows):
        style = "bold" if index in data.totals else ""
        table.add_row(*(plain(cell, style if cell else "") for cell in row))
    return titled(data.title, table)


def tax_renderables(plan: Plan) -> list[RenderableType]:
    """The plan's tax sections: lots sold, the estimate, wash-sale flags, harvests."""
    summary = plan.tax
    if summary is None:
        return []
    parts: list[RenderableType] = []
    lots = lots_table(summary)
    if lots is not None:
        parts.append(text_table(lots))
    parts.append(plain(realized_line(summary), "bold"))
    label = estimate_label(summary)
    if label is not None:
        parts.append(plain(f"  {label}", "dim"))
    parts.append(Text(""))
    for data in (warnings_table(summary), harvest_table(summary)):
        if data is not None:
            parts += [text_table(data), Text("")]
    for note in tax_notes(summary):
        parts.append(plain(note, "dim"))
    return parts


def holdings_tax_json(portfolio: Portfolio) -> dict[str, Any]:
    """`rebal check --json`'s "unrealized" (taxable accounts with basis) and "location" keys."""
    from rebal.core.tax.gains import unrealized
    from rebal.core.tax.location import location_table

    return {
        "unrealized": [
            {
                "account": row.account,
                "class": row.asset_class,
                "value": money(row.value),
                "cost": money(row.cost),
                "short_gain": money(row.short),
                "long_gain": money(row.long),
                "unknown_basis_value": money(row.unknown_value),
            }
            for row in unrealized(portfolio, portfolio.portfolio.as_of)
        ]
        if tax_applies(portfolio)
        else [],
        "location": [
            {
                "class": row.asset_class,
                "by_treatment": {k: money(v) for k, v in row.by_treatment.items()},
                "preferred": list(row.preferred),
                "preference_from_file": row.from_file,
                "first_choice": row.first_choice,
                "in_first_choice": percent(row.in_first_choice),
            }
            for row in location_table(portfolio)
        ],
    }


def holdings_tax_renderables(portfolio: Portfolio) -> list[RenderableType]:
    """`rebal check`'s unrealized gains and location tables, for files with tax keys."""
    if not holdings_tax_shown(portfolio):
        return []
    parts: list[RenderableType] = []
    gains = unrealized_table(portfolio)
    if gains is not None:
        parts += [Text(""), text_table(gains)]
    parts += [Text(""), text_table(location_text_table(portfolio))]
    return parts
