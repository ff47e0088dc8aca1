"""The save dialog's exact changes: a unified diff whose long lines wrap with their marker.

A Static wraps a long `+` line at the dialog's width and the rest starts at the left
edge, where it reads as an unchanged line of the file. Here every piece of a wrapped
line starts with the line's own marker and a "↪", so a reader can tell removed, added
and unchanged text apart at any width. Lines are cut at the width (not at words), so
every character of the file is shown as it is, spaces included.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from rich.cells import get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from rebal.present.styled import plain

CONTINUED = "↪"
MARKERS = ("+", "-", " ")


def diff_text(old: str, new: str, name: str) -> tuple[Text, ...]:
    """What a save will write, as the lines of a unified diff (user text: never markup):
    added lines in bold, removed ones dim; one line saying so when nothing changes."""
    lines = list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), f"{name} (now)", f"{name} (after saving)",
            lineterm="", n=1,
        )
    )
    if not lines:
        return (Text("The file would not change."),)
    styled = []
    for line in lines:
        style = ""
        if line.startswith("+") and not line.startswith("+++"):
            style = "bold"
        elif line.startswith("-") and not line.startswith("---"):
            style = "dim"
        styled.append(plain(line, style))
    return tuple(styled)


def cut(text: Text, width: int) -> Iterator[Text]:
    """`text` in pieces of at most `width` cells: after the last space of a piece when
    there is one in its second half, else between characters. Every character is kept
    (a space at a cut ends the piece), so the pieces put together are the line."""
    plain = text.plain
    start, cells = 0, 0
    index = 0
    while index < len(plain):
        size = get_character_cell_size(plain[index])
        if cells + size > width and index > start:
            space = plain.rfind(" ", start, index)
            end = space + 1 if space >= start + width // 2 else index
            yield text[start:end]
            start, index, cells = end, end, 0
            continue
        cells += size
        index += 1
    yield text[start:]


def wrapped(line: Text, width: int) -> Iterator[Text]:
    """One diff line as screen lines of `width`: the continuations keep its marker."""
    width = max(width, 4)
    marker = line.plain[:1] if line.plain[:1] in MARKERS else " "
    if line.plain.startswith(("+++", "---", "@@")):
        marker = " "
    first, *rest = cut(line, width)
    yield first
    if not rest:
        return
    for piece in cut(line[len(first):], width - 2):
        continued = Text(marker + CONTINUED, style=line.style)
        continued.append_text(piece)
        yield continued


@dataclass(frozen=True)
class DiffLines:
    """A rich renderable: the diff's lines wrapped for the width they are given."""

    lines: tuple[Text, ...]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines:
            for piece in wrapped(line, options.max_width):
                piece.no_wrap = True
                piece.end = "\n"
                yield piece

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((line.cell_len for line in self.lines), default=1)
        return Measurement(min(4, longest), min(longest, options.max_width))

    @property
    def plain(self) -> str:
        return "\n".join(line.plain for line in self.lines)
