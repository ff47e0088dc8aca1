"""A household above the app's in-thread threshold: figures derived in workers, lists
filled later, steps off display redrawn when they come back. Real key presses."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from pathlib import Path

import tomli_w
from textual.widgets import DataTable, Input, Static

from rebal.store.load import load
from rebal.tui.app import RebalApp
from rebal.tui.session import IN_THREAD_ABOVE, keep_from_the_collector
from rebal.tui.widgets.accounts_tree import AccountsTree
from rebal.tui.widgets.drift_table import DriftTable
from rebal.tui.widgets.targets_table import TargetsTable
from tui.helpers import screen_text, wait_until

MakeApp = Callable[..., RebalApp]
ACCOUNTS, FUNDS = 30, 40  # 1,200 positions


def big_household(path: Path) -> Path:
    classes = {"Stocks": 60, "Bonds": 40}
    securities = {
        f"F{n:02d}": {"name": f"Fund {n}", "price": 10 + n, "class": "Stocks" if n % 2 else "Bonds"}
        for n in range(FUNDS)
    }
    accounts = [
        {"name": f"Account {a:02d}", "kind": "roth", "cash": 100,
         "holdings": {ticker: 1 + (a + n) % 7 for n, ticker in enumerate(securities)}}
        for a in range(ACCOUNTS)
    ]
    document = {
        "portfolio": {"name": "Big household", "currency": "USD", "as_of": "2026-11-20",
                      "cash_class": "Cash"},
        "targets": {**classes, "Cash": 0},
        "securities": securities,
        "accounts": accounts,
    }
    text = tomli_w.dumps(document).replace('as_of = "2026-11-20"', "as_of = 2026-11-20")
    path.write_text(text, encoding="utf-8")
    assert ACCOUNTS * FUNDS > IN_THREAD_ABOVE
    return path


async def on_mode(pilot, app: RebalApp, mode: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=f"mode {mode}")


def rows(app: RebalApp, table: type[TargetsTable] | type[DriftTable]) -> int:
    found = app.screen.query(table)
    return found.first().row_count if found else -1


async def test_steps_draw_their_figures_and_an_edit_reaches_a_step_off_display(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(big_household(tmp_path / "big.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await wait_until(pilot, lambda: rows(app, TargetsTable) == 3, what="step 1's targets")
        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        await wait_until(pilot, lambda: rows(app, DriftTable) == 3, what="step 2's drift")
        assert "60.00%" in screen_text(app)
        await pilot.press("1")
        await on_mode(pilot, app, "target")
        # Stocks 60 -> 55 and Bonds 40 -> 45 while step 2 is built but off display.
        for move, digits in (((), ("5", "5")), (("down",), ("4", "5"))):
            await pilot.press(*move, "enter")
            field = app.screen.query_one("#edit-value", Input)
            await wait_until(pilot, lambda f=field: f.has_focus, what="the target field")
            await pilot.press("ctrl+a", "ctrl+k", *digits, "enter")
            await wait_until(pilot, lambda f=field: not f.has_focus, what="the edit")
        await app.workers.wait_for_complete()
        assert app.session is not None
        assert app.session.targets["Stocks"] == 55
        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        await wait_until(pilot, lambda: "55.00%" in screen_text(app), what="the new target")


async def test_accounts_pane_lists_every_account_folded_and_enter_opens_one(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(big_household(tmp_path / "big.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("a")
        await wait_until(pilot, lambda: bool(app.screen.query(AccountsTree)), what="the pane")
        tree = app.screen.query_one(AccountsTree)
        await wait_until(pilot, lambda: len(tree.root.children) == ACCOUNTS, what="accounts")
        assert all(not node.is_expanded and not node.children for node in tree.root.children)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: tree.root.children[0].is_expanded, what="opened")
        first = tree.root.children[0]
        assert len(first.children) == FUNDS + 1  # each fund, then cash
        await pilot.pause()
        text = screen_text(app)
        assert "Account 00 (roth)" in text
        assert "F00" in text
        assert "$132.00  Bonds" in text
        # Folded again and opened again: the lines are not added twice.
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert len(first.children) == FUNDS + 1


async def test_holdings_name_the_largest_accounts_of_a_fund_held_in_many(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(big_household(tmp_path / "big.toml"))
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3")
        await on_mode(pilot, app, "misalignment")
        await pilot.press("h")

        def holdings() -> int:
            found = app.screen.query("#holdings-table")
            return found.first(DataTable).row_count if found else -1

        await wait_until(pilot, lambda: holdings() == FUNDS, what="the holdings")
        table = app.screen.query_one("#holdings-table", DataTable)
        assert str(table.get_cell("F00", "Accounts")) == f"{ACCOUNTS} accounts"
        await wait_until(pilot, lambda: "more accounts" in detail(app), what="the detail")
        # The largest holding first: F39 at $49, 7 shares in accounts 02, 09, 16 and 23,
        # 6 in 01, 08, 15 and 22; the eight largest positions, then the rest in one sum.
        assert "held in Account 02 $343.00, Account 09 $343.00, Account 16" in detail(app)
        assert "Account 22 $294.00 and" in detail(app)
        assert f"and {ACCOUNTS - 8} more accounts" in detail(app)


def detail(app: RebalApp) -> str:
    found = app.screen.query("#holding-detail")
    return str(found.first(Static).content) if found else ""


async def test_a_big_household_is_kept_from_the_collector_until_the_app_ends(
    tmp_path: Path,
) -> None:
    assert gc.get_freeze_count() == 0
    app = RebalApp(big_household(tmp_path / "big.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.session is not None, what="the file read")
        assert gc.get_freeze_count() > 0  # the file's objects are not walked again
    assert gc.get_freeze_count() == 0  # handed back when the app ended


class Removed:
    """Stands for a widget removed from the screen: an object in a reference cycle."""

    def __init__(self) -> None:
        self.me = self


def test_cyclic_garbage_older_than_the_last_freeze_is_collected_not_frozen(
    tmp_path: Path,
) -> None:
    """Freezing keeps cyclic garbage in memory until the app ends (frozen objects are
    never collected), so everything dropped since the last freeze is collected first,
    the oldest generation too: a widget removed a while ago has aged into it."""
    portfolio = load(big_household(tmp_path / "big.toml")).portfolio
    removed = Removed()
    gone = weakref.ref(removed)
    gc.collect(1)  # it survives a young collection: it is now in the oldest generation
    del removed
    try:
        keep_from_the_collector(portfolio)
        assert gone() is None
    finally:
        gc.unfreeze()
