"""Tolerance bands: seed 001's relative rule, absolute bands, 5/25, floors, edges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebal.core.bands import band_for, half_width, status
from rebal.model import Bands

D = Decimal
RELATIVE_5 = Bands(kind="relative", width=D(5))
FIVE_25 = Bands(kind="5/25")


@pytest.mark.parametrize(
    ("target", "low", "high"),
    [
        # Seed 001's table: "a 5% deviation from a percentage".
        (D(20), D(19), D(21)),
        (D(24), D("22.8"), D("25.2")),
        (D(16), D("15.2"), D("16.8")),
        (D(0), D(0), D(0)),
    ],
)
def test_seed_001_relative_bands(target: Decimal, low: Decimal, high: Decimal) -> None:
    band = band_for(target, RELATIVE_5, "Any")
    assert (band.low, band.high) == (low, high)


def test_seed_001_zero_target_breaches_on_any_holding() -> None:
    band = band_for(D(0), RELATIVE_5, "Cash")
    assert status(D(0), band, RELATIVE_5) == "in"
    assert status(D("0.0001"), band, RELATIVE_5) == "over"


@pytest.mark.parametrize(
    "policy",
    [
        Bands(kind="relative", width=D(5), floor=D(1)),
        Bands(kind="absolute", width=D(5)),
        Bands(kind="5/25"),
        Bands(kind="absolute", width=D(5), edges="outside"),
    ],
)
def test_a_zero_target_has_no_band_under_any_policy(policy: Bands) -> None:
    band = band_for(D(0), policy, "Gold")
    assert (band.low, band.high) == (D(0), D(0))
    assert status(D("0.01"), band, policy) == "over"


@pytest.mark.parametrize(
    ("target", "low", "high"),
    [
        (D(10), D("7.5"), D("12.5")),
        (D(5), D("3.75"), D("6.25")),
        (D(4), D(3), D(5)),
        (D(60), D(55), D(65)),
        (D(38), D(33), D(43)),
        (D(20), D(15), D(25)),
    ],
)
def test_five_25_is_the_smaller_of_5_points_and_25_percent(
    target: Decimal, low: Decimal, high: Decimal
) -> None:
    band = band_for(target, FIVE_25, "Any")
    assert (band.low, band.high) == (low, high)


def test_edges_are_decided_on_exact_values_not_rounded_ones() -> None:
    band = band_for(D(20), RELATIVE_5, "Large")
    # 21.004% displays as 21.00% yet is over the 19-21% band.
    assert status(D("21.004"), band, RELATIVE_5) == "over"
    assert status(D("18.9999"), band, RELATIVE_5) == "under"
    # Seed 001: out of band means "<19% or >21%", so the edges are inside.
    assert status(D(21), band, RELATIVE_5) == "in"
    assert status(D(19), band, RELATIVE_5) == "in"


def test_edges_outside_make_the_edge_itself_a_breach() -> None:
    policy = Bands(kind="absolute", width=D(5), edges="outside")
    band = band_for(D(60), policy, "Stocks")
    assert status(D(65), band, policy) == "over"
    assert status(D(55), band, policy) == "under"
    assert status(D("64.99"), band, policy) == "in"


def test_an_empty_portfolio_is_in_band() -> None:
    band = band_for(D(20), RELATIVE_5, "Any")
    assert status(None, band, RELATIVE_5) == "in"


def test_absolute_bands_are_percentage_points_clamped_to_0_and_100() -> None:
    policy = Bands(kind="absolute", width=D(5))
    band = band_for(D(20), policy, "A")
    assert (band.low, band.high) == (D(15), D(25))
    assert band_for(D(3), policy, "A").low == 0
    assert band_for(D(98), policy, "A").high == 100


def test_relative_floor_keeps_a_small_target_band_from_vanishing() -> None:
    policy = Bands(kind="relative", width=D(5), floor=D("0.5"))
    # 5% of 2% is 0.1 points, narrower than the 0.5-point floor.
    band = band_for(D(2), policy, "REITs")
    assert (band.low, band.high) == (D("1.5"), D("2.5"))
    # A wide band is not affected by the floor.
    assert half_width(D(40), policy, "Stocks") == D(2)


def test_per_class_widths_override_the_default() -> None:
    policy = Bands(kind="relative", width=D(5), per_class={"Bonds": D(10)})
    assert (band_for(D(20), policy, "Bonds").low, band_for(D(20), policy, "Bonds").high) == (
        D(18),
        D(22),
    )
    assert band_for(D(20), policy, "Stocks").high == D(21)
    absolute = Bands(kind="absolute", width=D(5), per_class={"Bonds": D(2)})
    assert band_for(D(20), absolute, "Bonds").high == D(22)


percent = st.decimals(min_value=0, max_value=100, places=4)
policies = st.builds(
    Bands,
    kind=st.sampled_from(["relative", "absolute", "5/25"]),
    width=st.decimals(min_value=0, max_value=200, places=2),
    floor=st.decimals(min_value=0, max_value=50, places=2),
    per_class=st.dictionaries(
        st.sampled_from(["A", "B"]), st.decimals(min_value=0, max_value=200, places=2)
    ),
    edges=st.sampled_from(["inside", "outside"]),
    absolute=st.decimals(min_value=0, max_value=50, places=2),
    relative=st.decimals(min_value=0, max_value=200, places=2),
)


@given(percent, policies, st.sampled_from(["A", "B", "C"]))
def test_every_band_contains_its_target_within_0_and_100(
    target: Decimal, policy: Bands, asset_class: str
) -> None:
    band = band_for(target, policy, asset_class)
    assert 0 <= band.low <= target <= band.high <= 100
    assert status(target, band, policy) == "in"


@given(percent)
def test_five_25_equals_relative_25_below_20_and_5_points_from_20(target: Decimal) -> None:
    five_25 = band_for(target, FIVE_25, "A")
    rule = (
        Bands(kind="relative", width=D(25)) if target < 20 else Bands(kind="absolute", width=D(5))
    )
    expected = band_for(target, rule, "A")
    assert (five_25.low, five_25.high) == (expected.low, expected.high)


@given(percent, percent, policies)
def test_status_agrees_with_the_exact_band(target: Decimal, actual: Decimal, policy: Bands) -> None:
    band = band_for(target, policy, "A")
    result = status(actual, band, policy)
    if result == "over":
        assert actual > target
        assert actual >= band.high
    elif result == "under":
        assert actual < target
        assert actual <= band.low
    elif policy.edges == "inside":
        assert band.low <= actual <= band.high
    else:
        assert actual == target or band.low < actual < band.high


def test_the_pair_is_the_smaller_of_absolute_points_and_relative_percent() -> None:
    # Lakshmi's `-a 3 -r 20`: a 10% target gets 8..12 (20% of it), a 40% one 37..43.
    pair = Bands(kind="5/25", absolute=D(3), relative=D(20))
    assert (band_for(D(10), pair, "A").low, band_for(D(10), pair, "A").high) == (D(8), D(12))
    assert (band_for(D(40), pair, "A").low, band_for(D(40), pair, "A").high) == (D(37), D(43))
    # The defaults are Swedroe's 5 and 25: a file without the keys behaves as before.
    assert Bands(kind="5/25") == Bands(kind="5/25", absolute=D(5), relative=D(25))


def test_per_class_overrides_apply_under_the_pair_in_points() -> None:
    pair = Bands(kind="5/25", per_class={"Gold": D(1)})
    assert (band_for(D(10), pair, "Gold").low, band_for(D(10), pair, "Gold").high) == (D(9), D(11))
    assert band_for(D(10), pair, "Stocks").high == D("12.5")  # the others keep the rule


@pytest.mark.parametrize(
    ("policy", "edge_is_in"),
    [
        (Bands(kind="5/25", absolute=D(3), relative=D(20)), True),
        (Bands(kind="5/25", absolute=D(3), relative=D(20), edges="outside"), False),
    ],
)
def test_exactly_at_the_edge_of_a_pair_band(policy: Bands, edge_is_in: bool) -> None:
    # Documented in docs/portfolio-format.md: with the default edges = "inside"
    # exactly 43% of a 37..43% band is in band; with "outside" it is over.
    band = band_for(D(40), policy, "A")
    assert status(D(43), band, policy) == ("in" if edge_is_in else "over")
    assert status(D(37), band, policy) == ("in" if edge_is_in else "under")
    assert status(D("43.0001"), band, policy) == "over"
