"""Step 3's slices: stocks against bonds, the style box, sectors, holdings, tax."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from rebal.core.allocation import (
    HoldingSummary,
    LookThrough,
    StocksVersusSafe,
    StyleComparison,
    compare_style_box,
    concentrated_sectors,
    holdings_one_by_one,
    sector_exposure,
    stocks_versus_safe,
    style_box,
)
from rebal.core.numbers import HUNDRED, ZERO, exact
from rebal.model import UNCLASSIFIED, Portfolio
from rebal.model.portfolio import HoldingDecision
from rebal.present.figures import money, percent
from rebal.present.review import accounts_cell, class_mix, no_gains_sentence
from rebal.present.tax import TextTable, holdings_tax_shown, location_text_table, unrealized_table
from rebal.tui.session import Session, remembered, stock_target


@dataclass(frozen=True)
class StockSplitSlice:
    split: StocksVersusSafe
    currency: str


@dataclass(frozen=True)
class StyleBoxSlice:
    """The stock part's 3x3 grid now, against the last review and [style_targets]."""

    view: LookThrough
    comparison: StyleComparison
    currency: str


@dataclass(frozen=True)
class SectorRow:
    sector: str
    share: Decimal  # percent of the stock part with sector data
    then: Decimal | None  # at the last review that recorded a sector mix
    over: bool  # above the concentration limit


@dataclass(frozen=True)
class SectorsSlice:
    coverage: Decimal | None  # percent of the stock part with sector data
    covered: Decimal
    limit: Decimal
    flagged: tuple[str, ...]  # above the limit, largest first
    then_date: str | None  # the last review with a sector mix
    rows: tuple[SectorRow, ...]  # largest first, empty sectors left out


@dataclass(frozen=True)
class HoldingRow:
    """One holding across accounts: its key (the ticker) and its cells as they read."""

    ticker: str
    cells: tuple[str, ...]  # in HOLDING_COLUMNS' order
    decided: bool


HOLDING_COLUMNS = ("Ticker", "Value", "Weight", "Growth", "Decision", "Classes", "Accounts",
                   "Name", "Note")
NO_DECISION = "·"


@dataclass(frozen=True)
class HoldingsSlice:
    rows: tuple[HoldingRow, ...]
    decisions: int  # how many holdings have a decision recorded


@dataclass(frozen=True)
class HoldingDetail:
    """The highlighted holding in full, for the line under the table."""

    holding: HoldingSummary
    currency: str
    since: str | None  # the snapshot its growth is measured from
    decision: HoldingDecision | None


@dataclass(frozen=True)
class GainsSlice:
    table: TextTable | None
    empty: str  # the sentence shown when there is no table


@dataclass(frozen=True)
class TaxSlice:
    """The tax view, shown for files with tax keys (as `rebal check` shows them)."""

    shown: bool
    gains: GainsSlice
    location: TextTable | None


@exact
def _in_one_account(portfolio: Portfolio) -> Portfolio:
    """The household as if one account held it all: each fund's shares summed over the
    accounts, and all the cash.

    The views that never ask which account holds a fund (stocks against bonds, the
    style box, sectors) value each fund once from it instead of each position: the
    same sums (shares add exactly), ~60 funds instead of 20,000 positions for a
    step 3 worker that held the interpreter against the event loop for a second."""
    if len(portfolio.accounts) <= 1:
        return portfolio
    shares: dict[str, Decimal] = {}
    cash = ZERO
    for account in portfolio.accounts:
        cash += account.cash
        for ticker, held in account.holdings.items():
            shares[ticker] = shares.get(ticker, ZERO) + held
    whole = portfolio.accounts[0].model_copy(
        update={"holdings": shares, "cash": cash, "lots": {}, "cost_basis": {}}
    )
    return portfolio.model_copy(update={"accounts": [whole]})


def in_one_account(portfolio: Portfolio) -> Portfolio:
    """`portfolio` in one account (kept per file read; never changed)."""
    return remembered(_in_one_account, portfolio)


def stock_split(session: Session) -> StockSplitSlice:
    """The split now (from the holdings: kept per file read) against the targets as
    edited in step 1, not as the file writes them."""
    portfolio = session.loaded.portfolio
    split = remembered(stocks_versus_safe, in_one_account(portfolio))
    stocks = stock_target(session)
    safe = HUNDRED - stocks - session.targets.get(UNCLASSIFIED, Decimal(0))
    if (stocks, safe) != (split.stocks_target, split.bonds_and_cash_target):
        split = replace(split, stocks_target=stocks, bonds_and_cash_target=safe)
    return StockSplitSlice(split, portfolio.portfolio.currency)


def _style_box(portfolio: Portfolio) -> StyleBoxSlice:
    view = style_box(in_one_account(portfolio))
    earlier = [h for h in portfolio.history
               if h.style is not None and h.date <= portfolio.portfolio.as_of]
    then = max(earlier, key=lambda h: h.date) if earlier else None
    comparison = compare_style_box(
        view.shares,
        then.style if then is not None else None,
        then.date.isoformat() if then is not None else None,
        portfolio.style_targets,
    )
    return StyleBoxSlice(view, comparison, portfolio.portfolio.currency)


def style_box_slice(portfolio: Portfolio) -> StyleBoxSlice:
    return remembered(_style_box, portfolio)


def last_sector_mix(portfolio: Portfolio) -> tuple[str, dict[str, Decimal]] | None:
    """The latest review's sector mix (its date, percent of stocks), if it recorded one."""
    earlier = [h for h in portfolio.history
               if h.sectors is not None and h.date <= portfolio.portfolio.as_of]
    if not earlier:
        return None
    then = max(earlier, key=lambda h: h.date)
    return then.date.isoformat(), dict(then.sectors or {})


def sectors(portfolio: Portfolio, limit: Decimal) -> SectorsSlice:
    view = remembered(sector_exposure, in_one_account(portfolio))
    flagged = tuple(concentrated_sectors(view, limit))
    then = last_sector_mix(portfolio)
    ordered = sorted(view.shares.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = tuple(
        SectorRow(sector, share,
                  None if then is None else then[1].get(sector, Decimal(0)), sector in flagged)
        for sector, share in ordered if share
    )
    return SectorsSlice(view.coverage, view.covered, limit, flagged,
                        None if then is None else then[0], rows)


def _summaries(portfolio: Portfolio) -> dict[str, HoldingSummary]:
    return {h.ticker: h for h in holdings_one_by_one(portfolio)}


def holding_summaries(portfolio: Portfolio) -> dict[str, HoldingSummary]:
    """Each holding by ticker, largest first (shared: never changed)."""
    return remembered(_summaries, portfolio)


def _figure_cells(portfolio: Portfolio) -> dict[str, tuple[str, ...]]:
    """What a holding's row shows that no decision changes (the money formatting of
    20,000 positions' funds is the slow part: kept per file read)."""
    currency = portfolio.portfolio.currency
    return {
        h.ticker: (
            h.ticker, money(h.value, currency), percent(h.weight, 1),
            percent(h.growth, 1) if h.growth is not None else "—",
            class_mix(h.classes), accounts_cell(h.accounts), h.name,
        )
        for h in holding_summaries(portfolio).values()
    }


def holdings(session: Session) -> HoldingsSlice:
    figures = remembered(_figure_cells, session.loaded.portfolio)
    rows = []
    for ticker, (tick, value, weight, growth, classes, accounts, name) in figures.items():
        decision = session.decisions.get(ticker)
        cells = (tick, value, weight, growth, decision.decision if decision else NO_DECISION,
                 classes, accounts, name, decision.note if decision else "")
        rows.append(HoldingRow(ticker, cells, decision is not None))
    return HoldingsSlice(tuple(rows), len(session.decisions))


def holding_detail(session: Session, ticker: str) -> HoldingDetail | None:
    portfolio = session.loaded.portfolio
    holding = holding_summaries(portfolio).get(ticker)
    if holding is None:
        return None
    snapshot = portfolio.latest_snapshot()
    since = snapshot.date.isoformat() if holding.growth is not None and snapshot else None
    return HoldingDetail(holding, portfolio.portfolio.currency, since,
                         session.decisions.get(ticker))


def _tax(portfolio: Portfolio) -> TaxSlice:
    if not holdings_tax_shown(portfolio):
        return TaxSlice(False, GainsSlice(None, ""), None)
    location = location_text_table(portfolio)
    return TaxSlice(True, GainsSlice(unrealized_table(portfolio), no_gains_sentence(portfolio)),
                    location if location.rows else None)


def tax(portfolio: Portfolio) -> TaxSlice:
    return remembered(_tax, portfolio)
