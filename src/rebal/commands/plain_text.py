"""The CLI's text as plain lines, for output that goes to a pipe or a file.

rich lays out every table by measuring and wrapping each cell, which cost more
than reading and checking the portfolio (`rebal check` over many files spent
three quarters of its time there, `rebal plan` on 100,000 positions 68%). A pipe
has no width to fit, so here each column is as wide as its widest cell, columns
are two spaces apart (what rich prints for the CLI's borderless tables) and
nothing wraps or is cut: the same words and figures as on a terminal
(rebal.commands.rich_text), at the cost of a join per line.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len

from rebal.present.blocks import Block, Paragraph, Table
from rebal.present.terminal import safe

COLUMN_GAP = "  "


def _shown(text: str) -> str:
    """`text` terminal-safe; printable ASCII, most of what is shown, is safe as it is."""
    return text if text.isascii() and text.isprintable() else safe(text)


def _width(text: str) -> int:
    """Cells on screen, as rich counts them (a wide character takes two, a tab none)."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def _pad(text: str, width: int, column: int, right: bool) -> str:
    """`text` (`width` cells wide) padded to `column` cells, on the left for a figure."""
    if width == len(text):  # one cell per character: the string methods count right
        return text.rjust(column) if right else text.ljust(column)
    gap = " " * (column - width)
    return gap + text if right else text + gap


def _one_line_rows(rows: list[list[str]]) -> list[list[str]]:
    """Each row that holds a cell of several lines as that many rows of one line each."""
    out = []
    for row in rows:
        cells = [cell.split("\n") for cell in row]
        for number in range(max(len(lines) for lines in cells)):
            out.append([lines[number] if number < len(lines) else "" for lines in cells])
    return out


def _table_lines(block: Table) -> list[str]:
    rows = [[_shown(cell) for cell in row] for row in (block.columns, *block.rows)]
    if any("\n" in cell for row in rows for cell in row):
        rows = _one_line_rows(rows)
    cell_widths = [[_width(cell) for cell in row] for row in rows]
    widths = [max(column) for column in zip(*cell_widths, strict=True)]
    right = [name in block.right for name in block.columns]
    out = [] if block.title is None else [_shown(block.title).rstrip()]
    for row, row_widths in zip(rows, cell_widths, strict=True):
        parts = [
            _pad(cell, width, column, is_right)
            for cell, width, column, is_right in zip(row, row_widths, widths, right, strict=True)
        ]
        out.append(COLUMN_GAP.join(parts).rstrip())
    return out


def block_lines(block: Block) -> list[str]:
    """`block` as lines of plain text (no styles, no trailing spaces)."""
    if isinstance(block, Paragraph):
        return [text.rstrip() for text in _shown("".join(block.pieces)).split("\n")]
    if isinstance(block, Table):
        return _table_lines(block)
    return [text for part in block.blocks for text in block_lines(part)]


def plain_text(blocks: Iterable[Block]) -> str:
    """Each block's lines, one after the other, each line ending in a newline."""
    return "".join(f"{text}\n" for block in blocks for text in block_lines(block))
