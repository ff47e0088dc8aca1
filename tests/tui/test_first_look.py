"""The first screen shows the file's name and targets before the file is checked, then
the checked step 1, or the problem screen when the full read finds problems."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.store import load as load_module
from rebal.store.first_look import FIRST_LOOK_LIMIT, FirstLook, first_look
from rebal.store.load import Loaded
from rebal.tui.app import RebalApp
from rebal.tui.screens.loading import LoadingScreen
from tui.helpers import FIXTURES, screen_text, wait_until

HOUSEHOLD = (FIXTURES / "household.toml").read_text(encoding="utf-8")


@pytest.fixture
def held_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The full read waits until the test sets the event, so the first look can be seen.

    The reader imports `load` when it runs, so the gate wraps the real loader.
    """
    release = threading.Event()
    real: Callable[[Path], Loaded] = load_module.load

    def gated(path: Path) -> Loaded:
        release.wait(timeout=30)
        return real(path)

    monkeypatch.setattr(load_module, "load", gated)
    yield release
    release.set()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "household.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def _first_look_shown(app: RebalApp, pilot: object) -> str:
    await wait_until(pilot, lambda: isinstance(app.screen, LoadingScreen)  # type: ignore[arg-type]
                     and app.screen.shows_data, what="the first look")
    await pilot.pause()  # type: ignore[attr-defined]
    return screen_text(app)


async def test_a_file_that_fails_validation_shows_its_targets_then_its_problems(
    tmp_path: Path, make_app: Callable[..., RebalApp], held_read: threading.Event
) -> None:
    # Valid TOML with the name and targets intact, but a negative price: only the
    # full read (the schema) finds it.
    bad = HOUSEHOLD.replace("price = 250\n", "price = -250\n", 1)
    assert bad != HOUSEHOLD
    app = make_app(_write(tmp_path, bad))
    async with app.run_test(size=(100, 30)) as pilot:
        text = await _first_look_shown(app, pilot)
        assert "Step 1 — Recall your target mix" in text
        assert "checking" in text
        look = first_look(app.path)
        assert look is not None
        assert look.name in text
        for asset_class, _ in look.targets:
            assert asset_class in text
        # Keys that need the checked file do nothing yet; help opens and closes.
        await pilot.press("2", "n")
        assert isinstance(app.screen, LoadingScreen)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: not isinstance(app.screen, LoadingScreen), what="help")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LoadingScreen), what="help closed")
        assert app.session is None
        held_read.set()
        await wait_until(pilot, lambda: app.current_mode == "problems" and app.screen.is_current,
                         what="the problem screen")
        assert app.session is None
        assert any("price" in (p.path or "") for p in app.problems), app.problems
        await wait_until(pilot, lambda: "price" in screen_text(app), what="the problem shown")


async def test_a_valid_file_goes_from_the_first_look_to_the_checked_step_1(
    tmp_path: Path, make_app: Callable[..., RebalApp], held_read: threading.Event
) -> None:
    app = make_app(_write(tmp_path, HOUSEHOLD))
    async with app.run_test(size=(80, 24)) as pilot:
        await _first_look_shown(app, pilot)
        held_read.set()
        await wait_until(pilot, lambda: app.current_mode == "target" and app.screen.is_current,
                         what="the checked step 1")
        assert app.session is not None
        await wait_until(pilot, lambda: "Step 1" in screen_text(app), what="step 1 painted")
        assert "checking" not in screen_text(app)


async def test_a_file_tomllib_cannot_read_has_no_first_look_and_lands_on_its_problem(
    tmp_path: Path, make_app: Callable[..., RebalApp], held_read: threading.Event
) -> None:
    app = make_app(_write(tmp_path, HOUSEHOLD.replace("[targets]", "[targets", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LoadingScreen)
                         and app.screen.is_mounted, what="the loading screen")
        await pilot.pause()
        assert not app.screen.shows_data
        assert "Reading" in screen_text(app)
        held_read.set()
        await wait_until(pilot, lambda: app.current_mode == "problems" and app.screen.is_current,
                         what="the problem screen")
        assert any("TOML syntax error" in p.message for p in app.problems)


async def test_a_name_with_control_characters_is_shown_escaped_then_refused(
    tmp_path: Path, make_app: Callable[..., RebalApp], held_read: threading.Event
) -> None:
    look = first_look(_write(tmp_path, HOUSEHOLD))
    assert look is not None
    text = HOUSEHOLD.replace(f'name = "{look.name}"', 'name = "Evil\\u001b]52;c;x\\u0007"', 1)
    app = make_app(_write(tmp_path, text))
    async with app.run_test(size=(100, 30)) as pilot:
        shown = await _first_look_shown(app, pilot)
        assert "\x1b" not in shown
        assert "Evil\\x1b]52;c;x\\x07" in shown
        held_read.set()
        await wait_until(pilot, lambda: app.current_mode == "problems" and app.screen.is_current,
                         what="the problem screen")


async def test_opening_another_file_shows_that_file_first_then_checks_it(
    tmp_path: Path, make_app: Callable[..., RebalApp], held_read: threading.Event
) -> None:
    first = _write(tmp_path, HOUSEHOLD)
    look = first_look(first)
    assert look is not None
    other = tmp_path / "other.toml"
    other.write_text(
        HOUSEHOLD.replace(f'name = "{look.name}"', 'name = "The other household"', 1),
        encoding="utf-8",
    )
    app = make_app(first)
    async with app.run_test(size=(100, 30)) as pilot:
        held_read.set()
        await wait_until(pilot, lambda: app.current_mode == "target" and app.screen.is_current)
        held_read.clear()
        app.open_path(other)
        text = await _first_look_shown(app, pilot)
        assert "The other household" in text
        assert look.name not in text
        held_read.set()
        await wait_until(pilot, lambda: app.current_mode == "target" and app.screen.is_current
                         and app.session is not None and app.session.loaded.path == other)
        # And back to the first: a fresh first look again, not the other file's.
        held_read.clear()
        app.open_path(first)
        text = await _first_look_shown(app, pilot)
        assert look.name in text
        assert "The other household" not in text
        held_read.set()


# --- the first look itself: the file's own words, or nothing ---------------------


def test_the_first_look_reads_the_name_date_and_targets_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, '[portfolio]\nname = "Ours"\nas_of = 2026-11-20\n\n'
                  '[targets]\n"US Stocks" = 60\nBonds = 40.5\n')
    assert first_look(path) == FirstLook(
        "Ours", "2026-11-20", (("US Stocks", Decimal(60)), ("Bonds", Decimal("40.5")))
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[portfolio]\nname = 'x'\nas_of = 2026-11-20\n",  # no targets
        "[portfolio]\nname = 1\nas_of = 2026-11-20\n[targets]\nA = 100\n",  # name not text
        "[portfolio]\nname = 'x'\nas_of = 2026-11-20\n[targets]\nA = 'lots'\n",
        "[portfolio]\nname = 'x'\nas_of = 2026-11-20\n[targets]\nA = true\n",
        "[portfolio]\nname = 'x'\nas_of = 2026-11-20\n[targets]\nA = nan\n",
        "[portfolio\nname = 'x'\n",  # not TOML
        "a = " + "[" * 5000 + "]" * 5000,  # deeper than tomllib recurses
    ],
    ids=["empty", "no-targets", "name", "text-target", "bool-target", "nan", "syntax", "deep"],
)
def test_anything_unusual_gives_no_first_look(tmp_path: Path, text: str) -> None:
    assert first_look(_write(tmp_path, text)) is None


def test_a_large_file_or_not_a_file_gives_no_first_look(tmp_path: Path) -> None:
    big = _write(tmp_path, HOUSEHOLD + "\n" + "# padding\n" * (FIRST_LOOK_LIMIT // 10))
    assert first_look(big) is None
    assert first_look(tmp_path) is None
    assert first_look(tmp_path / "missing.toml") is None
