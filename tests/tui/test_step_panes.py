"""Each pane of steps 1-3 shows its slice of the session's view, by real key presses,
and follows an edit: a target changed in step 1 reaches steps 2 and 3."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input

from rebal.tui.app import RebalApp
from rebal.tui.view.compare import ChartsSlice
from rebal.tui.widgets.account_drift import AccountDriftPane
from rebal.tui.widgets.band_policy import BandPolicy
from rebal.tui.widgets.by_account import ByAccountTable
from rebal.tui.widgets.class_charts import ClassCharts
from rebal.tui.widgets.drift_table import DriftTable
from rebal.tui.widgets.holdings import DecisionsNote, HoldingDetailLine, HoldingsTable
from rebal.tui.widgets.sectors import SectorsPane
from rebal.tui.widgets.shift_note import ShiftNote
from rebal.tui.widgets.stock_split import StockSplit
from rebal.tui.widgets.target_check import TargetCheck
from rebal.tui.widgets.targets_table import TargetsTable
from tui.helpers import FIXTURES, screen_text, wait_until

MakeApp = Callable[..., RebalApp]
SIZES = [(80, 24), (120, 40)]


async def on_mode(pilot, app: RebalApp, mode: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=f"mode {mode}")
    await pilot.pause()


def text_of(app: RebalApp, widget: type[object]) -> str:
    return str(app.screen.query_one(widget).content)  # type: ignore[attr-defined]


def cell(app: RebalApp, table: type[TargetsTable] | type[DriftTable], row: str, column: int
         ) -> str:
    found = app.screen.query_one(table)
    return str(found.get_row(row)[column])


@pytest.mark.parametrize("size", SIZES)
async def test_a_target_edited_in_step1_reaches_every_pane_of_steps_2_and_3(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        assert app.screen.query_one(TargetsTable).row_count == 6
        assert text_of(app, TargetCheck).startswith("ok: targets sum to 100%")
        assert "Bands: relative" in text_of(app, BandPolicy)
        await pilot.press("3")
        await on_mode(pilot, app, "misalignment")
        split = text_of(app, StockSplit)
        assert "80.0% target" in split
        assert "20.0% target" in split
        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        shift_before = text_of(app, ShiftNote)
        await pilot.press("1")
        await on_mode(pilot, app, "target")
        await pilot.press("enter")  # Large Cap Stock, 20%
        field = app.screen.query_one("#edit-value", Input)
        await wait_until(pilot, lambda: field.has_focus, what="the target field")
        await pilot.press("ctrl+a", "ctrl+k", "1", "0", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.targets["Large Cap Stock"] == 10, what="the edit")
        await pilot.pause()
        assert cell(app, TargetsTable, "Large Cap Stock", 1).strip() == "10.00%"
        assert "targets sum to 90%, 10 points short of 100%" in text_of(app, TargetCheck)

        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        assert cell(app, DriftTable, "Large Cap Stock", 1).strip() == "10.00%"
        assert text_of(app, ShiftNote) != shift_before
        charts = app.screen.query_one(ClassCharts).data
        assert isinstance(charts, ChartsSlice)
        assert ("Large Cap Stock", 10) in [(label, target) for label, _, target in charts.rows]
        assert "Large Cap Stock" in text_of(app, AccountDriftPane)
        assert app.screen.query_one(ByAccountTable).row_count == 3

        await pilot.press("3")
        await on_mode(pilot, app, "misalignment")
        split = text_of(app, StockSplit)
        assert "70.0% target" in split  # the edited targets, not the file's
        assert "30.0% target" in split
        assert "70.0% target" in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_step3_holdings_detail_follows_the_cursor_and_a_decision(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "c")
        await on_mode(pilot, app, "misalignment")
        sectors = app.screen.query_one(SectorsPane)
        assert sectors.table.row_count > 0
        assert sectors.table.has_focus
        await pilot.press("h")
        table = app.screen.query_one(HoldingsTable)
        await wait_until(pilot, lambda: table.has_focus and not table.filling, what="holdings")
        first, second = (str(table.get_row_at(i)[0]) for i in (0, 1))
        detail = app.screen.query_one(HoldingDetailLine)
        assert str(detail.content).startswith(f"{first} — ")
        await pilot.press("down")
        await wait_until(pilot, lambda: str(detail.content).startswith(f"{second} — "),
                         what="the second holding in full")
        assert text_of(app, DecisionsNote).startswith("0 decisions recorded")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query("#decision-choice"), what="the choice")
        await pilot.press("down", "down", "enter")  # (no decision) -> keep -> trim
        await wait_until(pilot, lambda: app.session is not None
                         and second in app.session.decisions, what="the decision")
        await pilot.pause()
        assert text_of(app, DecisionsNote).startswith("1 decision recorded")
        assert str(table.get_row(second)[4]) == "trim"
        assert table.cursor_row == 1  # the refill kept the cursor's row
        assert "decided: trim" in str(detail.content)


@pytest.mark.parametrize(("size", "width"), [((80, 24), 76), ((120, 40), 110)])
async def test_step2_charts_fit_their_own_width_and_follow_a_resize(
    make_app: MakeApp, size: tuple[int, int], width: int
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        charts = app.screen.query_one(ClassCharts)
        assert charts.content_size.width == width  # the stylesheet caps it at 110
        lines = charts.render().plain.splitlines()
        assert lines[0].strip().startswith("Current")
        assert max(len(line.rstrip()) for line in lines) <= width
        await pilot.resize_terminal(100, size[1])
        await wait_until(pilot, lambda: charts.content_size.width == 96, what="the resize")
        await pilot.pause()
        wider = charts.render().plain.splitlines()
        assert max(len(line.rstrip()) for line in wider) <= 96
        assert "Large Cap Stock" in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_a_view_chosen_as_step3_opens_gets_its_pane_and_the_focus(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "h")  # h before the holdings pane joins step 3
        await wait_until(pilot, lambda: bool(app.screen.query(HoldingsTable))
                         and app.screen.query_one(HoldingsTable).has_focus,
                         what="the holdings, focused")
        table = app.screen.query_one(HoldingsTable)
        await wait_until(pilot, lambda: table.row_count > 0 and not table.filling, what="rows")
        first = str(table.get_row_at(0)[0])
        assert str(app.screen.query_one(HoldingDetailLine).content).startswith(f"{first} — ")
        assert first in screen_text(app)
