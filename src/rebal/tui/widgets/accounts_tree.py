"""The accounts pane: each account's holdings with shares, price, value and class; cash."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Tree

from rebal.core.numbers import mul
from rebal.model import Portfolio
from rebal.present.figures import money
from rebal.present.styled import plain
from rebal.present.terminal import safe


class AccountsTree(Tree[str]):
    portfolio: reactive[Portfolio | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__("accounts", id=id)

    def watch_portfolio(self, portfolio: Portfolio | None) -> None:
        if portfolio is None:
            return
        currency = portfolio.portfolio.currency
        self.clear()
        self.root.set_label(plain(portfolio.portfolio.name))
        for account in portfolio.accounts:
            holdings_value = sum(
                (mul(shares, portfolio.securities[t].price)
                 for t, shares in account.holdings.items()),
                Decimal(0),
            )
            # The kind as written, with what it means when the words differ: "(401k, traditional)".
            kind = account.kind
            if kind != account.tax_treatment:
                kind += f", {account.tax_treatment}"
            label = plain(f"{account.name} ({kind})", "bold")
            label.append(f"  {money(holdings_value + account.cash, currency)}", style="")
            node = self.root.add(label, data=account.name, expand=True)
            for ticker, shares in account.holdings.items():
                security = portfolio.securities[ticker]
                classes = ", ".join(security.class_weights()) or "unclassified"
                line = plain(f"{ticker:<6} ")
                line.append(f"{shares:>10} sh × {money(security.price, currency):>10} = ")
                line.append(f"{money(mul(shares, security.price), currency):>14}  ")
                line.append(safe(classes))
                node.add_leaf(line, data=ticker)
            # Lined up under the holdings' values: ticker (7) + "shares × price = " (29).
            cash = Text(f"{'cash':<7}{'':29}{money(account.cash, currency):>14}")
            node.add_leaf(cash, data="cash")
        self.root.expand()
