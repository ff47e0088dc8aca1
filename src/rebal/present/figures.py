"""The words and figures' formats: how every number rebal shows to a person reads.

The CLI's text, the app, the planner's reasons and the import description all
format through here, so one figure never reads two ways. Pure text from exact
`Decimal`s: rounding is `rebal.core.numbers`' one policy (half up, never
"-0.00"), and nothing here imports rich or Textual, so `rebal.core` may use it.
Machine output (`--json`, CSV) has its own plain notation and does not come here.

The forms:
- money: `money` with its currency ("$1,234.50", "-$3.00", "CHF 12.00"),
  `amount` for a column whose currency is stated once ("1,234.50"),
  `whole_money` where width is short ("$54,525");
- percent: `percent` to fixed places ("20.00%", "—" when undefined),
  `percent_as_written` as people write a target ("20%", "52.25%");
- points: `signed_points` for a drift ("+1.25", "0.00", "-0.50"), `points`
  and `plural` in sentences ("1 percentage point", "2.5 points");
- `shares` and `number` without the zeros a person would not write;
- status words (`status_word`), the band's arithmetic (`band_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from rebal.core.numbers import HUNDRED, cents, display_percent, round_half_up
from rebal.present.terminal import safe


class Edges(Protocol):
    """A band as `band_text` reads it (rebal.core.bands.Band): in percent."""

    @property
    def target(self) -> Decimal: ...
    @property
    def low(self) -> Decimal: ...
    @property
    def high(self) -> Decimal: ...


# Currencies with a symbol of their own; any other is written as its code.
SYMBOLS: Mapping[str, str] = {"USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£"}

# A status always reads as a word too, so it survives NO_COLOR, pipes and colour-blindness.
STATUS_WORDS: Mapping[str, str] = {"over": "OVER", "under": "under", "in": "ok"}
# The app puts an arrow before the word; the CLI's text keeps the word alone, so
# `rebal check | grep OVER` finds it.
STATUS_ARROWS: Mapping[str, str] = {"over": "▲", "under": "▼", "in": ""}


def symbol(currency: str) -> str:
    """What goes before an amount: "$", "€", or the code and a space ("CHF ")."""
    return SYMBOLS.get(currency, safe(currency) + " ")


def amount(value: Decimal) -> str:
    """Money to the cent with thousands separators and no symbol: "-1,234.50"."""
    return f"{cents(value):,.2f}"


def money(value: Decimal, currency: str = "USD") -> str:
    """Money with its currency, the sign before the symbol: "-$1,234.50", "CHF 3.00"."""
    rounded = cents(value)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{symbol(currency)}{rounded.copy_abs():,.2f}"


def whole_money(value: Decimal, currency: str = "USD") -> str:
    """Money without cents, for charts and headers where width is short: "$54,525"."""
    rounded = round_half_up(value, 0)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{symbol(currency)}{rounded.copy_abs():,}"


def percent(value: Decimal | None, places: int = 2) -> str:
    """A percentage to `places` decimals, half up: "9.05%" (or "9.1%" at one place); "—"
    when undefined (a share of nothing)."""
    text = display_percent(value, places)
    return text if value is None else text + "%"


def as_written(value: Decimal, places: int = 2) -> str:
    """A figure the way people write one, half up, no trailing zeros: "20", "52.25",
    never "20.00" or "2E+1"."""
    return f"{round_half_up(value, places).normalize():f}"


def percent_as_written(value: Decimal, places: int = 2) -> str:
    """A percentage the way people write one: "20%", "52.25%"."""
    return as_written(value, places) + "%"


def fraction_as_percent(weight: Decimal, places: int = 2) -> str:
    """A fraction (0.6) as people write its percentage: "60%"."""
    return percent_as_written(weight * HUNDRED, places)


def signed_points(value: Decimal | None, places: int = 2, unit: str = "") -> str:
    """A drift in percentage points with its sign: "+1.25", "-0.50"; a drift that rounds
    to nothing has no sign ("0.00"); "—" when undefined. `unit` follows the figure."""
    if value is None:
        return "—"
    rounded = round_half_up(value, places)  # display_percent's figure, rounded once
    return f"{'+' if rounded > 0 else ''}{rounded:f}{unit}"


def plural(count: Decimal | int, word: str, many: str | None = None) -> str:
    """`count word`, with the word in the plural unless the count is exactly one."""
    shown = format(count.normalize(), "f") if isinstance(count, Decimal) else str(count)
    return f"{shown} {word if count == 1 else many or word + 's'}"


def points(value: Decimal | int, *, long: bool = False) -> str:
    """A gap in percentage points: "1 point", "2.5 points" ("percentage point" when long)."""
    return plural(value, "percentage point" if long else "point")


def shares(value: Decimal | None) -> str:
    """A share count without trailing zeros: "10", "0.5"; "—" when there is none."""
    return "—" if value is None else format(value.normalize(), "f")


def number(value: Decimal | None) -> str:
    """A price or amount as the file writes it: whole numbers without a point ("100"),
    others with their places kept ("100.50"); "—" when there is none."""
    if value is None:
        return "—"
    return format(value.normalize() if value == value.to_integral_value() else value, "f")


def status_word(status: str, *, arrow: bool = False) -> str:
    """"OVER", "under" or "ok"; with `arrow`, "▲ OVER" and "▼ under" (the app's marker)."""
    word = STATUS_WORDS[status]
    mark = STATUS_ARROWS[status] if arrow else ""
    return f"{mark} {word}" if mark else word


def band_edges(band: Edges) -> str:
    """A band's edges to two places, half up: "19.00–21.00%"."""
    return f"{display_percent(band.low)}–{display_percent(band.high)}%"


def band_text(band: Edges) -> str:
    """A band's arithmetic: the target as the user wrote it, then its edges:
    "20% → 19.00–21.00%"."""
    return f"{band.target.normalize():f}% → {band_edges(band)}"


# Machine notation, for `--json` (a public contract, docs/cli.md): plain digits with
# a point, no separators, symbols or exponent, so any program reads them as numbers.


def json_money(value: Decimal) -> str:
    """Money to the cent, half up: 54525 -> "54525.00"."""
    return format(cents(value), "f")


def json_percent(value: Decimal | None) -> str | None:
    """A percentage to 2 places, half up: "20.00"; None stays None (JSON null)."""
    return None if value is None else display_percent(value, 2)


def json_decimal(value: Decimal, *, normalized: bool = False) -> str:
    """A quantity (shares) with every place it has: "12.500000"; `normalized` drops
    the trailing zeros ("12.5")."""
    return format(value.normalize() if normalized else value, "f")
