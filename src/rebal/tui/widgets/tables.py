"""Cell helpers shared by the steps' tables and panes. Cells are rich Text, never markup."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import DataTable

from rebal.core.bands import Band, Status
from rebal.tui.format import status_text


def reset(table: DataTable[Text], *columns: str) -> None:
    """Clear rows and set columns (kept when they are already right, so the cursor stays)."""
    current = [str(column.label) for column in table.columns.values()]
    if current != list(columns):
        table.clear(columns=True)
        for column in columns:
            table.add_column(Text(column), key=column)
    else:
        table.clear()


def right(value: str) -> Text:
    return Text(value, justify="right")


def status_colours(theme_variables: Mapping[str, str]) -> dict[Status, str]:
    """The theme's drift colours (its [variables] table), for status markers."""
    names: dict[Status, str] = {"over": "drift-over", "under": "drift-under", "in": "in-band"}
    return {status: theme_variables.get(name, "") for status, name in names.items()}


def marker(status: Status, colours: Mapping[Status, str]) -> Text:
    text = status_text(status)
    if colours.get(status):
        text.stylize(colours[status])
    return text


def band_arithmetic(band: Band) -> str:
    """Seed 001's arithmetic, e.g. '20% → 19.00–21.00%' (the target as the user wrote it)."""
    target = format(band.target.normalize(), "f")
    return f"{target}% → {band.low:.2f}–{band.high:.2f}%"
