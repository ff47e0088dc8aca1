"""The session transitions around a saved plan: it is the current plan until the user asks
for a new one, options wait for that request, and going back drops the new plan."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from rebal.cli import main
from rebal.core.planner import plan as make_plan
from rebal.core.planner.types import PlanOptions
from rebal.store.load import load
from rebal.tui import session as ss

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
SAVED_OPTIONS = PlanOptions(
    mode="cash-flow", new_money={"Joint Brokerage": Decimal(20000)}, whole_shares=True,
    min_trade=Decimal(500),
)


def planned(session: ss.Session) -> ss.Session:
    """What the app does on r: ask, then finish with the planner's answer."""
    asked = ss.plan_started(ss.new_plan_wanted(session))
    return ss.plan_finished(asked, make_plan(asked.loaded.portfolio, ss.plan_options_for(asked)))


def test_a_reopened_file_shows_its_saved_plan_and_nothing_to_save(reopened: ss.Session) -> None:
    assert reopened.shows_saved_plan
    assert not reopened.plans_on_its_own
    assert not reopened.dirty
    assert reopened.options == SAVED_OPTIONS
    assert ss.changes_since_saved_plan(reopened) == ()
    assert reopened.plan_to_save is None


def test_options_changed_over_the_saved_plan_wait_for_a_new_plan(reopened: ss.Session) -> None:
    changed = ss.set_options(reopened, replace(reopened.options, min_trade=Decimal(0),
                                               mode="full"))
    assert changed.shows_saved_plan
    assert not changed.plans_on_its_own  # step 4 does not plan by itself
    assert not changed.dirty
    assert ss.changes_since_saved_plan(changed) == ("mode cash-flow → full",
                                                    "minimum trade $500.00 → $0.00")


def test_a_new_plan_making_the_saved_trades_keeps_the_saved_plan(reopened: ss.Session) -> None:
    again = planned(reopened)
    assert again.shows_saved_plan
    assert again.plan is not None  # kept for the summary of the saved plan
    assert not again.dirty
    assert again.plan_to_save is None
    assert not ss.replacing_saved_plan(again).needs_consent


def test_a_different_new_plan_is_unsaved_and_going_back_drops_it(reopened: ss.Session) -> None:
    decided = ss.record_decision(reopened, "VTI", "keep")
    options = replace(decided.options, new_money={"Joint Brokerage": Decimal(15000)})
    new = planned(ss.set_options(decided, options))
    assert not new.shows_saved_plan
    assert new.dirty
    assert new.plan_to_save is new.plan
    assert [n for n, _ in ss.replacing_saved_plan(new).lost_placed] == [2]
    back = ss.back_to_saved(new)
    assert back.shows_saved_plan
    assert back.plan is None
    assert back.options == SAVED_OPTIONS  # the saved plan's options again
    assert back.dirty  # the decision is still to be saved
    assert ss.unsaved_changes(back) == ("your holding decisions",)
    assert ss.unsaved_changes(ss.record_decision(back, "VTI", None)) == ()


def test_while_a_new_plan_is_made_the_saved_plan_stays_listed(reopened: ss.Session) -> None:
    running = ss.plan_started(ss.new_plan_wanted(reopened))
    assert running.plans_on_its_own
    assert running.shows_saved_plan  # no new plan yet: the saved one stays on screen
    failed = ss.plan_failed(running, "no solver")
    assert failed.shows_saved_plan
    assert not failed.dirty


def test_a_file_without_a_saved_plan_plans_on_its_own() -> None:
    session = ss.open_session(load(SAMPLES / "household.toml"))
    assert session.plans_on_its_own
    assert not session.shows_saved_plan
    assert ss.set_options(session, SAVED_OPTIONS).plan_state == "idle"


def test_targets_edited_by_hand_after_the_save_read_as_a_change(tmp_path: Path) -> None:
    """[plan] inputs record the targets and bands the plan aimed at: an edit of the
    file after the save (not in the app) still shows as a change since the plan."""
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    assert main(["plan", str(path), "--save"]) == 0
    saved = load(path).portfolio.plan
    assert saved is not None
    assert "US Stocks=55" in saved.inputs["targets"]  # type: ignore[operator]
    assert "kind=relative" in saved.inputs["bands"]  # type: ignore[operator]
    assert ss.changes_since_saved_plan(ss.open_session(load(path))) == ()
    text = path.read_text()
    edited = text.replace('"US Stocks" = 55', '"US Stocks" = 50').replace(
        "Bonds = 19", "Bonds = 24"
    )
    assert edited != text
    path.write_text(edited)
    assert ss.changes_since_saved_plan(ss.open_session(load(path))) == (
        "targets (US Stocks 55 → 50, Bonds 19 → 24)",
    )
