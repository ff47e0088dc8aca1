"""Drift by account, the style box against then and target, targets rescaled to a stock share,
and per-class widths converted across band kinds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.test_allocation import HOUSEHOLD
from rebal.core.allocation import compare_style_box, drift_by_account, rescale_to_stock_share
from rebal.core.bands import band_for, width_keeping_band
from rebal.model import Bands

D = Decimal


def test_drift_by_account_splits_each_excess_by_the_account_holding_it() -> None:
    rows = {row.asset_class: row for row in drift_by_account(HOUSEHOLD, HOUSEHOLD.targets)}
    # US Stocks: $4,200 held against 50% of $6,500 = $3,250, so $950 over: the IRA
    # holds $2,000 against half its $3,100, the taxable $2,200 against half its $3,400.
    assert rows["US Stocks"].excess == D(950)
    assert rows["US Stocks"].by_account == {"IRA": D(450), "Taxable": D(500)}
    assert rows["US Stocks"].largest == "Taxable"
    assert rows["Bonds"].excess == D(-800)
    assert rows["Bonds"].by_account == {"IRA": D(-240), "Taxable": D(-560)}
    assert rows["Bonds"].largest == "Taxable"  # the larger shortfall
    assert rows["Cash"].by_account == {"IRA": D(-210), "Taxable": D(60)}
    for row in rows.values():
        assert sum(row.by_account.values()) == row.excess


def test_an_untargeted_class_is_all_excess() -> None:
    targets = {"US Stocks": D(60), "Bonds": D(40)}
    rows = {row.asset_class: row for row in drift_by_account(HOUSEHOLD, targets)}
    assert rows["Cash"].excess == D(500)


def test_style_box_against_then_and_target_marks_the_cells_that_moved_most() -> None:
    now = {"large-blend": D(60), "small-blend": D(25), "small-growth": D(15)}
    then = {"large-blend": D(70), "small-blend": D(20), "small-growth": D(10)}
    target = {"large-blend": D(75), "small-blend": D(25)}
    comparison = compare_style_box(now, then, "2025-11-20", target)
    assert comparison.most_moved == ("large-blend", "small-blend", "small-growth")
    assert comparison.cells["large-blend"].moved == D(-10)
    assert comparison.cells["large-blend"].off_target == D(-15)
    small = comparison.combined("small")
    # The review's question: a larger stake in small caps than before? Yes, 10 points.
    assert (small.now, small.then, small.moved) == (D(40), D(30), D(10))
    assert comparison.combined("growth").target == D(0)
    assert not comparison.changed("mid-value")  # unmoved cells are never marked


def test_style_box_without_a_snapshot_ranks_by_distance_to_target() -> None:
    comparison = compare_style_box({"large-blend": D(90), "small-blend": D(10)}, None, None,
                                   {"large-blend": D(80), "small-blend": D(20)})
    assert comparison.then_date is None
    assert comparison.cells["large-blend"].moved is None
    assert comparison.most_moved == ("large-blend", "small-blend")
    assert compare_style_box({"large-blend": D(100)}, None, None, None).most_moved == ()


def test_rescale_keeps_proportions_on_each_side() -> None:
    targets = {"US": D(40), "Intl": D(20), "Bonds": D(30), "Cash": D(10)}
    result = rescale_to_stock_share(targets, {"US", "Intl"}, D(66))
    assert result == {"US": D(44), "Intl": D(22), "Bonds": D("25.50"), "Cash": D("8.50")}


def test_rescale_needs_a_class_on_each_side_that_gets_a_share() -> None:
    assert rescale_to_stock_share({"US": D(100)}, {"US"}, D(60)) is None
    assert rescale_to_stock_share({"US": D(100)}, {"US"}, D(100)) == {"US": D(100)}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 60), min_size=1, max_size=4),
    st.lists(st.integers(1, 60), min_size=1, max_size=4),
    st.integers(0, 100),
)
def test_rescaled_targets_always_sum_to_exactly_100(
    stocks: list[int], safe: list[int], share: int
) -> None:
    targets = {f"S{i}": D(v) for i, v in enumerate(stocks)} | {
        f"B{i}": D(v) for i, v in enumerate(safe)
    }
    result = rescale_to_stock_share(targets, {f"S{i}" for i in range(len(stocks))}, D(share))
    assert result is not None
    assert sum(result.values()) == D(100)
    assert sum(v for k, v in result.items() if k.startswith("S")) == D(share)
    assert all(v >= 0 for v in result.values())


@pytest.mark.parametrize(
    ("old", "new_kind", "target", "expected"),
    [
        (Bands(kind="relative", per_class={"Cash": D(25)}), "absolute", D(4), D(1)),
        (Bands(kind="absolute", per_class={"Cash": D(1)}), "relative", D(4), D(25)),
        (Bands(kind="5/25"), "absolute", D(40), D(5)),  # min(5, 25% of 40)
        # 5/25's own widths are points too: 25% of 4% is 1 point.
        (Bands(kind="relative", per_class={"Cash": D(25)}), "5/25", D(4), D(1)),
        (Bands(kind="5/25", per_class={"Cash": D(1)}), "relative", D(4), D(25)),
        (Bands(kind="relative", per_class={"Cash": D(25)}), "absolute", D(0), None),
    ],
)
def test_a_per_class_width_converted_keeps_its_band(
    old: Bands, new_kind: str, target: Decimal, expected: Decimal | None
) -> None:
    width = width_keeping_band(target, old, new_kind, "Cash")  # type: ignore[arg-type]
    assert width == expected
    if width is not None:
        new = Bands(kind=new_kind, per_class={"Cash": width})  # type: ignore[arg-type]
        assert band_for(target, new, "Cash") == band_for(target, old, "Cash")
