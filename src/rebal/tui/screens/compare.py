"""Step 2 — Compare current to target: two bar charts, drift, accounts, return since."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from rebal.core.allocation import account_class_exposure, class_exposure
from rebal.core.report import Report
from rebal.core.returns import PeriodReturn, amount_to_shift, describe_period, history_periods
from rebal.model import Portfolio
from rebal.present.figures import money, percent
from rebal.present.styled import plain
from rebal.tui.screens.base import PAGE_KEYS, StepScreen
from rebal.tui.session import Session, remembered
from rebal.tui.widgets.account_drift import AccountDriftPane, account_drift_text
from rebal.tui.widgets.charts import side_by_side, sparkline
from rebal.tui.widgets.drift_table import DriftTable
from rebal.tui.widgets.tables import ChunkedTable, PagingTable, Row, reset, right


def return_text(report: Report) -> Text:
    wr = report.weighted_return
    if wr is None:
        return Text("No earlier snapshot in the file, so no return since the last review.")
    since, last = report.money_weighted, report.last_period
    if since is None and last is not None:
        # Reviewed on these prices: no days since, so the period the review closed.
        text = Text(f"Return in {describe_period(last.start, last.end)}: ", style="bold")
        text.append(percent(last.household.rate, 1), style="bold")
        text.append(_period_note(last, report.currency))
        return text
    if since is not None and since.flows:
        text = Text(f"Money-weighted return since {since.start.isoformat()}: ", style="bold")
        text.append(percent(since.household.rate, 1), style="bold")
        text.append(_period_note(since, report.currency))
        return text
    text = Text(f"Weighted-average return since {wr.since.isoformat()}: ", style="bold")
    text.append(percent(wr.weighted, 1), style="bold")
    text.append(
        f"  ({money(wr.total_before, report.currency)} → {money(wr.total_after, report.currency)};"
        " each class's return weighted by its share at the last review)"
    )
    return text


def _period_note(period: PeriodReturn, currency: str) -> str:
    flows = period.household.net_flows
    moved = f"flows {money(flows, currency)}" if period.flows else "no flows"
    return (
        f"  (Modified Dietz, not annualized; change in value {percent(period.change_in_value, 1)},"
        f" {moved})"
    )


def classes_of(session: Session) -> tuple[str, ...]:
    """The report's classes, in its order: the by-account table's columns."""
    return tuple(row.asset_class for row in session.report().classes)


def account_rows(portfolio: Portfolio, classes: tuple[str, ...], currency: str) -> list[Row]:
    """Each account's value in each class, as the by-account table lists them."""
    return [
        ((plain(account),
          *(right(money(exposure.get(c, Decimal(0)), currency)) for c in classes)), account)
        for account, exposure in account_class_exposure(portfolio).items()
    ]


class CompareScreen(StepScreen):
    STEP = 2
    TITLE_TEXT = "Compare current to target"
    HELP = (
        "Left: where the money is now; right: where you meant it to be, on the same scale.\n"
        "The drift table shows each class's actual share against its band: ▲ OVER and\n"
        "▼ under mark the classes to act on. Per account shows how each account contributes\n"
        "to each class. With a snapshot in the file, the return since then and how the\n"
        "weights drifted appear at the bottom."
    )
    KEYS_LINE = True
    BINDINGS: ClassVar[list[BindingType]] = [*PAGE_KEYS]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Label(Text("Step 2 — Compare current to target", style="bold"), classes="title")
            yield Static(id="charts")
            yield Static(id="shift")
            yield Label(Text("Drift by class"), classes="section")
            yield DriftTable(id="drift")
            yield Label(Text("Drift by account: where each class's excess sits"),
                        classes="section")
            yield Static(Text(
                "An account's part is what it holds in the class less the class's target "
                "share of the account; the parts add up to the excess."), classes="explain")
            yield AccountDriftPane(id="account-drift")
            # Both tables need ~90 columns: stacked at every width, never cut off.
            with Horizontal(classes="pair stacked"):
                with Vertical(classes="half"):
                    yield Label(Text("Per account (value in each class)"), classes="section")
                    yield ChunkedTable(id="by-account", cursor_type="row")
                with Vertical(classes="half"):
                    yield Label(Text("Since the last review"), classes="section")
                    yield Static(id="return")
                    yield PagingTable(id="returns", cursor_type="row")
            with Vertical(id="history-box"):
                yield Label(Text("Reviews in the history"), classes="section")
                yield Static(id="history-spark")
                yield PagingTable(id="periods", cursor_type="row")

    def initial_focus(self) -> Widget | None:
        # The scroll area, not the drift table: focusing the table would scroll the
        # charts out of sight at 80x24. Arrows and page keys scroll; tab reaches tables.
        return self.query_one("#body", VerticalScroll)

    def on_resize(self, event: Resize) -> None:
        if self.session is not None:
            self._draw_charts(self.session.report())

    @staticmethod
    def prepare(session: Session) -> None:
        portfolio = session.loaded.portfolio
        currency = portfolio.portfolio.currency
        remembered(class_exposure, portfolio)
        remembered(account_drift_text, portfolio, dict(session.targets), currency)
        remembered(account_rows, portfolio, classes_of(session), currency)

    def render_session(self, session: Session) -> None:
        report = session.report()
        self._draw_charts(report)
        self.query_one(DriftTable).report = report
        portfolio = session.loaded.portfolio
        exposure = remembered(class_exposure, portfolio)
        shift = amount_to_shift(exposure, dict(session.targets))
        self.query_one("#shift", Static).update(
            Text(
                f"Moving {money(shift, report.currency)} between classes would restore every "
                "target exactly (the sum of the overweight classes' excess)."
            )
        )
        self.query_one(AccountDriftPane).update(
            remembered(account_drift_text, portfolio, dict(session.targets), report.currency)
        )
        self._fill_accounts(session, report)
        self._fill_returns(report)
        self._fill_history(session, report)

    def _draw_charts(self, report: Report) -> None:
        # The screen less padding and the scrollbar; wide screens cap the bars' length.
        width = min(max(40, self.size.width - 4), 110)
        rows = [(row.asset_class, row.actual, row.target) for row in report.classes]
        values = [v for _, now, target in rows for v in (now, target) if v is not None]
        scale = max(values, default=Decimal(100)) or Decimal(100)
        self.query_one("#charts", Static).update(side_by_side(rows, scale=scale, width=width))

    def _fill_accounts(self, session: Session, report: Report) -> None:
        classes = classes_of(session)
        rows = remembered(account_rows, session.loaded.portfolio, classes, report.currency)
        self.query_one("#by-account", ChunkedTable).fill(("Account", *classes), rows)

    def _fill_returns(self, report: Report) -> None:
        self.query_one("#return", Static).update(return_text(report))
        table = self.query_one("#returns", DataTable)
        wr = report.weighted_return
        table.display = wr is not None
        if wr is None:
            return
        reset(table, "Class", "Then", "Now", "Return", "Weight then → now")
        for row in wr.per_class:
            table.add_row(
                plain(row.asset_class),
                right(money(row.before, report.currency)),
                right(money(row.after, report.currency)),
                right(percent(row.change, 1)),
                Text(f"{percent(row.weight_before, 1)} → {percent(row.weight_after, 1)}"),
                key=row.asset_class,
            )

    def _fill_history(self, session: Session, report: Report) -> None:
        """Each period between snapshots (money-weighted), and the value over time."""
        portfolio = session.loaded.portfolio
        as_of = portfolio.portfolio.as_of
        periods = history_periods(portfolio.history, as_of)
        box = self.query_one("#history-box")
        box.display = bool(periods)
        if not periods:
            return
        dated = sorted((h for h in portfolio.history if h.date <= as_of), key=lambda h: h.date)
        values = [h.total for h in dated]
        if dated[-1].date < as_of:
            values.append(report.total)  # today's value ends the line
        line = Text(sparkline(values))
        line.append(
            f"  value {money(values[0], report.currency)} on {dated[0].date.isoformat()} → "
            f"{money(values[-1], report.currency)} now"
        )
        self.query_one("#history-spark", Static).update(line)
        table = self.query_one("#periods", DataTable)
        reset(table, "Period", "Value at end", "Flows", "Money-weighted", "Change in value")
        for period in reversed(periods):
            table.add_row(
                Text(f"{period.start.isoformat()} → {period.end.isoformat()}"),
                right(money(period.household.end_value, report.currency)),
                right(money(period.household.net_flows, report.currency)),
                right(percent(period.household.rate, 1)),
                right(percent(period.change_in_value, 1)),
                key=period.end.isoformat(),
            )
