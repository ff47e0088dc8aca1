"""Where the money is: classes (split funds, cash once, unclassified kept), style box, sectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core.allocation import (
    account_class_exposure,
    class_exposure,
    concentrated_sectors,
    holdings_one_by_one,
    sector_exposure,
    stocks_versus_safe,
    style_box,
)
from rebal.core.numbers import div, exact_context
from rebal.core.report import build_report
from rebal.core.valuation import account_value, holding_values, household_total
from rebal.model import UNCLASSIFIED, Portfolio
from rebal.model.constants import STYLE_CELLS
from rebal.store.load import load

D = Decimal
EXACT = D("1e-40")


def make(
    securities: dict[str, dict[str, Any]],
    accounts: list[dict[str, Any]],
    targets: dict[str, Any] | None = None,
    **extra: Any,
) -> Portfolio:
    return Portfolio.model_validate(
        {
            "portfolio": {"name": "Test", "as_of": dt.date(2026, 11, 20), **extra},
            "targets": targets if targets is not None else {"US Stocks": 60, "Bonds": 40},
            "securities": securities,
            "accounts": accounts,
        }
    )


HOUSEHOLD = make(
    {
        "VTI": {
            "price": "200",
            "class": "US Stocks",
            "style": "large-blend",
            "sectors": {"Technology": 30, "Financials": 20, "Health": 50},
        },
        "BND": {"price": "50", "class": "Bonds"},
        # A balanced fund, 60% stocks and 40% bonds, with hand-written style weights.
        "VBIAX": {
            "price": "40",
            "classes": {"US Stocks": 60, "Bonds": 40},
            "style": {"large-growth": 50, "small-value": 25},
        },
        "VMFXX": {"price": "1", "class": "Cash"},
    },
    [
        {"name": "IRA", "kind": "traditional", "cash": "100", "holdings": {"VTI": 10, "BND": 20}},
        {
            "name": "Taxable",
            "kind": "taxable",
            "cash": "0",
            "holdings": {"VTI": 5, "VBIAX": 50, "VMFXX": 400},
        },
    ],
    {"US Stocks": 50, "Bonds": 40, "Cash": 10},
)


def test_values_per_holding_account_and_household() -> None:
    values = [(h.account, h.ticker, h.value) for h in holding_values(HOUSEHOLD)]
    assert values == [
        ("IRA", "VTI", D(2000)),
        ("IRA", "BND", D(1000)),
        ("Taxable", "VTI", D(1000)),
        ("Taxable", "VBIAX", D(2000)),
        ("Taxable", "VMFXX", D(400)),
    ]
    assert account_value(HOUSEHOLD, HOUSEHOLD.account("IRA")) == D(3100)
    assert household_total(HOUSEHOLD) == D(6500)


def test_split_funds_count_by_weight_and_account_cash_once_in_the_cash_class() -> None:
    exposure = class_exposure(HOUSEHOLD)
    # VTI 3000 + 60% of VBIAX 2000; BND 1000 + 40% of 2000; 100 IRA cash + 400 money market.
    assert exposure == {"US Stocks": D(4200), "Bonds": D(1800), "Cash": D(500)}
    assert sum(exposure.values()) == household_total(HOUSEHOLD)


def test_exposure_per_account() -> None:
    assert account_class_exposure(HOUSEHOLD) == {
        "IRA": {"US Stocks": D(2000), "Bonds": D(1000), "Cash": D(100)},
        "Taxable": {"US Stocks": D(2200), "Bonds": D(800), "Cash": D(400)},
    }


def test_hand_rounded_split_weights_are_scaled_to_exactly_100_percent() -> None:
    portfolio = make(
        {"THIRDS": {"price": "1", "classes": {"A": "33.33", "B": "33.33", "C": "33.33"}}},
        [{"name": "IRA", "holdings": {"THIRDS": 300}}],
        {"A": "33.34", "B": "33.33", "C": "33.33"},
    )
    exposure = class_exposure(portfolio)
    assert UNCLASSIFIED not in exposure
    assert exposure["A"] == exposure["B"] == exposure["C"]
    assert abs(exposure["A"] - 100) < EXACT
    assert all(row.status == "in" for row in build_report(portfolio).classes)


def test_an_unclassified_holding_stays_in_the_total_and_shows_as_drift() -> None:
    portfolio = make(
        {"VTI": {"price": "100", "class": "US Stocks"}, "MYSTERY": {"price": "100"}},
        [{"name": "IRA", "holdings": {"VTI": 6, "MYSTERY": 4}}],
        {"US Stocks": 100},
    )
    exposure = class_exposure(portfolio)
    assert exposure == {"US Stocks": D(600), UNCLASSIFIED: D(400)}
    rows = {row.asset_class: row for row in build_report(portfolio).classes}
    assert rows["US Stocks"].actual == 60  # not inflated to 100% by dropping MYSTERY
    assert rows[UNCLASSIFIED].target == 0
    assert rows[UNCLASSIFIED].status == "over"


def test_a_zero_price_holding_is_worth_nothing() -> None:
    portfolio = make(
        {
            "VTI": {"price": "100", "class": "US Stocks"},
            "DELISTED": {"price": "0", "class": "Bonds"},
        },
        [{"name": "IRA", "holdings": {"VTI": 1, "DELISTED": 1000}}],
    )
    assert class_exposure(portfolio) == {"US Stocks": D(100), "Bonds": D(0)}
    assert household_total(portfolio) == D(100)


def test_style_box_covers_equity_with_style_data_and_sums_to_100() -> None:
    view = style_box(HOUSEHOLD)
    # Equity: VTI 3000 (large-blend), 60% of VBIAX = 1200 (50% large-growth, 25% small-value).
    assert view.equity_total == D(4200)
    assert view.covered == D(4200)
    assert view.coverage == 100
    assert set(STYLE_CELLS) <= set(view.shares)
    assert view.shares["large-blend"] == div(D(300000), D(4200))
    assert view.shares["large-growth"] == div(D(60000), D(4200))
    assert view.shares["small-value"] == div(D(30000), D(4200))
    # The 25% of VBIAX's equity with no style cell is kept, as Unclassified.
    assert view.shares[UNCLASSIFIED] == div(D(30000), D(4200))
    with localcontext(exact_context()):
        assert abs(sum(view.shares.values(), D(0)) - 100) < EXACT


def test_sectors_look_through_with_the_share_of_equity_they_cover() -> None:
    view = sector_exposure(HOUSEHOLD)
    assert view.covered == D(3000)  # only VTI carries sector data
    assert view.coverage == div(D(300000), D(4200))
    assert view.shares == {"Technology": 30, "Financials": 20, "Health": 50}
    assert concentrated_sectors(view, D(25)) == ["Health", "Technology"]


def test_all_cash_portfolio_has_empty_style_box_and_sectors_not_nan() -> None:
    portfolio = make({}, [{"name": "IRA", "cash": "5000"}], {"Cash": 100})
    for view in (style_box(portfolio), sector_exposure(portfolio)):
        assert view.shares == {}
        assert view.equity_total == 0
        assert view.coverage is None
    split = stocks_versus_safe(portfolio)
    assert (split.stocks, split.bonds_and_cash, split.total) == (D(0), D(5000), D(5000))


def test_empty_portfolio_has_undefined_percentages() -> None:
    portfolio = make({}, [])
    report = build_report(portfolio)
    assert report.total == 0
    assert [row.actual for row in report.classes] == [None, None]
    assert all(row.status == "in" for row in report.classes)
    assert all(row.drift is None for row in report.classes)
    assert style_box(portfolio).coverage is None
    assert holdings_one_by_one(portfolio) == []


def test_stocks_versus_bonds_and_cash() -> None:
    split = stocks_versus_safe(HOUSEHOLD)
    assert (split.stocks, split.bonds_and_cash, split.other) == (D(4200), D(2300), D(0))
    assert (split.stocks_target, split.bonds_and_cash_target) == (D(50), D(50))


def test_equity_classes_can_be_named_in_the_file() -> None:
    portfolio = make(
        {"VNQ": {"price": "100", "class": "REITs"}, "BND": {"price": "100", "class": "Bonds"}},
        [{"name": "IRA", "holdings": {"VNQ": 1, "BND": 1}}],
        {"REITs": 50, "Bonds": 50},
        equity_classes=["REITs"],
    )
    assert stocks_versus_safe(portfolio).stocks == D(100)


def test_holdings_one_by_one_combine_accounts_largest_first() -> None:
    rows = holdings_one_by_one(HOUSEHOLD)
    assert [row.ticker for row in rows] == ["VTI", "VBIAX", "BND", "VMFXX"]
    vti = rows[0]
    assert vti.value == D(3000)
    assert vti.accounts == {"IRA": D(2000), "Taxable": D(1000)}
    assert vti.weight == div(D(300000), D(6500))
    assert vti.growth is None  # no snapshot


# --- properties -------------------------------------------------------------

CLASSES = ["US Stocks", "Intl Stocks", "Bonds", "Cash"]
prices = st.decimals(min_value=0, max_value=D(5000), places=2)
shares = st.decimals(min_value=0, max_value=D(100000), places=4)


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    securities: dict[str, dict[str, Any]] = {}
    for index in range(draw(st.integers(1, 5))):
        spec: dict[str, Any] = {"price": draw(prices)}
        kind = draw(st.sampled_from(["one", "split", "none"]))
        if kind == "one":
            spec["class"] = draw(st.sampled_from(CLASSES))
        elif kind == "split":
            first = draw(st.decimals(min_value=1, max_value=99, places=2))
            spec["classes"] = {"US Stocks": first, "Bonds": 100 - first}
        style = draw(st.sampled_from(["none", "cell", "weights"]))
        if style == "cell":
            spec["style"] = draw(st.sampled_from(STYLE_CELLS))
        elif style == "weights":
            spec["style"] = draw(
                st.dictionaries(
                    st.sampled_from(STYLE_CELLS),
                    st.decimals(min_value=0, max_value=25, places=2),
                    min_size=1,
                    max_size=4,
                )
            )
        securities[f"S{index}"] = spec
    accounts = [
        {
            "name": f"A{index}",
            "cash": draw(st.decimals(min_value=-1000, max_value=D(100000), places=2)),
            "holdings": draw(st.dictionaries(st.sampled_from(sorted(securities)), shares)),
        }
        for index in range(draw(st.integers(1, 3)))
    ]
    return make(securities, accounts, {"US Stocks": 50, "Bonds": 40, "Cash": 10})


@settings(max_examples=150, deadline=None)
@given(portfolios())
def test_class_percentages_sum_to_exactly_100(portfolio: Portfolio) -> None:
    report = build_report(portfolio)
    total = household_total(portfolio)
    if total == 0:
        assert all(row.actual is None for row in report.classes)
        return
    # 50 significant digits: exact to 1e-40 for any realistic size, and to the
    # last digit kept when an overdraft makes the total tiny beside its parts.
    largest = max(abs(row.actual or D(0)) for row in report.classes)
    with localcontext(exact_context()):
        assert abs(sum((row.value for row in report.classes), D(0)) - total) <= (
            abs(total) + 1
        ) * D("1e-45")
        assert abs(sum((row.actual or D(0) for row in report.classes), D(0)) - 100) < EXACT * max(
            D(1), largest / 100
        )


@settings(max_examples=150, deadline=None)
@given(portfolios())
def test_style_grid_sums_to_100_percent_of_covered_equity_or_is_empty(
    portfolio: Portfolio,
) -> None:
    view = style_box(portfolio)
    if view.covered == 0:
        assert view.shares == {}
        return
    assert 0 < view.covered <= view.equity_total
    with localcontext(exact_context()):
        assert abs(sum(view.shares.values(), D(0)) - 100) < EXACT
    assert all(share >= 0 for share in view.shares.values())


def test_a_zero_weight_in_a_split_fund_adds_no_class_row() -> None:
    portfolio = make(
        {"FUND": {"price": "1", "classes": {"US Stocks": 100, "Gold": 0}}},
        [{"name": "IRA", "holdings": {"FUND": 10}}],
        {"US Stocks": 100},
    )
    assert "Gold" not in portfolio.effective_targets()
    assert [row.asset_class for row in build_report(portfolio).classes] == ["US Stocks"]


def test_growth_per_holding_since_the_snapshot(samples: Path) -> None:
    rows = holdings_one_by_one(load(samples / "seed_return.toml").portfolio)
    growth = {row.ticker: row.growth for row in rows}
    assert growth == {"STOCKFUND": D(10), "BONDFUND": D("7.5"), "MMF": D("5.5")}
