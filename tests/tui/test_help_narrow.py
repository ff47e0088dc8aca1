"""The help's key list at 80x24, read as a user pages through it: a description that
wraps continues under its own start, never under the keys.

Failed before: "e  Edit — edit the highlighted class's target (also" went on with
"enter)" at the box's left edge, where it read as a key named "enter)".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import HelpScreen
from tui.helpers import fixed_clock, wait_until
from tui.test_save_diff import dialog_rows
from tui.test_saved_plan import SAMPLES

DESCRIPTION_AT = 14  # "  e" and its padding, then the description


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_wrapped_key_descriptions_stay_in_their_column(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        box = app.screen.query_one("#help-box")
        rows: list[str] = []
        for _ in range(30):
            await pilot.pause()
            rows += [row for row in dialog_rows(app) if row not in rows]
            if box.scroll_y >= box.max_scroll_y:
                break
            await pilot.press("pagedown")
        keys = rows[rows.index("Keys here") + 1:rows.index("escape closes this help.")]
    assert any(row.lstrip().startswith("e ") and "Edit — edit the highlighted" in row
               for row in keys)
    for row in keys:
        if not row.strip():
            continue
        key_part, description = row[:DESCRIPTION_AT], row[DESCRIPTION_AT:]
        assert key_part.startswith("  "), row  # the keys, or blank under them
        assert description.strip(), f"a key row without its description: {row!r}"
        if not key_part.strip():  # a continuation: under the description, not the keys
            assert not description.startswith(" "), row
