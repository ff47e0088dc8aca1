"""Files a Windows editor wrote (a UTF-8 byte-order mark, CRLF line endings) keep
both through every writer: the bytes after a save are the bytes before, with only
rebal's edit made, in the file's own encoding signature and line endings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.model import Flow
from rebal.store.load import Loaded, load
from rebal.store.save import add_flow, mark_trades, save_review
from store.test_save import one_trade_plan

BOM = b"\xef\xbb\xbf"
CREATED = dt.datetime(2026, 11, 21, 9, 30, 12)
# A comment on the first line (right after the mark) and one inside a table: both stay.
FILE = (
    "# my portfolio, saved by Notepad\n"
    '[portfolio]\nname = "x"\nas_of = 2026-01-02\n'
    "[targets]\nS = 60  # stocks\nCash = 40\n"
    '[securities.V]\nprice = 10\nclass = "S"\n'
    '[[accounts]]\nname = "A"\ncash = 5\nholdings = { V = 3 }\n'
    "[[history]]\ndate = 2025-01-01\ntotal = 1\n"
)


def windows_file(tmp_path: Path, *, bom: bool, crlf: bool) -> Path:
    text = FILE.replace("\n", "\r\n") if crlf else FILE
    path = tmp_path / "portfolio.toml"
    path.write_bytes((BOM if bom else b"") + text.encode())
    return path


def the_edit(saved: Loaded, *, bom: bool, crlf: bool) -> None:
    """The bytes on disk: the mark (when it was there), the user's text unchanged, then
    what rebal appended, all in the file's line endings; and it reads as `saved` says."""
    data = saved.path.read_bytes()
    newline = b"\r\n" if crlf else b"\n"
    head = (BOM if bom else b"") + FILE.encode().replace(b"\n", newline)
    assert data.startswith(head)
    assert data.count(BOM) == int(bom)  # one mark, at the start, never doubled
    assert data.count(b"\n") == data.count(newline)
    assert data.removeprefix(BOM) == saved.text.encode()  # the text returned is what was written
    again = load(saved.path)
    assert again.portfolio == saved.portfolio
    assert again.fingerprint == saved.fingerprint


WINDOWS = pytest.mark.parametrize(
    ("bom", "crlf"),
    [(True, False), (False, True), (True, True)],
    ids=["bom", "crlf", "bom+crlf"],
)


@WINDOWS
def test_a_saved_review_keeps_the_mark_and_the_line_endings(
    tmp_path: Path, bom: bool, crlf: bool
) -> None:
    path = windows_file(tmp_path, bom=bom, crlf=crlf)
    original = path.read_bytes()

    saved = save_review(load(path), plan=one_trade_plan(), created=CREATED)

    the_edit(saved, bom=bom, crlf=crlf)
    assert b"[plan]" in path.read_bytes()
    assert path.with_name("portfolio.toml.bak").read_bytes() == original


@WINDOWS
def test_a_second_write_from_what_the_first_returned_keeps_them_too(
    tmp_path: Path, bom: bool, crlf: bool
) -> None:
    """The app saves, then marks trades from the Loaded the save returned."""
    path = windows_file(tmp_path, bom=bom, crlf=crlf)
    saved = save_review(load(path), plan=one_trade_plan(), created=CREATED)

    marked = mark_trades(saved, {0: "done"})

    the_edit(marked, bom=bom, crlf=crlf)
    assert b'status = "done"' in path.read_bytes()


@WINDOWS
def test_an_added_flow_keeps_the_mark_and_the_line_endings(
    tmp_path: Path, bom: bool, crlf: bool
) -> None:
    path = windows_file(tmp_path, bom=bom, crlf=crlf)

    added = add_flow(load(path), Flow(date=dt.date(2025, 6, 1), account="A", amount=Decimal(5)))

    the_edit(added, bom=bom, crlf=crlf)


def test_a_file_written_again_after_it_was_deleted_keeps_its_mark(tmp_path: Path) -> None:
    path = windows_file(tmp_path, bom=True, crlf=False)
    loaded = load(path)
    path.unlink()

    saved = save_review(loaded, plan=one_trade_plan(), created=CREATED, recreate=True)

    the_edit(saved, bom=True, crlf=False)


def test_a_file_without_the_mark_gets_none(tmp_path: Path) -> None:
    path = windows_file(tmp_path, bom=False, crlf=False)

    saved = save_review(load(path), plan=one_trade_plan(), created=CREATED)

    the_edit(saved, bom=False, crlf=False)
