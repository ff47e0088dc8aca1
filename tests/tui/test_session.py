"""The session's pure transitions: each edit yields a new value, the old one untouched."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from rebal.core.planner.types import PlanOptions
from rebal.store.load import Loaded, load
from rebal.tui import session as ss
from tui.conftest import stand_in_plan
from tui.helpers import FIXTURES


@pytest.fixture
def loaded() -> Loaded:
    return load(FIXTURES / "household.toml")


def test_open_session_takes_the_files_targets_bands_and_limit(loaded: Loaded) -> None:
    session = ss.open_session(loaded)
    assert session.targets == loaded.portfolio.effective_targets()
    assert session.bands == loaded.portfolio.bands
    assert session.sector_limit == Decimal(25)
    assert not session.dirty
    assert not session.targets_edited
    assert session.plan_state == "idle"


def test_editing_a_target_marks_dirty_and_drops_the_plan(loaded: Loaded) -> None:
    session = ss.plan_finished(ss.open_session(loaded), stand_in_plan(loaded.portfolio,
                                                                          PlanOptions()))
    edited = ss.edit_target(session, "Bonds", Decimal(25))
    assert edited.targets["Bonds"] == Decimal(25)
    assert session.targets["Bonds"] == Decimal(20)  # the old session is unchanged
    assert edited.dirty
    assert edited.targets_edited
    assert edited.plan is None
    assert edited.plan_state == "idle"
    # The report follows the edited targets: Bonds now 5 points short.
    row = next(r for r in edited.report().classes if r.asset_class == "Bonds")
    assert row.target == Decimal(25)
    assert row.status == "under"


def test_target_check_reports_sum_negative_and_cash() -> None:
    check = ss.target_problems({"Stocks": Decimal(70), "Bonds": Decimal(25)}, "Cash")
    assert not check.ok
    assert any("sum to 95%" in e and "5 points short" in e for e in check.errors)
    assert any("no target for Cash" in n for n in check.notes)
    negative = ss.target_problems({"Stocks": Decimal(110), "Bonds": Decimal(-10)}, "Cash")
    assert any("cannot be negative" in e for e in negative.errors)
    assert any("cannot exceed 100%" in e for e in negative.errors)
    fine = ss.target_problems({"Stocks": Decimal(60), "Cash": Decimal(40)}, "Cash")
    assert fine.ok
    assert fine.total == Decimal(100)


def test_bad_targets_block_planning(loaded: Loaded) -> None:
    session = ss.edit_target(ss.open_session(loaded), "Bonds", Decimal(10))
    assert not session.can_plan


def test_band_kind_width_and_class_override(loaded: Loaded) -> None:
    session = ss.open_session(loaded)
    absolute = ss.set_band_kind(session, "absolute")
    assert absolute.bands.kind == "absolute"
    assert absolute.bands_edited
    wider = ss.set_band_width(absolute, Decimal(2))
    row = next(r for r in wider.report().classes if r.asset_class == "Bonds")
    assert (row.band.low, row.band.high) == (Decimal(18), Decimal(22))
    override = ss.set_class_band(wider, "Bonds", Decimal(1))
    assert override.bands.per_class == {"Bonds": Decimal(1)}
    assert ss.set_class_band(override, "Bonds", None).bands.per_class == {}


def test_decisions_are_recorded_replaced_and_cleared(loaded: Loaded) -> None:
    session = ss.record_decision(ss.open_session(loaded), "VB", "trim", "  too big  ")
    assert session.decisions["VB"].decision == "trim"
    assert session.decisions["VB"].note == "too big"
    assert session.dirty
    session = ss.record_decision(session, "VB", "hold-for-tax")
    assert session.decisions["VB"].decision == "hold-for-tax"
    assert "VB" not in ss.record_decision(session, "VB", None).decisions


def test_plan_lifecycle_and_options(loaded: Loaded) -> None:
    session = ss.open_session(loaded)
    running = ss.plan_started(session)
    assert running.plan_state == "running"
    failed = ss.plan_failed(running, "no way")
    assert (failed.plan_state, failed.plan_message, failed.plan) == ("failed", "no way", None)
    done = ss.plan_finished(running, stand_in_plan(loaded.portfolio, PlanOptions()))
    assert done.plan is not None
    assert done.dirty
    moved = ss.set_options(done, replace(done.options, mode="band-edge"))
    assert moved.options.mode == "band-edge"
    assert moved.plan is None


def test_planner_gets_edited_targets_only_when_edited(loaded: Loaded) -> None:
    session = ss.open_session(loaded)
    assert ss.plan_options_for(session).targets is None
    edited = ss.edit_target(ss.edit_target(session, "Bonds", Decimal(24)), "Small Cap Stock",
                            Decimal(16))
    assert ss.plan_options_for(edited).targets == dict(edited.targets)


def test_saved_keeps_the_plan_and_clears_dirty(loaded: Loaded) -> None:
    plan = stand_in_plan(loaded.portfolio, PlanOptions())
    session = ss.plan_finished(ss.open_session(loaded), plan)
    after = ss.saved(session, loaded)
    assert not after.dirty
    assert after.plan is plan


@pytest.mark.parametrize(
    ("birth_year", "today", "age", "bonds"),
    [
        (1968, dt.date(2026, 11, 24), 58, Decimal(38)),
        (2010, dt.date(2026, 1, 1), 16, Decimal(0)),  # never below 0%
        (1900, dt.date(2026, 1, 1), 126, Decimal(100)),  # never above 100%
    ],
)
def test_age_suggestion(birth_year: int, today: dt.date, age: int, bonds: Decimal) -> None:
    suggestion = ss.age_suggestion(birth_year, today)
    assert suggestion is not None
    assert (suggestion.age, suggestion.bonds) == (age, bonds)
    assert "age − 20" in suggestion.rule
    assert "nothing changes unless you apply it" in suggestion.explanation


def test_no_birth_year_no_suggestion() -> None:
    assert ss.age_suggestion(None, dt.date(2026, 1, 1)) is None


def test_adding_a_class_gives_it_a_zero_target_and_drops_the_plan(loaded: Loaded) -> None:
    session = ss.plan_finished(ss.open_session(loaded), stand_in_plan(loaded.portfolio,
                                                                          PlanOptions()))
    added = ss.add_class(session, "  Real Estate ")
    assert list(added.targets)[-1] == "Real Estate"
    assert added.targets["Real Estate"] == Decimal(0)
    assert added.dirty
    assert added.plan is None
    assert ss.add_class(added, "Real Estate") is added  # already there: no change
    # A 0% class nothing holds needs no warning; once it has a share it does.
    assert ss.classes_nothing_holds(added) == ()
    assert ss.classes_nothing_holds(ss.edit_target(added, "Real Estate", Decimal(5))) == (
        "Real Estate",
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "type the class's name"),
        ("bonds", "there is already a class named bonds"),
        ("x" * 41, "under 40 characters"),
        ("Gold\x1b]0;owned\x07", "the name holds a control character"),
        ("Gold", ""),
    ],
)
def test_a_new_class_name_is_checked(loaded: Loaded, name: str, problem: str) -> None:
    found = ss.new_class_problem(ss.open_session(loaded), name)
    assert (problem in found) if problem else found == ""


def test_the_sector_limit_is_an_unsaved_edit_until_saved(loaded: Loaded) -> None:
    session = ss.open_session(loaded)
    assert ss.set_sector_limit(session, Decimal(25)) is session  # the same value: no edit
    edited = ss.set_sector_limit(session, Decimal(20))
    assert edited.dirty
    assert edited.sector_limit_edited


def test_each_plan_request_has_its_own_token_and_options_keep_their_identity(
    loaded: Loaded,
) -> None:
    session = ss.open_session(loaded)
    first, second = ss.plan_started(session), ss.plan_started(session)
    assert first.plan_token is not None
    assert first.plan_token is not second.plan_token
    # The default options are built once per session value, and kept once chosen.
    assert session.options is session.options
    chosen = ss.set_options(session, PlanOptions(whole_shares=True))
    assert ss.plan_started(chosen).options is chosen.options
    assert ss.reopened(chosen, loaded).options.whole_shares


def test_unsaved_changes_name_what_the_file_lacks(loaded: Loaded) -> None:
    session = ss.open_session(loaded)
    assert ss.unsaved_changes(session) == ()
    planned = ss.plan_finished(ss.plan_started(session),
                               stand_in_plan(loaded.portfolio, PlanOptions()))
    decided = ss.record_decision(planned, "VB", "keep")
    assert ss.unsaved_changes(decided) == ("the full plan with 4 trades", "your holding decisions")
    limited = ss.set_sector_limit(ss.set_band_width(decided, Decimal(10)), Decimal(20))
    # A band edit drops the plan (it no longer applies), so only the edits remain.
    assert ss.unsaved_changes(limited) == (
        "your holding decisions", "the edited bands", "the sector limit (20%)"
    )
    # Once saved, the plan still on screen is in the file.
    assert ss.unsaved_changes(ss.saved(planned, loaded)) == ()


def test_changing_the_band_kind_converts_each_classs_own_width() -> None:
    session = ss.open_session(load(FIXTURES.parents[2] / "sample_portfolios" / "household.toml"))
    assert session.bands.per_class == {"Cash": Decimal(25)}  # 25% of Cash's 4%: ±1 point
    absolute = ss.set_band_kind(session, "absolute")
    assert absolute.bands.per_class == {"Cash": Decimal(1)}
    cash = next(r for r in absolute.report().classes if r.asset_class == "Cash")
    assert (cash.band.low, cash.band.high) == (Decimal(3), Decimal(5))
    back = ss.set_band_kind(absolute, "relative")
    assert back.bands.per_class == {"Cash": Decimal(25)}
    assert ss.set_band_kind(session, "5/25").bands.per_class == {"Cash": Decimal(1)}


def test_the_floor_is_an_edit(loaded: Loaded) -> None:
    edited = ss.set_band_floor(ss.open_session(loaded), Decimal("1.5"))
    assert edited.bands.floor == Decimal("1.5")
    assert edited.bands_edited
    assert edited.dirty
    small = next(r for r in edited.report().classes if r.asset_class == "Large Cap Stock")
    assert (small.band.low, small.band.high) == (Decimal("18.5"), Decimal("21.5"))


def test_removing_a_class_leaves_its_holdings_untargeted(loaded: Loaded) -> None:
    session = ss.open_session(loaded)
    removed = ss.remove_class(session, "Small Cap Stock")
    assert "Small Cap Stock" not in removed.targets
    assert removed.targets_edited
    assert removed.dirty
    assert ss.held_without_target(removed) == ("Small Cap Stock",)
    assert ss.held_without_target(session) == ()
    row = next(r for r in removed.report().classes if r.asset_class == "Small Cap Stock")
    assert row.target == 0
    assert row.status == "over"
    assert ss.target_problems(removed.targets, "Cash").errors == (
        "targets sum to 80%, 20 points short of 100%",
    )
    assert ss.remove_class(session, "No such class") is session


def test_applying_the_age_based_split_rescales_the_targets(loaded: Loaded) -> None:
    session = ss.open_session(loaded)
    assert ss.stock_target(session) == Decimal(80)
    applied = ss.apply_stock_share(session, Decimal(62))  # born 1968: 58 - 20 = 38% bonds
    assert ss.stock_target(applied) == Decimal(62)
    assert sum(applied.targets.values()) == Decimal(100)
    assert applied.targets["Bonds"] == Decimal(38)  # Bonds 20 of the 20 bonds-and-cash
    assert applied.targets["Large Cap Stock"] == Decimal("15.50")  # 20/80 of 62
    assert ss.apply_stock_share(applied, Decimal(62)) is applied


def test_one_point_is_singular(loaded: Loaded) -> None:
    targets = dict(ss.open_session(loaded).targets) | {"Bonds": Decimal(21)}
    assert ss.target_problems(targets, "Cash").errors == (
        "targets sum to 101%, 1 point over 100%",
    )
