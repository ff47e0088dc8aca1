"""Step 3's unrealized gains: by taxable account and class, as `rebal check` lists them."""

from __future__ import annotations

from rebal.core.tax.treatment import is_taxable
from rebal.model import Portfolio
from rebal.present.tax import unrealized_table
from rebal.tui.widgets.text_table import TextTablePane

EXPLAIN = (
    "If all of a taxable account were sold: its gain by class, short-term (held a year "
    "or less) and long-term; a minus is a loss. IRAs, 401(k)s, Roth and HSA accounts owe "
    "no capital-gains tax. Up/down: a row in full below; left/right: scroll sideways."
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
        self.data = unrealized_table(portfolio)
