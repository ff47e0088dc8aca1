"""The accounts pane (a) on a big generated household: every account listed folded and
reachable by keyboard, an account's holdings written when it is opened. Real keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rebal.tui.app import RebalApp
from rebal.tui.session import IN_THREAD_ABOVE
from rebal.tui.widgets.accounts_tree import AccountsTree
from tui.helpers import screen_text, wait_until
from tui.test_responsive import SIZES, generated_household, on_mode

MakeApp = Callable[..., RebalApp]
ACCOUNTS, POSITIONS = 60, 1_200  # above IN_THREAD_ABOVE: the big household's pane


async def open_pane(pilot, app: RebalApp) -> AccountsTree:  # type: ignore[no-untyped-def]
    await on_mode(pilot, app, "target")
    await pilot.press("a")
    await wait_until(pilot, lambda: bool(app.screen.query(AccountsTree)), what="the pane")
    tree = app.screen.query_one(AccountsTree)
    await wait_until(pilot, lambda: len(tree.root.children) == ACCOUNTS, what="the accounts")
    await wait_until(pilot, lambda: tree.has_focus, what="the pane's focus")
    return tree


@pytest.mark.parametrize("size", SIZES)
async def test_every_account_is_reached_by_the_cursor_keys_and_opens_with_enter(
    tmp_path: Path, make_app: MakeApp, size: tuple[int, int]
) -> None:
    path = generated_household(tmp_path, ACCOUNTS, POSITIONS)
    assert POSITIONS > IN_THREAD_ABOVE
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        tree = await open_pane(pilot, app)
        assert app.session is not None
        accounts = app.session.loaded.portfolio.accounts
        assert all(not node.is_expanded and not node.children for node in tree.root.children)
        assert "(enter opens an account)" in screen_text(app)
        # down from the household's line visits each account in file order, on screen.
        for account in accounts:
            await pilot.press("down")
            await pilot.pause()
            assert tree.cursor_node is not None
            assert tree.cursor_node.data == account.name
            assert f"{account.name} (" in screen_text(app)
        # The last account opens with enter: its holdings in file order, then cash.
        await pilot.press("enter")
        await wait_until(pilot, lambda: tree.root.children[-1].is_expanded, what="opened")
        last = accounts[-1]
        lines = tree.root.children[-1].children
        assert [node.data for node in lines] == [*last.holdings, "cash"]
        await pilot.press("down")
        await pilot.pause()
        first_ticker = next(iter(last.holdings))
        assert tree.cursor_node is lines[0]
        assert f"{first_ticker:<6} " in screen_text(app)
        # Home goes back to the household, page down and end reach the last line.
        await pilot.press("home")
        await pilot.pause()
        assert tree.cursor_line == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert tree.cursor_line > 1
        await pilot.press("end")
        await pilot.pause()
        assert tree.cursor_node is lines[-1]
        assert "cash" in screen_text(app)
        # Closed with enter on the account, and opened again: its lines are not doubled.
        await pilot.press("shift+left", "enter", "enter")
        await pilot.pause()
        assert len(tree.root.children[-1].children) == len(last.holdings) + 1


async def test_shift_space_does_not_open_every_account_of_a_big_household(
    tmp_path: Path, make_app: MakeApp
) -> None:
    """Opening all 500 accounts of a big household at once would write every holding's
    line on the event loop: shift+space only closes the accounts that are open."""
    app = make_app(generated_household(tmp_path, ACCOUNTS, POSITIONS))
    async with app.run_test(size=(80, 24)) as pilot:
        tree = await open_pane(pilot, app)
        await pilot.press("down", "shift+space")
        await pilot.pause()
        assert not any(node.is_expanded for node in tree.root.children)
        await pilot.press("down", "enter")  # the second account opens
        await wait_until(pilot, lambda: tree.root.children[1].is_expanded, what="opened")
        await pilot.press("up", "enter")  # and the first
        await wait_until(pilot, lambda: sum(n.is_expanded for n in tree.root.children) == 2,
                         what="two opened")
        await pilot.press("shift+space")
        await pilot.pause()
        assert not any(node.is_expanded for node in tree.root.children)
