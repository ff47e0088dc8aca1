"""The header every step shows: who, how much, as of when, and the verdict in one line."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

from rebal.core.report import Report
from rebal.core.returns import describe_period
from rebal.present.figures import percent, whole_money
from rebal.present.terminal import safe


def verdict(report: Report) -> str:
    """'2 of 6 classes out of band — last review 2025-11-20, 9.1% since'.

    Right after a save: '... last review 2026-11-20, 13.0% in the year to 2026-11-20'.
    """
    return verdict_forms(report)[0]


def verdict_forms(report: Report) -> tuple[str, ...]:
    """The verdict, then shorter forms of it for a narrow header: the return's
    figure and period are kept, the date of the last review gives way first."""
    full = _full_verdict(report)
    head, _, tail = full.partition(" — last review ")
    if not tail or ", " not in tail:
        return (full,)
    _, _, figure = tail.partition(", ")
    return full, f"{head} — {figure}", f"{head} — {figure.removesuffix(' (money-weighted)')}"


def _full_verdict(report: Report) -> str:
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
        figure = percent(last.household.rate, 1)
        return (
            f"{first} — last review {wr.since.isoformat()}, "
            f"{figure} in {describe_period(last.start, last.end)}"
        )
    if since is not None and since.flows:
        # Money-weighted: contributions are not counted as gain.
        return (
            f"{first} — last review {wr.since.isoformat()}, "
            f"{percent(since.household.rate, 1)} since (money-weighted)"
        )
    return f"{first} — last review {wr.since.isoformat()}, {percent(wr.weighted, 1)} since"


@dataclass(frozen=True)
class HeaderFacts:
    name: str
    total: str
    as_of: str
    dirty: bool


def first_line(facts: HeaderFacts, width: int) -> Text:
    """Name · total · prices' date · unsaved, fitted to `width`: the name gives way first,
    then the separators narrow, so the date and the unsaved mark are never cut."""
    tail = [facts.total, f"prices {facts.as_of}"] + (["unsaved"] if facts.dirty else [])
    for separator in ("  ·  ", " · "):
        rest = "".join(separator + part for part in tail)
        room = width - cell_len(rest)
        if room >= min(12, cell_len(facts.name)):
            break
    name = facts.name
    if cell_len(name) > room:
        name = set_cell_size(name, max(room - 1, 1)).rstrip() + "…"
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(name, style="bold")
    line.append(separator + facts.total)
    line.append(separator + f"prices {facts.as_of}")
    if facts.dirty:
        line.append(separator)
        line.append("unsaved", style="bold")
    return line


class HeaderBar(Static):
    """Two lines: name · total · prices' date, then the verdict."""

    DEFAULT_CSS = """
    HeaderBar { height: 2; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    facts: HeaderFacts | None = None
    verdicts: tuple[str, ...] = ()  # the verdict's forms, longest first

    def show(self, report: Report, as_of: str, dirty: bool) -> None:
        # ASCII markers: a check mark is missing from some terminal fonts.
        marker = "! " if report.out_of_band else "ok "
        # The verdict names the classes out of band.
        self.verdicts = tuple(safe(marker + form) for form in verdict_forms(report))
        self.facts = HeaderFacts(
            safe(report.name), whole_money(report.total, report.currency), as_of, dirty
        )
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        if self.facts is None:
            return
        width = self.content_size.width or 78
        line = first_line(self.facts, width)
        fitting = [form for form in self.verdicts if cell_len(form) <= width]
        line.append("\n" + (fitting[0] if fitting else self.verdicts[-1]))
        self.update(line)
