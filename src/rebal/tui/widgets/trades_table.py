"""The plan's trades, one row each, in the order the CLI and the CSV list them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.text import Text

from rebal.core.planner.types import Plan, Trade
from rebal.core.trade_order import in_placing_order
from rebal.tui.format import money
from rebal.tui.widgets.tables import ChunkedTable, Row, right

COLUMNS = ("Account", "Action", "Ticker", "Shares", "Amount")


class TradesTable(ChunkedTable):
    """Trades by account (the account named on its first row). The Reason column
    shows only when there is room for it (`with_reasons`); the screen shows the
    highlighted trade's reason in full, wrapped, either way."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.trades: list[Trade] = []
        self._plan: Plan | None = None
        self._currency = "USD"
        self.with_reasons = True

    def show_plan(
        self, plan: Plan | None, currency: str, accounts: Sequence[str], *, with_reasons: bool
    ) -> None:
        """List `plan`'s trades (none: an empty table). The same plan is not listed twice."""
        if plan is self._plan and with_reasons == self.with_reasons and self.row_count:
            return
        self._plan, self._currency, self.with_reasons = plan, currency, with_reasons
        self.trades = in_placing_order(plan.trades, accounts) if plan is not None else []
        columns = COLUMNS + (("Reason",) if with_reasons else ())
        self.fill(columns, self._rows(plan is not None))

    def _rows(self, planned: bool) -> Iterator[Row]:
        previous = None
        for index, trade in enumerate(self.trades):
            cells = [
                Text(trade.account if trade.account != previous else "", style="bold"),
                Text(trade.action.upper() if trade.action == "sell" else trade.action),
                Text(trade.ticker),
                right(str(trade.shares)),
                right(money(trade.amount, self._currency)),
            ]
            if self.with_reasons:
                cells.append(Text(trade.reason))
            previous = trade.account
            yield cells, str(index)
        if planned and not self.trades:
            yield [Text("no trades"), *(Text("") for _ in range(len(self.columns) - 1))], "none"

    def trade_at(self, key: str | None) -> Trade | None:
        """The trade of a row key (None for the "no trades" row)."""
        if key is None or not key.isdigit() or int(key) >= len(self.trades):
            return None
        return self.trades[int(key)]
