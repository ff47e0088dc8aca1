"""Every step on the committed sample portfolios, with the seeds' own figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from rebal.core.allocation import holdings_one_by_one
from rebal.core.report import build_report
from rebal.store.load import load
from rebal.tui.app import RebalApp
from tui.helpers import fixed_clock, screen_text, wait_until

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"


async def walk(app: RebalApp, pilot, step: int, mode: str) -> str:  # type: ignore[no-untyped-def]
    await pilot.press(str(step))
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=mode)
    await pilot.pause()
    return screen_text(app)


@pytest.mark.parametrize("name", ["household", "seed_return", "seed_bands", "taxable"])
async def test_all_four_steps_on_a_sample(name: str) -> None:
    path = SAMPLES / f"{name}.toml"
    loaded = load(path)
    report = build_report(loaded.portfolio)
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.pause()
        text = screen_text(app)
        assert report.name in text
        out, count = len(report.out_of_band), len(report.classes)
        assert (f"{out} of {count} classes out of band" if out else
                f"all {count} classes in band") in text

        await walk(app, pilot, 2, "compare")
        drift = app.screen.query_one("#drift", DataTable)
        shown = {str(key.value): drift.get_row(key)[-1].plain for key in drift.rows}
        expected = {"over": "▲ OVER", "under": "▼ under", "in": "ok"}
        assert shown == {row.asset_class: expected[row.status] for row in report.classes}

        await walk(app, pilot, 3, "misalignment")
        await pilot.press("h")
        await pilot.pause()
        holdings = app.screen.query_one("#holdings-table", DataTable)
        assert holdings.row_count == len(holdings_one_by_one(loaded.portfolio))

        text = await walk(app, pilot, 4, "rebalance")
        assert "Step 4 — Rebalance" in text
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state in ("done", "failed"), what="planner")


async def test_seed_002_figures_in_step_2() -> None:
    app = RebalApp(SAMPLES / "seed_return.toml", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        text = await walk(app, pilot, 2, "compare")
        assert "last review 2025-11-20, 9.1% since" in text
        returns = app.screen.query_one("#returns", DataTable)
        weights = {str(k.value): returns.get_row(k)[4].plain for k in returns.rows}
        assert weights == {
            "Stocks": "70.0% → 70.6%",
            "Bonds": "20.0% → 19.7%",
            "Cash": "10.0% → 9.7%",
        }
        assert "Weighted-average return since 2025-11-20: 9.1%" in str(
            app.screen.query_one("#return").content
        )


async def test_seed_001_band_arithmetic_in_step_1() -> None:
    app = RebalApp(SAMPLES / "seed_bands.toml", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.pause()
        table = app.screen.query_one("#targets", DataTable)
        bands = [table.get_row(key)[2].plain for key in table.rows]
        assert bands == [
            "20% → 19.00–21.00%",
            "24% → 22.80–25.20%",
            "20% → 19.00–21.00%",
            "16% → 15.20–16.80%",
            "20% → 19.00–21.00%",
            "0% → 0.00–0.00%",
        ]


async def test_at_80x24_the_class_tables_show_each_status_word_whole() -> None:
    # Before: step 1 read "Stat" / "▼ un" / "▲ OV" and step 2 "Statu" / "▼ und" on
    # seed_bands, whose class names are the longest of the samples.
    app = RebalApp(SAMPLES / "seed_bands.toml", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.pause()
        for step, mode in ((1, "target"), (2, "compare")):
            text = await walk(app, pilot, step, mode)
            lines = text.splitlines()
            header = next(line for line in lines if line.lstrip().startswith("Class "))
            assert header.rstrip().endswith("Status"), (mode, header)
            row = next(line for line in lines if "Large Company Stock" in line
                       and "%" in line and "█" not in line)
            assert row.rstrip().endswith("▼ under"), (mode, row)
            assert any(line.rstrip().endswith("▲ OVER") for line in lines), mode
