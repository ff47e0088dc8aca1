"""The step's key line: packed (pure) and laid out in the widget's own width, not the terminal's."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical

from rebal.tui.widgets.keys import SEPARATOR, StepKeys, key_entries, step_keys
from tui.helpers import wait_until

BINDINGS = [
    Binding("1", "step(1)", "Targets"),
    Binding("2", "step(2)", "Bands"),
    Binding("3", "step(3)", "Review"),
    Binding("4", "step(4)", "Rebalance"),
    Binding("g", "age", "Age mix"),
    Binding("escape", "leave", "Leave"),
    Binding("ctrl+s", "save", "Save", key_display="^s"),
    Binding("question_mark,f1", "help", "Help"),
    Binding("x", "hidden", ""),
]


def lines(keys: StepKeys) -> list[str]:
    return str(keys.content).split("\n")


def test_entries_come_from_the_bindings_with_their_labels() -> None:
    assert key_entries(BINDINGS) == [
        ("1", "Targets"),
        ("2", "Bands"),
        ("3", "Review"),
        ("4", "Rebalance"),
        ("g", "Age mix"),
        ("^s", "Save"),
        ("question_mark", "Help"),
    ]


def test_entries_wrap_whole_and_no_line_is_wider_than_asked() -> None:
    entries = key_entries(BINDINGS)
    for width in (20, 27, 40, 80):
        packed = step_keys(entries, width).plain.split("\n")
        assert all(len(line) <= width for line in packed), width
        assert SEPARATOR.join(packed).split(SEPARATOR) == [f"{k} {label}" for k, label in entries]
    assert len(step_keys(entries, 200).plain.split("\n")) == 1
    assert step_keys(entries, 27).plain.split("\n")[0] == "1 Targets · 2 Bands"


class NarrowApp(App[None]):
    """The keys in a 40-column pane beside another, in a wider terminal."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="pane"):
                yield StepKeys(BINDINGS)
            yield Vertical(id="beside")

    CSS = "#pane { width: 40; } #beside { width: 1fr; }"


async def test_the_keys_fit_the_container_not_the_terminal() -> None:
    app = NarrowApp()
    async with app.run_test(size=(120, 24)) as pilot:
        keys = app.query_one(StepKeys)
        await wait_until(pilot, lambda: len(lines(keys)) > 1, what="the keys packed at 40")
        # 40 columns less the widget's padding of one cell each side.
        assert all(len(line) <= 38 for line in lines(keys)), lines(keys)
        assert keys.region.width == 40

        app.query_one("#pane").styles.width = 100
        await wait_until(pilot, lambda: len(lines(keys)) == 1, what="the keys repacked at 100")


async def test_a_key_left_out_repacks_at_the_widget_s_width() -> None:
    app = NarrowApp()
    async with app.run_test(size=(120, 24)) as pilot:
        keys = app.query_one(StepKeys)
        await wait_until(pilot, lambda: len(lines(keys)) > 1, what="the keys packed at 40")
        keys.leave_out({"g"})
        await pilot.pause()
        assert "Age mix" not in str(keys.content)
        assert all(len(line) <= 38 for line in lines(keys)), lines(keys)
