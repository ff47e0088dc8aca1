"""Horizontal bar charts drawn with block characters found in every monospace font."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text

from rebal.tui.format import pct

FULL = "█"
HALF = "▌"


def bar(value: Decimal, scale: Decimal, width: int) -> str:
    """A bar of `width` cells for `value` out of `scale`, in half-cell steps."""
    if scale <= 0 or value <= 0:
        return ""
    halves = int((value / scale) * width * 2 + Decimal("0.5"))
    halves = max(1, min(halves, width * 2))
    return FULL * (halves // 2) + (HALF if halves % 2 else "")


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, Decimal | None]],
    *,
    scale: Decimal,
    width: int,
    label_width: int = 14,
) -> Text:
    """One chart: a title, then `label  ████▌  12.34%` per row (labels never markup)."""
    bar_width = max(4, width - label_width - 9)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(title + "\n", style="bold")
    for label, value in rows:
        short = label if len(label) <= label_width else label[: label_width - 1] + "…"
        text.append(f"{short:<{label_width}} ")
        drawn = bar(value or Decimal(0), scale, bar_width)
        text.append(f"{drawn:<{bar_width}}")
        text.append(f" {pct(value, 1):>7}\n")
    return text
