"""Step 4 with the real planner on the sample household: plan, whole shares, save."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from textual.widgets import DataTable

from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from tui.helpers import fixed_clock, read_text, wait_until

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"


async def test_plan_whole_shares_and_save(tmp_path: Path) -> None:
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.press("4")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state == "done", tries=500, what="the plan")
        assert app.session is not None
        plan = app.session.plan
        assert plan is not None
        assert plan.trades
        after = app.screen.query_one("#before-after", DataTable)
        assert {after.get_row(k)[4].plain for k in after.rows} == {"ok"}

        await pilot.click("#whole")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan is not None
                         and app.session.plan.options.whole_shares, tries=500,
                         what="the whole-share plan")
        whole = app.session.plan
        assert whole is not None
        assert all(trade.shares == trade.shares.to_integral_value() for trade in whole.trades)

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    saved = tomllib.loads(read_text(path))
    assert len(saved["plan"]["trades"]) == len(whole.trades)
    assert {t["status"] for t in saved["plan"]["trades"]} == {"planned"}
