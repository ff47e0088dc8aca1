"""The accounts pane: each account's holdings with shares, price, value and class; cash.

A small household opens with every account expanded. On a big one the accounts are
listed folded and an account's holdings are written when it is opened (enter): the
labels come from the report (each account's value is there already), so listing
500 accounts is a few milliseconds on the event loop, where writing 20,000 holdings'
lines up front took a worker about a second and left ~80,000 objects for the
collector to walk, and a tree of 20,000 lines is no list to read through anyway.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text, TextType
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from rebal.core.numbers import mul
from rebal.core.report import AccountRow
from rebal.model import Account, Portfolio
from rebal.present.figures import money
from rebal.present.styled import plain
from rebal.present.terminal import safe
from rebal.tui.session import IN_THREAD_ABOVE, position_count
from rebal.tui.view.compare import AccountsSlice


def account_label(row: AccountRow, currency: str) -> Text:
    """'Taxable (joint, taxable)  $1,234.00': the kind as written, with what it means
    when the words differ, and the account's value, cash included."""
    kind = row.kind
    if kind != row.tax_treatment:
        kind += f", {row.tax_treatment}"
    label = plain(f"{row.account} ({kind})", "bold")
    label.append(f"  {money(row.value, currency)}", style="")
    return label


def holding_lines(portfolio: Portfolio, account: Account) -> list[tuple[Text, str]]:
    """An account's lines, each with its key (the ticker, or "cash"): its holdings in
    file order, then its cash."""
    currency = portfolio.portfolio.currency
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
    return lines


class AccountsTree(Tree[str]):
    data: reactive[AccountsSlice | None] = reactive(None, always_update=True, init=False)

    def __init__(
        self, data: AccountsSlice | None = None, *, id: str | None = None  # noqa: A002
    ) -> None:
        super().__init__("accounts", id=id)
        self._shown: Portfolio | None = None
        self._folded: dict[str, Account] = {}  # accounts whose lines wait for enter
        self._big = False  # listed folded: lines are written as accounts are opened
        if data is not None:
            # Listed before the tree is mounted: each node added to a mounted tree
            # refreshes it (500 accounts: ~20 ms of the loop when the pane opens).
            self.set_reactive(AccountsTree.data, data)
            self.watch_data(data)

    def watch_data(self, data: AccountsSlice | None) -> None:
        if data is None or data.portfolio is self._shown:
            return  # the same file read: the tree is right already
        portfolio = self._shown = data.portfolio
        currency = portfolio.portfolio.currency
        self._folded = {}
        self.clear()
        self.root.expand()
        unfold = position_count(portfolio) <= IN_THREAD_ABOVE
        self._big = not unfold
        self.root.set_label(plain(portfolio.portfolio.name if unfold else
                                  f"{portfolio.portfolio.name} (enter opens an account)"))
        for account, row in zip(portfolio.accounts, data.accounts, strict=True):
            node = self.root.add(account_label(row, currency), data=account.name,
                                 expand=unfold, allow_expand=True)
            if unfold:
                self._add_lines(node, portfolio, account)
            else:
                self._folded[account.name] = account

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        account = self._folded.pop(event.node.data or "", None)
        if account is not None and event.node.parent is self.root and self._shown is not None:
            self._add_lines(event.node, self._shown, account)

    @staticmethod
    def _add_lines(node: TreeNode[str], portfolio: Portfolio, account: Account) -> None:
        for line, key in holding_lines(portfolio, account):
            node.add_leaf(line, data=key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # On an account, shift+space opens all of them when all are closed: on a big
        # household, 20,000 holdings' lines written on the event loop. Closing all stays.
        if action == "toggle_expand_all" and self._big:
            node = self.cursor_node
            if (node is not None and node.parent is self.root
                    and all(account.is_collapsed for account in self.root.children)):
                return False
        return True

    def process_label(self, label: TextType) -> Text:
        # Textual keeps a label's first line, splitting (copying) each one: the lines
        # written here are one line already (names are made safe: no line breaks).
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[str]) -> int:
        # The tree measures every line each time one account opens or closes, by
        # rendering its label: the width is the icon's and the label's, as rendered.
        icon = ""
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        return cell_len(icon + str(node.label))
