"""Step 3's unrealized gains: by taxable account and class, as `rebal check` lists them."""

from __future__ import annotations

from rebal.core.tax.treatment import is_taxable
from rebal.model import Portfolio
from rebal.present.tax import TextTable, unrealized_table
from rebal.tui.widgets.text_table import TextTablePane

EXPLAIN = (
    "What selling everything in a taxable account would realize, class by class: "
    "short-term is held one year or less, long-term longer; a minus is a loss. "
    "Sales in IRAs, 401(k)s, Roth and HSA accounts owe no capital-gains tax. "
    "Up/down pick a row, shown in full under its table; left/right scroll a wide table."
)


def empty_sentence(portfolio: Portfolio) -> str:
    if not any(is_taxable(account) for account in portfolio.accounts):
        return (
            "No taxable account in this household: sales in IRAs, 401(k)s, Roth and HSA "
            "accounts owe no capital-gains tax, so there are no unrealized gains to show."
        )
    return "No taxable account holds anything with a price: no unrealized gains to show."


class UnrealizedGains(TextTablePane):
    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__("", EXPLAIN, id=id)

    def show(self, portfolio: Portfolio) -> None:
        self.empty = empty_sentence(portfolio)
        table: TextTable | None = unrealized_table(portfolio)
        self.data = table
