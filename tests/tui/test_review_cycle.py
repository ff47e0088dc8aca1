"""The review cycle in the app, with the real planner and real key presses: a saved plan with
a placed trade is reopened with its options, is not 'unsaved', and is never replaced silently."""

from __future__ import annotations

import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import tomlkit
from textual.containers import VerticalScroll
from textual.widgets import DataTable

from rebal.cli import main
from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from tui.helpers import fixed_clock, read_text, screen_text, wait_until

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
CASH_FLOW = (
    "--mode", "cash-flow", "--new-money", "20000@Joint Brokerage", "--whole-shares",
    "--min-trade", "500",
)


def saved_with_a_placed_trade(tmp_path: Path) -> Path:
    """The issue's file: a cash-flow plan of $20,000 into Joint Brokerage, trade 2 placed."""
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    assert main(["plan", str(path), *CASH_FLOW, "--save"]) == 0
    assert main(["mark", str(path), "2", "placed"]) == 0
    return path


def statuses(path: Path) -> list[str]:
    return [t["status"] for t in tomllib.loads(read_text(path))["plan"]["trades"]]


async def open_step4(pilot: object, app: RebalApp) -> None:
    """Step 4 lists the saved plan as the current one (the planner does not run)."""
    await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")  # type: ignore[arg-type]
    await pilot.press("4")  # type: ignore[attr-defined]
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: bool(app.screen.query("#saved-trades"))
        and app.screen.query_one("#saved-trades", DataTable).row_count > 0,
        tries=500, what="the saved plan",
    )


async def test_reopening_restores_the_options_and_nothing_reads_as_unsaved(
    tmp_path: Path,
) -> None:
    # Failed before: only the mode came back, the header said "unsaved", and quitting asked.
    path = saved_with_a_placed_trade(tmp_path)
    before = read_text(path)
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_step4(pilot, app)
        session = app.session
        assert session is not None
        options = session.options
        assert options.mode == "cash-flow"
        assert dict(options.new_money) == {"Joint Brokerage": Decimal(20000)}
        assert options.whole_shares
        assert options.min_trade == 500
        assert not session.dirty
        assert "unsaved" not in screen_text(app)
        await pilot.press("ctrl+s")  # nothing to save: no dialog offers to rewrite the plan
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, what="quit without asking")
    assert read_text(path) == before
    assert statuses(path) == ["planned", "placed"]


async def test_a_save_from_the_app_keeps_a_placed_trade_placed(tmp_path: Path) -> None:
    # Failed before: ctrl+s turned status = "placed" back into "planned", with no warning.
    path = saved_with_a_placed_trade(tmp_path)
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_step4(pilot, app)
        await pilot.press("3", "h", "enter")  # a holding decision: something to save
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__)
        await pilot.press("down", "enter")  # keep (the list starts on "(no decision)")
        await wait_until(pilot, lambda: app.session is not None and app.session.dirty,
                         what="the decision")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        assert isinstance(app.screen, ConfirmScreen)
        summary = app.screen.body.plain
        # The saved plan is the current one: the save adds the decision, not a plan again.
        assert summary.startswith("Writes 1 holding decision.")
        assert app.focused is not None
        assert app.focused.id == "yes"  # the button drawn as the default has the focus
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    assert statuses(path) == ["planned", "placed"]


async def test_replacing_a_plan_with_a_placed_trade_asks_first(tmp_path: Path) -> None:
    path = saved_with_a_placed_trade(tmp_path)
    # An import brought a new price for VXUS: planning again makes a different plan
    # (other share counts), which would drop the placed trade 2.
    document = tomlkit.parse(read_text(path))
    document["securities"]["VXUS"]["price"] = 66.10  # type: ignore[index]
    path.write_text(tomlkit.dumps(document))
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_step4(pilot, app)
        assert app.session is not None
        assert not app.session.dirty  # the saved plan, as it was saved
        await pilot.press("r")  # a new plan, asked for
        await wait_until(pilot, lambda: app.session is not None
                         and not app.session.shows_saved_plan, tries=500, what="the new plan")
        assert app.session.dirty  # a new plan: not the saved one
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        text = screen_text(app)
        assert "Replace the saved plan?" in text
        assert isinstance(app.screen, ConfirmScreen)
        assert "placed: #2 buy 308 VXUS in Joint Brokerage" in app.screen.body.plain
        assert app.screen.body.plain.startswith("The saved plan has trades")  # a sentence
        assert app.focused is not None
        assert app.focused.id == "no"  # Enter cancels: the safe answer is the default
        body = app.screen.query_one("#confirm-body", VerticalScroll)
        # Failed before: the diff scrolled only after a hidden Tab.
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: body.scroll_y > 0, what="the diff scrolled")
        await pilot.press("up")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="closed")
        assert statuses(path) == ["planned", "placed"]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="replaced")
    assert "placed" not in statuses(path)


async def test_step4_reads_the_saved_trades_and_offers_to_mark_those_done(
    tmp_path: Path,
) -> None:
    # Failed before: after an import the app showed every trade as it was.
    path = saved_with_a_placed_trade(tmp_path)
    document = tomlkit.parse(read_text(path))
    for account in document["accounts"]:  # type: ignore[union-attr]
        if account["name"] == "Jordan Traditional IRA":
            account["holdings"]["VXUS"] = 519  # trade 1 (buy 19 VXUS) went through
    path.write_text(tomlkit.dumps(document))
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_step4(pilot, app)
        table = app.screen.query_one("#saved-trades", DataTable)
        assert [table.get_row_at(row)[-1].plain for row in range(table.row_count)] == [
            "done", "not started",
        ]
        await pilot.press("ctrl+p")
        await pilot.press(*"Mark trades that look")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="offer")
        assert isinstance(app.screen, ConfirmScreen)
        assert "1. buy 19 VXUS in Jordan Traditional IRA (now planned)" in app.screen.body.plain
        await pilot.press("enter")  # Mark done is the default here
        await wait_until(pilot, lambda: statuses(path) == ["done", "placed"], what="marked")


async def test_step2_lists_the_periods_of_the_history_with_a_sparkline(tmp_path: Path) -> None:
    path = tmp_path / "seed_return.toml"
    shutil.copyfile(SAMPLES / "seed_return.toml", path)
    assert main(["flow", str(path), "2000@Brokerage", "--date", "2026-05-22"]) == 0
    assert main(["plan", str(path), "--save"]) == 0  # closes the year: two snapshots
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.press("2")
        await wait_until(pilot, lambda: app.current_mode == "compare", what="step 2")
        await pilot.pause()
        table = app.screen.query_one("#periods", DataTable)
        assert [cell.plain for cell in table.get_row_at(0)] == [
            "2025-11-20 → 2026-11-20", "$54,525.00", "$2,000.00", "5.0%", "9.1%",
        ]
        await pilot.press("end")  # the history sits at the foot of step 2
        await wait_until(pilot, lambda: "$54,525.00 now" in screen_text(app), what="the foot")
        text = screen_text(app)
        # Failed before: "Weighted-average return since 2026-11-20: 0.0%" after the save.
        assert "Return in the year to 2026-11-20: 5.0%" in text
        assert "▁█  value $50,000.00 on 2025-11-20 → $54,525.00 now" in text
