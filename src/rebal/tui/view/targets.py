"""Step 1's slices: the class rows, the targets' check, the band policy, the age hint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from rebal.core.allocation import stocks_versus_safe
from rebal.core.bands import Band, band_for
from rebal.core.numbers import HUNDRED, percent_of
from rebal.core.report import ClassRow, Report
from rebal.model.portfolio import Bands
from rebal.tui.session import (
    AgeSuggestion,
    Session,
    TargetCheck,
    age_suggestion,
    classes_nothing_holds,
    held_without_target,
    remembered,
    stock_target,
    target_problems,
)


@dataclass(frozen=True)
class ClassRows:
    """One row per asset class of the report: the targets table and the drift table."""

    rows: tuple[ClassRow, ...]


@dataclass(frozen=True)
class TargetCheckSlice:
    check: TargetCheck
    untargeted: tuple[str, ...]  # classes the household holds with no target
    unheld: tuple[str, ...]  # targeted classes nothing in the file belongs to


@dataclass(frozen=True)
class OwnWidth:
    """A class's own band width, the band it makes, and whether the common width
    would have made the same band (then the override changes nothing)."""

    asset_class: str
    width: Decimal
    band: Band
    unused: bool


@dataclass(frozen=True)
class BandPolicySlice:
    bands: Bands
    example: ClassRow | None  # a class on the common width, to show the rule at work
    own_widths: tuple[OwnWidth, ...]


@dataclass(frozen=True)
class AgeSlice:
    """The age-based split beside the split now and the targets' (stock percent)."""

    suggestion: AgeSuggestion
    stocks_now: Decimal | None
    stocks_target: Decimal

    @property
    def stocks_suggested(self) -> Decimal:
        return HUNDRED - self.suggestion.bonds

    @property
    def applies_a_change(self) -> bool:
        return self.stocks_target != self.stocks_suggested


def class_rows(report: Report) -> ClassRows:
    return ClassRows(tuple(report.classes))


def target_check(session: Session) -> TargetCheckSlice:
    return TargetCheckSlice(
        target_problems(session.targets, session.loaded.portfolio.cash_class),
        held_without_target(session),
        classes_nothing_holds(session),
    )


def band_policy(session: Session, report: Report) -> BandPolicySlice:
    bands = session.bands
    example = next((row for row in report.classes
                    if row.target > 0 and row.asset_class not in bands.per_class), None)
    rows = {row.asset_class: row for row in report.classes}
    common = bands.model_copy(update={"per_class": {}})
    own = []
    for name, width in bands.per_class.items():
        row = rows.get(name)
        if row is None:
            continue
        unused = band_for(row.target, common, name) == row.band and width != bands.width
        own.append(OwnWidth(name, width, row.band, unused))
    return BandPolicySlice(bands, example, tuple(own))


def age_hint(session: Session, today: dt.date) -> AgeSlice | None:
    portfolio = session.loaded.portfolio
    suggestion = age_suggestion(portfolio.portfolio.birth_year, today)
    if suggestion is None:
        return None
    split = remembered(stocks_versus_safe, portfolio)
    return AgeSlice(suggestion, percent_of(split.stocks, split.total), stock_target(session))
