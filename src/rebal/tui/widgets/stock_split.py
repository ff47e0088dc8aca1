"""Step 3's first view: stocks against bonds and cash, now and in the targets."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.core.numbers import HUNDRED, percent_of, round_half_up
from rebal.present.figures import money, percent, points
from rebal.tui.view.alignment import StockSplitSlice
from rebal.tui.widgets.charts import bar


def render_stock_split(data: StockSplitSlice) -> Text:
    split = data.split
    text = Text()
    rows = [
        ("Stocks", split.stocks, split.stocks_target),
        ("Bonds and cash", split.bonds_and_cash, split.bonds_and_cash_target),
    ]
    if split.other:
        rows.append(("Unclassified", split.other, Decimal(0)))
    for label, value, target in rows:
        share = percent_of(value, split.total)
        text.append(f"{label:<15}", style="bold")
        text.append(f"{bar(share or Decimal(0), HUNDRED, 20):<20} ")
        text.append(f"{percent(share, 1):>6} now {percent(target, 1):>6} target ")
        text.append(f"{money(value, data.currency):>15}\n")
    stocks_now = percent_of(split.stocks, split.total)
    if stocks_now is not None:
        # Judge the gap as displayed, so "0.0 points below" never appears.
        gap = round_half_up(stocks_now - split.stocks_target, 1)
        if gap > 0:
            text.append(f"\nStocks have grown {points(gap)} past their target share: the ")
            text.append("usual result of stocks outperforming bonds and cash.")
        elif gap < 0:
            text.append(f"\nStocks are {points(-gap)} below their target share.")
        else:
            text.append("\nStocks are exactly at their target share.")
    return text


class StockSplit(Static):
    data: reactive[StockSplitSlice | None] = reactive(None, always_update=True, init=False)

    def watch_data(self, data: StockSplitSlice | None) -> None:
        self.update(Text() if data is None else render_stock_split(data))
