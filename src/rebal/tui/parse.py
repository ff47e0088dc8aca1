"""What the user types into the app's fields, read as numbers (rebal.present shows them)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rebal.core.numbers import decimal_places
from rebal.model.constants import MAX_DECIMAL_PLACES


def parse_decimal(raw: str) -> Decimal | None:
    """A number typed by the user: digits with an optional sign, point, %, $ and commas.

    None for anything else, and for more decimal places than a file may hold (the
    file's limits, docs/portfolio-format.md): `1e-999999` is not a percent."""
    cleaned = raw.strip().replace(",", "").replace("$", "").rstrip("%").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or decimal_places(value) > MAX_DECIMAL_PLACES:
        return None
    return value
