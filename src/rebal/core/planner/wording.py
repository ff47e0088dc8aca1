"""Money as the planner's messages write it: "$1,234.50", "-$900.00", "EUR 12.00".

Its own module so that every planner message can use it (problem.py and only.py
run before reasons.py, which imports them): a Decimal printed with str() can come
out in scientific notation ("-9E+2").
"""

from __future__ import annotations

from decimal import Decimal

from rebal.core.numbers import cents


def money(amount: Decimal, currency: str = "USD") -> str:
    sign = "-" if amount < 0 else ""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{cents(abs(amount)):,.2f}"


__all__ = ["money"]
