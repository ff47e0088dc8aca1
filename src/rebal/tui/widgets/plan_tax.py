"""Step 4's tax section: the lots each taxable sale takes, the plan's realized gains and
estimated tax, the wash-sale flags and the tax-loss harvests, in `rebal plan`'s words.

Every heading, figure and sentence comes from rebal.present.tax, which the CLI's
text output lays out as tables; here they are wrapped lines, so nothing is cut
off at 80 columns.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.core.planner.types import Plan, Trade
from rebal.present.styled import plain
from rebal.present.tax import (
    TextTable,
    estimate_label,
    harvest_table,
    realized_line,
    sold_lots_lines,
    tax_notes,
    trade_gain,
    trade_tax,
    warnings_table,
)

# Columns that name a row (joined on its first line) and the prose one (its own line).
NAMES = ("Kind", "Account", "Ticker")
PROSE = ("Why",)


Line = tuple[int, Text]  # indent, and the text (wrapped under its own indent)


def table_lines(data: TextTable) -> list[Line]:
    """`data` as lines: the title, then per row its names, its figures as
    "Column value" and its reason under them."""
    lines: list[Line] = [(0, plain(data.title, "bold"))]
    for row in data.rows:
        cells = dict(zip(data.columns, row, strict=True))
        # A warning of the whole plan (the gain budget) has no account or ticker: "—".
        names = " · ".join(cells[c] for c in data.columns if c in NAMES and cells[c] != "—")
        figures = ", ".join(
            f"{c} {cells[c]}" for c in data.columns if c not in NAMES and c not in PROSE
        )
        line = plain(names, "bold")
        if figures:
            line.append_text(plain(f": {figures}"))
        lines.append((2, line))
        lines += [(4, plain(cells[c])) for c in PROSE if cells.get(c)]
    return lines


def lots_lines(plan: Plan) -> list[Line]:
    """Each taxable sale with its total, then the lots it takes (one line each)."""
    summary = plan.tax
    sold = [] if summary is None else [t for t in summary.trades if t.taxable]
    if summary is None or not sold:
        return []
    lines: list[Line] = [
        (0, plain(f"Lots sold in taxable accounts (as of {summary.date})", "bold"))
    ]
    for trade in sold:
        line = plain(f"{trade.account} · {trade.ticker}", "bold")
        line.append_text(plain(f": trade total {trade_gain(trade)}, tax {trade_tax(trade)}"))
        lines.append((2, line))
        lines += [(4, plain(lot)) for lot in sold_lots_lines(trade)]
    return lines


def plan_tax_lines(plan: Plan) -> list[Line]:
    """The whole section (empty for plans without tax figures), sections a blank line apart."""
    summary = plan.tax
    if summary is None:
        return []
    sections: list[list[Line]] = []
    lots = lots_lines(plan)
    if lots:
        sections.append(lots)
    total = [(0, plain(realized_line(summary), "bold"))]
    label = estimate_label(summary)
    if label is not None:
        total.append((2, plain(label, "dim")))
    sections.append(total)
    for data in (warnings_table(summary), harvest_table(summary)):
        if data is not None:
            sections.append(table_lines(data))
    notes = tax_notes(summary)
    if notes:
        sections.append([(0, plain(note, "dim")) for note in notes])
    lines: list[Line] = []
    for section in sections:
        if lines:
            lines.append((0, Text("")))
        lines += section
    return lines


def render_lines(lines: Sequence[Line]) -> Group:
    """Each line wrapped under its own indent."""
    return Group(*(Padding(text, (0, 0, 0, indent)) for indent, text in lines))


def trade_tax_detail(plan: Plan | None, trade: Trade) -> Sequence[Text]:
    """The highlighted sale's lots and tax, for the line under the trades."""
    summary = None if plan is None else plan.tax
    found = None if summary is None else summary.of(trade.account, trade.ticker, trade.action)
    if found is None or not found.taxable:
        return ()
    lines = [plain(f"Trade total {trade_gain(found)}, tax {trade_tax(found)}", "bold")]
    lines += [plain(line) for line in sold_lots_lines(found)]
    return lines


class PlanTax(Static):
    """The plan's tax section, redrawn when the plan changes; hidden without tax figures."""

    DEFAULT_CSS = """
    PlanTax { height: auto; margin-bottom: 1; }
    """

    plan: reactive[Plan | None] = reactive(None, always_update=True)

    def watch_plan(self, plan: Plan | None) -> None:
        self.display = plan is not None and plan.tax is not None
        self.update(render_lines(plan_tax_lines(plan) if plan is not None else []))
