"""verify_edit: the one check every write passes, and the shared layout helpers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rebal.store.toml_edit import EditRefused, MayChange, format_path, verify_edit

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
HOUSEHOLD = (SAMPLES / "household.toml").read_text(encoding="utf-8")
PATH = Path("household.toml")


def edited(old: str, new: str) -> str:
    assert old in HOUSEHOLD
    return HOUSEHOLD.replace(old, new, 1)


def test_a_change_inside_what_may_change_passes_and_returns_the_new_portfolio() -> None:
    text = edited("Bonds = 19\nCash = 4", "Bonds = 20\nCash = 3")
    portfolio, _ = verify_edit(PATH, HOUSEHOLD, text, MayChange(frozenset({("targets",)})))
    assert portfolio.targets["Bonds"] == 20


def test_a_change_outside_is_refused_naming_each_place() -> None:
    text = edited('name = "Jordan & Sam Lee household"', 'name = "Someone else"')
    text = text.replace('"US Stocks" = 55', '"US Stocks" = 54\n"US Other" = 1', 1)
    with pytest.raises(EditRefused) as refused:
        verify_edit(PATH, HOUSEHOLD, text, MayChange(frozenset({("portfolio", "as_of")})))
    message = str(refused.value)
    assert message.startswith("household.toml: nothing was written: the edit would also change ")
    assert 'portfolio.name, targets."US Stocks", targets."US Other"' in message
    assert refused.value.problems == []


def test_the_same_value_written_differently_is_no_change() -> None:
    text = edited("width = 5\n", "width = 5.0\n")
    verify_edit(PATH, HOUSEHOLD, text, MayChange())


def test_only_history_entries_of_the_given_date_may_come_and_go() -> None:
    snapshot = "\n[[history]]\ndate = 2026-11-20\ntotal = 10.00\n"
    may = MayChange(entries={"history": ("date", dt.date(2026, 11, 20))})
    verify_edit(PATH, HOUSEHOLD, HOUSEHOLD + snapshot, may)
    other = "\n[[history]]\ndate = 2026-11-19\ntotal = 10.00\n"
    with pytest.raises(EditRefused, match=r"change history"):
        verify_edit(PATH, HOUSEHOLD, HOUSEHOLD + other, may)


def test_an_invalid_result_is_refused_with_the_loaders_problems() -> None:
    text = edited("Cash = 4", "Cash = 40")
    with pytest.raises(EditRefused, match="the result would be invalid") as refused:
        verify_edit(PATH, HOUSEHOLD, text, MayChange(frozenset({("targets",)})))
    assert refused.value.problems
    assert all(p.severity == "error" for p in refused.value.problems)


def test_what_the_writer_expects_is_checked_on_the_edited_portfolio() -> None:
    text = edited("Bonds = 19\nCash = 4", "Bonds = 20\nCash = 3")
    with pytest.raises(EditRefused, match=r"intended for targets\.Bonds"):
        verify_edit(
            PATH, HOUSEHOLD, text, MayChange(frozenset({("targets",)})),
            expect=lambda p: [] if p.targets["Bonds"] == 19 else ["targets.Bonds"],
        )


def test_paths_are_written_as_toml_keys() -> None:
    assert format_path(("accounts", 2, "cash")) == "accounts[2].cash"
    assert format_path(("targets", "US Stocks")) == 'targets."US Stocks"'
    assert format_path(()) == "the whole file"
