"""What shows while the file is checked: painted at once, before the model is imported.

With a first look at the file (a small file tomllib reads: see
`rebal.store.first_look`) this is step 1 as far as the file's own words go: the
portfolio's name and date, and the targets table with each class's target,
its band, share now and status marked "checking…". The checked step 1 (or the
problem screen, when the file has problems) replaces it as soon as the full
read is done. Without one it says which file is being read.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from rebal.present.terminal import safe
from rebal.store.first_look import FirstLook

CHECKING = "checking…"
COLUMNS = ("Class", "Target", "Band", "Now", "Status")


def _target(value: Decimal) -> str:
    # As step 1's table writes it (two places, half up), without importing its formats.
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f") + "%"


def _padded(cell: str, width: int, *, right: bool) -> str:
    room = " " * (width - cell_len(cell))
    return room + cell if right else cell + room


def first_look_table(look: FirstLook) -> Text:
    """Step 1's title and targets table as text: one widget paints far sooner than a
    DataTable and its rows (this screen exists to be quick)."""
    rows = [COLUMNS] + [
        (safe(name), _target(target), CHECKING, CHECKING, "") for name, target in look.targets
    ]
    widths = [max(cell_len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    text = Text("Step 1 — Recall your target mix\n\n", style="bold")
    for number, row in enumerate(rows):
        cells = [
            _padded(cell, width, right=column == 1)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        text.append("  ".join(cells).rstrip() + "\n", style="bold" if number == 0 else "")
    return text


class LoadingScreen(Screen[None]):
    # Nothing here depends on the width: without breakpoints the first resize does not
    # restyle the screen and paint it again (the reader starts after that paint).
    HORIZONTAL_BREAKPOINTS = []  # noqa: RUF012

    def compose(self) -> ComposeResult:
        # Deliberately plain: this is the first paint, and it should be quick.
        yield Static(id="loading-header")
        if self._look is not None:
            yield Static(first_look_table(self._look), id="first-look", markup=False)
        yield Footer()

    @property
    def _look(self) -> FirstLook | None:
        look: FirstLook | None = getattr(self.app, "first_look", None)
        return look

    @property
    def shows_data(self) -> bool:
        """Whether the portfolio's name and targets are on this screen (a first look)."""
        return bool(self.query("#first-look"))

    def on_mount(self) -> None:
        header = self.query_one("#loading-header", Static)
        path = getattr(self.app, "reading", None)
        look = self._look
        if look is None:
            header.update(Text(safe(f"Reading {path}…") if path else "Reading…"))
            # The spinner comes after the first paint, which it would only slow down.
            self.call_after_refresh(self._add_spinner)
            return
        name = safe(path.name) if path is not None else "the file"
        header.update(
            Text(safe(f"{look.name}  ·  prices {look.as_of}  ·  checking {name}…"))
        )

    def _add_spinner(self) -> None:
        from textual.widgets import LoadingIndicator

        self.mount(LoadingIndicator(), before=self.query_one(Footer))
