"""The layout follows the terminal's size through the stylesheet's breakpoint classes:
resizing a running app re-lays it out (no size is read once in Python and kept)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widget import Widget

from rebal.core.planner.types import PlanOptions
from rebal.tui.app import RebalApp
from rebal.tui.screens.panes import PanesScreen
from rebal.tui.widgets.trades_table import TradesTable
from tui.helpers import FIXTURES, screen_text, wait_until

MakeApp = Callable[..., RebalApp]


def shown(widget: Widget) -> bool:
    """Displayed, and so are all its containers (what the stylesheet decided)."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


async def on_step4(pilot: Pilot[None], app: RebalApp) -> None:
    await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
    await pilot.press("4")
    await wait_until(pilot, lambda: app.current_mode == "rebalance" and app.screen.is_current
                     and app.session is not None and app.session.plan_state == "done",
                     what="the plan")
    await pilot.pause()


async def test_step4_unfolds_its_options_and_reasons_when_the_terminal_grows(
    make_app: MakeApp, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_step4(pilot, app)
        screen = app.screen
        trades = screen.query_one(TradesTable)
        assert not trades.with_reasons  # the reason is wrapped under the table instead
        assert not shown(screen.query_one("#options"))
        assert shown(screen.query_one("#options-summary"))
        assert "Small Cap Stock over" not in screen_text(app).split("Why")[0]

        await pilot.resize_terminal(120, 40)
        await wait_until(pilot, lambda: trades.with_reasons and bool(screen.query("#whole")),
                         what="the Reason column and the options form")
        await pilot.pause()
        assert shown(screen.query_one("#options"))
        assert not shown(screen.query_one("#options-summary"))
        assert "Bonds [under]" in screen_text(app)  # trade 4's reason, in its column

        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: not trades.with_reasons, what="the folded table")
        await pilot.pause()
        assert not shown(screen.query_one("#options"))


async def test_opened_options_stay_open_until_escape_on_a_small_terminal(
    make_app: MakeApp, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_step4(pilot, app)
        screen = app.screen
        await pilot.press("o")
        await wait_until(pilot, lambda: bool(screen.query("#mode")), what="the options form")
        await pilot.pause()
        assert shown(screen.query_one("#options"))
        assert not shown(screen.query_one("#options-summary"))
        await pilot.press("escape")
        await pilot.pause()
        assert not shown(screen.query_one("#options"))
        assert screen.query_one(TradesTable).has_focus


async def test_the_panes_go_side_by_side_and_back_to_tabs_on_resize(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, PanesScreen), what="panes")
        await pilot.pause()
        panes = app.screen
        targets, accounts, drift = (panes.query_one(f"#pane-{name}")
                                    for name in ("targets-table", "accounts-tree", "drift-table"))
        assert shown(panes.query_one("#pane-tabs"))
        assert (shown(targets), shown(accounts), shown(drift)) == (False, False, True)
        assert drift.has_focus

        await pilot.resize_terminal(160, 40)
        await wait_until(pilot, lambda: shown(accounts), what="side by side")
        await pilot.pause()
        assert (shown(targets), shown(drift)) == (True, True)
        assert not shown(panes.query_one("#pane-tabs"))
        await pilot.press("a")
        await pilot.pause()
        assert accounts.has_focus
        assert shown(drift)

        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: not shown(drift), what="tabs again")
        assert shown(accounts)
        assert not shown(targets)
        await pilot.press("t")
        await pilot.pause()
        assert shown(targets)
        assert not shown(accounts)
        assert "16% → 15.20–16.80%" in screen_text(app)
