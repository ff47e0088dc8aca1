"""Asset location: default preferences by class name, the file's ranks, and where classes live."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rebal.core.tax.gains import unrealized
from rebal.core.tax.location import location_table, preference
from rebal.model import Portfolio

D = Decimal


def household(location: dict[str, list[str]] | None = None) -> Portfolio:
    return Portfolio.model_validate(
        {
            "portfolio": {"name": "t", "as_of": "2026-11-20"},
            "targets": {"US Stocks": 60, "Bonds": 40},
            "securities": {
                "VTI": {"price": "100", "class": "US Stocks"},
                "BND": {"price": "50", "class": "Bonds"},
                "BAL": {"price": "10", "classes": {"US Stocks": 60, "Bonds": 40}},
            },
            "accounts": [
                {
                    "name": "Brokerage",
                    "kind": "taxable",
                    "holdings": {"VTI": 10, "BND": 20, "BAL": 100},
                    "lots": {"VTI": [{"acquired": "2025-11-20", "shares": 10, "cost": "800"}]},
                    "cost_basis": {"BAL": "1200"},
                },
                {"name": "IRA", "kind": "traditional", "holdings": {"BND": 60}},
            ],
            "location": location or {},
        }
    )


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Bonds", "traditional"),
        ("REITs", "traditional"),
        ("US Small Value", "roth"),
        ("International Stocks", "taxable"),
        ("US Stocks", "taxable"),
        ("Cash", "taxable"),
    ],
)
def test_default_preference_follows_the_bogleheads_order(name: str, first: str) -> None:
    order, from_file = preference(household(), name)

    assert order[0] == first
    assert not from_file
    assert preference(household(), "Gold") == ((), False)


def test_the_location_table_splits_funds_by_class_and_compares_with_the_first_choice() -> None:
    rows = {row.asset_class: row for row in location_table(household())}

    # Bonds: 20 BND (1,000) + 40% of BAL (400) taxable; 60 BND (3,000) traditional.
    assert rows["Bonds"].by_treatment == {"taxable": D(1400), "traditional": D(3000)}
    assert rows["Bonds"].first_choice == "traditional"
    assert rows["Bonds"].in_first_choice is not None
    assert round(rows["Bonds"].in_first_choice, 4) == D("68.1818")  # 3,000 of 4,400
    assert rows["US Stocks"].in_first_choice == D(100)


def test_the_file_ranks_override_the_default() -> None:
    rows = {r.asset_class: r for r in location_table(household({"Bonds": ["roth", "taxable"]}))}

    # No Roth in the household: the first choice present is taxable.
    assert rows["Bonds"].preferred == ("roth", "taxable")
    assert rows["Bonds"].from_file
    assert rows["Bonds"].first_choice == "taxable"


def test_unrealized_gains_by_class_with_terms_on_the_date() -> None:
    rows = {r.asset_class: r for r in unrealized(household(), dt.date(2026, 11, 20))}

    # VTI: 1,000 against 800, bought exactly a year ago: short-term. BAL: 1,000 against
    # 1,200 (cost_basis, undated: short-term), split 60/40.
    assert (rows["US Stocks"].value, rows["US Stocks"].cost) == (D("1600.00"), D("1520.00"))
    assert (rows["US Stocks"].short, rows["US Stocks"].long) == (D("80.00"), D("0.00"))
    assert (rows["Bonds"].short, rows["Bonds"].unknown_value) == (D("-80.00"), D("1000.00"))
    later = {r.asset_class: r for r in unrealized(household(), dt.date(2026, 11, 21))}
    assert later["US Stocks"].long == D("200.00")
