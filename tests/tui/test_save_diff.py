"""The save dialog's exact changes at 80x24 and 120x40, read on screen as a user pages
through them: a long added or removed line that wraps keeps its marker on every piece.

Failed before at 80x24: the household's first save wrapped `+classes = {...}` and the
second half started at the left edge ('"International Stocks" = 66527.50, ...'), where
it read as an unchanged line of the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from rebal.tui.app import RebalApp
from rebal.tui.screens.modals import ConfirmScreen
from rebal.tui.widgets.diff_lines import CONTINUED, wrapped
from tui.helpers import fixed_clock, read_text, screen_text, wait_until
from tui.test_saved_plan import SAMPLES, plan_done

SCROLLBAR = "▁▂▃▄▅▆▇█▉▊▋▌▍▎▏ "


def dialog_rows(app: RebalApp) -> list[str]:
    """The rows inside the dialog's border, without its padding and scrollbar."""
    rows = []
    for line in screen_text(app).splitlines():
        if line.count("│") >= 2:
            inside = line[line.index("│") + 1:line.rindex("│")]
            rows.append(inside[1:].rstrip(SCROLLBAR))
    return rows


async def diff_rows_on_screen(pilot: object, app: RebalApp) -> list[str]:
    """Every row of the diff, paging down with the keys until the end."""
    body = app.screen.query_one("#confirm-body")
    seen: list[str] = []
    for _ in range(60):
        for row in dialog_rows(app):
            if row not in seen:
                seen.append(row)
        if body.scroll_y >= body.max_scroll_y:
            break
        await pilot.press("pagedown")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    start = next(i for i, row in enumerate(seen) if row.startswith("--- "))
    return [row for row in seen[start:] if "Save (y)" not in row and row]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_wrapped_diff_lines_keep_their_marker(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    old_text = read_text(path)
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.press("4")
        await plan_done(pilot, app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.pause()
        rows = await diff_rows_on_screen(pilot, app)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty,
                         what="saved")
    new_text = read_text(path)
    continued = 0
    for row in rows:
        if row.startswith(("--- ", "+++ ", "@@")):
            continue
        marker, rest = row[0], row[1:]
        assert marker in "+- ", f"a row without its marker: {row!r}"
        if rest.startswith(CONTINUED):
            continued += 1
            rest = rest[1:]
        file_text = {"+": new_text, "-": old_text, " ": old_text}[marker]
        assert rest.rstrip() in file_text, row
        if marker == " " and not row[1:].startswith(CONTINUED):
            # An unchanged line is shown whole (or its first piece, wrapped on).
            assert any(line.startswith(rest.rstrip()) for line in old_text.splitlines()), row
    # The classes, holdings, style and sector lines of the snapshot are long at any width.
    assert continued >= (8 if size == (80, 24) else 3)


@settings(max_examples=60, deadline=None)
@given(
    marker=st.sampled_from(["+", "-", " "]),
    body=st.text(st.sampled_from("ab =,\"{}é中"), max_size=200),
    width=st.integers(min_value=4, max_value=90),
)
def test_pieces_fit_put_back_the_line_and_keep_the_marker(
    marker: str, body: str, width: int
) -> None:
    line = Text(marker + body)
    pieces = list(wrapped(line, width))
    assert all(piece.cell_len <= width for piece in pieces)
    assert pieces[0].plain + "".join(p.plain[2:] for p in pieces[1:]) == line.plain
    assert all(p.plain.startswith(marker + CONTINUED) for p in pieces[1:])
