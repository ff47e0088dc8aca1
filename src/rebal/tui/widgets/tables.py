"""Tables shared by the steps and the panes. Cells are rich Text: names are never markup."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal

from rich.text import Text
from textual.actions import SkipAction
from textual.widgets import DataTable, Tree

from rebal.core.bands import Band, Status
from rebal.core.numbers import mul
from rebal.core.report import Report
from rebal.model import Portfolio
from rebal.present.terminal import safe
from rebal.tui.format import money, pct, plain, signed_pct, status_text


class PagingTable(DataTable[Text]):
    """A row table that leaves PgUp/PgDn/Home/End to the scrolling step around it
    whenever it has nothing to page itself, so the whole step stays reachable by
    keyboard at 80x24. Home and End always scroll the step (a row table has no
    columns to jump between); ctrl+home and ctrl+end go to its first and last row.
    """

    def action_page_down(self) -> None:
        if self.max_scroll_y == 0 or self.cursor_row >= self.row_count - 1:
            raise SkipAction
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.max_scroll_y == 0 or self.cursor_row <= 0:
            raise SkipAction
        super().action_page_up()

    def action_scroll_home(self) -> None:
        raise SkipAction

    def action_scroll_end(self) -> None:
        raise SkipAction


Row = tuple[Sequence[Text], str]  # the cells, and the row's key


class ChunkedTable(PagingTable):
    """A table that fills in slices across event-loop turns, so thousands of rows
    never freeze the app: each slice is added, then the screen refreshes (and keys
    are handled) before the next. A newer `fill` abandons an older one."""

    CHUNK = 100
    _filling: Iterator[Row] | None = None

    @property
    def filling(self) -> bool:
        """True until every row of the latest `fill` is in the table."""
        return self._filling is not None

    def fill(self, columns: Sequence[str], rows: Iterable[Row]) -> None:
        reset(self, *columns)
        self._filling = iter(rows)
        self._add_slice(self._filling)

    def _add_slice(self, rows: Iterator[Row]) -> None:
        if rows is not self._filling:
            return  # a newer fill took over
        for _ in range(self.CHUNK):
            row = next(rows, None)
            if row is None:
                self._filling = None
                self.filled()
                return
            cells, key = row
            self.add_row(*cells, key=key)
        self.call_after_refresh(self._add_slice, rows)

    def filled(self) -> None:
        """Called once the latest fill's last row is in; subclasses react here."""


def reset(table: DataTable[Text], *columns: str) -> None:
    """Clear rows and set columns (kept when they are already right, so the cursor stays)."""
    current = [str(column.label) for column in table.columns.values()]
    if current != list(columns):
        table.clear(columns=True)
        for column in columns:
            table.add_column(plain(column), key=column)  # class names head columns too
    else:
        table.clear()


def right(value: str) -> Text:
    return Text(value, justify="right")


def status_colours(theme_variables: Mapping[str, str]) -> dict[Status, str]:
    """The theme's drift colours (its [variables] table), for status markers."""
    names: dict[Status, str] = {"over": "drift-over", "under": "drift-under", "in": "in-band"}
    return {status: theme_variables.get(name, "") for status, name in names.items()}


def marker(status: Status, colours: Mapping[Status, str]) -> Text:
    text = status_text(status)
    if colours.get(status):
        text.stylize(colours[status])
    return text


def fill_drift(
    table: DataTable[Text], report: Report, colours: Mapping[Status, str] | None = None
) -> None:
    """class, target, actual, drift, band, status (a text marker, not colour alone)."""
    row_before = table.cursor_row
    reset(table, "Class", "Target", "Actual", "Drift", "Band", "Status")
    for row in report.classes:
        table.add_row(
            plain(row.asset_class),
            right(pct(row.target)),
            right(pct(row.actual)),
            right(signed_pct(row.drift)),
            Text(f"{row.band.low:.2f}–{row.band.high:.2f}%"),
            marker(row.status, colours or {}),
            key=row.asset_class,
        )
    if table.row_count:
        table.move_cursor(row=min(row_before, table.row_count - 1))


def band_arithmetic(band: Band) -> str:
    """Seed 001's arithmetic, e.g. '20% → 19.00–21.00%' (the target as the user wrote it)."""
    target = format(band.target.normalize(), "f")
    return f"{target}% → {band.low:.2f}–{band.high:.2f}%"


def fill_targets(
    table: DataTable[Text], report: Report, colours: Mapping[Status, str] | None = None
) -> None:
    row_before = table.cursor_row
    # "Now" next to the band, so the status reads as the comparison it is.
    reset(table, "Class", "Target", "Band (target → low–high)", "Now", "Status")
    for row in report.classes:
        table.add_row(
            plain(row.asset_class),
            right(pct(row.target)),
            Text(band_arithmetic(row.band)),
            right(pct(row.actual)),
            marker(row.status, colours or {}),
            key=row.asset_class,
        )
    if table.row_count:
        table.move_cursor(row=min(row_before, table.row_count - 1))


def fill_accounts(tree: Tree[str], portfolio: Portfolio) -> None:
    """Accounts as a tree: each holding with shares, price, value and class; then cash."""
    currency = portfolio.portfolio.currency
    tree.clear()
    tree.root.set_label(plain(portfolio.portfolio.name))
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
        node = tree.root.add(label, data=account.name, expand=True)
        for ticker, shares in account.holdings.items():
            security = portfolio.securities[ticker]
            classes = ", ".join(security.class_weights()) or "unclassified"
            line = plain(f"{ticker:<6} ")
            line.append(f"{shares:>10} sh × {money(security.price, currency):>10} = ")
            line.append(f"{money(mul(shares, security.price), currency):>14}  ")
            line.append(safe(classes))
            node.add_leaf(line, data=ticker)
        # Lined up under the holdings' values: ticker (7) + "shares × price = " (29).
        node.add_leaf(Text(f"{'cash':<7}{'':29}{money(account.cash, currency):>14}"), data="cash")
    tree.root.expand()
