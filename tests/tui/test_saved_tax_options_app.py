"""Real keys: "No wash sales" set in step 4, saved, and there again when the file reopens."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Checkbox

from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from tui.helpers import fixed_clock, read_text, wait_until
from tui.test_tax_screens import planned, tax_option, to_step

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"


@pytest.fixture
def taxable(tmp_path: Path) -> Path:
    path = tmp_path / "taxable.toml"
    shutil.copyfile(SAMPLES / "taxable.toml", path)
    return path


async def test_no_wash_sales_is_saved_and_comes_back_when_the_file_reopens(
    taxable: Path,
) -> None:
    app = RebalApp(taxable, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_step(pilot, app, "4", "rebalance")
        await planned(pilot, app)
        await tax_option(pilot, app, "no-wash-sales")
        await pilot.press("space")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan is not None
                         and app.session.plan.options.avoid_wash_sales, tries=800,
                         what="the plan without wash sales")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         tries=500, what="saved")
    assert tomllib.loads(read_text(taxable))["plan"]["inputs"]["avoid_wash_sales"] is True

    reopened = RebalApp(taxable, clock=fixed_clock)
    async with reopened.run_test(size=(80, 24)) as pilot:
        await to_step(pilot, reopened, "4", "rebalance")
        await wait_until(pilot, lambda: reopened.session is not None
                         and reopened.session.shows_saved_plan, what="the saved plan")
        assert reopened.session is not None
        assert reopened.session.chosen_options is None  # the saved plan's, read back
        assert reopened.session.options.avoid_wash_sales
        await tax_option(pilot, reopened, "no-wash-sales")
        box = reopened.screen.query_one("#no-wash-sales", Checkbox)
        assert box.value  # the checkbox shows it
        assert not reopened.screen.query_one("#harvest", Checkbox).value
