"""Every cut of every fixture is refused, or applies nothing the whole file would not.

A download that stops early is the everyday way an export goes wrong. The
test cuts each fixture at every line end and at three places inside every
line, and reads the piece. It must be refused, or give the whole file's
as-of date and exactly the whole file's accounts (holdings, cash, total).
For Fidelity and OFX that means all of them. Schwab and Vanguard files with
several accounts cannot show a cut made exactly between two accounts (see
docs/importing.md): such a piece must hold the first accounts whole, in
order, and nothing else. The import leaves the absent accounts untouched,
so nothing is emptied or shrunk.

The generic CSV has no structure that shows a cut between two rows (the
user writes it, rows in any order), so it is cut only inside lines, where
its missing last line ending shows the cut.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rebal.importers import ImportFailed, ImportResult, read_export

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = sorted(p for p in FIXTURES.iterdir() if p.suffix.lower() in {".csv", ".ofx", ".qfx"})
# Formats whose every cut is seen (Fidelity's footer, OFX's closing tag): a piece
# that is read at all is the whole file.
WHOLE_OR_NOTHING = frozenset({"fidelity", "ofx"})
# Any fixed moment: files dated from their modification time get the same date whole and cut.
STAMP = 1_795_000_000


def line_ends(data: bytes) -> Iterator[int]:
    for offset, byte in enumerate(data):
        if byte == ord("\n"):
            yield offset + 1


def mid_lines(data: bytes) -> Iterator[int]:
    """Just after the line's first byte, in its middle, and before its last byte."""
    start = 0
    for end in [*line_ends(data), len(data) + 1]:
        content_end = end - 1  # the offset of the newline
        while content_end > start and data[content_end - 1 : content_end] in (b"\r", b"\n"):
            content_end -= 1
        length = content_end - start
        if length >= 2:
            yield from sorted({start + 1, start + length // 2, content_end - 1})
        start = end


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    os.utime(path, (STAMP, STAMP))
    return path


def read_or_refuse(path: Path) -> ImportResult | None:
    try:
        return read_export(path)
    except ImportFailed:
        return None


@pytest.mark.parametrize("fixture", EXPORTS, ids=lambda p: p.name)
def test_every_cut_is_refused_or_changes_nothing_the_whole_file_would_not(
    fixture: Path, tmp_path: Path
) -> None:
    data = fixture.read_bytes()
    (tmp_path / "whole").mkdir()
    (tmp_path / "cut").mkdir()
    whole = read_export(write(tmp_path / "whole" / fixture.name, data))
    cuts = set(mid_lines(data))
    if whole.format != "generic":
        cuts |= set(line_ends(data))
    cuts = {c for c in cuts if c < len(data)}
    assert cuts
    for cut in sorted(cuts):
        result = read_or_refuse(write(tmp_path / "cut" / fixture.name, data[:cut]))
        if result is None:
            continue
        where = f"{fixture.name} cut at byte {cut}: {data[max(0, cut - 40) : cut]!r}"
        assert result.as_of == whole.as_of, where
        assert result.format == whole.format, where
        # Whole accounts, in the file's order: the cut fell between two of them.
        assert result.accounts == whole.accounts[: len(result.accounts)], where
        if whole.format in WHOLE_OR_NOTHING:
            assert result.accounts == whole.accounts, where
