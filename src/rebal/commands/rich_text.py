"""The CLI's text as rich renderables, for a terminal: borderless tables whose free-text
columns wrap to its width, titles and totals in bold, notes dim.

The same blocks as rebal.commands.plain_text lays out for a pipe; user text is
never read as markup and is made terminal-safe (rebal.present.styled.plain).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from rebal.present.blocks import PROSE_COLUMNS, Block, Bold, Dim, Paragraph, Section, Table
from rebal.present.styled import plain
from rebal.present.terminal import safe


def _piece_style(piece: str) -> str | None:
    if isinstance(piece, Bold):
        return "bold"
    return "dim" if isinstance(piece, Dim) else None


def columns_table(*columns: str, right: Iterable[str] = ()) -> RichTable:
    """A borderless table: figures right-aligned and never wrapped, free text wrapping."""
    right = frozenset(right)
    table = RichTable(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for column in columns:
        wraps = column in PROSE_COLUMNS
        table.add_column(
            column,
            justify="right" if column in right else "left",
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
            ratio=1 if wraps else None,
        )
    return table


def renderable(block: Block) -> RenderableType:
    if isinstance(block, Paragraph):
        text = Text(style=block.style)
        for piece in block.pieces:
            text.append(safe(piece), style=_piece_style(piece))
        return text
    if isinstance(block, Table):
        table = columns_table(*block.columns, right=block.right)
        for row in block.rows:
            table.add_row(*(plain(cell, "bold" if isinstance(cell, Bold) else "") for cell in row))
        if block.title is None:
            return table
        return Group(plain(block.title, "bold"), table)
    assert isinstance(block, Section)
    return Group(*(renderable(part) for part in block.blocks))


def renderables(blocks: Iterable[Block]) -> list[RenderableType]:
    return [renderable(block) for block in blocks]
