"""The accounts pane: each account's holdings with shares, price, value and class; cash.

A small household opens with every account expanded. On a big one the lines are
written in a thread worker (20,000 holdings' money formatting is about a second)
and the accounts are listed folded, each account's holdings added when it is
opened (enter): a tree of 20,000 lines took seconds to build and to lay out, and
is no list to read through anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text
from textual import work
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from rebal.core.numbers import mul
from rebal.model import Portfolio
from rebal.present.figures import money
from rebal.present.styled import plain
from rebal.present.terminal import safe
from rebal.tui.session import IN_THREAD_ABOVE, position_count


@dataclass(frozen=True)
class AccountLines:
    name: str
    label: Text
    lines: tuple[tuple[Text, str], ...]  # each holding's line and its ticker, then cash


def account_lines(portfolio: Portfolio) -> list[AccountLines]:
    """Every account's label and lines, as the tree shows them (pure: runs in a thread)."""
    currency = portfolio.portfolio.currency
    accounts = []
    for account in portfolio.accounts:
        holdings_value = sum(
            (mul(shares, portfolio.securities[t].price) for t, shares in account.holdings.items()),
            Decimal(0),
        )
        # The kind as written, with what it means when the words differ: "(401k, traditional)".
        kind = account.kind
        if kind != account.tax_treatment:
            kind += f", {account.tax_treatment}"
        label = plain(f"{account.name} ({kind})", "bold")
        label.append(f"  {money(holdings_value + account.cash, currency)}", style="")
        lines = []
        for ticker, shares in account.holdings.items():
            security = portfolio.securities[ticker]
            classes = ", ".join(security.class_weights()) or "unclassified"
            line = plain(f"{ticker:<6} ")
            line.append(f"{shares:>10} sh × {money(security.price, currency):>10} = ")
            line.append(f"{money(mul(shares, security.price), currency):>14}  ")
            line.append(safe(classes))
            lines.append((line, ticker))
        # Lined up under the holdings' values: ticker (7) + "shares × price = " (29).
        lines.append((Text(f"{'cash':<7}{'':29}{money(account.cash, currency):>14}"), "cash"))
        accounts.append(AccountLines(account.name, label, tuple(lines)))
    return accounts


class AccountsTree(Tree[str]):
    portfolio: reactive[Portfolio | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__("accounts", id=id)
        self._shown: Portfolio | None = None
        self._folded: dict[str, AccountLines] = {}  # accounts whose lines wait for enter
        self.filling = False  # True while a big household's lines are being written

    def watch_portfolio(self, portfolio: Portfolio | None) -> None:
        if portfolio is None or portfolio is self._shown:
            return  # the same file read: the tree is right (or being filled) already
        self._shown = portfolio
        self._folded = {}
        self.clear()
        self.root.expand()
        if position_count(portfolio) <= IN_THREAD_ABOVE:
            self.root.set_label(plain(portfolio.portfolio.name))
            for account in account_lines(portfolio):
                self._add_lines(self.root.add(account.label, data=account.name, expand=True),
                                account)
            return
        self.filling = True
        self.root.set_label(plain(f"{portfolio.portfolio.name} (listing the accounts…)"))
        self._lines_in_thread(portfolio)

    @work(thread=True, exclusive=True, group="accounts-tree", exit_on_error=False,
          description="list the accounts")
    def _lines_in_thread(self, portfolio: Portfolio) -> None:
        lines = account_lines(portfolio)
        self.app.call_from_thread(self._list_folded, portfolio, lines)

    def _list_folded(self, portfolio: Portfolio, accounts: list[AccountLines]) -> None:
        if portfolio is not self._shown:
            return  # a newer file read took over
        self.root.set_label(plain(f"{portfolio.portfolio.name} (enter opens an account)"))
        for account in accounts:
            self.root.add(account.label, data=account.name, allow_expand=True)
            self._folded[account.name] = account
        self.filling = False

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        account = self._folded.pop(event.node.data or "", None)
        if account is not None and event.node.parent is self.root:
            self._add_lines(event.node, account)

    @staticmethod
    def _add_lines(node: TreeNode[str], account: AccountLines) -> None:
        for line, data in account.lines:
            node.add_leaf(line, data=data)
