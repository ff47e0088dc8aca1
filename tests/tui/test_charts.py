"""The block-character charts: proportional, on one scale, and narrow-screen safe."""

from __future__ import annotations

import re
from decimal import Decimal

from rebal.tui.widgets.charts import FULL, HALF, bar, side_by_side


def test_bar_is_proportional_in_half_cells() -> None:
    assert bar(Decimal(50), Decimal(100), 10) == FULL * 5
    assert bar(Decimal(55), Decimal(100), 10) == FULL * 5 + HALF
    assert bar(Decimal(100), Decimal(100), 10) == FULL * 10
    assert bar(Decimal(0), Decimal(100), 10) == ""
    assert bar(Decimal("0.1"), Decimal(100), 10) == HALF  # something held is never invisible
    assert bar(Decimal(150), Decimal(100), 10) == FULL * 10  # never past its width


def test_side_by_side_fits_80_columns_and_keeps_one_scale() -> None:
    rows = [
        ("International Stock", Decimal("15.5"), Decimal(16)),
        ("Fund [/] bold", Decimal(31), Decimal(31)),
        ("Cash", None, Decimal(0)),
    ]
    text = side_by_side(rows, scale=Decimal(31), width=76)
    lines = text.plain.splitlines()
    assert all(len(line.rstrip()) <= 76 for line in lines)
    assert lines[0].split() == ["Current", "Target"]
    # At 80 columns a class name is shown whole: the bars give way first.
    assert lines[1].startswith("International Stock █")
    narrow = side_by_side(rows, scale=Decimal(31), width=50).plain.splitlines()
    assert all(len(line.rstrip()) <= 50 for line in narrow)
    assert narrow[1].startswith("Internati… ")  # only where nothing else can give way
    # The same share draws the same bar in both charts.
    same = lines[2]
    assert "Fund [/] bold" in same
    bars = re.findall(f"[{FULL}{HALF}]+", same)
    assert len(bars) == 2
    assert bars[0] == bars[1]
    assert "—" in lines[3]  # an undefined share shows as a dash, not 0
