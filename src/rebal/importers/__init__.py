"""Broker exports -> holdings. Pure parsing: nothing here writes a file or imports Textual.

`read_export(path, format=None)` detects the layout (or obeys `format`) and
returns an ImportResult, or raises ImportFailed listing every problem with
the file and line. A file with any error row raises: a partially parsed file
is never applied.
"""

from __future__ import annotations

from rebal.importers.model import (
    FORMATS,
    BrokerAccount,
    ImportFailed,
    ImportResult,
    Position,
    RowClass,
)
from rebal.importers.read import detect_format, read_export

__all__ = [
    "FORMATS",
    "BrokerAccount",
    "ImportFailed",
    "ImportResult",
    "Position",
    "RowClass",
    "detect_format",
    "read_export",
]
