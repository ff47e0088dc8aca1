"""The words and figures of the tax sections, for the CLI's text and the app alike.

`rebal plan` / `rebal check` take them as text blocks (`tax_blocks`,
`holdings_tax_blocks`: plain lines to a pipe, rich tables on a terminal); the
app (rebal.tui) as its own tables and wrapped lines. Both take
every heading, cell and sentence from here, so a figure or a word can never
read one way in the terminal and another in the app. Plain strings only: the
front ends make them terminal-safe and style them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from rebal.core.numbers import ZERO, display_percent
from rebal.core.tax.gains import ESTIMATE_LABEL, tax_applies, unrealized
from rebal.core.tax.location import location_table, treatments_present
from rebal.model import Portfolio
from rebal.present.blocks import BLANK, Block, Bold, Table, line
from rebal.present.figures import amount, percent

if TYPE_CHECKING:
    # A plan's tax types, named only: `rebal check` shows holdings and never loads them.
    from rebal.core.tax.harvest import Harvest
    from rebal.core.tax.lots import SoldLot
    from rebal.core.tax.summary import GainBudget, PlanTax, TradeTax

UNKNOWN = "unknown"


@dataclass(frozen=True)
class TextTable:
    """A titled table of plain strings: the columns, which of them are figures
    (right-aligned), the rows, and the rows that are totals (shown bold)."""

    title: str
    columns: tuple[str, ...]
    right: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: frozenset[int] = field(default_factory=frozenset)


# ------------------------------------------------------------ rebal check


def holdings_tax_shown(portfolio: Portfolio) -> bool:
    """Files with tax keys (or a [location]) get the gains and location tables."""
    return tax_applies(portfolio) or bool(portfolio.location)


def unrealized_table(portfolio: Portfolio) -> TextTable | None:
    """Unrealized gains by taxable account and class; None when no taxable account holds any."""
    rows = unrealized(portfolio, portfolio.portfolio.as_of)
    if not rows:
        return None
    figures = ("Value", "Cost", "Short-term", "Long-term", "Unknown basis")
    return TextTable(
        f"Unrealized gains in taxable accounts (if sold on {portfolio.portfolio.as_of})",
        ("Account", "Class", *figures),
        figures,
        tuple(
            (
                row.account,
                row.asset_class,
                amount(row.value),
                amount(row.cost),
                amount(row.short),
                amount(row.long),
                amount(row.unknown_value),
            )
            for row in rows
        ),
    )


def location_text_table(portfolio: Portfolio) -> TextTable:
    """Each class's value by tax treatment against its preferred order."""
    location = location_table(portfolio)
    kinds = tuple(treatments_present(location))
    rows = []
    for place in location:
        preferred = " > ".join(place.preferred) if place.preferred else "no preference"
        if place.preferred and not place.from_file:
            preferred += " (default)"
        rows.append(
            (
                place.asset_class,
                *(amount(place.by_treatment.get(k, Decimal(0))) for k in kinds),
                preferred,
                percent(place.in_first_choice, 1) if place.first_choice else "—",
            )
        )
    return TextTable(
        "Asset location (value by tax treatment)",
        ("Class", *kinds, "Preferred", "In first choice"),
        (*kinds, "In first choice"),
        tuple(rows),
    )


# ------------------------------------------------------------- rebal plan

LOT_COLUMNS = ("Lot", "Shares", "Cost", "Proceeds", "Gain", "Term")


def lot_cells(lot: SoldLot) -> tuple[str, ...]:
    """One lot a sale takes, as LOT_COLUMNS read it."""
    return (
        "date unknown" if lot.acquired is None else lot.acquired.isoformat(),
        format(lot.shares, "f"),
        UNKNOWN if lot.cost is None else amount(lot.cost),
        amount(lot.proceeds),
        UNKNOWN if lot.gain is None else amount(lot.gain),
        (lot.term or "—") + (" (assumed)" if lot.basis == "cost_basis" else ""),
    )


def trade_gain(trade: TradeTax) -> str:
    """A sale's realized gain (net of its terms); a dash where no capital-gains tax applies."""
    return amount(trade.gains.net) if trade.taxable else "—"


def trade_tax(trade: TradeTax) -> str:
    """A sale's estimated tax alone, before netting: "unknown" without rates or basis."""
    if not trade.taxable:
        return amount(trade.tax or ZERO)
    return UNKNOWN if trade.tax is None else amount(trade.tax)


def lots_table(summary: PlanTax) -> TextTable | None:
    """The lots each taxable sale takes, each sale closed by its total row."""
    sold = [t for t in summary.trades if t.taxable]
    if not sold:
        return None
    rows: list[tuple[str, ...]] = []
    totals: set[int] = set()
    for trade in sold:
        rows += [(trade.account, trade.ticker, *lot_cells(lot)) for lot in trade.lots]
        totals.add(len(rows))
        total = ("trade total", "", "", "", trade_gain(trade), f"tax {trade_tax(trade)}")
        rows.append(("", "", *total))
    return TextTable(
        f"Lots sold in taxable accounts (as of {summary.date})",
        ("Account", "Ticker", *LOT_COLUMNS),
        ("Shares", "Cost", "Proceeds", "Gain"),
        tuple(rows),
        frozenset(totals),
    )


def realized_line(summary: PlanTax) -> str:
    """The plan's total: gains by term, the estimated tax and what has unknown basis."""
    gains = summary.gains
    line = f"Realized: short-term {amount(gains.short)}, long-term {amount(gains.long)}"
    if summary.estimated_tax is not None and summary.rates is not None:
        rates = summary.rates
        line += (
            f"; estimated tax {amount(summary.estimated_tax)} "
            f"(at {display_percent(rates.short * 100)}% / {display_percent(rates.long * 100)}%)"
        )
    else:
        line += "; no [tax] rates in the file, so no tax is estimated"
    if gains.unknown_basis:
        line += f"; {amount(gains.unknown_basis)} sold with unknown basis (tax unknown)"
    return line


def budget_text(budget: GainBudget) -> str:
    """One line on the gain budget: what the plan uses of it, and the drift it leaves."""
    line = (
        f"Gain budget {amount(budget.limit)}: this plan realizes "
        + (f"a net loss of {amount(-budget.used)}" if budget.used < 0
           else f"a net gain of {amount(budget.used)}")
    )
    if budget.counted and budget.counted != budget.used:
        line += (
            f" ({amount(budget.counted)} of gains, which the budget counts: "
            "losses do not make room)"
        )
    if not budget.binds:
        return line + "."
    parts = [
        f"{display_percent(d.points)} points of drift in {d.asset_class} ({amount(d.money)})"
        for d in budget.drift_left
    ]
    left = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    line += f". The gain budget of {amount(budget.limit)} leaves {left}"
    if budget.uncapped_gain is not None:
        line += f"; without it the plan would realize {amount(budget.uncapped_gain)}"
    return line + "."


def estimate_label(summary: PlanTax) -> str | None:
    """What the estimate leaves out, as a sentence (None: nothing is estimated)."""
    if summary.estimated_tax is None:
        return None
    return f"{ESTIMATE_LABEL[0].upper()}{ESTIMATE_LABEL[1:]}."


def warnings_table(summary: PlanTax) -> TextTable | None:
    """Wash-sale flags (which purchase, how many days) and the gain-budget check."""
    if not summary.warnings:
        return None
    return TextTable(
        "Tax warnings",
        ("Kind", "Account", "Ticker", "Why"),
        (),
        tuple((w.kind, w.account or "—", w.ticker or "—", w.why) for w in summary.warnings),
    )


def harvest_why(harvest: Harvest, harvested: bool) -> str:
    if harvest.blocked:
        return f"not suggested: {harvest.blocked}"
    if harvested:
        return "in this plan (--harvest)"
    return "optional: add --harvest to trade it; the class mix is unchanged"


def harvest_table(summary: PlanTax) -> TextTable | None:
    """Loss lots worth harvesting, each with the fund that replaces it."""
    if not summary.harvest:
        return None
    rows = []
    for h in summary.harvest:
        buy = f"{format(h.replacement_shares, 'f')} {h.replacement}" if h.replacement else "—"
        rows.append(
            (
                h.account,
                h.ticker,
                "—" if h.acquired is None else h.acquired.isoformat(),
                format(h.shares, "f"),
                amount(h.loss),
                buy,
                harvest_why(h, summary.harvested),
            )
        )
    return TextTable(
        "Tax-loss harvesting",
        ("Account", "Ticker", "Lot", "Shares", "Loss", "Buy instead", "Why"),
        ("Shares", "Loss"),
        tuple(rows),
    )


def tax_notes(summary: PlanTax) -> list[str]:
    return [f"Tax note: {note}" for note in summary.notes]


def sold_lots_lines(trade: TradeTax) -> Sequence[str]:
    """A sale's lots, one sentence each: "Lot 2019-03-04: Shares 10, Cost ..., Term long"."""
    lines = []
    for lot in trade.lots:
        date, *figures = lot_cells(lot)
        named = ", ".join(
            f"{name} {value}" for name, value in zip(LOT_COLUMNS[1:], figures, strict=True)
        )
        lines.append(f"Lot {date}: {named}")
    return lines


# ------------------------------------------------------------- as text blocks


def table_block(data: TextTable) -> Table:
    """A TextTable as the CLI's text shows it: titled, its total rows in bold."""
    rows = tuple(
        tuple(Bold(cell) if index in data.totals and cell else cell for cell in row)
        for index, row in enumerate(data.rows)
    )
    return Table(data.columns, rows, frozenset(data.right), data.title)


def tax_blocks(summary: PlanTax | None) -> list[Block]:
    """`rebal plan`'s tax part: lots sold, the estimate, wash-sale flags, harvests, notes."""
    if summary is None:
        return []
    blocks: list[Block] = []
    lots = lots_table(summary)
    if lots is not None:
        blocks.append(table_block(lots))
    blocks.append(line(realized_line(summary), "bold"))
    label = estimate_label(summary)
    if label is not None:
        blocks.append(line(f"  {label}", "dim"))
    if summary.budget is not None:
        blocks.append(line(budget_text(summary.budget), "bold" if summary.budget.binds else ""))
    blocks.append(BLANK)
    for data in (warnings_table(summary), harvest_table(summary)):
        if data is not None:
            blocks += [table_block(data), BLANK]
    blocks += [line(note, "dim") for note in tax_notes(summary)]
    return blocks


def holdings_tax_blocks(portfolio: Portfolio) -> list[Block]:
    """`rebal check`'s unrealized gains and location tables, for files with tax keys."""
    if not holdings_tax_shown(portfolio):
        return []
    blocks: list[Block] = []
    gains = unrealized_table(portfolio)
    if gains is not None:
        blocks += [BLANK, table_block(gains)]
    blocks += [BLANK, table_block(location_text_table(portfolio))]
    return blocks
