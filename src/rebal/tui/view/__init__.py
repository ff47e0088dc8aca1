"""The review's view model: every figure the steps show, derived once per session.

A `View` is built from one `Session` (and the day, for the age hint) and never
changes. Each slice is what one pane shows, computed the first time it is asked
for: a step screen asks for its slices, in a thread worker on a big household,
then hands each widget its slice. Pure: no Textual, no I/O. Derivations from the
holdings alone go through `rebal.tui.session.remembered`, so an edit of the
targets does not value 20,000 positions again.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from rebal.core.report import Report
from rebal.model import Portfolio
from rebal.tui.session import Session
from rebal.tui.view import alignment, compare, targets
from rebal.tui.view.alignment import (
    HoldingDetail,
    HoldingsSlice,
    SectorsSlice,
    StockSplitSlice,
    StyleBoxSlice,
    TaxSlice,
)
from rebal.tui.view.compare import (
    AccountDriftSlice,
    AccountsSlice,
    ByAccountSlice,
    ChartsSlice,
    HistorySlice,
    ReturnsSlice,
    ShiftSlice,
)
from rebal.tui.view.targets import AgeSlice, BandPolicySlice, ClassRows, TargetCheckSlice

if TYPE_CHECKING:
    from rebal.tui.view.plan import StepFourView


@dataclass(frozen=True, eq=False)
class View:
    session: Session
    today: dt.date

    @cached_property
    def report(self) -> Report:
        """The household under the edited targets and bands (the header reads it)."""
        return self.session.report()

    @property
    def portfolio(self) -> Portfolio:
        return self.session.loaded.portfolio

    # ---- step 1: targets (and the targets and drift panes) ----------------

    @cached_property
    def classes(self) -> ClassRows:
        """The targets table's and the drift table's rows."""
        return targets.class_rows(self.report)

    @cached_property
    def target_check(self) -> TargetCheckSlice:
        return targets.target_check(self.session)

    @cached_property
    def band_policy(self) -> BandPolicySlice:
        return targets.band_policy(self.session, self.report)

    @cached_property
    def age(self) -> AgeSlice | None:
        """The age-based split (None without a birth year in the file)."""
        return targets.age_hint(self.session, self.today)

    # ---- step 2: compare ---------------------------------------------------

    @cached_property
    def charts(self) -> ChartsSlice:
        return compare.charts(self.report)

    @cached_property
    def shift(self) -> ShiftSlice:
        return compare.shift(self.session, self.report)

    @cached_property
    def account_drift(self) -> AccountDriftSlice:
        return compare.account_drift(self.session, self.report)

    @cached_property
    def by_account(self) -> ByAccountSlice:
        return compare.by_account(self.session, self.report)

    @cached_property
    def accounts(self) -> AccountsSlice:
        """The accounts pane's (a)."""
        return compare.accounts(self.portfolio, self.report)

    @cached_property
    def returns(self) -> ReturnsSlice:
        return compare.returns(self.report)

    @cached_property
    def history(self) -> HistorySlice:
        return compare.history(self.portfolio, self.report)

    # ---- step 3: misalignment ----------------------------------------------

    @cached_property
    def stocks(self) -> StockSplitSlice:
        return alignment.stock_split(self.session)

    @cached_property
    def style_box(self) -> StyleBoxSlice:
        return alignment.style_box_slice(self.portfolio)

    @cached_property
    def sectors(self) -> SectorsSlice:
        return alignment.sectors(self.portfolio, self.session.sector_limit)

    @cached_property
    def holdings(self) -> HoldingsSlice:
        return alignment.holdings(self.session)

    def holding_detail(self, ticker: str) -> HoldingDetail | None:
        """One holding in full (the highlighted row's; None for a ticker not held)."""
        return alignment.holding_detail(self.session, ticker)

    @cached_property
    def tax(self) -> TaxSlice:
        return alignment.tax(self.portfolio)

    # ---- step 4: the plan --------------------------------------------------

    @cached_property
    def plan(self) -> StepFourView:
        """Step 4's panes: the plan, its summary and its reconciliation with the saved plan."""
        from rebal.tui.view.plan import step_four_view  # step 1 paints without it

        return step_four_view(self.session)

    def build(self, slices: Iterable[str]) -> None:
        """Compute the named slices now (a step's worker does, on a big household)."""
        for name in slices:
            getattr(self, name)

    def built(self, slices: Iterable[str]) -> bool:
        """Whether every named slice is computed already (drawing then only reads)."""
        return all(name in self.__dict__ for name in slices)


_last: View | None = None
_lock = threading.Lock()


def view_of(session: Session, today: dt.date) -> View:
    """The view of `session`: the same object for every step that asks for it."""
    global _last
    with _lock:
        if _last is None or _last.session is not session or _last.today != today:
            _last = View(session, today)
        return _last
