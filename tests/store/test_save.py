"""Saving a review back into the user's file: nothing they wrote is lost, writes are safe."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import tempfile
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core.planner.types import NewMoneyToBand, Plan, PlanOptions, Trade
from rebal.core.report import build_report
from rebal.model import Bands
from rebal.model.portfolio import HoldingDecision
from rebal.store.atomic import FileChangedOnDisk, SaveRefused, backup_path
from rebal.store.load import Loaded, load
from rebal.store.save import mark_trades, preview_review, save_review

CREATED = dt.datetime(2026, 11, 21, 9, 30, 12)
SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"


def household_plan(loaded: Loaded, **options: Any) -> Plan:
    """A small hand-built plan for the household sample (the planner is tested elsewhere)."""
    rows = tuple(build_report(loaded.portfolio).classes)
    return Plan(
        options=PlanOptions(**options),
        method="hand-built for tests",
        trades=(
            Trade("Jordan Traditional IRA", "VTI", "sell", Decimal(10), Decimal("2901.20"), "over"),
            Trade(
                "Jordan Traditional IRA",
                "VXUS",
                "buy",
                Decimal("44.771"),
                Decimal("2901.16"),
                "under",
            ),
        ),
        skipped=(),
        before=rows,
        after=rows,
        leftover_cash={"Jordan Traditional IRA": Decimal("1250.79")},
        residual=(),
        new_money_to_band=NewMoneyToBand(None, {}, (), "cash held at a 0% target"),
    )


def raw(text: str) -> dict[str, Any]:
    return tomllib.loads(text, parse_float=Decimal)


@pytest.fixture
def household(tmp_copy: Callable[[str], Path]) -> Loaded:
    return load(tmp_copy("household"))


def test_round_trip_changes_only_the_review_tables(household: Loaded) -> None:
    saved = save_review(household, plan=household_plan(household), created=CREATED)

    before, after = raw(household.text), raw(saved.path.read_text())
    assert {k: v for k, v in after.items() if k not in {"plan", "history"}} == {
        k: v for k, v in before.items() if k != "history"
    }
    assert after["history"][:-1] == before["history"]
    assert saved.portfolio.model_dump(exclude={"plan", "history"}) == (
        household.portfolio.model_dump(exclude={"plan", "history"})
    )
    # What save_review returns is what a fresh load sees.
    assert load(saved.path).portfolio == saved.portfolio
    assert saved.fingerprint == load(saved.path).fingerprint


def test_the_first_save_of_a_file_without_history_writes_its_first_snapshot(
    tmp_path: Path, household: Loaded
) -> None:
    """The one verify step refused this: with the new snapshot taken out, the
    [[history]] the save created compared as an empty list against none."""
    text = household.text.split("[[history]]")[0]
    path = tmp_path / "no-history.toml"
    path.write_text(text)
    loaded = load(path)
    assert not loaded.portfolio.history
    saved = save_review(loaded, plan=household_plan(loaded), created=CREATED)
    [snapshot] = raw(saved.path.read_text())["history"]
    assert snapshot["date"] == loaded.portfolio.portfolio.as_of


def test_plan_table_holds_mode_inputs_trades_and_decisions(household: Loaded) -> None:
    plan = household_plan(
        household,
        mode="band-edge",
        new_money={"Sam Roth IRA": Decimal(5000)},
        whole_shares=True,
        min_trade=Decimal(50),
        avoid_selling={"Joint Brokerage": False},
    )
    decisions = [HoldingDecision(ticker="VTI", decision="keep", note="core [holding]")]
    saved = save_review(household, plan=plan, decisions=decisions, created=CREATED)

    table = raw(saved.text)["plan"]
    assert table["mode"] == "band-edge"
    assert table["created"] == CREATED
    assert table["inputs"] == {
        "new_money": ["5000.00@Sam Roth IRA"],
        "whole_shares": True,
        "min_trade": "50.00",
        "avoid_selling": ["Joint Brokerage=false"],
        "targets": [
            "US Stocks=55", "US Small Stocks=7", "International Stocks=15", "Bonds=19", "Cash=4"
        ],
        "bands": [
            "kind=relative", "width=5", "floor=0", "absolute=5", "relative=25", "edges=inside",
            "per_class.Cash=25",
        ],
    }
    assert table["trades"][1] == {
        "account": "Jordan Traditional IRA",
        "ticker": "VXUS",
        "action": "buy",
        "shares": Decimal("44.771"),
        "amount": Decimal("2901.16"),
        "reason": "under",
        "status": "planned",
        # The position when the plan was made, for reconciling after an import.
        "shares_before": 500,
    }
    assert table["decisions"] == [{"ticker": "VTI", "decision": "keep", "note": "core [holding]"}]
    assert "amount = 2901.20\n" in saved.text  # money always written with its cents


def test_snapshot_is_to_the_cent_and_sums_to_the_total(household: Loaded) -> None:
    saved = save_review(household, plan=None, created=CREATED)

    snapshot = saved.portfolio.history[-1]
    assert snapshot.date == household.portfolio.portfolio.as_of  # the prices' date
    assert snapshot.total == Decimal("793894.95")
    assert sum(snapshot.classes.values()) == snapshot.total
    assert snapshot.classes["US Stocks"] == Decimal("531143.00")
    assert snapshot.holdings["VTI"] == Decimal("261108.00")  # 900 shares in two accounts
    assert all(value == value.quantize(Decimal("0.01")) for value in snapshot.holdings.values())
    assert saved.portfolio.plan is None


def test_a_second_save_at_the_same_prices_replaces_that_snapshot_and_the_plan(
    household: Loaded,
) -> None:
    first = save_review(household, plan=household_plan(household), created=CREATED)
    later = CREATED + dt.timedelta(hours=2)
    second = save_review(first, plan=household_plan(first, mode="cash-flow"), created=later)

    assert [h.date for h in second.portfolio.history] == [
        dt.date(2025, 11, 20),
        household.portfolio.portfolio.as_of,  # dated by its prices, not the save day
    ]
    assert second.text.count("[plan]") == 1
    assert second.portfolio.plan is not None
    assert second.portfolio.plan.mode == "cash-flow"
    assert len(second.portfolio.plan.trades) == 2  # the old trades are gone, not appended to


def test_comments_and_layout_survive_byte_for_byte(household: Loaded) -> None:
    saved = save_review(household, plan=household_plan(household), created=CREATED)

    # The user's text is untouched; the review is appended after it.
    assert saved.text.startswith(household.text)
    assert "# Municipal bonds belong in the taxable account" in saved.text


def test_edited_targets_and_bands_change_in_place_keeping_comments(household: Loaded) -> None:
    targets = {
        "US Stocks": Decimal(50),
        "US Small Stocks": Decimal(7),
        "International Stocks": Decimal(20),
        "Bonds": Decimal("18.5"),
        "Cash": Decimal("4.5"),
    }
    bands = household.portfolio.bands.model_copy(update={"width": Decimal(10)})
    saved = save_review(
        household, plan=None, targets=targets, bands=bands, created=CREATED, snapshot=False
    )

    assert saved.portfolio.targets == targets
    assert saved.portfolio.bands == bands
    assert "[targets]                   # percent of the whole household; sums to 100\n" in (
        saved.text
    )
    assert '"US Stocks" = 50\n' in saved.text
    assert "Bonds = 18.5\n" in saved.text
    assert "width = 10\n" in saved.text
    # Untouched lines keep their comments.
    assert "per_class = { Cash = 25 }   # cash is small and lumpy" in saved.text
    assert saved.portfolio.history == household.portfolio.history


def test_bands_added_when_the_file_has_none(tmp_copy: Callable[[str], Path]) -> None:
    path = tmp_copy("seed_return")
    start = path.read_text().index("[bands]")
    end = path.read_text().index("# A stock index fund")
    path.write_text(path.read_text()[:start] + path.read_text()[end:])
    loaded = load(path)
    assert "[bands]" not in loaded.text

    bands = Bands(kind="absolute", width=Decimal(3))
    saved = save_review(loaded, plan=None, bands=bands, created=CREATED, snapshot=False)

    assert saved.portfolio.bands == bands
    assert saved.text.startswith(loaded.text)


def test_invalid_targets_are_refused_and_nothing_is_written(household: Loaded) -> None:
    with pytest.raises(SaveRefused, match="targets sum to 90"):
        save_review(household, plan=None, targets={"US Stocks": Decimal(90)}, created=CREATED)
    assert household.path.read_text() == household.text
    assert not backup_path(household.path).exists()


def test_preview_returns_the_text_a_save_writes_without_writing(household: Loaded) -> None:
    text = preview_review(household, plan=household_plan(household), created=CREATED)

    assert household.path.read_text() == household.text
    saved = save_review(household, plan=household_plan(household), created=CREATED)
    assert saved.path.read_text() == text


def test_a_file_changed_on_disk_is_refused_and_left_alone(household: Loaded) -> None:
    edited = household.text.replace("price = 290.12", "price = 300.00")
    household.path.write_text(edited)

    with pytest.raises(FileChangedOnDisk, match="changed on disk"):
        save_review(household, plan=household_plan(household), created=CREATED)
    assert household.path.read_text() == edited


def test_a_deleted_file_is_written_again_only_when_asked_and_only_while_gone(
    household: Loaded,
) -> None:
    plan = household_plan(household)
    household.path.unlink()
    with pytest.raises(FileChangedOnDisk, match="deleted or moved"):
        save_review(household, plan=plan, created=CREATED)
    assert not household.path.exists()

    written = save_review(household, plan=plan, created=CREATED, recreate=True)
    assert household.path.read_text() == written.text
    assert written.text.splitlines()[:3] == household.text.splitlines()[:3]  # as read
    assert raw(written.text)["plan"]["trades"]

    # Put back meanwhile (by the user or a sync tool): never written over.
    household.path.write_text(household.text)
    with pytest.raises(SaveRefused, match="already exists"):
        save_review(household, plan=plan, created=CREATED, recreate=True)
    assert household.path.read_text() == household.text


def test_permissions_are_kept_and_a_backup_holds_the_previous_version(
    household: Loaded,
) -> None:
    os.chmod(household.path, 0o600)
    loaded = load(household.path)  # fingerprint after the chmod
    saved = save_review(loaded, plan=household_plan(loaded), created=CREATED)

    assert stat.S_IMODE(saved.path.stat().st_mode) == 0o600
    assert backup_path(saved.path).read_text() == household.text


def test_a_failure_mid_write_leaves_the_original_intact(
    household: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(source: Any, target: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        save_review(household, plan=household_plan(household), created=CREATED)
    monkeypatch.undo()

    assert household.path.read_text() == household.text
    leftovers = [p.name for p in household.path.parent.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


def test_mark_trades_round_trip(household: Loaded) -> None:
    saved = save_review(household, plan=household_plan(household), created=CREATED)
    marked = mark_trades(saved, {0: "placed", 1: "done"})

    assert marked.portfolio.plan is not None
    assert [t.status for t in marked.portfolio.plan.trades] == ["placed", "done"]
    assert load(marked.path).portfolio == marked.portfolio
    # Only the two status lines changed.
    changed = [
        (a, b)
        for a, b in zip(saved.text.splitlines(), marked.text.splitlines(), strict=True)
        if a != b
    ]
    assert changed == [
        ('status = "planned"', 'status = "placed"'),
        ('status = "planned"', 'status = "done"'),
    ]


def test_mark_trades_refuses_a_missing_trade_or_plan(household: Loaded) -> None:
    with pytest.raises(SaveRefused, match="no saved"):
        mark_trades(household, {0: "done"})
    saved = save_review(household, plan=household_plan(household), created=CREATED)
    with pytest.raises(SaveRefused, match="no trade #3"):
        mark_trades(saved, {2: "done"})
    with pytest.raises(SaveRefused, match="'finished' is not a trade status"):
        mark_trades(saved, {0: "finished"})  # type: ignore[dict-item]
    assert saved.path.read_text() == saved.text


def test_decisions_without_any_plan_are_refused(household: Loaded) -> None:
    decisions = [HoldingDecision(ticker="VTI", decision="trim")]
    with pytest.raises(SaveRefused, match="no plan yet"):
        save_review(household, plan=None, decisions=decisions, created=CREATED)


def test_decisions_alone_update_an_existing_plan(household: Loaded) -> None:
    saved = save_review(household, plan=household_plan(household), created=CREATED)
    decisions = [HoldingDecision(ticker="VB", decision="hold-for-tax", note="gain")]
    updated = save_review(saved, plan=None, decisions=decisions, created=CREATED, snapshot=False)

    assert updated.portfolio.plan is not None
    assert updated.portfolio.plan.trades == saved.portfolio.plan.trades  # type: ignore[union-attr]
    assert updated.portfolio.plan.decisions == decisions


MINIMAL = (
    "targets = { S = 60, Cash = 40 }  # inline, before any table\n"
    '[portfolio]\nname = "x"\nas_of = 2026-01-02\n'
    '[securities.V]\nprice = 10\nclass = "S"\n'
    '[[accounts]]\nname = "A"\ncash = 5\nholdings = { V = 3 }\n'
    "[[history]]\ndate = 2025-01-01\ntotal = 1"  # no newline at the very end
)


def one_trade_plan() -> Plan:
    return Plan(
        options=PlanOptions(),
        method="hand-built for tests",
        trades=(Trade("A", "V", "sell", Decimal(1), Decimal(10), "S over"),),
        skipped=(),
        before=(),
        after=(),
        leftover_cash={},
        residual=(),
        new_money_to_band=NewMoneyToBand(None, {}, (), ""),
    )


def test_a_file_without_a_final_newline_and_inline_targets(tmp_path: Path) -> None:
    path = tmp_path / "minimal.toml"
    path.write_text(MINIMAL)
    targets = {"S": Decimal(50), "Cash": Decimal(50)}

    saved = save_review(load(path), plan=one_trade_plan(), targets=targets, created=CREATED)

    assert saved.portfolio.targets == targets
    assert saved.text.startswith("targets = { S = 50, Cash = 50 }  # inline, before any table\n")
    assert "total = 1\n\n[[history]]\ndate = 2026-01-02\ntotal = 35.00\n" in saved.text
    assert [h.date for h in saved.portfolio.history] == [dt.date(2025, 1, 1), dt.date(2026, 1, 2)]


def test_crlf_files_stay_crlf(tmp_path: Path) -> None:
    path = tmp_path / "windows.toml"
    path.write_bytes(MINIMAL.replace("\n", "\r\n").encode())

    save_review(load(path), plan=one_trade_plan(), created=CREATED)

    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.startswith(MINIMAL.replace("\n", "\r\n").encode())


def test_a_plan_in_the_middle_is_replaced_where_it_stands(tmp_path: Path) -> None:
    path = tmp_path / "middle.toml"
    path.write_text(
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nS = 100\n'
        '[plan]\nmode = "band-edge"\ncreated = 2026-01-01\n'
        '[[plan.trades]]\naccount = "A"\nticker = "V"\naction = "buy"\nshares = 1\namount = 1\n'
        '\n# securities follow\n[securities.V]\nprice = 10\nclass = "S"\n'
        '[[accounts]]\nname = "A"\nholdings = { V = 3 }\n'
    )

    saved = save_review(load(path), plan=one_trade_plan(), created=CREATED, snapshot=False)

    assert saved.portfolio.plan is not None
    assert saved.portfolio.plan.mode == "full"
    assert [t.action for t in saved.portfolio.plan.trades] == ["sell"]
    assert saved.text.index("[plan]") < saved.text.index("# securities follow")


def test_a_comment_introducing_the_next_table_stays_above_it(tmp_path: Path) -> None:
    path = tmp_path / "history_first.toml"
    path.write_text(
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nS = 100\n\n'
        "[[history]]\ndate = 2025-01-01\ntotal = 1\n\n"
        "# What we own, priced on as_of:\n"
        '[securities.V]\nprice = 10\nclass = "S"\n'
        '[[accounts]]\nname = "A"\nholdings = { V = 3 }\n'
    )

    saved = save_review(load(path), plan=None, created=CREATED)

    assert (
        "total = 1\n\n[[history]]\ndate = 2026-01-02\ntotal = 30.00\n"
        "classes = {S = 30.00}\nholdings = {V = 30.00}\n\n"
        "# What we own, priced on as_of:\n[securities.V]\n"
    ) in saved.text


SIX_CLASSES = [
    "Large Company Stock",
    "Medium Company Stock",
    "Small Company Stock",
    "International Company Stock",
    "Bonds",
    "Cash",
]


@st.composite
def hundredths_summing_to_100(draw: st.DrawFn) -> dict[str, Decimal]:
    """Six targets in hundredths of a percent that sum to exactly 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=5, max_size=5)))
    edges = [0, *cuts, 10_000]
    return {name: Decimal(edges[i + 1] - edges[i]).scaleb(-2) for i, name in enumerate(SIX_CLASSES)}


@settings(max_examples=40, deadline=None)
@given(targets=hundredths_summing_to_100(), width=st.decimals("0", "50", places=3))
def test_any_edited_targets_and_band_width_save_exactly(
    targets: dict[str, Decimal], width: Decimal
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed_bands.toml"
        shutil.copyfile(SAMPLES / "seed_bands.toml", path)
        loaded = load(path)
        bands = loaded.portfolio.bands.model_copy(update={"width": width})

        saved = save_review(loaded, plan=None, targets=targets, bands=bands, created=CREATED)

        again = load(path)
        assert again.portfolio.targets == targets
        assert again.portfolio.bands.width == width
        assert again.portfolio.securities == loaded.portfolio.securities
        assert again.portfolio.accounts == loaded.portfolio.accounts
        assert again.portfolio.history[:-1] == loaded.portfolio.history
        assert saved.portfolio == again.portfolio


def test_editing_a_band_adds_no_default_keys_the_user_never_wrote(
    tmp_copy: Callable[[str], Path],
) -> None:
    loaded = load(tmp_copy("seed_return"))
    bands = Bands(kind="relative", width=Decimal("7.5"))

    saved = save_review(loaded, plan=None, bands=bands, created=CREATED, snapshot=False)

    section = saved.text[saved.text.index("[bands]") : saved.text.index("# A stock index fund")]
    assert section == (
        "[bands]\n"
        'kind = "relative"           # seed 001\'s rule: 5% OF THE TARGET either side\n'
        "width = 7.5\n\n"
    )
    household = load(tmp_copy("household"))
    cleared = save_review(
        household,
        plan=None,
        bands=Bands(width=Decimal(5), floor=Decimal(1)),
        created=CREATED,
        snapshot=False,
    )
    assert cleared.portfolio.bands == Bands(width=Decimal(5), floor=Decimal(1))
    assert "floor = 1                   # percentage points" in cleared.text


def test_an_edited_sector_limit_is_saved_in_place_keeping_its_comment(
    household: Loaded,
) -> None:
    assert household.portfolio.portfolio.sector_limit == Decimal(30)
    saved = save_review(
        household, plan=None, sector_limit=Decimal("22.5"), created=CREATED, snapshot=False
    )

    assert saved.portfolio.portfolio.sector_limit == Decimal("22.5")
    assert "sector_limit = 22.5           # flag any sector above" in saved.text
    # Nothing else in [portfolio] moved.
    assert saved.portfolio.portfolio.model_copy(
        update={"sector_limit": Decimal(30)}
    ) == household.portfolio.portfolio


def test_a_sector_limit_is_added_when_the_file_has_none(tmp_copy: Callable[[str], Path]) -> None:
    loaded = load(tmp_copy("seed_return"))
    assert "sector_limit" not in loaded.text

    saved = save_review(loaded, plan=None, sector_limit=Decimal(20), created=CREATED,
                        snapshot=False)

    assert saved.portfolio.portfolio.sector_limit == Decimal(20)
    assert saved.text.count("sector_limit = 20") == 1


def test_an_unchanged_sector_limit_leaves_the_file_alone(household: Loaded) -> None:
    text = preview_review(
        household, plan=None, sector_limit=Decimal(30), created=CREATED, snapshot=False
    )
    assert text == household.text


def test_a_pair_of_band_limits_is_saved_and_read_back(tmp_copy: Callable[[str], Path]) -> None:
    loaded = load(tmp_copy("seed_return"))
    bands = Bands(kind="5/25", absolute=Decimal(3), relative=Decimal(20))
    saved = save_review(loaded, plan=None, bands=bands, created=CREATED, snapshot=False)

    assert saved.portfolio.bands == bands
    assert "absolute = 3" in saved.text
    assert "relative = 20" in saved.text
    assert load(saved.path).portfolio.bands == bands
