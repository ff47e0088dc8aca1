"""A saved plan is the current plan when the file is reopened: real key presses, the real
planner, at 80x24 and 120x40. Save a cash-flow plan of $20,000 into Joint Brokerage (whole
shares, $500 minimum) in the app, mark trade 2 placed, quit; reopen, press 4: the saved
trades and options show and nothing is unsaved; a new plan is an explicit key, and
replacing the placed trade asks first."""

from __future__ import annotations

import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import tomlkit
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from rebal.cli import main
from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from rebal.tui.screens.rebalance import RebalanceScreen
from tui.helpers import fixed_clock, read_text, screen_text, wait_until, write_text

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
SIZES = [(80, 24), (120, 40)]
SAVED_AT = "2026-11-24 09:30"  # fixed_clock: the plan's `created`


def plan_of(path: Path) -> dict[str, object]:
    plan: dict[str, object] = tomllib.loads(read_text(path))["plan"]
    return plan


def statuses(path: Path) -> list[str]:
    trades = plan_of(path)["trades"]
    assert isinstance(trades, list)
    return [trade["status"] for trade in trades]


def saved_rows(app: RebalApp) -> list[list[str]]:
    table = app.screen.query_one("#saved-trades", DataTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def step4_saved(pilot: Pilot[None], app: RebalApp) -> None:
    """Step 1, then 4: the saved plan listed (no planner run)."""
    await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
    await pilot.press("4")
    await wait_until(
        pilot,
        lambda: app.current_mode == "rebalance" and bool(app.screen.query("#saved-trades"))
        and app.screen.query_one("#saved-trades", DataTable).row_count > 0,
        tries=500, what="the saved plan",
    )


def saved_and_back(app: RebalApp) -> bool:
    """The save went through and step 4 (the saved plan) has the keys again."""
    return (
        app.session is not None and not app.session.dirty and app.session.shows_saved_plan
        and isinstance(app.screen, RebalanceScreen)
    )


async def plan_done(pilot: Pilot[None], app: RebalApp) -> None:
    await wait_until(pilot, lambda: app.session is not None and app.session.plan_state == "done",
                     tries=800, what="the plan")


async def open_options(pilot: Pilot[None], app: RebalApp) -> None:
    await pilot.press("o")
    await wait_until(pilot, lambda: isinstance(app.focused, Select), what="the options")


async def type_new_money(pilot: Pilot[None], app: RebalApp, amount: str) -> None:
    """In the open options: Joint Brokerage (the last account) gets `amount` of new money."""
    table = app.screen.query_one("#accounts-options", DataTable)
    table.focus()
    await pilot.press("down", "down", "down")
    await wait_until(pilot, lambda: table.cursor_row == 3, what="Joint Brokerage")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.focused, Input), what="the money field")
    await pilot.press("ctrl+a", "ctrl+k", *amount, "enter")


async def save_the_issues_plan_in_the_app(path: Path, size: tuple[int, int]) -> None:
    """Plan cash-flow, $20,000 to Joint Brokerage, whole shares, $500 minimum; save;
    mark trade 2 placed; quit: all with keys."""
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.press("4")
        await plan_done(pilot, app)  # no saved plan yet: step 4 plans on entry
        await open_options(pilot, app)
        await pilot.press("enter", "down", "down", "enter")  # mode: cash-flow
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.options.mode == "cash-flow", what="the mode")
        await pilot.press("tab", "space")  # whole shares
        await pilot.press("tab", "ctrl+a", "ctrl+k", *"500")  # the minimum trade
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.options.min_trade == 500, what="the minimum")
        await type_new_money(pilot, app, "20000")
        await wait_until(pilot, lambda: app.session is not None and app.session.plan is not None
                         and dict(app.session.plan.options.new_money)
                         == {"Joint Brokerage": Decimal(20000)}
                         and app.session.plan.options.whole_shares, tries=800, what="the plan")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_until(pilot, lambda: saved_and_back(app), what="saved")
        await pilot.press("escape")  # out of the options, to the saved plan's trades
        await wait_until(pilot, lambda: app.focused is not None
                         and app.focused.id == "saved-trades", what="the saved trades")
        await pilot.press("down", "m")
        await wait_until(pilot, lambda: statuses(path) == ["planned", "placed"], what="marked")
        await pilot.press("q")  # nothing unsaved: quits without asking
        await wait_until(pilot, lambda: not app.is_running, what="quit")


@pytest.fixture
def sample_household(tmp_path: Path) -> Path:
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    return path


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_reopened_saved_plan_is_the_current_plan(
    sample_household: Path, size: tuple[int, int]
) -> None:
    await save_the_issues_plan_in_the_app(sample_household, size)
    inputs = plan_of(sample_household)["inputs"]
    options = {key: inputs.pop(key) for key in ("targets", "bands")}
    assert inputs == {"new_money": ["20000.00@Joint Brokerage"], "whole_shares": True,
                      "min_trade": "500.00", "avoid_selling": []}
    assert "US Stocks=55" in options["targets"]
    assert "per_class.Cash=25" in options["bands"]
    before = read_text(sample_household)

    app = RebalApp(sample_household, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await step4_saved(pilot, app)
        session = app.session
        assert session is not None
        assert session.plan_state == "idle"  # the planner did not run
        assert not session.dirty
        # The footer offers the new plan (drawn once the step's bindings are in).
        await wait_until(pilot, lambda: "r New plan" in screen_text(app), what="the footer")
        text = screen_text(app)
        assert "unsaved" not in text
        assert f"Saved plan of {SAVED_AT}: 2 trades, 1 placed" in text
        # At 80 columns the status and progress share a cell (the number is in the
        # reason line); a placed trade not yet seen in the holdings reads "placed".
        assert saved_rows(app)[1][-2:] == (
            ["$19,958.40", "placed"] if size == (80, 24) else ["placed", "not started"]
        )
        assert any("308" in cell for cell in saved_rows(app)[1])
        options = str(app.screen.query_one("#options-summary").content)
        assert ("cash-flow · new money: Joint Brokerage $20,000.00 · whole shares · "
                "min trade $500.00") in options
        await pilot.press("q")  # nothing was changed: quitting asks nothing
        await wait_until(pilot, lambda: not app.is_running, what="quit without asking")
    assert read_text(sample_household) == before


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_a_new_plan_is_explicit_and_replacing_a_placed_trade_asks(
    sample_household: Path, size: tuple[int, int]
) -> None:
    await save_the_issues_plan_in_the_app(sample_household, size)
    before = read_text(sample_household)
    app = RebalApp(sample_household, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await step4_saved(pilot, app)
        # r with the saved options and holdings: the same trades, so the saved plan stays.
        await pilot.press("r")
        await plan_done(pilot, app)
        assert app.session is not None
        assert app.session.shows_saved_plan
        assert not app.session.dirty
        # An option changed over the saved plan waits for r; the saved plan stays listed.
        await open_options(pilot, app)
        await type_new_money(pilot, app, "15000")
        await wait_until(pilot, lambda: app.session is not None
                         and dict(app.session.options.new_money)
                         == {"Joint Brokerage": Decimal(15000)}, what="the option")
        await pilot.pause()
        assert app.session.shows_saved_plan
        assert app.session.plan_state == "done"  # still the saved plan's, not replanned
        status = str(app.screen.query_one("#planning").content)
        assert "Changed since it was saved: new money. r makes a new plan with them" in status
        assert saved_rows(app)[1][-1 if size == (80, 24) else -2] == "placed"
        await pilot.press("escape", "r")
        await wait_until(pilot, lambda: app.session is not None
                         and not app.session.shows_saved_plan, tries=800, what="the new plan")
        assert app.session.dirty
        text = screen_text(app)
        assert "unsaved" in text
        assert "New plan (unsaved)" in str(app.screen.query_one("#planning").content)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        assert "Replace the saved plan?" in screen_text(app)
        assert isinstance(app.screen, ConfirmScreen)
        assert "placed: #2 buy 308 VXUS in Joint Brokerage" in app.screen.body.plain
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="closed")
        # s: back to the saved plan, with its options; nothing is unsaved any more.
        await pilot.press("s")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.shows_saved_plan, what="the saved plan again")
        assert not app.session.dirty
        assert dict(app.session.options.new_money) == {"Joint Brokerage": Decimal(20000)}
        assert "unsaved" not in screen_text(app)
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, what="quit without asking")
    assert read_text(sample_household) == before


async def test_a_new_plan_keeping_the_placed_trade_saves_it_still_placed(
    sample_household: Path,
) -> None:
    """The round trip: a new plan saved by the app with trade 2 unchanged keeps it placed."""
    await save_the_issues_plan_in_the_app(sample_household, (120, 40))
    app = RebalApp(sample_household, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await step4_saved(pilot, app)
        await open_options(pilot, app)
        await pilot.press("tab", "tab", "ctrl+a", "ctrl+k", *"1000")  # the same two trades
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.options.min_trade == 1000, what="the minimum")
        await pilot.press("escape", "r")
        await wait_until(pilot, lambda: app.session is not None
                         and not app.session.shows_saved_plan, tries=800, what="the new plan")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        assert "Save to household.toml?" in screen_text(app)  # nothing placed is lost
        await pilot.press("y")
        await wait_until(pilot, lambda: saved_and_back(app), what="saved")
    assert statuses(sample_household) == ["planned", "placed"]
    inputs = plan_of(sample_household)["inputs"]
    assert isinstance(inputs, dict)
    assert inputs["min_trade"] == "1000.00"


async def test_after_an_import_the_saved_plan_shows_its_progress_and_the_offer(
    sample_household: Path,
) -> None:
    assert main(["plan", str(sample_household), "--mode", "cash-flow", "--new-money",
                 "20000@Joint Brokerage", "--whole-shares", "--min-trade", "500", "--save"]) == 0
    assert main(["mark", str(sample_household), "2", "placed"]) == 0
    # The broker's positions once trade 1 (buy 19 VXUS in the IRA) went through.
    document = tomlkit.parse(read_text(sample_household))
    for account in document["accounts"]:  # type: ignore[union-attr]
        if account["name"] == "Jordan Traditional IRA":
            account["holdings"]["VXUS"] = account["holdings"]["VXUS"] + 19
    write_text(sample_household, tomlkit.dumps(document))
    app = RebalApp(sample_household, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await step4_saved(pilot, app)
        assert [row[-1] for row in saved_rows(app)] == ["planned, done", "placed"]
        status = str(app.screen.query_one("#planning").content)
        assert "1 trade looks done in the holdings but not marked" in status
        assert app.session is not None
        assert not app.session.dirty
        assert app.session.plan_state == "idle"


async def test_the_palette_makes_a_new_plan_and_goes_back_and_x_exports_the_saved_one(
    sample_household: Path,
) -> None:
    assert main(["plan", str(sample_household), "--mode", "cash-flow", "--new-money",
                 "20000@Joint Brokerage", "--whole-shares", "--min-trade", "500", "--save"]) == 0
    assert main(["mark", str(sample_household), "2", "placed"]) == 0
    app = RebalApp(sample_household, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await step4_saved(pilot, app)
        await pilot.press("x")  # the saved plan is the current one: its trades, with statuses
        exported = sample_household.with_name("household-trades-2026-11-24.csv")
        await wait_until(pilot, lambda: exported.exists(), what="the CSV")
        lines = read_text(exported).splitlines()
        assert lines[0] == "account,ticker,action,shares,amount,reason,status"
        assert [line.rsplit(",", 1)[1] for line in lines[1:]] == ["planned", "placed"]
        await pilot.press("3")  # the palette's New plan works from any step
        await wait_until(pilot, lambda: app.current_mode == "misalignment", what="step 3")
        await pilot.press("ctrl+p", *"New plan")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_mode == "rebalance", what="step 4")
        await plan_done(pilot, app)
        assert app.session is not None
        assert app.session.shows_saved_plan  # the same trades: the saved plan stays
        await pilot.press("o")
        await type_new_money(pilot, app, "15000")
        await pilot.press("escape", "r")
        await wait_until(pilot, lambda: app.session is not None
                         and not app.session.shows_saved_plan, tries=800, what="the new plan")
        await pilot.press("ctrl+p", *"Back to the saved")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.shows_saved_plan and not app.session.dirty,
                         what="the saved plan again")
