"""Plain lines for pipes and files: the words rich prints on a terminal, columns as wide
as their cells, from the same blocks (rebal.present.blocks)."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from rebal.commands.check import file_blocks
from rebal.commands.plain_text import block_lines, plain_text
from rebal.commands.rich_text import renderables
from rebal.core.planner import plan as make_plan
from rebal.core.planner.types import PlanOptions
from rebal.core.report import build_report
from rebal.present.blocks import Block, Bold, Dim, Paragraph, table
from rebal.present.plan_text import plan_blocks
from rebal.present.report_text import class_table
from rebal.store.load import load

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py

SAMPLES = ("household", "seed_bands", "seed_return", "taxable")


def rich_lines(blocks: list[Block], width: int = 2000) -> list[str]:
    """What rich prints for the blocks on a page wide enough that nothing wraps."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False, emoji=False)
    for part in renderables(blocks):
        console.print(part)
    return [line.rstrip() for line in buffer.getvalue().splitlines()]


def test_columns_are_as_wide_as_their_widest_cell_and_two_spaces_apart() -> None:
    block = table(
        ("Name", "Value"), [("A long fund name", "1.00"), ("B", "12,345.67")], right=("Value",)
    )

    assert block_lines(block) == [
        "Name                  Value",
        "A long fund name       1.00",
        "B                 12,345.67",
    ]


def test_a_title_stands_above_its_table_and_styles_never_show() -> None:
    block = table(("A", "B"), [(Bold("OVER"), "x")], title="Title")
    paragraph = Paragraph(("one ", Dim("two\n"), Bold("three  ")), "bold")

    assert block_lines(block) == ["Title", "A     B", "OVER  x"]
    assert block_lines(paragraph) == ["one two", "three"]


def test_user_text_is_never_markup_and_control_characters_show_as_escapes() -> None:
    block = table(("Fund", "Note"), [("Fund [/] [bold]x", "bell\x07 esc\x1b[2J")])

    assert block_lines(block) == [
        "Fund              Note",
        "Fund [/] [bold]x  bell\\x07 esc\\x1b[2J",
    ]
    assert rich_lines([block]) == block_lines(block)


def test_wide_characters_take_two_cells_as_on_a_terminal() -> None:
    block = table(("Fund", "Value"), [("日本株", "1.00"), ("US", "2.00")], right=("Value",))

    assert block_lines(block) == ["Fund    Value", "日本株   1.00", "US       2.00"]
    assert rich_lines([block]) == block_lines(block)


def test_a_cell_of_several_lines_keeps_the_row_together() -> None:
    block = table(("A", "B"), [("one\ntwo", "x"), ("y", "z")])

    assert block_lines(block) == ["A    B", "one  x", "two", "y    z"]


def test_the_class_table_reads_as_rich_prints_it_on_a_wide_page(samples: Path) -> None:
    report = build_report(load(samples / "seed_bands.toml").portfolio)
    block = class_table(report.classes)

    assert block_lines(block) == rich_lines([block])


@pytest.mark.parametrize("name", SAMPLES)
def test_check_and_plan_text_read_as_rich_prints_them_on_a_wide_page(
    samples: Path, name: str
) -> None:
    path = samples / f"{name}.toml"
    loaded = load(path)
    portfolio = loaded.portfolio
    report = build_report(portfolio)
    checked = file_blocks(report, loaded, path)
    options = PlanOptions(whole_shares=True, min_trade=Decimal(50))
    planned = plan_blocks(
        report, make_plan(portfolio, options), as_of=portfolio.portfolio.as_of, file=path
    )

    for blocks in (checked, planned):
        assert plain_text(blocks).splitlines() == rich_lines(blocks)


def test_plan_to_a_pipe_keeps_long_reasons_on_one_line(rebal: Rebal, samples: Path) -> None:
    result = rebal("plan", samples / "household.toml")

    assert result.code == 0
    assert all(line == line.rstrip() for line in result.out.splitlines())
    assert any(
        line.startswith("New money to get back in band without selling: ")
        and line.endswith("to Jordan 401(k))")
        for line in result.out.splitlines()
    )
