"""Shared reading helpers: decoding, numbers as brokers write them, CSV rows with lines, dates."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

# Words brokers put in numeric columns to mean "no value".
MISSING = {"", "--", "n/a", "N/A", "na", "NA", "Incomplete", "-"}


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (BOM or not), else Windows-1252, else Latin-1.

    Returns the text and a note when a fallback was used, so the user learns
    that accented names were read as Windows-1252.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "not UTF-8; read as Windows-1252"
    except UnicodeDecodeError:
        # Latin-1 maps every byte, so this cannot fail.
        return data.decode("latin-1"), "not UTF-8; read as Latin-1"


class NotANumber(ValueError):
    pass


def parse_number(text: str) -> Decimal | None:
    """A broker's number as Decimal; None for the "no value" markers.

    Accepts `$1,234.56`, `"+$0.16"`, `-$2.97`, `31.10%`, `(1,234.50)`.
    Raises NotANumber for anything else. Never goes through float.
    """
    raw = text.strip()
    if raw in MISSING:
        return None
    cleaned = raw
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    cleaned = cleaned.replace("$", "").replace(",", "").replace("%", "").replace(" ", "")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    elif cleaned.startswith("-"):
        negative, cleaned = not negative, cleaned[1:]
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", cleaned):
        raise NotANumber(f"{raw!r} is not a number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only digits
        raise NotANumber(f"{raw!r} is not a number") from None
    return -value if negative else value


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line where the row starts
    cells: tuple[str, ...]

    @property
    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)

    def get(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()


def csv_rows(text: str) -> Iterator[Row]:
    """Every CSV record with the line it starts on (quoted fields may span lines)."""
    reader = csv.reader(text.splitlines(keepends=True))
    previous_end = 0
    for cells in reader:
        yield Row(previous_end + 1, tuple(cells))
        previous_end = reader.line_num


def normalise_header(cell: str) -> str:
    """Header cells compare case-insensitively, ignoring spacing and stray quotes."""
    return " ".join(cell.replace('"', "").split()).lower()


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def date_in_text(text: str) -> dt.date | None:
    """The first date written as Mmm-dd-yyyy, yyyy-mm-dd, yyyy/mm/dd or mm/dd/yyyy."""
    patterns = (
        (r"([A-Za-z]{3})-(\d{1,2})-(\d{4})", "mon"),
        (r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", "ymd"),
        (r"(\d{1,2})/(\d{1,2})/(\d{4})", "mdy"),
    )
    found: list[tuple[int, dt.date]] = []
    for pattern, order in patterns:
        for match in re.finditer(pattern, text):
            a, b, c = match.groups()
            try:
                if order == "mon":
                    month = _MONTHS.get(a.lower())
                    if month is None:
                        continue
                    date = dt.date(int(c), month, int(b))
                elif order == "ymd":
                    date = dt.date(int(a), int(b), int(c))
                else:
                    date = dt.date(int(c), int(a), int(b))
            except ValueError:
                continue
            found.append((match.start(), date))
    return min(found)[1] if found else None


def as_of_fallback(path: Path) -> tuple[dt.date, str]:
    """When the file has no date line: the date in its name, else its modification time."""
    named = date_in_text(path.name)
    if named is not None:
        return named, "the file name"
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return dt.date.today(), "today's date"
    return dt.datetime.fromtimestamp(stamp).date(), "the file's modification time"
