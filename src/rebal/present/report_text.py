"""`rebal check`'s text for one file: the header, the class table, accounts and return.

Words and figures only (rebal.present.blocks); rebal.commands lays them out as
plain lines for a pipe or as rich tables on a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from rebal.core.report import AccountRow, ClassRow, Report
from rebal.core.returns import WeightedReturn
from rebal.present import figures
from rebal.present.blocks import BLANK, Block, Bold, Dim, Paragraph, Section, Table, line, table
from rebal.present.rows import ClassCells, column_cents

CLASS_COLUMNS = ("Class", "Target", "Band", "Actual", "Drift", "Value", "Status")
CLASS_FIGURES = ("Target", "Actual", "Drift", "Value")


def status_cell(status: str) -> str:
    """The status word, bold when the class is out of band ("OVER", "under"; "ok" plain)."""
    word = figures.status_word(status)
    return word if status == "in" else Bold(word)


def class_table(rows: Iterable[ClassRow], *, title: str = "Allocation by class") -> Table:
    rows = list(rows)
    values = column_cents([row.value for row in rows])
    cells = []
    for row, value in zip(rows, values, strict=True):
        shown = ClassCells.of(row)
        cells.append(
            (
                shown.asset_class,
                shown.target,
                shown.band,
                shown.actual,
                shown.drift,
                figures.amount(value),
                status_cell(row.status),
            )
        )
    return table(CLASS_COLUMNS, cells, right=CLASS_FIGURES, title=title)


def kind_text(row: AccountRow) -> str:
    """The kind as written, with its tax treatment when the words differ: "401k (traditional)"."""
    if row.kind == row.tax_treatment:
        return row.kind
    return f"{row.kind} ({row.tax_treatment})"


def accounts_table(rows: Iterable[AccountRow]) -> Table:
    rows = list(rows)
    values = column_cents([row.value for row in rows])
    return table(
        ("Account", "Kind", "Value", "Cash"),
        [
            (row.account, kind_text(row), figures.amount(value), figures.amount(row.cash))
            for row, value in zip(rows, values, strict=True)
        ],
        right=("Value", "Cash"),
        title="Accounts",
    )


def return_heading(result: WeightedReturn) -> str:
    """ "Weighted return since 2025-11-20: 9.1% (500,000.00 → 545,250.00)" """
    return (
        f"Weighted return since {result.since.isoformat()}: "
        f"{figures.percent(result.weighted, 1)} "
        f"({figures.amount(result.total_before)} → {figures.amount(result.total_after)})"
    )


def return_table(result: WeightedReturn) -> Section:
    columns = ("Class", "Then", "Now", "Return", "Weight then", "Weight now")
    rows = [
        (
            row.asset_class,
            figures.amount(row.before),
            figures.amount(row.after),
            figures.percent(row.change, 1),
            figures.percent(row.weight_before, 1),
            figures.percent(row.weight_after, 1),
        )
        for row in result.per_class
    ]
    return Section((line(return_heading(result), "bold"), table(columns, rows, right=columns[1:])))


def out_of_band_line(report: Report) -> str:
    """ "2 of 5 classes out of band: US Stocks, Bonds", or that every class is in its band."""
    out = report.out_of_band
    if not out:
        return "Every class is inside its band."
    names = ", ".join(row.asset_class for row in out)
    return f"{len(out)} of {len(report.classes)} classes out of band: {names}"


def report_header(report: Report, *, as_of: dt.date, file: Path) -> Paragraph:
    """The portfolio's name and file, the prices' date and total, and what is out of band."""
    return Paragraph(
        (
            report.name,
            Dim(f"  ({file})\n"),
            f"Prices as of {as_of.isoformat()} · total {figures.amount(report.total)} ",
            report.currency,
            "\n" + out_of_band_line(report),
        ),
        "bold",
    )


NO_SNAPSHOT = "No [[history]] snapshot yet: no return to show."


def report_blocks(report: Report, *, as_of: dt.date, file: Path) -> list[Block]:
    """The `rebal check` text for one file, before its review-cycle and tax parts."""
    blocks: list[Block] = [
        report_header(report, as_of=as_of, file=file),
        BLANK,
        class_table(report.classes),
        BLANK,
        accounts_table(report.accounts),
    ]
    wr = report.weighted_return
    if wr is None:
        blocks += [BLANK, line(NO_SNAPSHOT, "dim")]
    elif wr.since < as_of:
        # On the day of a review there are no days since it (a "0.0%" would hide the
        # year's return): `rebal check` then shows the period just closed instead.
        blocks += [BLANK, return_table(wr)]
    return blocks
