"""Plain English for counts and points: "1 point", "2 points", never "1 points"."""

from __future__ import annotations

from decimal import Decimal


def plural(count: Decimal | int, word: str, many: str | None = None) -> str:
    """`count word`, with the word in the plural unless the count is exactly one."""
    shown = format(count.normalize(), "f") if isinstance(count, Decimal) else str(count)
    return f"{shown} {word if count == 1 else many or word + 's'}"


def points(value: Decimal | int, *, long: bool = False) -> str:
    """A gap in percentage points: "1 point", "2.5 points" ("percentage point" when long)."""
    return plural(value, "percentage point" if long else "point")
