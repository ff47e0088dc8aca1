"""The header's verdict keeps the year's return in view after a review is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from rebal.core.report import build_report
from rebal.model import Flow
from rebal.store.load import load
from rebal.store.save import add_flow, save_review
from rebal.tui.widgets.header import verdict, verdict_forms


def test_after_a_save_the_header_shows_the_year_just_closed(
    tmp_copy: Callable[[str], Path],
) -> None:
    path = tmp_copy("seed_return")
    assert "last review 2025-11-20, 9.1% since" in verdict(build_report(load(path).portfolio))
    save_review(load(path), plan=None, created=dt.datetime(2026, 12, 1, 9, 0))
    # Failed before: "last review 2026-11-20, 0.0% since".
    assert verdict(build_report(load(path).portfolio)).endswith(
        "last review 2026-11-20, 9.1% in the year to 2026-11-20"
    )


def test_with_a_contribution_the_header_shows_the_money_weighted_return(
    tmp_copy: Callable[[str], Path],
) -> None:
    path = tmp_copy("seed_return")
    contribution = Flow(date=dt.date(2026, 5, 22), account="Brokerage", amount=Decimal(2000))
    add_flow(load(path), contribution)
    assert verdict(build_report(load(path).portfolio)).endswith(
        "last review 2025-11-20, 5.0% since (money-weighted)"
    )


def test_a_narrow_header_drops_the_review_date_before_the_return(
    tmp_copy: Callable[[str], Path],
) -> None:
    # Before: at 80 columns a just-saved household read "13.0% in the year to 2…".
    path = tmp_copy("household")
    save_review(load(path), plan=None, created=dt.datetime(2026, 12, 1, 9, 0))
    forms = verdict_forms(build_report(load(path).portfolio))
    assert forms[0] == (
        "3 of 5 classes out of band — last review 2026-11-20, 13.0% in the year to 2026-11-20"
    )
    assert forms[1] == "3 of 5 classes out of band — 13.0% in the year to 2026-11-20"
    assert len("! " + forms[1]) <= 78  # an 80-column header's room
