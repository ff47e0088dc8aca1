"""A portfolio file's bytes, as text, with the fingerprint of what was read."""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from rebal.files import read_regular_file
from rebal.problems import PortfolioError, Problem, unreadable


@dataclass(frozen=True)
class Fingerprint:
    """What the file looked like when read, to detect edits made outside rebal."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path, data: bytes | None = None) -> Fingerprint:
        """The fingerprint of `path` now (`data`: its bytes, when just read or written)."""
        if data is None:
            data, status = read_regular_file(path)
        else:
            status = path.stat()
        return cls.of_read(data, status)

    @classmethod
    def of_read(cls, data: bytes, status: os.stat_result) -> Fingerprint:
        return cls(status.st_mtime_ns, status.st_size, hashlib.sha256(data).hexdigest())


# The text form of a UTF-8 byte-order mark, which Windows editors write at the start.
BYTE_ORDER_MARK = "\ufeff"


def read_text(path: Path) -> tuple[str, Fingerprint, bool]:
    """The file's text (without a byte-order mark), its fingerprint and whether it
    started with the mark; PortfolioError when it cannot be read as UTF-8 text."""
    try:
        data, status = read_regular_file(path)
    except OSError as error:
        raise PortfolioError([unreadable(path, error)]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1  # in bytes: the text is not UTF-8
        raise PortfolioError(
            [
                Problem(
                    path,
                    "the file is not UTF-8 text",
                    line=line,
                    column=column,
                    hint="save it as UTF-8 (most editors offer this under Save As or Encoding)",
                )
            ]
        ) from None
    return text, Fingerprint.of_read(data, status), data.startswith(codecs.BOM_UTF8)
