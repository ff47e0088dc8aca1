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


# Characters known to be shown as they are, one cell wide (printable ASCII to start
# with), and characters known not to be.
_ONE_CELL = {chr(code) for code in range(0x20, 0x7F)}
_OTHER: set[str] = set()


def _one_cell_characters(text: str) -> bool:
    """Whether every character of `text` is terminal-safe and one cell wide, so that each
    string made of them is shown as it is and is as wide as it is long.

    Rich counts a string without a zero-width joiner or a variation selector (both
    zero cells wide themselves) as the sum of its characters' cells. The answer is
    learnt once per character: a batch of files asks about the same few.
    """
    unknown = set(text) - _ONE_CELL
    if not unknown:
        return True
    if unknown & _OTHER:
        return False
    for character in unknown:
        one = character == _shown(character) and cell_len(character) == 1
        (_ONE_CELL if one else _OTHER).add(character)
    return not unknown & _OTHER


def _table_lines(block: Table) -> list[str]:
    rows: list[tuple[str, ...]] = [block.columns, *block.rows]
    title = [] if block.title is None else [_shown(block.title).rstrip()]
    if not _one_cell_characters("".join(cell for row in rows for cell in row)):
        return title + _measured_table_lines(block)
    # Most tables: every cell one line, shown as written, one cell per character.
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    pads = [str.rjust if name in block.right else str.ljust for name in block.columns]
    layout = list(zip(pads, widths, strict=True))
    return title + [
        COLUMN_GAP.join(
            [pad(cell, width) for cell, (pad, width) in zip(row, layout, strict=True)]
        ).rstrip()
        for row in rows
    ]


def _measured_table_lines(block: Table) -> list[str]:
    """The rows of a table holding text to escape, wide characters or cells of several lines."""
    rows = [[_shown(cell) for cell in row] for row in (block.columns, *block.rows)]
    if any("\n" in cell for row in rows for cell in row):
        rows = _one_line_rows(rows)
    cell_widths = [[_width(cell) for cell in row] for row in rows]
    widths = [max(column) for column in zip(*cell_widths, strict=True)]
    right = [name in block.right for name in block.columns]
    out = []
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
