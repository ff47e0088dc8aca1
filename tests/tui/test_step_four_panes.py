"""Step 4's panes, each drawn from its slice of the view, driven by real keys at 80x24 and
120x40: the status line, the trade detail under the cursor, the options summary after a
toggle, the summary and the classes; and a big plan's view built off the event loop,
where a newer session wins over an older one still being built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from textual.widgets import DataTable, Static

from rebal.core.planner.types import Plan, PlanOptions, Trade
from rebal.model import Portfolio
from rebal.tui.app import RebalApp
from rebal.tui.screens.rebalance import RebalanceScreen
from rebal.tui.session import IN_THREAD_ABOVE
from rebal.tui.view.plan import step_four_view
from rebal.tui.widgets.lines import lines_text
from rebal.tui.widgets.options_table import AccountOptionsTable
from rebal.tui.widgets.plan_status import OptionsSummary, PlanStatus
from rebal.tui.widgets.trade_detail import TradeDetail
from rebal.tui.widgets.trades_table import TradesTable
from tui.conftest import PlannerCalls, stand_in_plan
from tui.helpers import FIXTURES, screen_text, wait_until

SIZES = [(80, 24), (120, 40)]
MakeApp = Callable[..., RebalApp]


def content(widget: Static) -> str:
    return str(widget.content)


async def step_4(pilot, app: RebalApp) -> RebalanceScreen:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
    await pilot.press("4")
    await wait_until(pilot, lambda: app.current_mode == "rebalance" and app.screen.is_current
                     and app.session is not None and app.session.plan_state == "done",
                     what="the plan")
    screen = app.screen
    assert isinstance(screen, RebalanceScreen)
    await wait_until(pilot, lambda: screen.view is not None and screen.view.plan is not None
                     and bool(screen.query("#summary")), what="the panes")
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", SIZES)
async def test_each_pane_shows_its_slice_and_follows_the_keys(
    make_app: MakeApp, planner_calls: PlannerCalls, size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        screen = await step_4(pilot, app)
        assert app.session is not None
        view = step_four_view(app.session)
        assert content(screen.query_one(PlanStatus)) == lines_text(view.status.lines).plain
        assert content(screen.query_one(PlanStatus)) == (
            "Plan ready: ctrl+s saves it · x exports CSV · tab: classes after"
        )
        assert view.summary is not None
        assert content(screen.query_one("#summary", Static)) == (
            lines_text(view.summary.lines).plain
        )
        classes = screen.query_one("#before-after", DataTable)
        assert classes.row_count == len(view.summary.classes)

        # The detail line follows the cursor: the trades in placing order, IRA first.
        detail = screen.query_one(TradeDetail)
        assert content(detail) == "Why buy BND in IRA: Bonds [under]"
        await pilot.press("down")
        await wait_until(pilot, lambda: content(detail).startswith("Why sell VB in 401(k)"),
                         what="the next trade's reason")
        assert content(detail) == "Why sell VB in 401(k): Small Cap Stock over"
        assert "Why sell VB in 401(k): Small Cap Stock over" in screen_text(app)

        # The options: toggle avoid selling on the IRA; the summary line says it.
        await pilot.press("o")
        await wait_until(pilot, lambda: bool(screen.query(AccountOptionsTable)),
                         what="the options")
        await pilot.press("tab", "tab", "tab", "space")
        await wait_until(pilot, lambda: planner_calls[-1].avoid_selling == {"IRA": True},
                         what="the replan")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state == "done", what="the new plan")
        summary = screen.query_one(OptionsSummary)
        await wait_until(pilot, lambda: "no sells in: IRA, Taxable" in content(summary),
                         what="the options summary")
        assert content(summary) == (
            "Options full · new money: none · fractional shares · min trade $0.00 "
            "· no sells in: IRA, Taxable  (o: change)"
        )
        assert screen.query_one(TradesTable).has_focus


def big_planner(count: int) -> PlannerCalls:
    """A stand-in planner whose plans list `count` trades (one a row, in one account)."""

    class Big(PlannerCalls):
        def __call__(self, portfolio: Portfolio, options: PlanOptions) -> Plan:
            self.append(options)
            plan = stand_in_plan(portfolio, options)
            trades = tuple(
                Trade("IRA", f"T{n:05d}", "buy", Decimal(1), Decimal(n + 1), f"reason {n}")
                for n in range(count)
            )
            return replace(plan, trades=trades)

    return Big()


@pytest.mark.parametrize("size", SIZES)
async def test_a_big_plan_s_view_is_built_off_the_loop_and_listed_whole(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    count = IN_THREAD_ABOVE + 500
    app = make_app(FIXTURES / "household.toml", planner=big_planner(count))
    async with app.run_test(size=size) as pilot:
        screen = await step_4(pilot, app)
        table = screen.query_one(TradesTable)
        await wait_until(pilot, lambda: table.row_count == count, what="every trade")
        await pilot.press("ctrl+end")
        await wait_until(pilot, lambda: content(screen.query_one(TradeDetail)).endswith(
            f"reason {count - 1}"), what="the last trade's reason")
        assert f"reason {count - 1}" in screen_text(app)


async def test_a_newer_session_wins_over_a_big_view_still_being_built(
    make_app: MakeApp,
) -> None:
    count = IN_THREAD_ABOVE + 500
    app = make_app(FIXTURES / "household.toml", planner=big_planner(count))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await step_4(pilot, app)
        session = app.session
        assert session is not None
        assert session.plan is not None
        small = replace(session.plan, trades=session.plan.trades[:3])
        # The big plan's view is being built again (the file read is the same)...
        app.session = replace(session, plan=replace(session.plan))
        # ...when a small plan arrives: it is shown, and the big one's view is dropped.
        app.session = replace(session, plan=small)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(TradesTable)
        assert table.row_count == 3
        assert list(table.trades) == list(small.trades)
