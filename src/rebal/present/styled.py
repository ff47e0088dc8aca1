"""rich `Text` for the CLI's tables and the app's widgets: user text never parsed as
markup, always terminal-safe, and the status markers.

The one part of rebal.present that imports rich; only rebal.commands and
rebal.tui use it (the import contracts in pyproject.toml keep it so).
"""

from __future__ import annotations

from rich.text import Text

from rebal.present.figures import status_word
from rebal.present.terminal import is_safe, safe

# Over and under stand out; a status reads as a word too, never as colour alone.
STATUS_STYLE = {"over": "bold", "under": "bold", "in": ""}


def plain(value: object, style: str = "") -> Text:
    """User or file text as a Text cell: never parsed as markup (a fund named "[/]" is
    fine), and terminal-safe (rebal.present.terminal).

    Escaped before rich sees it, which would silently drop BEL and CR instead.
    """
    return Text(safe(str(value)), style=style)


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


def status_text(status: str, *, arrow: bool = False) -> Text:
    """The status word in bold when out of band: "OVER"; with `arrow` (the app) "▲ OVER"."""
    return Text(status_word(status, arrow=arrow), style=STATUS_STYLE[status])
