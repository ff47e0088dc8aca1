"""The CLI's tables as plain lines, for output that goes to a pipe or a file.

rich lays out every table by measuring and wrapping each cell, which costs more
than reading and checking the portfolio (`rebal check` over many files spent
three quarters of its time there). A pipe has no width to fit, so here each
column is as wide as its widest cell, columns are two spaces apart (what rich
prints for the CLI's borderless tables) and nothing wraps or is cut: the same
words and figures, at the cost of a join per line.

Only what the CLI builds is handled this way (`Text`, `Group` and borderless
`Table`s of text cells); anything else is rendered by rich at `fallback_width`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.markup import render as render_markup
from rich.table import Table
from rich.text import Text

COLUMN_GAP = "  "


def _cell_text(cell: RenderableType | None) -> list[str] | None:
    """The lines of one cell, or None when it is not plain text."""
    if cell is None:
        return [""]
    if isinstance(cell, Text):
        return cell.plain.split("\n")
    if isinstance(cell, str):
        # rich reads a string cell as markup; so does this, to print the same words.
        return (render_markup(cell).plain if "[" in cell else cell).split("\n")
    return None


def _pad(text: str, width: int, justify: str) -> str:
    gap = width - cell_len(text)
    if justify == "right":
        return " " * gap + text
    if justify == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def _table_lines(table: Table) -> list[str] | None:
    columns: list[list[list[str]]] = []
    for column in table.columns:
        cells: list[list[str]] = []
        for cell in ([column.header] if table.show_header else []) + list(column.cells):
            lines = _cell_text(cell)
            if lines is None:
                return None
            cells.append(lines)
        columns.append(cells)
    if not columns:
        return []
    widths = [
        max((cell_len(line) for cell in cells for line in cell), default=0) for cells in columns
    ]
    justify = [str(column.justify) for column in table.columns]
    out: list[str] = []
    for row in range(len(columns[0])):
        height = max(len(cells[row]) for cells in columns)
        for line in range(height):
            parts = [
                _pad(
                    cells[row][line] if line < len(cells[row]) else "",
                    widths[index],
                    justify[index],
                )
                for index, cells in enumerate(columns)
            ]
            out.append(COLUMN_GAP.join(parts).rstrip())
    return out


def plain_lines(renderable: RenderableType, *, fallback_width: int) -> list[str]:
    """`renderable` as lines of plain text (no styles, no trailing spaces)."""
    if isinstance(renderable, Group):
        return [
            line
            for part in renderable.renderables
            for line in plain_lines(part, fallback_width=fallback_width)
        ]
    if isinstance(renderable, Table):
        lines = _table_lines(renderable)
        if lines is not None:
            return lines
    else:
        text = _cell_text(renderable)
        if text is not None:
            return [line.rstrip() for line in text]
    buffer = io.StringIO()
    Console(
        file=buffer, width=fallback_width, color_system=None, highlight=False, emoji=False
    ).print(renderable)
    return [line.rstrip() for line in buffer.getvalue().split("\n")[:-1]]


def plain_text(renderables: Iterable[RenderableType], *, fallback_width: int) -> str:
    """Each renderable's lines, one after the other, each line ending in a newline."""
    lines = [
        line
        for renderable in renderables
        for line in plain_lines(renderable, fallback_width=fallback_width)
    ]
    return "".join(f"{line}\n" for line in lines)
