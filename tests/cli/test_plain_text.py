"""Plain lines for pipes and files: the words rich would print, columns as wide as their cells."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rebal.commands.output import class_table
from rebal.commands.plain_text import plain_lines, plain_text
from rebal.core.report import build_report
from rebal.present.styled import plain
from rebal.store.load import load

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


def borderless(*columns: str, right: tuple[str, ...] = ()) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left")
    return table


def rich_lines(renderable: Any, width: int = 200) -> list[str]:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(renderable)
    return [line.rstrip() for line in buffer.getvalue().splitlines()]


def test_columns_are_as_wide_as_their_widest_cell_and_two_spaces_apart() -> None:
    table = borderless("Name", "Value", right=("Value",))
    table.add_row(plain("A long fund name"), "1.00")
    table.add_row(plain("B"), "12,345.67")

    assert plain_lines(table, fallback_width=80) == [
        "Name                  Value",
        "A long fund name       1.00",
        "B                 12,345.67",
    ]


def test_the_class_table_reads_as_rich_prints_it_on_a_wide_page(samples: Path) -> None:
    report = build_report(load(samples / "seed_bands.toml").portfolio)
    table = class_table(report.classes)

    assert plain_lines(table, fallback_width=80) == rich_lines(table)


def test_user_text_is_never_markup_and_string_cells_are_read_as_rich_reads_them() -> None:
    table = borderless("Fund", "Note")
    table.add_row(plain("Fund [/] [bold]x"), "[bold]done[/bold]")

    assert plain_lines(table, fallback_width=80) == [
        "Fund              Note",
        "Fund [/] [bold]x  done",
    ]


def test_a_cell_of_several_lines_keeps_the_row_together() -> None:
    table = borderless("A", "B")
    table.add_row(Text("one\ntwo"), "x")
    table.add_row("y", "z")

    assert plain_lines(table, fallback_width=80) == ["A    B", "one  x", "two", "y    z"]


def test_anything_else_falls_back_to_rich_at_the_given_width() -> None:
    panel = Panel("inside", width=20)

    lines = plain_text([Group(Text("title"), panel)], fallback_width=40).splitlines()

    assert lines[0] == "title"
    assert lines[1:] == rich_lines(panel, width=40)


def test_plan_to_a_pipe_keeps_long_reasons_on_one_line(rebal: Rebal, samples: Path) -> None:
    result = rebal("plan", samples / "household.toml")

    assert result.code == 0
    assert all(line == line.rstrip() for line in result.out.splitlines())
    assert any(
        line.startswith("New money to get back in band without selling: ")
        and line.endswith("to Jordan 401(k))")
        for line in result.out.splitlines()
    )
