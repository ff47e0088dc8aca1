"""Detect an export's layout from its content and dispatch to the right reader."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

from rebal import files
from rebal.importers import fidelity, generic, ofx, schwab, vanguard
from rebal.importers.model import FORMATS, ExportGivenTwice, ImportFailed, ImportResult
from rebal.importers.tables import find_columns
from rebal.importers.text import BadText, csv_rows, decode
from rebal.problems import Problem, unreadable

# How far into a CSV to look for a header: Schwab's title and a few blank
# lines, or a short preamble, never hundreds of lines.
_SNIFF_ROWS = 40

def read_bytes(path: Path) -> bytes:
    """The export's bytes; raise ImportFailed for a special file or one over the size limit.

    The same rule as for the portfolio file (rebal.files): a FIFO never blocks
    and /dev/zero never fills the memory.
    """
    try:
        return files.read_bytes(path)
    except OSError as error:
        raise ImportFailed([unreadable(path, error)]) from None


def detect_format(data: bytes, text: str) -> str | None:
    """The layout whose required header roles appear near the top, or None."""
    if ofx.looks_like_ofx(data):
        return "ofx"
    for count, row in enumerate(csv_rows(text)):
        if count >= _SNIFF_ROWS:
            break
        if row.blank:
            continue
        if schwab.is_title(row):
            return "schwab"
        if find_columns(row, fidelity.ALIASES, fidelity.REQUIRED) is not None:
            return "fidelity"
        if vanguard.is_holdings_header(row):
            return "vanguard"
        if find_columns(row, generic.ALIASES, generic.REQUIRED) is not None:
            return "generic"
    return None


def read_export(
    path: Path,
    format: str | None = None,  # noqa: A002
    today: dt.date | None = None,
) -> ImportResult:
    """Read one broker export; raise ImportFailed (with file and line) on any error.

    `today` (default: the computer's date) is the last day an export may be
    dated, give or take the one day of FUTURE_SLACK.
    """
    if format is not None and format not in FORMATS:
        raise ImportFailed(
            [Problem(path, f"unknown format {format!r}", hint=f"use one of {', '.join(FORMATS)}")]
        )
    data = read_bytes(path)
    if not data.strip():
        raise ImportFailed([Problem(path, "the file is empty", line=1)])
    try:
        result = _parse(path, data, format)
    except BadText as error:
        raise ImportFailed(
            [Problem(path, error.message, line=error.line, hint=error.hint)]
        ) from None
    except ImportFailed:
        raise
    except Exception as error:
        # The readers' own checks should have caught it (and a library such as
        # ofxparse raises whatever it likes): never a traceback for a bad file.
        raise ImportFailed(
            [
                Problem(
                    path,
                    f"cannot read the file ({type(error).__name__}: {error})",
                    hint="please report this with the file (its numbers can be changed)",
                )
            ]
        ) from None
    _refuse_future(result, today or dt.date.today())
    return result


def _parse(path: Path, data: bytes, format: str | None) -> ImportResult:  # noqa: A002
    text, note = decode(data)
    chosen = format or detect_format(data, text)
    if chosen is None:
        raise ImportFailed(
            [
                Problem(
                    path,
                    "unknown format: no Fidelity, Schwab, Vanguard, OFX or generic CSV "
                    "header found near the top of the file",
                    line=1,
                    hint=f"pass --format ({'|'.join(FORMATS)}) or convert it to the generic "
                    "CSV described in docs/importing.md",
                )
            ]
        )
    if chosen == "ofx":
        result = ofx.parse(path, data)
    else:
        readers = {
            "fidelity": fidelity.parse,
            "schwab": schwab.parse,
            "vanguard": vanguard.parse,
            "generic": generic.parse,
        }
        result = readers[chosen](path, text)
    if note is not None:
        result = dataclasses.replace(result, notes=(*result.notes, note))
    return result


# Brokers date their files in US Eastern time, which is already tomorrow for a
# user in California after 9 pm: a file may be dated one day after the local date.
FUTURE_SLACK = dt.timedelta(days=1)


def _refuse_future(result: ImportResult, today: dt.date) -> None:
    """A file dated after today would make every correct, older price look stale."""
    if result.as_of <= today + FUTURE_SLACK:
        return
    raise ImportFailed(
        [
            Problem(
                result.file,
                f"the file is dated {result.as_of} (from {result.as_of_source}), which is "
                f"after today ({today})",
                line=result.as_of_line,
                hint="an export cannot come from the future (a day ahead is allowed, for "
                "brokers' US Eastern dates): correct the date in the file, or the "
                "computer's clock, and import again",
            )
        ]
    )


def read_each_export(
    paths: Sequence[Path],
    format: str | None = None,  # noqa: A002
    today: dt.date | None = None,
) -> Iterator[tuple[Path, ImportResult | ImportFailed]]:
    """Each export in turn with its result, or with why it cannot be used.

    A file named a second time (by any spelling of its path) is not read
    again: its accounts would clash with themselves, so it fails with
    ExportGivenTwice instead of the confusing clash.
    """
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            yield path, ExportGivenTwice(path)
            continue
        seen.add(resolved)
        outcome: ImportResult | ImportFailed
        try:
            outcome = read_export(path, format, today)
        except ImportFailed as error:
            outcome = error
        yield path, outcome
