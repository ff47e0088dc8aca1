"""How numbers from the core read on screen. Formatting only: nothing is computed here."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rich.text import Text

from rebal.core.bands import Status
from rebal.present.terminal import is_safe, safe

# Status always reads as text too, so it survives NO_COLOR and colour-blindness.
STATUS_TEXT: dict[Status, str] = {"over": "▲ OVER", "under": "▼ under", "in": "ok"}
STATUS_STYLE: dict[Status, str] = {"over": "bold", "under": "bold", "in": ""}


def status_text(status: Status) -> Text:
    return Text(STATUS_TEXT[status], style=STATUS_STYLE[status])


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


def plain(text: str, style: str = "") -> Text:
    """User or file text: never parsed as markup, and terminal-safe (rebal.present.terminal).

    Escaped before rich sees it, which would silently drop BEL and CR instead.
    """
    return Text(safe(text), style=style)


def safe_text(text: Text) -> Text:
    """`text` with every character that could drive the terminal escaped, its styles kept.

    For text put together from pieces, some of them the user's, and for widgets
    that build their own labels (the file tree).
    """
    if is_safe(text.plain):
        return text
    result = text.blank_copy()
    cuts = sorted({span.start for span in text.spans} | {span.end for span in text.spans})
    for piece in text.divide(cuts):
        escaped = Text(safe(piece.plain), style=piece.style)
        for span in piece.spans:
            escaped.stylize(span.style)
        result.append_text(escaped)
    return result
