"""Each review's snapshot records the stock part's style and sector mix (optional keys)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.core.allocation import sector_exposure, style_box
from rebal.problems import PortfolioError
from rebal.store.load import load
from rebal.store.save import save_review

CREATED = dt.datetime(2026, 11, 24, 9, 30)


def test_a_saved_snapshot_holds_the_style_and_sector_mix(
    tmp_copy: Callable[[str], Path],
) -> None:
    household = load(tmp_copy("household"))
    saved = save_review(household, plan=None, created=CREATED)
    snapshot = saved.portfolio.history[-1]
    assert snapshot.style is not None
    assert snapshot.sectors is not None
    assert sum(snapshot.style.values()) == Decimal(100)  # rounded, still exactly 100
    assert sum(snapshot.sectors.values()) == Decimal(100)
    now = style_box(household.portfolio).shares
    for cell, share in snapshot.style.items():
        assert abs(share - now[cell]) <= Decimal("0.01")
    assert snapshot.sectors.keys() <= sector_exposure(household.portfolio).shares.keys()
    assert "style = {" in saved.text
    assert "sectors = {" in saved.text
    # The earlier snapshot, written by hand, keeps its own mix.
    assert saved.portfolio.history[0].style == household.portfolio.history[0].style


def test_files_without_the_mix_or_style_targets_still_load(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text(
        '[portfolio]\nname = "Old"\nas_of = 2026-01-01\n[targets]\nBonds = 100\n'
        "[[history]]\ndate = 2025-01-01\ntotal = 1\n", encoding="utf-8",
    )
    portfolio = load(path).portfolio
    assert portfolio.history[0].style is None
    assert portfolio.style_targets is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[style_targets]\nhuge-blend = 100\n', "style_targets"),
        ('[style_targets]\nlarge-blend = 80\nsmall-blend = 30\n', "style_targets"),
        ('[[history]]\ndate = 2025-01-01\ntotal = 1\nstyle = { tiny = 5 }\n', "history"),
    ],
)
def test_a_bad_style_mix_is_reported_at_its_key(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[portfolio]\nname = "Bad"\nas_of = 2026-01-01\n[targets]\nBonds = 100\n' + text,
        encoding="utf-8",
    )
    with pytest.raises(PortfolioError) as raised:
        load(path)
    assert any(field in str(problem) for problem in raised.value.problems)
