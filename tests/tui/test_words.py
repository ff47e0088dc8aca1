"""The words on steps 1-3 say what the keys and bands really do (real key presses)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from textual.widgets import TabbedContent, TabPane

from rebal.tui.app import RebalApp
from tui.helpers import FIXTURES, screen_text, wait_until

MakeApp = Callable[..., RebalApp]
SAMPLES = FIXTURES.parents[2] / "sample_portfolios"
SIZES = [(80, 24), (120, 40)]


async def on_mode(pilot, app: RebalApp, mode: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=f"mode {mode}")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
async def test_step3_tab_labels_name_the_keys_that_open_them(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=size) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3")
        await on_mode(pilot, app, "misalignment")
        tabs = app.screen.query_one(TabbedContent)
        # The tax view is hidden for a file without tax keys (tests/tui/test_tax_screens.py).
        panes = [p for p in app.screen.query(TabPane) if tabs.get_tab(p.id or "").display]
        assert len(panes) == 4
        for pane in panes:
            label = str(tabs.get_tab(pane.id or "").label)
            keys = re.findall(r"\((\w)\)", label)
            assert len(keys) == 1, label
            assert not re.match(r"^[a-d] ", label), label  # no letter that opens something else
            await pilot.press(keys[0])
            await pilot.pause()
            assert tabs.active == pane.id, (label, tabs.active)
            assert app.current_mode == "misalignment"
            assert app.screen.is_current


async def test_band_line_follows_the_width_and_kind(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("w", "ctrl+a", "ctrl+k", *"10", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.bands.width == Decimal(10), what="width")
        await pilot.pause()
        line = str(app.screen.query_one("#band-policy").content)
        assert "10% of each target" in line
        assert "20% → 18.00–22.00%" in line  # the example is this file's, at this width
        assert "seed" not in line.lower()
        await pilot.press("b")  # absolute
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.bands.kind == "absolute", what="absolute")
        await pilot.press("w", "ctrl+a", "ctrl+k", "1", "enter")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.bands.width == Decimal(1), what="width 1")
        await pilot.pause()
        line = str(app.screen.query_one("#band-policy").content)
        assert "1 percentage point either side" in line
        assert "1 percentage points" not in line


@pytest.mark.parametrize("name", ["household", "seed_return", "seed_bands"])
async def test_no_seed_references_in_the_steps(make_app: MakeApp, name: str) -> None:
    app = make_app(SAMPLES / f"{name}.toml")
    async with app.run_test(size=(120, 60)) as pilot:
        await on_mode(pilot, app, "target")
        for step, mode in (("1", "target"), ("2", "compare"), ("3", "misalignment")):
            await pilot.press(step)
            await on_mode(pilot, app, mode)
            assert "seed" not in screen_text(app).lower(), (name, mode)


async def test_changing_the_band_kind_keeps_a_per_class_widths_meaning(
    make_app: MakeApp,
) -> None:
    """Cash 25 means 25% of Cash's 4% target, ±1 point: absolute makes it 1, not ±25."""
    app = make_app(SAMPLES / "household.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await on_mode(pilot, app, "target")
        assert "4% → 3.00–5.00%" in str(app.screen.query_one("#band-policy").content)
        await pilot.press("b")  # relative -> absolute
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.bands.kind == "absolute", what="absolute")
        assert app.session.bands.per_class == {"Cash": Decimal(1)}
        await pilot.pause()
        line = str(app.screen.query_one("#band-policy").content)
        assert "Cash 1 point (4% → 3.00–5.00%)" in line


async def test_enter_in_a_note_without_a_choice_records_nothing(make_app: MakeApp) -> None:
    app = make_app(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_mode(pilot, app, "target")
        await pilot.press("3", "h", "enter")
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__,
                         what="dialog")
        await pilot.press("tab", *"think", "enter")
        await pilot.pause()
        assert app.session is not None
        assert app.session.decisions == {}
        assert "DecisionScreen" in type(app.screen).__name__  # asks for a choice instead
        assert "choose what to do" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("enter")  # and straight enter on the list: nothing chosen
        await wait_until(pilot, lambda: "DecisionScreen" in type(app.screen).__name__)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.decisions == {}
