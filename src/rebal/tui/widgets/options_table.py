"""Step 4's per-account options as one table: new money and avoid selling, one row each.

One DataTable row per account instead of widgets per account: a 500-account
household is 500 rows, not 2,000 widgets to mount and style.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from rebal.core.planner.types import PlanOptions
from rebal.model.portfolio import Account
from rebal.present.figures import money
from rebal.present.styled import plain
from rebal.tui.widgets.tables import ChunkedTable, Row, right

COLUMNS = ("Account", "Kind", "New money", "Avoid selling")


def avoids_selling(account: Account, options: PlanOptions) -> bool:
    return options.avoid_selling.get(account.name, account.avoids_selling)


def toggled_avoid(options: PlanOptions, account: Account) -> dict[str, bool]:
    """The avoid-selling overrides with `account` flipped; only overrides of the account's
    own setting are kept, so an account toggled back changes nothing in the file."""
    overrides = dict(options.avoid_selling)
    wanted = not avoids_selling(account, options)
    if wanted == account.avoids_selling:
        overrides.pop(account.name, None)
    else:
        overrides[account.name] = wanted
    return overrides


def with_new_money(options: PlanOptions, account: str, amount: Decimal) -> dict[str, Decimal]:
    """The new money per account with `account` set to `amount` (zero: none)."""
    new_money = dict(options.new_money)
    if amount:
        new_money[account] = amount
    else:
        new_money.pop(account, None)
    return new_money


class AccountOptionsTable(ChunkedTable):
    """Accounts with their new money and avoid-selling choice: space toggles avoid
    selling on the highlighted account, enter (or e) edits its new money."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_avoid", "No sells", id="toggle-avoid",
                tooltip="the highlighted account avoids selling, or not"),
        Binding("e", "edit_money", "Money", id="edit-money",
                tooltip="type new money for the highlighted account (also enter)"),
    ]

    class AvoidToggled(Message):
        def __init__(self, account: str) -> None:
            super().__init__()
            self.account = account

    class MoneyEditWanted(Message):
        def __init__(self, account: str) -> None:
            super().__init__()
            self.account = account

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id, cursor_type="row")
        self.accounts: list[Account] = []
        self._currency = "USD"
        self._shown: dict[str, tuple[Decimal, bool]] = {}

    def show(self, accounts: Sequence[Account], options: PlanOptions, currency: str) -> None:
        """Fill the table for a file read; later option changes go through `sync`."""
        self.accounts, self._currency = list(accounts), currency
        self._shown = {a.name: self._values(a, options) for a in self.accounts}
        self.fill(COLUMNS, self._rows())

    def sync(self, options: PlanOptions) -> None:
        """Redraw only the cells whose value changed (a toggle is one cell)."""
        for account in self.accounts:
            values = self._values(account, options)
            if self._shown.get(account.name) == values:
                continue
            self._shown[account.name] = values
            if account.name in self.rows:
                money_cell, avoid_cell = self._cells(*values)
                self.update_cell(account.name, "New money", money_cell)
                self.update_cell(account.name, "Avoid selling", avoid_cell)
            # Not added yet (still filling): the row is built from `_shown` when it is.

    @staticmethod
    def _values(account: Account, options: PlanOptions) -> tuple[Decimal, bool]:
        return options.new_money.get(account.name, Decimal(0)), avoids_selling(account, options)

    def _cells(self, amount: Decimal, avoid: bool) -> tuple[Text, Text]:
        shown = money(amount, self._currency) if amount else "none"
        return right(shown), Text("[X] yes" if avoid else "[ ] no")

    def _rows(self) -> Iterator[Row]:
        for account in self.accounts:
            cells = (plain(account.name), Text(account.kind),
                     *self._cells(*self._shown[account.name]))
            yield cells, account.name

    def highlighted(self) -> str | None:
        if not self.accounts or not 0 <= self.cursor_row < self.row_count:
            return None
        return self.accounts[self.cursor_row].name

    def action_toggle_avoid(self) -> None:
        name = self.highlighted()
        if name is not None:
            self.post_message(self.AvoidToggled(name))

    def action_edit_money(self) -> None:
        name = self.highlighted()
        if name is not None:
            self.post_message(self.MoneyEditWanted(name))

    def action_select_cursor(self) -> None:
        self.action_edit_money()
