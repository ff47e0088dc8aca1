"""Horizontal bar charts drawn with block characters found in every monospace font."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text

from rebal.present.figures import percent
from rebal.present.terminal import safe

FULL = "█"
HALF = "▌"
MIN_BAR = 12


def bar(value: Decimal, scale: Decimal, width: int) -> str:
    """A bar of `width` cells for `value` out of `scale`, in half-cell steps."""
    if scale <= 0 or value <= 0:
        return ""
    halves = int((value / scale) * width * 2 + Decimal("0.5"))
    halves = max(1, min(halves, width * 2))
    return FULL * (halves // 2) + (HALF if halves % 2 else "")


def side_by_side(
    rows: Sequence[tuple[str, Decimal | None, Decimal]],
    *,
    scale: Decimal,
    width: int,
    titles: tuple[str, str] = ("Current", "Target"),
) -> Text:
    """Two bar charts next to each other sharing one label column (class, now, target).

    Both charts use the same scale, so equal bars mean equal shares. Labels are
    never markup; long ones are shortened with "…" when the screen is narrow.
    """
    # Escaped before measuring, so the columns line up with what is shown.
    rows = [(safe(label), now, target) for label, now, target in rows]
    pct_width = 7
    longest = max((len(label) for label, _, _ in rows), default=8)
    # Each chart is a bar plus its percentage; labels get what is left, up to their
    # length: a class name is cut only when bars of MIN_BAR cells would not fit beside it.
    label_width = min(longest, max(10, width - 2 * (MIN_BAR + pct_width + 2)))
    bar_width = max(6, (width - label_width - 2 * (pct_width + 2)) // 2)
    text = Text(no_wrap=True, overflow="ellipsis")
    chart = bar_width + pct_width + 2
    text.append(" " * (label_width + 1))
    text.append(f"{titles[0]:<{chart}}{titles[1]}\n", style="bold")
    for label, now, target in rows:
        short = label if len(label) <= label_width else label[: label_width - 1] + "…"
        text.append(f"{short:<{label_width}} ")
        for value in (now, target):
            drawn = bar(value or Decimal(0), scale, bar_width)
            text.append(f"{drawn:<{bar_width}}{percent(value, 1):>{pct_width}}  ")
        text.append("\n")
    return text


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[Decimal]) -> str:
    """Values as one line of eighth-height blocks, lowest to highest (flat: all low)."""
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low
    if span <= 0:
        return SPARKS[0] * len(values)
    top = len(SPARKS) - 1
    return "".join(SPARKS[int((value - low) / span * top + Decimal("0.5"))] for value in values)
