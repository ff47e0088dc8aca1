"""What the user types into the app's fields, read as numbers (rebal.present shows them)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def parse_decimal(raw: str) -> Decimal | None:
    """A number typed by the user: digits with an optional sign, point, %, $ and commas."""
    cleaned = raw.strip().replace(",", "").replace("$", "").rstrip("%").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
