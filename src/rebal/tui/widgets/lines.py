"""The view's styled lines (rebal.tui.view.plan.Line) as rich Text, for the widgets."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from rebal.tui.view.plan import Line


def line_text(line: Line) -> Text:
    """One line; its pieces are terminal-safe already, and never parsed as markup."""
    text = Text()
    for piece, style in line:
        text.append(piece, style=style)
    return text


def lines_text(lines: Iterable[Line]) -> Text:
    """Lines one under the other."""
    return Text("\n").join(line_text(line) for line in lines)
