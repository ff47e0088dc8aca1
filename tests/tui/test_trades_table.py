"""The trades table on a big plan: every trade listed from its slice of the view, the
cursor keys reach the last one, and a newer slice replaces an older one."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from textual.app import App, ComposeResult

from rebal.core.planner.types import Plan, PlanOptions, Trade
from rebal.store.load import load
from rebal.tui.session import IN_THREAD_ABOVE
from rebal.tui.view.plan import trade_rows
from rebal.tui.widgets.trades_table import TradesTable
from tui.conftest import stand_in_plan
from tui.helpers import FIXTURES, screen_text, wait_until

COUNT = IN_THREAD_ABOVE + 200


def big_plan() -> Plan:
    plan = stand_in_plan(load(FIXTURES / "household.toml").portfolio, PlanOptions())
    trades = tuple(
        Trade(f"Account {n // 10:03d}", f"T{n % 10}", "buy", Decimal(1), Decimal(n + 1),
              f"reason {n}")
        for n in range(COUNT)
    )
    return replace(plan, trades=trades)


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[Trade | None] = []

    def compose(self) -> ComposeResult:
        yield TradesTable(id="trades")

    def on_trades_table_highlighted(self, event: TradesTable.Highlighted) -> None:
        self.highlighted.append(event.trade)


def accounts() -> list[str]:
    return [f"Account {n:03d}" for n in range(COUNT // 10)]


async def test_a_big_plan_lists_every_trade_and_the_cursor_reaches_the_last() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(TradesTable)
        table.focus()
        plan = big_plan()
        table.rows = trade_rows(plan, "USD", accounts())
        await wait_until(pilot, lambda: table.row_count == COUNT, what="every trade")
        await pilot.pause()
        assert "Account 000" in screen_text(app)
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.cursor_row == COUNT - 1
        assert app.highlighted[-1] is table.trades[-1]
        assert f"reason {COUNT - 1}" in screen_text(app)
        await pilot.press("up", "pageup")
        assert 0 < table.cursor_row < COUNT - 2


async def test_a_newer_plan_replaces_a_big_one() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(TradesTable)
        big = big_plan()
        small = replace(big, trades=big.trades[:3])
        table.rows = trade_rows(big, "USD", accounts())
        await pilot.pause()
        table.rows = trade_rows(small, "USD", accounts())
        await pilot.pause()
        assert table.row_count == 3
        assert list(table.trades) == list(small.trades)
