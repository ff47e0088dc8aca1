"""A class name may hold "=": the targets record "NAME=PERCENT" reads back whole."""

from __future__ import annotations

from pathlib import Path

from rebal.cli import main
from rebal.core.plan_record import recorded_changes
from rebal.store.load import load
from rebal.tui import session as ss

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"


def test_a_class_name_with_an_equals_sign_round_trips_through_the_saved_plan(
    tmp_path: Path,
) -> None:
    path = tmp_path / "household.toml"
    path.write_text((SAMPLES / "household.toml").read_text().replace('"US Stocks"', '"A=B"'))
    assert main(["plan", str(path), "--save"]) == 0
    saved = load(path).portfolio.plan
    assert saved is not None
    assert "A=B=55" in saved.inputs["targets"]  # type: ignore[operator]
    assert ss.changes_since_saved_plan(ss.open_session(load(path))) == ()

    text = path.read_text()
    path.write_text(text.replace('"A=B" = 55', '"A=B" = 50').replace("Bonds = 19", "Bonds = 24"))

    # Before, the record split at the first "=" and read "A B=55 → B=50".
    assert ss.changes_since_saved_plan(ss.open_session(load(path))) == (
        "targets (A=B 55 → 50, Bonds 19 → 24)",
    )


def test_recorded_changes_split_each_entry_at_its_last_equals_sign() -> None:
    assert recorded_changes(["A=B=40", "C=60"], ["A=B=45", "C=55"]) == (
        "A=B 40 → 45",
        "C 60 → 55",
    )
    assert recorded_changes(["per_class.X=Y=5"], []) == ("per_class.X=Y 5 → none",)
