"""Step 2's drift by account: which account holds each class's excess (or shortfall).

Written as wrapped lines, not a table: with four accounts a table needs ~120
columns, and at 80 the accounts past the first would be cut off.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.core.numbers import round_half_up
from rebal.present.review import account_parts, signed_money
from rebal.present.terminal import safe
from rebal.tui.view.compare import AccountDriftSlice


def render_account_drift(data: AccountDriftSlice) -> Text:
    text = Text()
    for row in data.rows:
        if round_half_up(row.excess, 0) == 0 and not any(
            round_half_up(v, 0) for v in row.by_account.values()
        ):
            continue
        over = row.excess > 0
        text.append(f"{safe(row.asset_class)} ", style="bold")
        text.append(signed_money(row.excess, data.currency), style="bold")
        text.append(" above target" if over else " below target")
        if row.largest is not None:
            text.append(f", most of the {'excess' if over else 'shortfall'} in "
                        f"{safe(row.largest)}")
        text.append("\n  ")
        text.append(safe(account_parts(row.by_account, over, data.currency)))
        text.append("\n")
    text.rstrip()
    return text if text.plain else Text("Every class is at its target in every account.")


class AccountDriftPane(Static):
    data: reactive[AccountDriftSlice | None] = reactive(None, always_update=True, init=False)

    def watch_data(self, data: AccountDriftSlice | None) -> None:
        self.update(Text() if data is None else render_account_drift(data))
