"""Step 4's saved plan at 80x24 and 120x40: every column whole, with real key presses.

Failed before at 80x24: the household's full plan of 7 trades needed 83 columns, so the
Progress column was cut to "Progr" and its cells to "not s" (a horizontal scrollbar
hid the rest). Under 110 columns the number is left to the reason line and the status
and progress share one cell, in rebal.present's words.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import tomlkit
from textual.widgets import DataTable

from rebal.cli import main
from rebal.present.review_text import status_and_progress
from rebal.tui.app import RebalApp
from tui.helpers import fixed_clock, read_text, screen_text, wait_until, write_text
from tui.test_saved_plan import SAMPLES, step4_saved


def saved_full_plan(tmp_path: Path) -> Path:
    """The household with its full plan saved, trade 3 placed and trade 7 (buy VB in the
    Roth IRA) gone through in the holdings, half of trade 6 (buy VXUS in the IRA), and
    trade 1 (sell FXAIX in the 401(k)) contradicted: 10 shares bought instead."""
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    assert main(["plan", str(path), "--save"]) == 0
    assert main(["mark", str(path), "3", "placed"]) == 0
    document = tomlkit.parse(read_text(path))
    for account in document["accounts"]:  # type: ignore[union-attr]
        holdings = account["holdings"]
        if account["name"] == "Sam Roth IRA":
            holdings["VB"] = holdings["VB"] + 1.264574
        if account["name"] == "Jordan Traditional IRA":
            holdings["VXUS"] = holdings["VXUS"] + 400
        if account["name"] == "Jordan 401(k)":
            holdings["FXAIX"] = holdings["FXAIX"] + 10
    write_text(path, tomlkit.dumps(document))
    return path


def table_cells(table: DataTable[object]) -> list[list[str]]:
    return [[str(getattr(cell, "plain", cell)) for cell in table.get_row_at(row)]
            for row in range(table.row_count)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_saved_column_is_whole(tmp_path: Path, size: tuple[int, int]) -> None:
    path = saved_full_plan(tmp_path)
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await step4_saved(pilot, app)
        table = app.screen.query_one("#saved-trades", DataTable)
        await wait_until(pilot, lambda: table.row_count == 7, what="the 7 saved trades")
        await pilot.pause()
        headers = [str(column.label) for column in table.columns.values()]
        if size == (80, 24):
            assert headers == ["Account", "Trade", "Amount", "Status"]
        else:
            assert headers[-2:] == ["Status", "Progress"]
        # Nothing hides to the right: the table is no wider than its place.
        assert table.virtual_size.width <= table.size.width
        rows = table_cells(table)
        states = [row[-1] for row in rows]
        if size == (80, 24):
            assert states[2] == "placed"
            assert states[5] == "planned, partial"
            assert states[6] == "planned, done"
            # "planned, contradicted" would not fit: the reason line says the rest.
            assert states[0] == "contradicted"
            assert states[1] == "planned"
        else:
            assert [row[-2:] for row in rows][5:] == [["planned", "partial"],
                                                       ["planned", "done"]]
        # Scroll through every row with the keyboard; each cell reads whole on screen.
        table.focus()
        seen: set[int] = set()
        for index in range(len(rows)):
            await wait_until(pilot, lambda i=index: table.cursor_row == i, what=f"row {index}")
            text = screen_text(app)
            assert "…" not in text
            cells = rows[index]
            assert any(all(cell in line for cell in cells) for line in text.splitlines()), cells
            assert f"#{index + 1} " in text  # its reason is in view under the table
            seen.add(index)
            await pilot.press("down")
        assert seen == set(range(7))
        # The number is in the reason line for the highlighted trade at any width.
        await pilot.press("ctrl+home")
        await wait_until(pilot, lambda: table.cursor_row == 0, what="the first trade")
        assert "#1 sell FXAIX in Jordan 401(k)" in screen_text(app)
        await pilot.pause()
        assert "(marked planned; 10 shares were bought instead)" in " ".join(
            screen_text(app).split())
        for header in headers:
            assert header in screen_text(app)


def test_status_and_progress_share_the_cli_words() -> None:
    """One cell under narrow: the status, with the holdings' reading (rebal review's
    Progress words) when it says more than the status."""
    assert status_and_progress("planned", "not started") == "planned"
    assert status_and_progress("placed", "not started") == "placed"
    assert status_and_progress("done", "done") == "done"
    assert status_and_progress("placed", "unknown") == "placed"
    assert status_and_progress("planned", "done") == "planned, done"
    assert status_and_progress("placed", "partial") == "placed, partial"
    assert status_and_progress("done", "not started") == "done, not started"
    assert status_and_progress("placed", "contradicted") == "contradicted"
