"""Broker exports -> holdings. Pure parsing: nothing here writes a file or imports Textual.

`read_export(path, format=None)` detects the layout (or obeys `format`) and
returns an ImportResult, or raises ImportFailed listing every problem with
the file and line. A file with any error row raises: a partially parsed file
is never applied, and neither is one that looks cut short, mixes encodings,
is dated in the future or whose totals do not match its rows (see
docs/importing.md). `read_each_export(paths, format=None)` reads several, each
file once. `rebal.importers.change` computes, pure, what an import changes in
a portfolio.
"""

from __future__ import annotations

from rebal.importers.model import (
    FORMATS,
    BrokerAccount,
    ExportGivenTwice,
    ImportFailed,
    ImportResult,
    Position,
    RowClass,
)
from rebal.importers.read import detect_format, read_each_export, read_export

__all__ = [
    "FORMATS",
    "BrokerAccount",
    "ExportGivenTwice",
    "ImportFailed",
    "ImportResult",
    "Position",
    "RowClass",
    "detect_format",
    "read_each_export",
    "read_export",
]
