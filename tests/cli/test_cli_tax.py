"""`rebal plan` and `rebal check` on a household with lots: the tax keys, tables and flags."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


def test_plan_json_names_each_lot_sold_its_gain_and_tax(rebal: Rebal, samples: Path) -> None:
    data = rebal("plan", samples / "taxable.toml", "--json").json()

    [sale] = [
        t for t in data["trades"] if t["account"] == "Joint Brokerage" and t["action"] == "sell"
    ]
    # The October lot at $295 a share goes first: a short-term loss, at 35%.
    assert sale["lots"] == [
        {
            "acquired": "2026-10-15",
            "shares": sale["shares"],
            "cost": sale["lots"][0]["cost"],
            "proceeds": sale["amount"],
            "gain": sale["gain"]["short"],
            "term": "short",
            "basis": "lot",
        }
    ]
    assert sale["gain"]["long"] == "0.00"
    assert data["tax"]["short_gain"] == sale["gain"]["short"]
    assert data["tax"]["estimated_tax"] == sale["tax"]
    assert data["tax"]["short_term_rate"] == "35.00"
    [roth_sale] = [
        t for t in data["trades"] if t["account"] == "Robin Roth IRA" and t["action"] == "sell"
    ]
    assert (roth_sale["lots"], roth_sale["gain"], roth_sale["tax"]) == ([], None, "0.00")
    buys = [t for t in data["trades"] if t["action"] == "buy"]
    assert all((t["lots"], t["gain"], t["tax"]) == ([], None, None) for t in buys)


def test_plan_json_flags_the_dividend_lot_and_lists_the_harvest(
    rebal: Rebal, samples: Path
) -> None:
    data = rebal("plan", samples / "taxable.toml", "--json").json()

    [warning] = data["warnings"]
    assert (warning["kind"], warning["account"], warning["ticker"]) == (
        "wash-sale",
        "Joint Brokerage",
        "VTI",
    )
    assert (warning["source"], warning["days"], warning["buy_shares"]) == ("lot", 12, "1.5")
    [harvest] = data["harvest"]
    assert (harvest["ticker"], harvest["loss"], harvest["replacement"]) == (
        "SCHZ",
        "2470.00",
        "BND",
    )
    assert harvest["traded"] is False
    assert not any(t["ticker"] == "SCHZ" for t in data["trades"])


def test_harvest_and_no_wash_sales_flags_change_the_plan(rebal: Rebal, samples: Path) -> None:
    data = rebal("plan", samples / "taxable.toml", "--json", "--harvest", "--no-wash-sales").json()

    assert data["warnings"] == []
    assert not any(t["ticker"] == "VTI" and t["action"] == "sell" for t in data["trades"])
    [swap] = [t for t in data["trades"] if t["ticker"] == "SCHZ"]
    assert (swap["action"], swap["shares"], swap["gain"]["long"]) == ("sell", "1300", "-2470.00")
    assert data["harvest"][0]["traded"] is True
    assert any("leaves $" in note for note in data["tax"]["notes"])


def test_plan_text_shows_lots_the_estimate_flags_and_harvests(rebal: Rebal, samples: Path) -> None:
    out = rebal("plan", samples / "taxable.toml").out

    assert "Lots sold in taxable accounts (as of 2026-11-20)" in out
    assert "estimated tax -123.88 (at 35.00% / 18.80%)" in out
    assert "Gain budget 5,000.00: this plan realizes a net loss of 353.94." in out
    assert "not tax advice" in out
    assert "Tax warnings" in out
    assert re.search(r"possible wash sale: selling [\d.]+ VTI in Joint Brokerage", out)
    assert "Tax-loss harvesting" in out
    assert "optional: add --harvest" in out


def test_a_trade_date_moves_the_holding_period(rebal: Rebal, samples: Path) -> None:
    data = rebal("plan", samples / "taxable.toml", "--json", "--trade-date", "2027-01-02").json()

    assert data["tax"]["date"] == "2027-01-02"
    assert data["warnings"] == []  # the dividend lot is now 55 days old
    bad = rebal("plan", samples / "taxable.toml", "--trade-date", "Jan 2")
    assert bad.code == 2
    assert "is not a date; write it as YYYY-MM-DD" in bad.err


def test_check_shows_unrealized_gains_and_the_location_table(rebal: Rebal, samples: Path) -> None:
    out = rebal("check", samples / "taxable.toml").out
    data = rebal("check", samples / "taxable.toml", "--json").json()

    assert "Unrealized gains in taxable accounts (if sold on 2026-11-20)" in out
    assert "Asset location (value by tax treatment)" in out
    assert "traditional > hsa > roth > taxable" in out
    bonds = next(row for row in data["location"] if row["class"] == "Bonds")
    assert bonds["preferred"] == ["traditional", "hsa", "roth", "taxable"]
    assert bonds["preference_from_file"] is True
    assert bonds["by_treatment"] == {
        "taxable": "30030.00",
        "traditional": "108540.00",
        "roth": "0.00",
    }
    assert bonds["in_first_choice"] == "78.33"
    us = next(
        row
        for row in data["unrealized"]
        if row["account"] == "Joint Brokerage" and row["class"] == "US Stocks"
    )
    # 601.5 VTI at 290.12 = 174,507.18 against 117,430.50 of cost.
    assert (us["value"], us["cost"]) == ("174507.18", "117430.50")
    assert us["long_gain"] == "58048.00"  # 400 x 290.12 - 58,000


def test_files_without_tax_keys_print_what_they_printed_before(rebal: Rebal, samples: Path) -> None:
    check = rebal("check", samples / "household.toml").out
    plan = rebal("plan", samples / "household.toml").out
    data = rebal("plan", samples / "household.toml", "--json").json()

    for text in (check, plan):
        assert "Asset location" not in text
        assert "Tax" not in text
        assert "Unrealized" not in text
    assert (data["tax"], data["warnings"], data["harvest"]) == (None, [], [])


def test_a_binding_gain_budget_states_the_drift_it_leaves(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    # The October VTI lot bought a year earlier at a lower price: every VTI sale is a gain.
    text = (samples / "taxable.toml").read_text()
    text = text.replace(
        "{ acquired = 2026-10-15, shares = 200, cost = 59000.00 }",
        "{ acquired = 2025-10-15, shares = 200, cost = 39000.00 }",
    ).replace("gain_budget = 5000 ", "gain_budget = 500 ")
    path = tmp_path / "capped.toml"
    path.write_text(text)

    data = rebal("plan", path, "--json").json()
    budget = data["tax"]["budget"]
    assert (budget["limit"], budget["binds"]) == ("500.00", True)
    assert float(budget["used"]) <= 500
    assert float(budget["uncapped_gain"]) > 500
    assert [d["class"] for d in budget["drift_left"]] == ["US Stocks", "International Stocks"]
    assert all(float(d["points"]) > 0 for d in budget["drift_left"])
    reasons = {r["class"]: r["reason"] for r in data["residual"]}
    assert reasons["US Stocks"].startswith("the gain budget of $500.00 limits the sales")
    out = rebal("plan", path).out
    assert re.search(r"The gain budget of 500\.00 leaves [\d.]+ points of drift in US Stocks", out)


def test_plan_json_has_a_null_budget_without_gain_budget(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    path = tmp_path / "free.toml"
    path.write_text((samples / "taxable.toml").read_text().replace("gain_budget = 5000 ", "# "))

    assert rebal("plan", path, "--json").json()["tax"]["budget"] is None


def test_a_trade_date_before_the_prices_or_far_after_them_is_refused(
    rebal: Rebal, samples: Path
) -> None:
    # Before: 0001-01-01 and 9999-12-31 printed an OverflowError traceback from the
    # wash-sale window, and 2019-01-01 sold a lot bought in 2026 seven years early.
    for date, words in (
        ("0001-01-01", "is before the prices' date 2026-11-20"),
        ("2019-01-01", "is before the prices' date 2026-11-20"),
        ("9999-12-31", "is more than a year after the prices' date 2026-11-20"),
        ("2027-11-22", "is more than a year after the prices' date 2026-11-20"),
    ):
        bad = rebal("plan", samples / "taxable.toml", "--json", "--trade-date", date)
        assert bad.code == 2, date
        assert f"--trade-date: the trade date {date} {words}" in bad.err
        assert "Traceback" not in bad.err
        assert bad.out == ""
    same_day = rebal("plan", samples / "taxable.toml", "--json", "--trade-date", "2026-11-20")
    assert same_day.code == 0
    a_year_on = rebal("plan", samples / "taxable.toml", "--json", "--trade-date", "2027-11-21")
    assert a_year_on.code == 0
