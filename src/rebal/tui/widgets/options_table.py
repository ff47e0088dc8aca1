"""Step 4's per-account options as one table: new money and avoid selling, one row each;
and, for files with tax keys, the plan-wide tax choices rebal plan takes as flags.

One DataTable row per account instead of widgets per account: a 500-account
household is 500 rows, not 2,000 widgets to mount and style.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Static

from rebal.core.planner.types import PlanOptions
from rebal.core.rules import trade_date_problem
from rebal.tui.view.plan import AccountOptionRow
from rebal.tui.widgets.tables import ChunkedTable, Row, right
from rebal.tui.widgets.toggles import MarkedCheckbox

COLUMNS = ("Account", "Kind", "New money", "Avoid selling")


def toggled_avoid(options: PlanOptions, row: AccountOptionRow) -> dict[str, bool]:
    """The avoid-selling overrides with `row`'s account flipped; only overrides of the
    account's own setting are kept, so an account toggled back changes nothing in the file."""
    overrides = dict(options.avoid_selling)
    wanted = not row.avoid
    if wanted == row.avoids_by_default:
        overrides.pop(row.account, None)
    else:
        overrides[row.account] = wanted
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

    # Rows added per event-loop turn while a 500-account table fills: fewer than the
    # default, so that paging it meanwhile never waits long for a turn.
    CHUNK = 40

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id, cursor_type="row")
        self.accounts: tuple[AccountOptionRow, ...] = ()
        self._shown: dict[str, AccountOptionRow] = {}

    def show(self, rows: Sequence[AccountOptionRow]) -> None:
        """Fill the table for a file read; later option changes go through `sync`."""
        self.accounts = tuple(rows)
        self._shown = {row.account: row for row in self.accounts}
        self.fill(COLUMNS, self._rows())

    def sync(self, rows: Sequence[AccountOptionRow]) -> None:
        """Redraw only the cells whose value changed (a toggle is one cell)."""
        self.accounts = tuple(rows)
        for row in self.accounts:
            if self._shown.get(row.account) == row:
                continue
            self._shown[row.account] = row
            if row.account in self.rows:
                money_cell, avoid_cell = self._cells(row)
                self.update_cell(row.account, "New money", money_cell)
                self.update_cell(row.account, "Avoid selling", avoid_cell)
            # Not added yet (still filling): the row is built from `_shown` when it is.

    @staticmethod
    def _cells(row: AccountOptionRow) -> tuple[Text, Text]:
        return right(row.new_money_cell), Text(row.avoid_cell)

    def _rows(self) -> Iterator[Row]:
        for row in self.accounts:
            yield (Text(row.name), Text(row.kind), *self._cells(self._shown[row.account])), (
                row.account
            )

    def row_of(self, account: str) -> AccountOptionRow | None:
        return self._shown.get(account)

    def highlighted(self) -> str | None:
        if not self.accounts or not 0 <= self.cursor_row < self.row_count:
            return None
        return self.accounts[self.cursor_row].account

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


# ---- the tax options: rebal plan's --no-wash-sales, --harvest and --trade-date ----

WASH_LABEL = "No wash sales (--no-wash-sales)"
HARVEST_LABEL = "Harvest losses (--harvest)"


def parse_trade_date(text: str, as_of: dt.date) -> dt.date | str | None:
    """The typed trade date: a date, None when left empty (the prices' date), or why not,
    in `rebal plan --trade-date`'s words (the same rule: on or after the prices' date,
    at most a year after it)."""
    text = text.strip()
    if not text:
        return None
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        return "trade date: write it as YYYY-MM-DD, e.g. 2026-11-20 (empty: the prices' date)"
    return trade_date_problem(date, as_of) or date


class TaxOptions(Vertical):
    """The plan-wide tax choices, for files with tax keys: avoid wash sales, add the
    harvest swaps, and the day the trades will be placed (holding periods, wash sales)."""

    DEFAULT_CSS = """
    TaxOptions { height: auto; }
    TaxOptions > Horizontal { height: auto; }
    TaxOptions MarkedCheckbox { margin-right: 2; }
    TaxOptions Label { padding: 0 1 0 0; }
    TaxOptions #trade-date { width: 14; }
    TaxOptions #trade-date-problem { display: none; text-style: bold; }
    """

    class Changed(Message):
        """The tax choices as set (valid ones only)."""

        def __init__(self, avoid_wash_sales: bool, harvest: bool, trade_date: dt.date | None):
            super().__init__()
            self.avoid_wash_sales = avoid_wash_sales
            self.harvest = harvest
            self.trade_date = trade_date

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield MarkedCheckbox(WASH_LABEL, id="no-wash-sales", compact=True)
            yield MarkedCheckbox(HARVEST_LABEL, id="harvest", compact=True)
        with Horizontal():
            yield Label("Trade date")
            yield Input(id="trade-date", compact=True, placeholder="YYYY-MM-DD")
            yield Label(id="trade-date-hint")
        yield Static(id="trade-date-problem")

    as_of = dt.date.min  # the prices' date, set by show

    def show(self, options: PlanOptions, as_of: dt.date) -> None:
        """Set the fields from the options, without posting a change."""
        self.as_of = as_of
        with self.prevent(Checkbox.Changed, Input.Changed):
            self.query_one("#no-wash-sales", Checkbox).value = options.avoid_wash_sales
            self.query_one("#harvest", Checkbox).value = options.harvest
            date = options.trade_date
            self.query_one("#trade-date", Input).value = "" if date is None else date.isoformat()
        self.query_one("#trade-date-hint", Label).update(
            Text(f"(empty: the prices' date, {as_of.isoformat()})")
        )
        self._typed_date()  # a saved plan's date may be out of reach of newer prices

    def _typed_date(self) -> dt.date | str | None:
        """The trade date as typed (see parse_trade_date), its problem shown under it."""
        date = parse_trade_date(self.query_one("#trade-date", Input).value, self.as_of)
        problem = self.query_one("#trade-date-problem", Static)
        problem.display = isinstance(date, str)
        if isinstance(date, str):
            problem.update(Text(f"! {date}"))
        return date

    @on(Checkbox.Changed)
    @on(Input.Changed, "#trade-date")
    def _changed(self, event: Checkbox.Changed | Input.Changed) -> None:
        event.stop()  # the screen's own option handlers read other fields
        date = self._typed_date()
        if isinstance(date, str):
            return
        self.post_message(
            self.Changed(
                self.query_one("#no-wash-sales", Checkbox).value,
                self.query_one("#harvest", Checkbox).value,
                date,
            )
        )
