"""The view model (rebal.tui.view): each pane's slice of a session, without Textual.

Golden figures from the sample household, as the steps showed them before the
view existed; an edit makes a new view whose slices follow it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.present.figures import money, percent
from rebal.store.load import Loaded, load
from rebal.tui.session import edit_target, open_session, record_decision, set_sector_limit
from rebal.tui.view import View, view_of
from rebal.tui.widgets.account_drift import render_account_drift
from rebal.tui.widgets.age_hint import render_age_hint
from rebal.tui.widgets.band_policy import render_band_policy
from rebal.tui.widgets.holdings import render_detail
from rebal.tui.widgets.returns import return_text
from rebal.tui.widgets.sectors import sectors_note
from rebal.tui.widgets.style_box import render_style_box

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def household() -> Loaded:
    return load(SAMPLES / "household.toml")


@pytest.fixture
def view(household: Loaded) -> View:
    return View(open_session(household), TODAY)


def test_step1_slices(view: View) -> None:
    rows = {row.asset_class: row for row in view.classes.rows}
    assert list(rows) == ["US Stocks", "US Small Stocks", "International Stocks", "Bonds", "Cash"]
    assert percent(rows["US Stocks"].actual, 1) == "66.9%"
    assert view.target_check.check.ok
    assert view.target_check.check.total == 100
    assert view.target_check.untargeted == view.target_check.unheld == ()
    policy = view.band_policy
    assert policy.example is not None
    assert policy.example.asset_class == "US Stocks"
    [cash] = policy.own_widths
    assert (cash.asset_class, cash.width, cash.band.low, cash.band.high, cash.unused) == (
        "Cash", 25, 3, 5, False)
    text = render_band_policy(policy).plain
    assert text.startswith("Bands: relative, 5% of each target either side (so US Stocks")
    assert "Own widths: Cash 25% of its target (4% → 3.00–5.00%)" in text


def test_the_age_hint_beside_the_split_now_and_in_the_targets(view: View) -> None:
    age = view.age
    assert age is not None
    assert (age.suggestion.age, age.suggestion.bonds, age.stocks_target) == (54, 34, 77)
    assert age.stocks_suggested == 66
    assert age.applies_a_change
    words = " ".join(render_age_hint(age).plain.split())
    assert "now 82.1% / 17.9%" in words
    assert "your targets 77% / 23%" in words
    assert "age-based 66% / 34%" in words


def test_step2_slices(view: View) -> None:
    assert next(label for label, _, _ in view.charts.rows) == "US Stocks"
    assert percent(view.charts.scale, 1) == "66.9%"
    assert money(view.shift.amount, view.shift.currency) == "$94,500.78"
    drift = render_account_drift(view.account_drift).plain
    assert drift.startswith("US Stocks +$94,501 above target, most of the excess in Jordan 401(k)")
    assert view.by_account.classes[0] == "US Stocks"
    assert view.by_account.rows[0] == (
        "Jordan 401(k)", ("$270,035.00", "$0.00", "$14,687.50", "$53,297.50", "$10,000.00"))
    assert view.returns.weighted is not None
    assert percent(view.returns.weighted.weighted, 1) == "13.0%"
    assert return_text(view.returns).plain == (
        "Weighted-average return since 2025-11-20: 13.0%  ($702,573.95 → $793,894.95; each "
        "class's return weighted by its share at the last review)")
    assert view.history.periods == ()  # one snapshot: no period between two


def test_step3_style_box_now_then_and_target(view: View) -> None:
    box = view.style_box
    assert box.comparison.then_date == "2025-11-20"
    assert box.comparison.most_moved == ("small-blend", "large-blend", "large-growth")
    small = box.comparison.combined("small")
    assert (percent(small.now, 1), percent(small.then, 1), percent(small.target, 1)) == (
        "11.1%", "10.1%", "10.0%")
    text = render_style_box(box).plain
    assert "Small-cap       11.1%     10.1%   +1.0     10.0%   +1.1" in text
    assert "Small-cap stocks are a larger share than then: 1 point more." in text


def test_step3_sectors_against_the_last_review(view: View) -> None:
    sectors = view.sectors
    assert (percent(sectors.coverage, 1), sectors.limit, sectors.flagged) == ("100.0%", 30, ())
    first = sectors.rows[0]
    assert (first.sector, percent(first.share, 1), first.then, first.over) == (
        "Information Technology", "28.7%", Decimal("26.9"), False)
    assert sectors.rows[-1].sector == "Unclassified"
    assert all(row.share for row in sectors.rows)
    note = sectors_note(sectors).plain
    assert "Limit 30% (l to change): no sector above it" in note
    assert note.endswith("Then = the last review, 2025-11-20.")


def test_a_lower_sector_limit_flags_the_sectors_above_it(household: Loaded) -> None:
    view = View(set_sector_limit(open_session(household), Decimal(14)), TODAY)
    assert view.sectors.flagged == ("Information Technology", "Financials")
    assert [row.over for row in view.sectors.rows[:3]] == [True, True, False]


def test_step3_holdings_and_a_decision(household: Loaded) -> None:
    session = open_session(household)
    before = View(session, TODAY).holdings
    assert before.rows[0].cells == (
        "VTI", "$261,108.00", "32.9%", "16.1%", "·", "US Stocks",
        "Jordan Traditional IRA, Joint Brokerage", "Vanguard Total Stock Market ETF", "")
    assert before.rows[2].cells[5] == "US Stocks 38%, International Stocks 25%, Bonds 37%"
    decided = View(record_decision(session, "VTI", "trim", "too big"), TODAY)
    assert decided.holdings.decisions == 1
    assert decided.holdings.rows[0].cells[4] == "trim"
    assert decided.holdings.rows[0].decided
    assert decided.holdings.rows[0].cells[-1] == "too big"
    detail = decided.holding_detail("VTI")
    assert detail is not None
    assert render_detail(detail).plain == (
        "VTI — Vanguard Total Stock Market ETF: US Stocks; held in Jordan Traditional IRA "
        "$87,036.00, Joint Brokerage $174,072.00; 16.1% since 2025-11-20; decided: trim "
        "(too big)")
    assert decided.holding_detail("NOPE") is None


def test_the_tax_view_follows_the_files_tax_keys(household: Loaded) -> None:
    assert not View(open_session(household), TODAY).tax.shown
    taxable = View(open_session(load(SAMPLES / "taxable.toml")), TODAY).tax
    assert taxable.shown
    assert taxable.gains.table is not None
    assert taxable.location is not None


def test_an_edit_makes_a_view_whose_slices_follow_it(household: Loaded) -> None:
    session = open_session(household)
    edited = View(edit_target(session, "US Stocks", Decimal(50)), TODAY)
    assert edited.target_check.check.total == 95
    assert not edited.target_check.check.ok
    assert edited.classes.rows[0].target == 50
    assert edited.age is not None
    assert edited.age.stocks_target == 72
    # Step 3's split is read against the targets as edited (it read the file's before).
    assert (edited.stocks.split.stocks_target, edited.stocks.split.bonds_and_cash_target) == (
        72, 28)
    # What the holdings alone decide is shared between the two views, not derived again.
    unedited = View(session, TODAY).stocks.split
    assert edited.stocks.split.stocks == unedited.stocks
    assert edited.sectors.rows[0].share is View(session, TODAY).sectors.rows[0].share


def test_one_view_per_session_and_its_slices_on_demand(household: Loaded) -> None:
    session = open_session(household)
    view = view_of(session, TODAY)
    assert view_of(session, TODAY) is view
    assert view_of(edit_target(session, "Bonds", Decimal(20)), TODAY) is not view
    assert not view.built(("sectors",))
    view.build(("sectors", "holdings"))
    assert view.built(("sectors", "holdings"))


def test_the_view_never_imports_textual() -> None:
    code = "import rebal.tui.view, sys; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("name", ["household", "taxable", "seed_return", "seed_bands",
                                  "generated"])
def test_the_household_in_one_account_gives_the_same_split_style_box_and_sectors(
    name: str, tmp_path: Path
) -> None:
    """Step 3's first three views value each fund once (the household folded into one
    account): every figure equals the one from each account's positions, exactly."""
    from rebal.core.allocation import sector_exposure, stocks_versus_safe, style_box
    from rebal.tui.view.alignment import in_one_account
    from tui.test_responsive import generated_household

    path = (generated_household(tmp_path, 40, 1_200) if name == "generated"
            else SAMPLES / f"{name}.toml")
    portfolio = load(path).portfolio
    whole = in_one_account(portfolio)
    assert len(whole.accounts) == 1
    assert whole is in_one_account(portfolio)  # kept per file read
    assert stocks_versus_safe(whole) == stocks_versus_safe(portfolio)
    assert style_box(whole) == style_box(portfolio)
    assert sector_exposure(whole) == sector_exposure(portfolio)
