"""The app driven with real key presses: what is shown, what is saved."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from rebal.core.planner.types import Plan, PlanOptions
from rebal.model import Portfolio
from rebal.tui.app import STEP_MODES, RebalApp
from rebal.tui.screens.modals import ConfirmScreen, HelpScreen
from rebal.tui.screens.panes import PanesScreen
from rebal.tui.widgets.trades_table import TradesTable
from tui.helpers import (
    FIXTURES,
    delete,
    exists,
    read_text,
    screen_text,
    wait_until,
    write_text,
)

MakeApp = Callable[..., RebalApp]
SAMPLES = FIXTURES.parents[2] / "sample_portfolios"
SIZES = [(80, 24), (120, 40)]


def trade_rows_on_screen(text: str) -> list[tuple[str, str]]:
    """(action, ticker) of each row of the trades table as drawn, top to bottom."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "Action" in line and "Ticker" in line)
    rows = []
    for line in lines[start + 1:]:
        words = [w for w in line.split() if w.lower() in ("buy", "sell")]
        if not words or line.lstrip().startswith("Why "):  # the reason line under the table
            break
        after = line.split()[line.split().index(words[0]) + 1]
        rows.append((words[0].lower(), after))
    return rows


async def on_mode(pilot, app: RebalApp, mode: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=f"mode {mode}")
    await pilot.pause()


async def plan_done(pilot, app: RebalApp) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.session is not None
                     and app.session.plan_state == "done", what="the plan")


async def open_step4(pilot, app: RebalApp) -> None:  # type: ignore[no-untyped-def]
    """From step 1, press 4 as a user would and wait for the plan to be shown."""
    await on_mode(pilot, app, "target")
    await pilot.press("4")
    await on_mode(pilot, app, "rebalance")
    await plan_done(pilot, app)


@pytest.mark.parametrize("size", SIZES)
async def test_header_verdict_and_step_indicator(make_app: MakeApp, size: tuple[int, int]) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        text = screen_text(app)
        assert "Rivera household" in text
        assert "$511,200" in text
        assert "prices 2026-11-20" in text
        assert "2 of 6 classes out of band — last review 2025-11-20, 9.1% since" in text
        assert "[1 Target]" in text
        assert "2 Compare" in text
        assert "4 Rebalance" in text


async def test_keys_move_between_steps(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        # The digit reaches the app: step 1 focuses its table, not an input.
        await pilot.press("3")
        await on_mode(pilot, app, "misalignment")
        await pilot.press("n")
        await on_mode(pilot, app, "rebalance")
        await pilot.press("n")  # past the last step: stays
        await on_mode(pilot, app, "rebalance")
        await pilot.press("p", "p")
        await on_mode(pilot, app, "compare")
        assert "[2 Compare]" in screen_text(app)
        await pilot.press("1")
        await on_mode(pilot, app, "target")


async def test_clicking_a_step_name_moves_there(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        links = list(app.screen.query("StepLink"))
        await pilot.click(links[3])
        await on_mode(pilot, app, "rebalance")


async def test_step1_edit_target_with_live_validation(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("down", "down", "down", "down")  # Bonds
        await pilot.press("enter")
        field = app.screen.query_one("#edit-value", Input)
        await wait_until(pilot, lambda: field.has_focus, what="the target field")
        await pilot.press("ctrl+a", "ctrl+k", "2", "4")  # digits go to the field now
        await pilot.pause()
        assert "targets would sum to 104%" in str(app.screen.query_one("#edit-problem").content)
        await pilot.press("home", "minus")
        await pilot.pause()
        assert "cannot be negative" in str(app.screen.query_one("#edit-problem").content)
        await pilot.press("enter")  # refused: the field stays open with the reason
        await pilot.pause()
        assert field.has_focus
        assert app.session is not None
        assert not app.session.dirty
        await pilot.press("backspace", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.targets["Bonds"] == Decimal(24), what="the edit")
        assert app.session is not None
        assert app.session.dirty
        text = screen_text(app)
        assert "targets sum to 104%, 4 points over 100%" in text
        assert "24% → 22.80–25.20%" in text  # the band arithmetic follows the edit
        assert "unsaved" in text


async def test_step1_band_kind_override_and_age_hint(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        text = screen_text(app)
        assert "age-based 62% / 38%" in " ".join(text.split())
        assert "born 1968, so 58 in 2026" in text
        assert "20% → 19.00–21.00%" in text
        await pilot.press("b")  # relative -> absolute
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.bands.kind == "absolute", what="band kind")
        assert "20% → 15.00–25.00%" in screen_text(app)
        await pilot.press("o")
        await pilot.press(*"2", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.bands.per_class == {"Large Cap Stock": Decimal(2)},
                         what="override")
        assert "20% → 18.00–22.00%" in screen_text(app)
        # The suggestion is never applied by itself.
        assert app.session.targets == app.session.loaded.portfolio.effective_targets()


@pytest.mark.parametrize("size", SIZES)
async def test_step2_charts_drift_accounts_and_return(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        text = screen_text(app)
        assert "Current" in text
        assert "Target" in text
        assert "█" in text
        assert "21.5%" in text
        assert "20.0%" in text
        drift = app.screen.query_one("#drift", DataTable)
        assert drift.get_row("Small Cap Stock")[-1].plain == "▲ OVER"
        assert drift.get_row("Cash")[-1].plain == "▲ OVER"
        assert drift.get_row("Bonds")[-1].plain == "ok"
        by_account = app.screen.query_one("#by-account", DataTable)
        assert by_account.get_row("401(k)")[3].plain == "$110,000.00"
        assert "Weighted-average return since 2025-11-20: 9.1%" in str(
            app.screen.query_one("#return").content
        )


async def test_step3_views_and_a_decision(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3")
        await on_mode(pilot, app, "misalignment")
        assert "Stocks are exactly at their target share" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        text = screen_text(app)
        assert "Coverage: style data for 100.0% of the stock part" in text
        await pilot.press("c")
        await pilot.pause()
        sectors = app.screen.query_one("#sectors-table", DataTable)
        assert sectors.get_row("Technology")[3].plain == "ok"
        await pilot.press("l")
        await pilot.press("ctrl+a", "ctrl+k", "1", "5", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.sector_limit == Decimal(15), what="limit")
        assert sectors.get_row("Technology")[3].plain == "▲ over 15%"
        await pilot.press("h")
        await pilot.pause()
        table = app.screen.query_one("#holdings-table", DataTable)
        assert table.has_focus
        await pilot.press("down")  # VB, the small-cap fund named with markup characters
        await pilot.press("enter")
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__,
                         what="dialog")
        assert "Small Cap Index [/] Fund" in screen_text(app)
        await pilot.press("down", "down")  # past "(no decision)" and keep: trim
        await pilot.press("tab")
        await pilot.press(*"over band", "enter")
        await wait_until(pilot, lambda: app.session is not None and "VB" in app.session.decisions,
                         what="decision")
        assert app.session.decisions["VB"].decision == "trim"
        assert app.session.decisions["VB"].note == "over band"
        assert table.get_row("VB")[4].plain == "trim"


async def test_step4_plans_in_a_worker_and_replans_on_options(
    make_app: MakeApp, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_step4(pilot, app)
        text = screen_text(app)
        assert "SELL" in text
        assert "Small Cap Stock over" in text
        assert "Bonds [under]" in text  # a reason with brackets is shown as written
        summary = str(app.screen.query_one("#summary").content)  # wraps on screen
        # rebal plan's words: the accounts that keep cash (IRA keeps none).
        assert "Cash left in accounts: 401(k) $4,082.00, Taxable $5.00" in summary
        assert "back in band without selling: $27,000.00" in summary
        assert planner_calls[-1] == PlanOptions()
        await wait_until(pilot, lambda: bool(app.screen.query("#whole")), what="the options")
        await pilot.click("#whole")
        await wait_until(pilot, lambda: planner_calls[-1].whole_shares, what="re-plan")
        # The accounts table: enter on the highlighted account types its new money.
        app.screen.query_one("#accounts-options", DataTable).focus()
        await pilot.press("enter")
        assert app.screen.query_one("#money-input", Input).has_focus
        await pilot.press("ctrl+a", "ctrl+k", *"5000", "enter")
        await wait_until(pilot, lambda: planner_calls[-1].new_money == {"IRA": Decimal(5000)},
                         what="new money")
        assert app.screen.query_one("#accounts-options", DataTable).has_focus
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state == "done", what="the new plan")
        assert app.session.plan is not None
        assert app.session.plan.options.new_money == {"IRA": Decimal(5000)}


async def test_a_planner_that_breaks_is_shown_not_raised(make_app: MakeApp) -> None:
    def broken(portfolio: Portfolio, options: PlanOptions) -> Plan:
        raise ZeroDivisionError("division by zero")

    app = make_app(FIXTURES / "household.toml", planner=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("4")
        await on_mode(pilot, app, "rebalance")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state == "failed", what="failure")
        # In words, never a Python repr such as ZeroDivisionError('division by zero').
        assert "No plan: the planner stopped on an internal error (ZeroDivisionError)" in (
            screen_text(app)
        )
        assert "('" not in screen_text(app)
        assert app.is_running


async def test_save_shows_what_changes_then_writes(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(household)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "h", "enter")  # VO, the largest holding
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__)
        await pilot.press("down", "enter")  # keep
        await pilot.press("4")
        await on_mode(pilot, app, "rebalance")
        await plan_done(pilot, app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        text = screen_text(app)
        assert "Save to household.toml?" in text
        assert "Writes the full plan with 4 trades, 1 holding decision" in text
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.diff is not None
        assert "+[plan]" in app.screen.diff.plain  # the exact lines, further down
        assert read_text(household) == read_text(FIXTURES / "household.toml")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    saved = tomllib.loads(read_text(household))
    assert saved["plan"]["mode"] == "full"
    assert [t["ticker"] for t in saved["plan"]["trades"]] == ["VB", "VV", "VXUS", "BND"]
    assert saved["plan"]["decisions"] == [{"ticker": "VO", "decision": "keep"}]
    assert [h["date"].isoformat() for h in saved["history"]][-1] == "2026-11-20"  # as_of
    assert "# A household of three accounts" in read_text(household)  # comments kept


async def test_save_refuses_when_the_file_changed_on_disk(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("4")
        await plan_done(pilot, app)
        outside = read_text(household) + "\n# edited in another editor\n"
        write_text(household, outside)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="warning")
        assert "The file changed on disk" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
    assert read_text(household) == outside


@pytest.mark.parametrize("deleted", ["before ctrl+s", "while the save dialog is open"])
async def test_a_file_deleted_while_open_can_be_written_again_with_the_plan(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions], deleted: str
) -> None:
    # Before: the dialog said "changed by another program" and offered only a reload,
    # which failed on the missing file and dropped the plan.
    app = make_app(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("4")
        await plan_done(pilot, app)
        if deleted == "before ctrl+s":
            delete(household)
        await pilot.press("ctrl+s")
        if deleted != "before ctrl+s":
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="save?")
            assert "Save to household.toml?" in screen_text(app)
            delete(household)
            await pilot.press("y")
        await wait_until(
            pilot, lambda: "The file was deleted or moved" in screen_text(app), what="warning"
        )
        assert "Write it again" in screen_text(app)
        assert not exists(household)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="written again")
    saved = tomllib.loads(read_text(household))
    assert [t["ticker"] for t in saved["plan"]["trades"]] == ["VB", "VV", "VXUS", "BND"]
    assert "# A household of three accounts" in read_text(household)  # as rebal read it


async def test_quit_asks_when_there_are_unsaved_changes(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("b")  # an edit
        await wait_until(pilot, lambda: app.session is not None and app.session.dirty)
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="question")
        assert "Quit without saving?" in screen_text(app)
        assert "Not saved in household.toml yet: the edited bands." in screen_text(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running, what="exit")


async def test_quit_without_edits_does_not_ask(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, what="exit")


async def test_invalid_file_lists_problems_and_reopens_after_a_fix(
    make_app: MakeApp, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    write_text(broken, read_text(FIXTURES / "invalid.toml"))
    app = make_app(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "problems")
        text = screen_text(app)
        assert "cannot be opened: 3 problems" in text
        assert "line 7 · targets.Bonds" in text
        assert "must be >= 0 (found -5)" in text
        assert "line 15 · accounts[0].kindd" in text
        assert "did you mean `kind`?" in text
        await pilot.press("2")  # no file: the steps stay closed
        await pilot.pause()
        assert app.current_mode == "problems"
        write_text(broken, read_text(FIXTURES / "household.toml"))
        await pilot.press("r")
        await on_mode(pilot, app, "target")
        assert "Rivera household" in screen_text(app)


async def test_panes_are_one_key_away(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "d")
        await wait_until(pilot, lambda: "▲ OVER" in screen_text(app), what="the drift pane")
        assert isinstance(app.screen, PanesScreen)
        await pilot.press("a")
        await pilot.pause()
        text = screen_text(app)
        assert "401(k) (traditional)" in text
        assert "VB" in text
        await pilot.press("t")
        await pilot.pause()
        assert "16% → 15.20–16.80%" in screen_text(app)
        await pilot.press("escape")
        await on_mode(pilot, app, "misalignment")


async def test_help_lists_the_steps_keys(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        text = screen_text(app)
        assert "Step 1: Recall your target mix" in text
        assert "Edit — edit the highlighted class's target (also enter)" in text
        assert "Next" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help by f1")


async def test_palette_jumps_to_a_step(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"step 3")
        await wait_until(pilot, lambda: "Jump to step 3" in screen_text(app), what="match")
        await pilot.press("enter")
        await on_mode(pilot, app, "misalignment")


async def test_export_writes_the_trades_as_csv(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("4")
        await plan_done(pilot, app)
        await pilot.press("x")
        exported = household.with_name("household-trades-2026-11-24.csv")
        await wait_until(pilot, lambda: exists(exported), what="the CSV")
        listed = [(t.action, t.ticker) for t in app.screen.query_one(TradesTable).trades]
        on_screen = trade_rows_on_screen(screen_text(app))
    lines = read_text(exported).splitlines()
    assert lines[0] == "account,ticker,action,shares,amount,reason,status"
    # Accounts in file order (IRA, 401(k), Taxable), sells first: as the app lists them,
    # although the planner returned 401(k)'s trades first; then the skipped lines.
    assert lines[1:] == [
        "IRA,BND,buy,19,1368.00,Bonds [under],planned",
        "401(k),VB,sell,35,7700.00,Small Cap Stock over,planned",
        "401(k),VV,buy,9,2250.00,Large Cap Stock under,planned",
        "Taxable,VXUS,buy,23,1495.00,uses idle cash,planned",
        "IRA,VV,buy,1,250.00,below the minimum trade,skipped",
    ]
    assert listed == [(line.split(",")[2], line.split(",")[1]) for line in lines[1:5]]
    assert on_screen == listed


async def test_mark_saved_trades_placed_then_done(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(household)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("4")
        await plan_done(pilot, app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.loaded.portfolio.plan is not None, what="saved")
        await pilot.press("m")
        await wait_until(pilot, lambda: "placed" in read_text(household), what="placed")
        await pilot.press("m")
        await wait_until(pilot, lambda: 'status = "done"' in read_text(household), what="done")
    statuses = [t["status"] for t in tomllib.loads(read_text(household))["plan"]["trades"]]
    assert statuses == ["done", "planned", "planned", "planned"]


async def test_i_opens_the_import_screen_and_escape_closes_it(make_app: MakeApp) -> None:
    from rebal.tui.screens.import_screen import ImportScreen

    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen), what="import")
        await pilot.press("escape")
        await on_mode(pilot, app, "target")
        assert app.session is not None
        assert not app.session.dirty


async def test_palette_lists_the_apps_commands(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("Open file", "Save", "Export plan", "Import broker file",
                       "Jump to step 4: rebalance", "Switch theme: light", "Help"):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme: light")
        await wait_until(pilot, lambda: "Switch theme: light" in screen_text(app), what="match")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.theme == "light", what="theme switch")


async def test_open_another_file_asks_before_dropping_edits(
    make_app: MakeApp, tmp_path: Path
) -> None:
    other = tmp_path / "seed.toml"
    write_text(other, read_text(SAMPLES / "seed_return.toml"))
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("w")
        await pilot.press("ctrl+a", "ctrl+k", "1", "0", "enter")  # common band width 10
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.bands.width == Decimal(10), what="width")
        assert "20% → 18.00–22.00%" in screen_text(app)
        app.action_open_file()
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *str(other), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="question")
        assert "Open another file without saving?" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.loaded.path == other, what="the other file")
        await on_mode(pilot, app, "target")
        assert "$50,000 at 70/20/10, one year on" in screen_text(app)


async def test_the_planner_gets_the_edited_targets_and_bands(make_app: MakeApp) -> None:
    from tui.conftest import stand_in_plan

    seen: list[tuple[str, PlanOptions]] = []

    def recording(portfolio, options):  # type: ignore[no-untyped-def]
        seen.append((portfolio.bands.kind, options))
        return stand_in_plan(portfolio, options)

    app = make_app(FIXTURES / "household.toml", planner=recording)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("b")  # relative -> absolute
        await pilot.press("down", "down", "enter", "ctrl+a", "ctrl+k", "1", "8", "enter")
        await pilot.press("down", "down", "enter", "ctrl+a", "ctrl+k", "2", "2", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.targets["Bonds"] == Decimal(22), what="edits")
        await pilot.press("4")
        await wait_until(pilot, lambda: bool(seen), what="the planner call")
    kind, options = seen[-1]
    assert kind == "absolute"
    assert options.targets is not None
    assert options.targets["Small Cap Stock"] == Decimal(18)
    assert options.targets["Bonds"] == Decimal(22)


async def test_the_sector_limit_edited_in_step3_is_saved(
    make_app: MakeApp, household: Path
) -> None:
    app = make_app(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3")
        await on_mode(pilot, app, "misalignment")
        await pilot.press("c", "l", "ctrl+a", "ctrl+k", "2", "0", "enter")
        await wait_until(pilot, lambda: app.session is not None and app.session.dirty,
                         what="the edit")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        assert isinstance(app.screen, ConfirmScreen)
        assert "the sector limit (20%)" in app.screen.body.plain
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    saved = tomllib.loads(read_text(household))
    assert saved["portfolio"]["sector_limit"] == 20
    assert "plan" not in saved  # no plan was made: nothing pretends one was


async def test_saving_decisions_before_any_plan_plans_first(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "h", "enter")
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__)
        await pilot.press("down", "enter")  # keep
        await wait_until(pilot, lambda: app.session is not None and bool(app.session.decisions),
                         what="decision")
        assert app.session.plan is None
        assert planner_calls == []
        await pilot.press("ctrl+s")  # no dead end: the plan is computed, then the save asks
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        assert isinstance(app.screen, ConfirmScreen)
        assert "the full plan with 4 trades, 1 holding decision" in app.screen.body.plain
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    saved = tomllib.loads(read_text(household))
    assert saved["plan"]["decisions"] == [{"ticker": "VO", "decision": "keep"}]
    assert len(saved["plan"]["trades"]) == 4


async def test_saving_decisions_when_no_plan_can_be_made_says_why(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    notes: list[str] = []
    app = make_app(household)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("enter", "ctrl+a", "ctrl+k", "9", "9", "enter")  # sums past 100
        await pilot.press("3", "h", "enter")
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__)
        await pilot.press("down", "enter")  # keep
        await wait_until(pilot, lambda: app.session is not None and bool(app.session.decisions))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any("Not saved" in (n.title or "")
                                            for n in app._notifications), what="refusal")
        notes = [n.message for n in app._notifications]
    assert any("fix the targets in step 1" in note for note in notes)
    assert read_text(household) == read_text(FIXTURES / "household.toml")


async def test_step4_options_fold_at_80x24_so_the_trades_fit(
    make_app: MakeApp, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step4(pilot, app)
        text = screen_text(app)
        assert "Options full · new money: none · fractional shares" in text
        # Every trade of the plan is on screen without scrolling.
        for ticker in ("VB", "VV", "VXUS", "BND"):
            assert f" {ticker} " in text
        assert "Whole shares" not in text
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.query_one("#mode").has_focus
        assert "Whole shares" in screen_text(app)
        await pilot.press("tab", "space")  # the whole-shares box
        await wait_until(pilot, lambda: bool(planner_calls) and planner_calls[-1].whole_shares,
                         what="re-plan with whole shares")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#trades").has_focus
        text = screen_text(app)
        assert "Whole shares" not in text
        assert "Options full · new money: none · whole shares" in text


async def test_step4_options_stay_open_when_the_terminal_is_roomy(
    make_app: MakeApp, planner_calls: list[PlanOptions]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_step4(pilot, app)
        assert "Whole shares" in screen_text(app)
        assert "Options full" not in screen_text(app)
        await pilot.press("o", "escape")
        await pilot.pause()
        assert "Whole shares" in screen_text(app)


async def test_step1_a_refused_value_shows_why_at_80x24(make_app: MakeApp) -> None:
    """The problem line under the field is on screen, not under the footer, and a
    number past the file's decimal places is refused in words that say so."""
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("e")
        field = app.screen.query_one("#edit-value", Input)
        await wait_until(pilot, lambda: field.has_focus, what="the target field")
        await pilot.press("ctrl+a", "ctrl+k", *"1e-999999")
        reason = "type a number such as 20 or 12.5, at most 18 decimal places"
        await wait_until(pilot, lambda: reason in screen_text(app), what="the reason on screen")
        await pilot.press("enter")
        await pilot.pause()
        assert field.has_focus
        assert app.session is not None
        assert not app.session.dirty


async def test_step1_adds_a_class_then_sets_its_target_and_saves_it(
    make_app: MakeApp, household: Path
) -> None:
    app = make_app(household)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("plus")
        field = app.screen.query_one("#edit-value", Input)
        await wait_until(pilot, lambda: field.has_focus, what="the name field")
        await pilot.press(*"bonds")
        await pilot.pause()
        assert "there is already a class named bonds" in str(
            app.screen.query_one("#edit-problem").content
        )
        await pilot.press("enter")  # refused: nothing added
        await pilot.pause()
        assert app.session is not None
        assert not app.session.dirty
        await pilot.press("ctrl+a", "ctrl+k", *"Real Estate", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and "Real Estate" in app.session.targets, what="the new class")
        # Its target editor opens at once, on the new row.
        await wait_until(pilot, lambda: field.has_focus, what="the target field")
        # On screen once the page has scrolled to the field (bounded wait, not a sleep).
        await wait_until(pilot, lambda: "Target for Real Estate" in screen_text(app),
                         what="the editor in view")
        await pilot.press("ctrl+a", "ctrl+k", "5", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.targets["Real Estate"] == Decimal(5), what="target")
        text = screen_text(app)
        assert "targets sum to 105%" in text
        assert "nothing in the file is in Real Estate yet" in text
        await pilot.press(*["up"] * 6)  # from Real Estate, the last row, to Large Cap Stock
        await pilot.press("enter", "ctrl+a", "ctrl+k", "1", "5", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.targets["Large Cap Stock"] == Decimal(15))
        assert "targets sum to 100%" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    saved = tomllib.loads(read_text(household))
    assert saved["targets"]["Real Estate"] == 5
    assert saved["targets"]["Large Cap Stock"] == 15


async def test_a_plan_finishing_after_a_target_edit_is_dropped_as_stale(
    make_app: MakeApp,
) -> None:
    import threading

    from tui.conftest import stand_in_plan

    release = threading.Event()
    calls: list[PlanOptions] = []

    def slow(portfolio, options):  # type: ignore[no-untyped-def]
        calls.append(options)
        if len(calls) == 1:
            release.wait(10)
        return stand_in_plan(portfolio, options)

    app = make_app(FIXTURES / "household.toml", planner=slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("4")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state == "running", what="planning")
        await pilot.press("1")
        await on_mode(pilot, app, "target")
        await pilot.press("enter", "ctrl+a", "ctrl+k", "2", "5", "enter")  # Large Cap 20 -> 25
        await pilot.press("down", "enter", "ctrl+a", "ctrl+k", "1", "9", "enter")  # Mid 24 -> 19
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.targets["Mid Cap Stock"] == Decimal(19), what="edits")
        release.set()  # the first plan, for the old targets, now finishes
        await pilot.press("4")
        await on_mode(pilot, app, "rebalance")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state == "done", what="the new plan")
        assert app.session.plan is not None
        assert app.session.plan.options.targets == dict(app.session.targets)
        assert calls[-1].targets is not None


@pytest.mark.parametrize("step", ["1", "2", "3", "4"])
async def test_each_steps_footer_fits_80_columns(
    make_app: MakeApp, planner_calls: list[PlanOptions], step: str
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press(step)
        await on_mode(pilot, app, STEP_MODES[int(step) - 1])
        footer = screen_text(app).splitlines()[-1]
        for key in ("? Help", "n p Step", "^s Save", "q Quit"):
            assert key in footer
        # Nothing cut: under 110 columns the palette key (in the help) gives its room.
        assert footer.rstrip().endswith("d Drift")
        assert "palette" not in footer


async def test_step3_shows_the_highlighted_holding_in_full_at_80_columns(
    make_app: MakeApp,
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "h", "down")  # VB, the second-largest holding
        await pilot.pause()
        detail = str(app.screen.query_one("#holding-detail").content)
        assert detail.startswith("VB — Small Cap Index [/] Fund: Small Cap Stock; held in 401(k)")
        assert "since 2025-11-20" in detail
        await pilot.press("enter")
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__)
        await pilot.press("down", "down", "tab", *"too big", "enter")  # trim, with a note
        await wait_until(pilot, lambda: app.session is not None and "VB" in app.session.decisions)
        await pilot.pause()
        assert "decided: trim (too big)" in str(app.screen.query_one("#holding-detail").content)
        assert "decided: trim" in screen_text(app)  # on screen, not scrolled away


async def test_panes_sit_side_by_side_on_a_wide_terminal(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(160, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, PanesScreen), what="panes")
        await pilot.pause()
        text = screen_text(app)
        # All three at once: targets with bands, drift, and each account's holdings.
        assert "16% → 15.20–16.80%" in text
        assert "▲ OVER" in text
        assert "401(k) (traditional)" in text
        assert app.screen.query_one("#pane-drift-table").has_focus
        await pilot.press("a")
        assert app.screen.query_one("#pane-accounts-tree").has_focus
        await pilot.press("escape")
        await on_mode(pilot, app, "target")


async def test_dialogs_draw_no_block_glyph_edges(make_app: MakeApp) -> None:
    """`tall` edges (▔ above, ▁ below) break up in some fonts; dialogs use round ones."""
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "h", "enter")
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__)
        await pilot.pause()
        assert "▔" not in screen_text(app)
        assert "╭" in screen_text(app)
        await pilot.press("escape", "1", "b", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.pause()
        assert "▔" not in screen_text(app)
        assert "Save (y)" in screen_text(app)


async def test_palette_and_import_use_no_emoji_or_block_edges(make_app: MakeApp) -> None:
    """Nothing may need a glyph outside common monospace fonts (issue 3)."""
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: "Search for commands" in screen_text(app),
                         what="the palette")
        text = screen_text(app)
        assert "🔎" not in text
        assert "▔" not in text
        await pilot.press("escape")
        await on_mode(pilot, app, "target")
        await pilot.press("i")
        await wait_until(pilot, lambda: "Import broker exports" in screen_text(app),
                         what="the import screen")
        await pilot.pause()
        text = screen_text(app)
        assert "household.toml" in text
        for emoji in ("📂", "📁", "📄"):
            assert emoji not in text


# Box drawing, the half block and arrows/marks in WGL4 (the set nearly every terminal
# font covers), plus the eighth blocks Textual draws scrollbar thumbs with.
ALLOWED_GLYPHS = set(
    "·—–→←≈−×…▲▼▶█▌▐─│╭╮╯╰├└┤┬┴┼━╸╺┃╹╻▁▂▃▄▅▆▇▏▎▍▋▊▉€£"
)


@pytest.mark.parametrize("step", ["1", "2", "3", "4"])
async def test_steps_draw_only_glyphs_common_fonts_have(
    make_app: MakeApp, planner_calls: list[PlanOptions], step: str
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press(step)
        await on_mode(pilot, app, STEP_MODES[int(step) - 1])
        if step == "4":
            await plan_done(pilot, app)
        unusual = {c for c in screen_text(app) if ord(c) > 127} - ALLOWED_GLYPHS
        assert not unusual


async def test_step1_shows_the_current_share_beside_each_band(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        table = app.screen.query_one("#targets", DataTable)
        row = [cell.plain for cell in table.get_row("Small Cap Stock")]
        assert row[2:] == ["20% → 19.00–21.00%", "21.52%", "▲ OVER"]  # 21.52 > 21.00


async def test_step2_tables_are_not_cut_off_at_120_columns(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        for table_id in ("#by-account", "#returns"):
            table = app.screen.query_one(table_id, DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width, table_id


async def test_the_accounts_pane_shows_a_kind_as_written_and_what_it_means(
    make_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "household.toml"
    text = read_text(FIXTURES / "household.toml")
    write_text(path, text.replace('kind = "traditional"', 'kind = "401(k)"', 1))
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "a")
        await wait_until(
            pilot, lambda: "(401(k), traditional)" in screen_text(app), what="the accounts pane"
        )
