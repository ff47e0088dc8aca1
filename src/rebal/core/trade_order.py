"""The one order trades are listed in, by the CLI, the CSV, the saved file and the app."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class Listed(Protocol):
    """What ordering needs of a trade (planned, skipped or saved)."""

    @property
    def account(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def ticker(self) -> str: ...


T = TypeVar("T", bound=Listed)


def in_placing_order(trades: Iterable[T], accounts: Sequence[str] = ()) -> list[T]:
    """Accounts in file order, sells first (they pay for the buys), then by ticker.

    `accounts` is the file's account order; an account missing from it (or all of
    them, when it is empty) comes after, in the order its first trade appears.
    The planner already emits this order, so the sort is stable and cheap on it.
    """
    rank = {name: index for index, name in enumerate(accounts)}
    listed = list(trades)
    for trade in listed:
        rank.setdefault(trade.account, len(rank))
    return sorted(listed, key=lambda t: (rank[t.account], t.action != "sell", t.ticker))
