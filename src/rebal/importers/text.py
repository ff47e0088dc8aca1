"""Shared reading helpers: decoding, numbers as brokers write them, CSV rows with lines, dates."""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

# Words brokers put in numeric columns to mean "no value".
MISSING = {"", "--", "n/a", "N/A", "na", "NA", "Incomplete", "-"}

# The most digits a number in an export may have, before and after the point:
# a trillion dollars to the cent, a share count to twelve places. Far beyond
# any real holding, and small enough that no arithmetic on it can overflow.
MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 12


class BadText(ValueError):
    """The bytes or the CSV cannot be read at `line`; the reader turns it into a problem."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


# A well-formed UTF-8 sequence of two to four bytes. In a Windows-1252 file such
# pairs are vanishingly rare ("Ã©"); in a UTF-8 file every accented letter is one.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


# Spreadsheets' "Unicode text" and some Windows tools write UTF-16 with a byte order mark.
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with its byte order mark, or a file
    that is Windows-1252 throughout.

    Returns the text and a note when the file was not read as UTF-8. A
    byte that is invalid in the file's encoding raises BadText with its line:
    one bad byte in a UTF-8 file is damage, and reading the whole file as
    Windows-1252 instead would store every accented name as mojibake. A file
    is taken as Windows-1252 only when none of its non-ASCII bytes form UTF-8
    and every one of them is defined in Windows-1252.
    """
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), f"read as {encoding.upper()}"
            except UnicodeDecodeError as error:
                raise BadText(
                    data.count("\n".encode(encoding), 0, error.start) + 1,
                    f"the file starts as {encoding.upper()} but is not valid {encoding.upper()} "
                    "further on",
                    "the file is damaged; download it again, or save it as CSV UTF-8",
                ) from None
    if b"\x00" in data:
        # No text encoding but UTF-16/32 has NUL bytes; without a byte order mark
        # Windows-1252 would read them as characters and find no header.
        offset = data.index(b"\x00")
        raise BadText(
            _line_at(data, offset),
            f"the file holds NUL bytes (the first at byte {offset}): it is UTF-16 or UTF-32 "
            "text without a byte order mark, or not a text file at all",
            "open it in a spreadsheet and save it as CSV UTF-8, or export it again as CSV",
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        bad = error.start
    if _UTF8_SEQUENCE.search(data) is not None:
        raise BadText(
            _line_at(data, bad),
            f"byte 0x{data[bad]:02x} is not valid UTF-8, and the rest of the file is UTF-8",
            "the file is damaged or mixes two encodings; download it again, or open it "
            "in a spreadsheet and save it as CSV UTF-8",
        )
    try:
        return data.decode("cp1252"), "not UTF-8; read as Windows-1252"
    except UnicodeDecodeError as error:
        raise BadText(
            _line_at(data, error.start),
            f"byte 0x{data[error.start]:02x} is valid neither in UTF-8 nor in Windows-1252",
            "download the file again, or save it as CSV UTF-8",
        ) from None


def control_character(text: str) -> str | None:
    """The first control character in `text` (C0, DEL or C1), escaped for a message."""
    for char in text:
        if unicodedata.category(char) == "Cc":
            return f"U+{ord(char):04X}"
    return None


class NotANumber(ValueError):
    pass


# Digits grouped by thousands: 1,234 or 1,234,567.89 (the only commas a broker's number has).
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_NUMBER = re.compile(r"\d+(\.\d*)?|\.\d+")


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
    cleaned = cleaned.replace("$", "").replace("%", "").replace(" ", "")
    shown = repr(raw) if len(raw) <= 30 else repr(raw[:20]) + f"... ({len(raw)} characters)"
    if _GROUPED.fullmatch(cleaned.lstrip("+-")):
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned and _NUMBER.fullmatch(cleaned.lstrip("+-").replace(",", "")):
        # Only a thousands separator may be dropped: "48 000,00" or "1,5" has a decimal
        # comma, and read without it would be 100 or 10 times too large.
        raise NotANumber(
            f"{shown} has a comma that is not a thousands separator "
            "(rebal reads numbers written as 1,234.56, never with a decimal comma)"
        )
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    elif cleaned.startswith("-"):
        negative, cleaned = not negative, cleaned[1:]
    if not _NUMBER.fullmatch(cleaned):
        raise NotANumber(f"{shown} is not a number")
    whole, _, fraction = cleaned.partition(".")
    # Leading and trailing zeros carry no information: "1.500000000000000" is fine.
    whole, fraction = whole.lstrip("0"), fraction.rstrip("0")
    if len(whole) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        raise NotANumber(
            f"{shown} has too many digits (at most {MAX_INTEGER_DIGITS} before the "
            f"decimal point and {MAX_FRACTION_DIGITS} after)"
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only digits
        raise NotANumber(f"{raw!r} is not a number") from None
    return -value if negative else value


def within_limits(value: Decimal) -> bool:
    """A finite number with no more digits than `parse_number` accepts.

    Read from the digits and the exponent, so `1E+999999` costs no million-digit string.
    """
    if not value.is_finite():
        return False
    if not value:
        return True
    digits = list(value.as_tuple().digits)
    exponent = int(value.as_tuple().exponent)
    while len(digits) > 1 and digits[-1] == 0 and exponent < 0:  # 1.500 has one decimal
        digits.pop()
        exponent += 1
    whole = len(digits) + exponent
    return whole <= MAX_INTEGER_DIGITS and -exponent <= MAX_FRACTION_DIGITS


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
    """Every CSV record with the line it starts on (quoted fields may span lines).

    Raises BadText for what the csv module cannot read (a field over its
    limit of 131,072 characters, above all), naming the line.
    """
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines)
    previous_end = 0
    last_start = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            _check_last_quote_closed(lines, last_start)
            return
        except csv.Error as error:
            reason = str(error)
            if "field limit" in reason:
                reason = (
                    f"a field is longer than {csv.field_size_limit():,} characters, "
                    "which no broker export has"
                )
            raise BadText(
                reader.line_num or previous_end + 1, reason, "is this the right file?"
            ) from None
        yield Row(previous_end + 1, tuple(cells))
        last_start, previous_end = previous_end, reader.line_num


def _check_last_quote_closed(lines: list[str], last_start: int) -> None:
    """Raise BadText when the file ends inside a quoted field.

    The lenient reader takes an unclosed quote to the end of the file as one
    field, so a file cut inside quotes would still parse, with the rows after
    the quote swallowed into one cell. Only the last record can end that way.
    """
    try:
        for _ in csv.reader(lines[last_start:], strict=True):
            pass
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise BadText(
                last_start + 1,
                "a quoted field opened on this line is never closed: the file ends inside it, "
                "so it may have been cut off",
                "download the file again; if it is complete, add the missing closing quote",
            ) from None


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
