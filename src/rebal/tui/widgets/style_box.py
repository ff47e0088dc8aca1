"""Step 3's style box: the stock part's 3x3 grid now, against the last review and the
style targets, with the cells that moved most marked (◆, in text, not colour alone)."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.core.allocation import CellChange, StyleComparison
from rebal.model import UNCLASSIFIED
from rebal.model.constants import STYLE_SIZES, STYLE_STYLES
from rebal.present.figures import money, percent, points
from rebal.tui.view.alignment import StyleBoxSlice

MOVED = "◆"
SIZE_WORDS = {"large": "Large-cap", "mid": "Mid-cap", "small": "Small-cap"}
STYLE_WORDS = {"value": "Value", "blend": "Blend", "growth": "Growth"}


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    shown = percent(value, 1)[:-1]
    return shown if shown.startswith("-") or shown == "0.0" else "+" + shown


def _line(label: str, change: CellChange, has_then: bool, has_target: bool) -> str:
    parts = [f"{label:<14}{percent(change.now, 1):>7}"]
    if has_then:
        parts.append(f"{percent(change.then, 1):>8} {_signed(change.moved):>6}")
    if has_target:
        parts.append(f"{percent(change.target, 1):>8} {_signed(change.off_target):>6}")
    return "  ".join(parts)


def render_style_box(data: StyleBoxSlice) -> Text:
    view, comparison = data.view, data.comparison
    if view.coverage is None:
        return Text("Nothing in the household counts as stocks, so there is no style box.")
    if not view.shares:
        return Text("No security in the stock part has style data (add `style` to the "
                    "securities in the file).")
    text = Text("Now, percent of the stock part with style data", style="bold")
    text.append(f" ({MOVED} moved most)\n" if comparison.most_moved else "\n")
    text.append(f"{'':<8}" + "".join(f"{s:>10} " for s in STYLE_STYLES) + "\n", style="bold")
    for size in STYLE_SIZES:
        text.append(f"{size:<8}", style="bold")
        for style in STYLE_STYLES:
            cell = f"{size}-{style}"
            moved = comparison.changed(cell)
            shown = percent(view.shares.get(cell), 1) + (MOVED if moved else " ")
            text.append(f"{shown:>11}", style="bold reverse" if moved else "")
        text.append("\n")
    if view.shares.get(UNCLASSIFIED):
        text.append(f"no cell given: {percent(view.shares[UNCLASSIFIED], 1)}\n")
    has_then = comparison.then_date is not None
    has_target = any(c.target is not None for c in comparison.cells.values())
    text.append("\n")
    if has_then or has_target:
        header = f"{'':<14}{'now':>7}"
        if has_then:
            header += f"  {'then':>8} {'change':>6}"
        if has_target:
            header += f"  {'target':>8} {'gap':>6}"
        text.append(header + "\n", style="bold")
        for part in (*STYLE_SIZES, *STYLE_STYLES):
            label = SIZE_WORDS.get(part) or STYLE_WORDS[part]
            text.append(_line(label, comparison.combined(part), has_then, has_target) + "\n")
        for cell in comparison.most_moved:
            text.append(_line(f"{MOVED} {cell}", comparison.cells[cell], has_then, has_target)
                        + "\n", style="bold")
        if has_then:
            text.append(f"then = the last review, {comparison.then_date}; change and gap "
                        "in percentage points. ")
            text.append(_small_cap_answer(comparison))
            text.append("\n")
    else:
        text.append("No style mix from an earlier review: each save records one, so the next "
                    "review shows what moved. A [style_targets] table in the file adds a "
                    "target to compare with.\n")
    text.append(
        f"Coverage: style data for {percent(view.coverage, 1)} of the stock part "
        f"({money(view.covered, data.currency)} of {money(view.equity_total, data.currency)})."
    )
    return text


def _small_cap_answer(comparison: StyleComparison) -> str:
    """The review's own question: a larger stake in small caps (or growth) than before?"""
    sentences = []
    for part, words in (("small", "Small-cap stocks"), ("growth", "Growth stocks")):
        moved = comparison.combined(part).moved
        if moved is None:
            continue
        size = _one(abs(moved))
        if size == 0:
            sentences.append(f"{words} are the same share as then.")
        else:
            larger = moved > 0
            sentences.append(f"{words} are a {'larger' if larger else 'smaller'} share than "
                             f"then: {points(size)} {'more' if larger else 'less'}.")
    return " ".join(sentences)


def _one(value: Decimal) -> Decimal:
    return Decimal(percent(value, 1)[:-1])


class StyleBoxPane(Static):
    """Renders itself whenever its slice changes."""

    data: reactive[StyleBoxSlice | None] = reactive(None, always_update=True, init=False)

    def watch_data(self, data: StyleBoxSlice | None) -> None:
        self.update(Text("") if data is None else render_style_box(data))
