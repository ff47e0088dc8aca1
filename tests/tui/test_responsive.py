"""80x24 and 120x40 by keyboard only: scrolling each step, step 4's options table and
trades table, the header that keeps what matters, a generated big household."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Input

from rebal.core.planner.types import PlanOptions
from rebal.core.trade_order import in_placing_order
from rebal.tui.app import RebalApp
from rebal.tui.widgets.header import HeaderFacts, first_line
from rebal.tui.widgets.options_table import AccountOptionsTable
from rebal.tui.widgets.trades_table import TradesTable
from tui.helpers import FIXTURES, screen_text, wait_until

MakeApp = Callable[..., RebalApp]
ROOT = FIXTURES.parents[2]
SIZES = [(80, 24), (120, 40)]


def generated_household(folder: Path, accounts: int, positions: int) -> Path:
    """bench/generate.py's household (bench/ is not a package: loaded by path)."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path: Path = module.write(folder / "big.toml", accounts, positions)
    return path


async def on_mode(pilot, app: RebalApp, mode: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=f"mode {mode}")
    await pilot.pause()


async def open_step4(pilot, app: RebalApp) -> None:  # type: ignore[no-untyped-def]
    await on_mode(pilot, app, "target")
    await pilot.press("4")
    await on_mode(pilot, app, "rebalance")
    await wait_until(pilot, lambda: app.session is not None and app.session.plan_state == "done",
                     tries=1000, what="the plan")
    await pilot.pause()


def squeezed(text: str) -> str:
    """Screen text with wrapping and margins undone, to find a sentence that wrapped."""
    return " ".join(text.split())


@pytest.mark.parametrize("size", SIZES)
async def test_step1_scrolls_to_the_age_suggestion_by_keyboard(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(ROOT / "sample_portfolios" / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        last_line = "g copies the age-based split into the targets (you confirm first)"
        await pilot.press("end")
        await pilot.pause()
        assert last_line in squeezed(screen_text(app))
        await pilot.press("home")
        await pilot.pause()
        assert "Step 1 — Recall your target mix" in screen_text(app)
        for _ in range(4):  # the targets table pages first, then the step
            await pilot.press("pagedown")
        await pilot.pause()
        assert last_line in squeezed(screen_text(app))
        for _ in range(4):
            await pilot.press("pageup")
        await pilot.pause()
        assert "Step 1 — Recall your target mix" in screen_text(app)


def test_the_header_shortens_the_name_first() -> None:
    facts = HeaderFacts("Benchmark household (50 accounts, 2000 funds)", "$101,427,526",
                        "2026-11-20", True)
    line = first_line(facts, 78).plain
    assert len(line) <= 78
    assert line.endswith("prices 2026-11-20  ·  unsaved")
    assert line.startswith("Benchmark household (50 a")
    assert "…" in line
    narrow = first_line(facts, 50).plain
    assert len(narrow) <= 50
    assert narrow.endswith("$101,427,526 · prices 2026-11-20 · unsaved")
    assert first_line(facts, 120).plain.startswith(facts.name + "  ·  ")


async def test_step4_at_80x24_keeps_the_header_and_shows_each_reason_whole(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app(generated_household(tmp_path, 10, 300))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step4(pilot, app)
        header = screen_text(app).splitlines()[0]
        assert "prices 2026-11-20" in header
        assert header.rstrip().endswith("unsaved")
        table = app.screen.query_one(TradesTable)
        assert table.has_focus
        for _ in range(3):
            await pilot.press("down")
            await pilot.pause()
            trade = table.trade_at_cursor()
            assert trade is not None
            shown = squeezed(screen_text(app))
            assert f"Why {trade.action} {trade.ticker} in {trade.account}: {trade.reason}" in shown
        footer = screen_text(app).splitlines()[-1]
        for key in ("x CSV", "o Options", "r New plan", "? Help", "^s Save", "q Quit"):
            assert key in footer
        assert footer.rstrip().endswith("d Drift")  # the last key, not cut


@pytest.mark.parametrize("size", SIZES)
async def test_step4_options_table_toggles_and_types_by_keyboard(
    make_app: MakeApp, planner_calls: list[PlanOptions], size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await open_step4(pilot, app)
        await pilot.press("o")  # at 80x24 this unfolds the options; roomy: it moves there
        await wait_until(pilot, lambda: bool(app.screen.query(AccountOptionsTable)),
                         what="the options")
        accounts = app.screen.query_one(AccountOptionsTable)
        await pilot.press("tab", "tab", "tab")  # mode, whole shares, minimum trade, table
        assert accounts.has_focus
        assert "space No sells" in screen_text(app).splitlines()[-1]
        await pilot.press("space")  # IRA: avoid selling
        await wait_until(pilot, lambda: planner_calls[-1].avoid_selling == {"IRA": True},
                         what="avoid selling in the IRA")
        await wait_until(pilot, lambda: "[X] yes" in str(accounts.get_row_at(0)[3]),
                         what="the cell")
        await pilot.press("down", "down", "space")  # Taxable avoids by default: now it sells
        await wait_until(pilot, lambda: planner_calls[-1].avoid_selling
                         == {"IRA": True, "Taxable": False}, what="taxable sells")
        await pilot.press("up", "up", "space")  # back to the IRA's own setting
        await wait_until(pilot, lambda: planner_calls[-1].avoid_selling == {"Taxable": False},
                         what="IRA back to its own setting")
        await pilot.press("down", "enter")
        field = app.screen.query_one("#money-input", Input)
        assert field.has_focus
        await pilot.press("ctrl+a", "ctrl+k", *"2500", "enter")
        await wait_until(pilot, lambda: planner_calls[-1].new_money
                         == {"401(k)": Decimal(2500)}, what="new money")
        assert accounts.has_focus
        await pilot.press("enter", "ctrl+a", "ctrl+k", *"lots", "enter")
        await pilot.pause()
        assert "new money must be an amount" in screen_text(app)
        await pilot.press("escape")  # leaves the field, nothing changed
        await pilot.pause()
        assert accounts.has_focus
        assert planner_calls[-1].new_money == {"401(k)": Decimal(2500)}
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(TradesTable).has_focus


@pytest.mark.parametrize("size", SIZES)
async def test_step4_lists_a_big_households_trades_and_scrolls_by_keyboard(
    make_app: MakeApp, tmp_path: Path, size: tuple[int, int]
) -> None:
    """The real planner on a generated 300-position household."""
    path = generated_household(tmp_path, 10, 300)
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await open_step4(pilot, app)
        session = app.session
        assert session is not None
        assert session.plan is not None
        table = app.screen.query_one(TradesTable)
        accounts = [account.name for account in session.loaded.portfolio.accounts]
        assert len(session.plan.trades) > 20
        assert list(table.trades) == in_placing_order(session.plan.trades, accounts)
        assert table.row_count == len(session.plan.trades)
        first = table.trades[0]
        assert f"{first.account}" in screen_text(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.cursor_row > 0
        await pilot.press("ctrl+end")
        await pilot.pause()
        last = table.trades[-1]
        assert table.trade_at_cursor() is last
        assert f"Why {last.action} {last.ticker} in {last.account}" in squeezed(screen_text(app))
        # Scrolled to its end, the table's top row still names its account.
        top_row = screen_text(app).split("Action")[1].splitlines()[1]
        assert top_row.split()[0] in {a.split()[0] for a in accounts}
        await pilot.press("end")  # the step scrolls to its summary
        await pilot.pause()
        assert "New money to get back in band without selling" in squeezed(screen_text(app))
        await pilot.press("home")
        await pilot.pause()
        assert "Step 4 — Rebalance" in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("keys", [("2",), ("3", "h"), ("3", "c"), ("4",)])
async def test_each_step_scrolls_end_to_end_by_keyboard(
    make_app: MakeApp, planner_calls: list[PlanOptions], size: tuple[int, int],
    keys: tuple[str, ...],
) -> None:
    app = make_app(ROOT / "sample_portfolios" / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press(*keys)
        await wait_until(pilot, lambda: app.current_mode != "target" and app.screen.is_current,
                         what="the step")
        await pilot.pause(0.2)
        body = app.screen.query_one("#body")
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        for _ in range(12):  # a table pages through its rows first, then the step
            await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y


async def test_step4_speaks_of_the_plan_not_of_the_solver(
    make_app: Callable[..., RebalApp], household: Path
) -> None:
    """The summary ended in "Computed by: linear program (HiGHS, 3 lexicographic passes)"."""
    app = make_app(household)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.press("4")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state == "done", tries=500, what="the plan")
        await pilot.press("tab")
        await pilot.pause()
        text = screen_text(app)
        for jargon in ("Computed by", "linear program", "HiGHS", "lexicographic"):
            assert jargon not in text
