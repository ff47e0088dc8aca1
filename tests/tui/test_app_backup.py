"""The app's backup: the file as it was before the session's first write, however many follow."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rebal.core.planner.types import PlanOptions
from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from tui.helpers import read_text, screen_text, wait_until
from tui.test_app import on_mode, plan_done

MakeApp = Callable[..., RebalApp]


async def test_marks_after_a_save_keep_the_backup_from_before_the_session(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions]
) -> None:
    """Failed before: every `m` replaced the backup, so after two marks it held the
    file with the plan already saved and one trade marked."""
    original = read_text(household)
    backup = household.with_name("household.toml.bak")
    app = make_app(household)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("4")
        await plan_done(pilot, app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "The previous version is kept as household.toml.bak" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.loaded.portfolio.plan is not None, what="saved")
        assert read_text(backup) == original
        await pilot.press("m")
        await wait_until(pilot, lambda: "placed" in read_text(household), what="placed")
        await pilot.press("m")
        await wait_until(pilot, lambda: 'status = "done"' in read_text(household), what="done")
    assert read_text(backup) == original


async def test_an_import_after_a_save_keeps_the_backup_from_before_the_session(
    make_app: MakeApp, household: Path, planner_calls: list[PlanOptions], tmp_path: Path
) -> None:
    """The import screen wrote with the default backup, so an import after a save
    replaced the backup with the file as the save had left it."""
    from textual.widgets import Input

    from rebal.tui.screens.import_screen import ImportScreen

    original = read_text(household)
    backup = household.with_name("household.toml.bak")
    export = tmp_path / "positions.csv"
    export.write_text("# as of 2026-11-20\naccount,ticker,shares,price\nTaxable,VO,470,250\n")
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
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen), what="import")
        field = app.screen.query_one("#import-paths", Input)
        field.value = str(export)
        field.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "VO" in screen_text(app) and "470" in screen_text(app),
                         what="the preview")
        await pilot.click("#import-apply")
        await wait_until(pilot, lambda: "VO = 470" in read_text(household), what="imported")
    assert read_text(backup) == original
