"""Figures for people, the same in the CLI's text and the app's tax sections."""

from __future__ import annotations

from decimal import Decimal

from rebal.core.numbers import cents, display_percent


def dollars(value: Decimal) -> str:
    """Money for people: thousands separators and cents, e.g. -1,234.50."""
    return f"{cents(value):,.2f}"


def pct(value: Decimal | None, places: int = 2) -> str:
    """A percentage for people, e.g. 87.8%; an em dash when undefined."""
    text = display_percent(value, places)
    return text if value is None else f"{text}%"
