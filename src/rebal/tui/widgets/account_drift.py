"""Step 2's drift by account: which account holds each class's excess (or shortfall)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import DataTable

from rebal.core.allocation import ClassDriftByAccount
from rebal.core.numbers import round_half_up
from rebal.tui.format import whole_money
from rebal.tui.widgets.tables import reset, right


@dataclass(frozen=True)
class AccountDriftSlice:
    rows: tuple[ClassDriftByAccount, ...]
    accounts: tuple[str, ...]
    currency: str


def _signed(value: Decimal, currency: str) -> str:
    """Money with its sign, whole units: +$12,400 over, -$3,100 under, $0 on target."""
    shown = whole_money(value, currency)
    return shown if shown.startswith("-") or round_half_up(value, 0) == 0 else "+" + shown


class AccountDriftTable(DataTable[Text]):
    """One row per class: the household's excess, the account holding most of it, and
    each account's part (what it holds in the class less the target's share of it)."""

    data: reactive[AccountDriftSlice | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def watch_data(self, data: AccountDriftSlice | None) -> None:
        if data is None:
            return
        row_before = self.cursor_row
        reset(self, "Class", "Excess", "Most of it in", *data.accounts)
        for row in data.rows:
            largest = row.largest
            self.add_row(
                Text(row.asset_class),
                right(_signed(row.excess, data.currency)),
                Text(largest or "—"),
                *(right(_signed(row.by_account[a], data.currency)) for a in data.accounts),
                key=row.asset_class,
            )
        if self.row_count:
            self.move_cursor(row=min(row_before, self.row_count - 1))
