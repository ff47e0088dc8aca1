"""Step 4's options form: mode, whole shares, minimum trade, the tax choices and the
accounts table (new money, avoid selling), as `rebal plan` takes them.

Built on first need (the form is a third of the cost of entering step 4, and folded
away at 80x24), filled from its slice once per file read so typing is never
overwritten; later option changes only redraw the account cells that changed.
Each valid change posts `PlanOptionsChanged` for the App.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import get_args

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Checkbox, Input, Label, Select, Static

from rebal.core.planner.types import PlanOptions
from rebal.model.portfolio import PlanMode
from rebal.present.plan_summary import MODE_WORDS, new_money_prompt
from rebal.present.styled import plain
from rebal.store.load import Loaded
from rebal.tui.messages import PlanOptionsChanged
from rebal.tui.parse import parse_decimal
from rebal.tui.view.plan import OptionsFormSlice
from rebal.tui.widgets.options_table import (
    AccountOptionsTable,
    TaxOptions,
    toggled_avoid,
    with_new_money,
)
from rebal.tui.widgets.toggles import MarkedCheckbox

MODES: tuple[PlanMode, ...] = get_args(PlanMode)
HINT = ("tab moves between options · space: avoid selling · enter: new money "
        "· escape: back to the trades")
MIN_TRADE_PROBLEM = "minimum trade: type an amount of 0 or more"


def money_problem(account: str) -> str:
    return f"{account}: new money must be an amount (negative to withdraw)"


class OptionsForm(Vertical):
    """The plan options as fields; `form` is its slice of the view (None until step 4
    has a session). `editing` names the account whose new money is being typed."""

    form: reactive[OptionsFormSlice | None] = reactive(None, init=False)

    built = False
    editing: str | None = None  # the account whose new money is being typed
    _filled_for: Loaded | None = None

    def _fields(self, options: PlanOptions) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label("Mode")
            yield Select(
                [(Text(MODE_WORDS[m]), m) for m in MODES], allow_blank=False,
                value=options.mode, id="mode", compact=True,
            )
        with Horizontal(classes="field"):
            yield MarkedCheckbox("Whole shares", options.whole_shares, id="whole", compact=True)
            yield Label("Minimum trade")
            yield Input(str(options.min_trade), id="min-trade", classes="short", compact=True)
        yield TaxOptions(id="tax-options")
        yield AccountOptionsTable(id="accounts-options")
        with Horizontal(id="money-editor", classes="field"):
            yield Label(id="money-label")
            yield Input(id="money-input", classes="short", compact=True)
        yield Static(id="options-problem")
        yield Static(Text(HINT), classes="options-hint")

    async def build(self) -> None:
        """Mount the fields (once), filled from the form's slice."""
        form = self.form
        if self.built or form is None:
            return
        self.built = True
        await self.mount_compose(self._fields(form.options))
        self._fill(form)

    def watch_form(self, form: OptionsFormSlice | None) -> None:
        if form is None or not self.built:
            return  # filled from the slice when first built
        if form.loaded is not self._filled_for:
            self._fill(form)
        else:
            self.query_one(AccountOptionsTable).sync(form.accounts)

    def _fill(self, form: OptionsFormSlice) -> None:
        """The fields from the slice, once per file read, without posting a change."""
        self._filled_for = form.loaded
        options = form.options
        with self.prevent(Select.Changed, Checkbox.Changed, Input.Changed):
            self.query_one("#mode", Select).value = options.mode
            self.query_one("#whole", Checkbox).value = options.whole_shares
            self.query_one("#min-trade", Input).value = str(options.min_trade)
        tax = self.query_one(TaxOptions)
        tax.display = form.tax_applies
        tax.show(options, form.as_of)
        self.query_one(AccountOptionsTable).show(form.accounts)

    def focus_first(self) -> None:
        self.query_one("#mode", Select).focus()

    # ---- changes ----------------------------------------------------------

    def _collect(self, options: PlanOptions) -> PlanOptions | str:
        """The options as set: the fields above the table, the table's from the slice."""
        mode = self.query_one("#mode", Select).value
        min_trade = parse_decimal(self.query_one("#min-trade", Input).value)
        if min_trade is None or min_trade < 0:
            return MIN_TRADE_PROBLEM
        return replace(
            options,
            mode=mode if mode in MODES else "full",
            whole_shares=self.query_one("#whole", Checkbox).value,
            min_trade=min_trade,
        )

    def _problem(self, message: str | None) -> None:
        problem = self.query_one("#options-problem", Static)
        problem.display = message is not None
        problem.update(plain(f"! {message}", "bold") if message else "")

    def _propose(self, options: PlanOptions) -> None:
        form = self.form
        if form is not None and options != form.options:
            self.post_message(PlanOptionsChanged(options))

    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(Input.Changed, "#min-trade")
    def _field_changed(self) -> None:
        form = self.form
        if form is None or self._filled_for is None:
            return
        result = self._collect(form.options)
        self._problem(result if isinstance(result, str) else None)
        if not isinstance(result, str):
            self._propose(result)

    @on(AccountOptionsTable.AvoidToggled)
    def _avoid_toggled(self, event: AccountOptionsTable.AvoidToggled) -> None:
        form = self.form
        row = self.query_one(AccountOptionsTable).row_of(event.account)
        if form is not None and row is not None:
            self._propose(replace(form.options, avoid_selling=toggled_avoid(form.options, row)))

    @on(TaxOptions.Changed)
    def _tax_options_changed(self, event: TaxOptions.Changed) -> None:
        if self.form is not None:
            self._propose(replace(
                self.form.options, avoid_wash_sales=event.avoid_wash_sales,
                harvest=event.harvest, trade_date=event.trade_date,
            ))

    @on(AccountOptionsTable.MoneyEditWanted)
    def _edit_money(self, event: AccountOptionsTable.MoneyEditWanted) -> None:
        if self.form is None:
            return
        self.editing = event.account
        amount = self.form.options.new_money.get(event.account, Decimal(0))
        self.query_one("#money-label", Label).update(plain(new_money_prompt(event.account)))
        field = self.query_one("#money-input", Input)
        field.value = str(amount)
        self.query_one("#money-editor").display = True
        field.focus()

    @on(Input.Submitted, "#money-input")
    def _money_typed(self, event: Input.Submitted) -> None:
        event.stop()
        form, account = self.form, self.editing
        if form is None or account is None:
            return
        amount = parse_decimal(event.value)
        if amount is None:
            self._problem(money_problem(account))
            return
        self._problem(None)
        self.close_money_editor()
        self._propose(
            replace(form.options, new_money=with_new_money(form.options, account, amount))
        )

    def close_money_editor(self) -> None:
        self.editing = None
        self._problem(None)
        self.query_one("#money-editor").display = False
        self.query_one(AccountOptionsTable).focus()
