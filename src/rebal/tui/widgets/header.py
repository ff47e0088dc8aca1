"""The header every step shows: who, how much, as of when, and the verdict in one line."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from rebal.core.report import Report
from rebal.core.returns import describe_period
from rebal.present.terminal import safe
from rebal.tui.format import pct, whole_money


def verdict(report: Report) -> str:
    """'2 of 6 classes out of band — last review 2025-11-20, 9.1% since'.

    Right after a save: '... last review 2026-11-20, 13.0% in the year to 2026-11-20'.
    """
    count = len(report.classes)
    out = len(report.out_of_band)
    first = f"{out} of {count} classes out of band" if out else f"all {count} classes in band"
    wr = report.weighted_return
    if wr is None:
        return f"{first} — no earlier review recorded"
    since = report.money_weighted
    last = report.last_period
    if since is None and last is not None:
        # Just saved: the period since has no days, so show the one it closed.
        figure = pct(last.household.rate, 1)
        return (
            f"{first} — last review {wr.since.isoformat()}, "
            f"{figure} in {describe_period(last.start, last.end)}"
        )
    if since is not None and since.flows:
        # Money-weighted: contributions are not counted as gain.
        return (
            f"{first} — last review {wr.since.isoformat()}, "
            f"{pct(since.household.rate, 1)} since (money-weighted)"
        )
    return f"{first} — last review {wr.since.isoformat()}, {pct(wr.weighted, 1)} since"


class HeaderBar(Static):
    """Two lines: name · total · prices' date, then the verdict."""

    DEFAULT_CSS = """
    HeaderBar { height: 2; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def show(self, report: Report, as_of: str, dirty: bool) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(safe(report.name), style="bold")
        line.append(f"  ·  {whole_money(report.total, report.currency)}")
        line.append(f"  ·  prices {as_of}")
        if dirty:
            line.append("  ·  unsaved", style="bold")
        line.append("\n")
        # ASCII markers: a check mark is missing from some terminal fonts.
        marker = "! " if report.out_of_band else "ok "
        line.append(safe(marker + verdict(report)))  # names the classes out of band
        self.update(line)
