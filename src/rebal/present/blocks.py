"""The CLI's text as plain data: paragraphs and titled tables of strings.

The words and figures are put together here (rebal.present's text modules) once;
the front ends only lay them out: `rebal.commands.plain_text` as plain lines
with computed column widths (a pipe or a file: fast at any size), and
`rebal.commands.rich_text` as rich tables on a terminal (wrapping to its width,
in bold and dim). So a figure reads the same whichever way it is shown.

Strings here are as the user wrote them; the front ends make them terminal-safe.
A piece of text or a cell that is a `Bold` or a `Dim` is shown so on a terminal
(it is still a plain `str`, so laying it out as plain text costs nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


class Bold(str):
    """Text shown in bold on a terminal: a total, an out-of-band status."""

    __slots__ = ()


class Dim(str):
    """Text shown dim on a terminal: a note, a file's path, a method line."""

    __slots__ = ()


# Free text that wraps on a terminal; every other column keeps its cells on one line.
PROSE_COLUMNS = frozenset({"Reason", "Why", "Progress"})


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Text in pieces (each a `str`, `Bold` or `Dim`); a newline in a piece starts a line.

    `style` ("bold", "dim" or "") is the whole paragraph's, under its pieces' own.
    """

    pieces: tuple[str, ...]
    style: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table of strings under an optional bold title: a header of column names
    (bold), then the rows; the columns named in `right` are figures, right-aligned.
    A cell that is a `Bold` is shown bold."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: frozenset[str] = field(default_factory=frozenset)
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """Blocks that belong together (a heading and its table), kept as one on a terminal."""

    blocks: tuple[Block, ...]


Block = Paragraph | Table | Section

BLANK = Paragraph(("",))


def line(text: str, style: str = "") -> Paragraph:
    """One paragraph in one style: `line("Accounts", "bold")`."""
    return Paragraph((text,), style)


def table(
    columns: tuple[str, ...],
    rows: Iterable[tuple[str, ...]],
    *,
    right: Iterable[str] = (),
    title: str | None = None,
) -> Table:
    return Table(columns, tuple(rows), frozenset(right), title)
