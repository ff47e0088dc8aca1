"""Read a user's file whole, refusing what is not a regular file of sane size.

The portfolio and every broker export come through here. A FIFO would block a
plain `read_bytes` forever and `/dev/zero` would fill memory, so the file is
opened without blocking, checked with fstat on the very descriptor that is
read (no gap in which the path could be swapped), and read up to a limit.
Refusals are OSErrors whose `strerror` is the user's message, so every
`except OSError` that reports an unreadable file says why.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FILE_SIZE_TEXT = "64 MiB"


class NotARegularFile(OSError):
    """A directory, FIFO, socket or device: nothing rebal can read as a file."""


class FileTooLarge(OSError):
    """Larger than MAX_FILE_BYTES: surely not a portfolio or a broker export."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of `path` and its status as read; OSError (with a clear strerror) otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket cannot be opened at all
            kind = _kind(os.stat(path).st_mode)
            raise NotARegularFile(errno.ENXIO, f"it is {kind}, not a regular file") from None
        if error.errno == errno.ENOENT and os.path.islink(path):
            raise _broken_link(path) from None
        raise
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            kind = _kind(status.st_mode)
            raise NotARegularFile(errno.EINVAL, f"it is {kind}, not a regular file")
        if status.st_size > limit:
            raise FileTooLarge(errno.EFBIG, _too_large(limit))
        chunks: list[bytes] = []
        size = 0
        # Read to the end, not st_size: the file may grow meanwhile, so the limit is
        # enforced on what is actually read.
        while chunk := os.read(fd, 1024 * 1024):
            size += len(chunk)
            if size > limit:
                raise FileTooLarge(errno.EFBIG, _too_large(limit))
            chunks.append(chunk)
        return b"".join(chunks), status
    finally:
        os.close(fd)


def regular_file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a file, in the reader's words, or None when it can
    (as far as its type says): for a check before anything is opened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if not os.path.islink(path):
            return "no such file"
        return f"cannot read the file: {_broken_link(path).strerror}"
    except OSError as error:
        return f"cannot read the file: {error.strerror or error}"
    if stat.S_ISREG(mode):
        return None
    return f"cannot read the file: it is {_kind(mode)}, not a regular file"


def _broken_link(path: Path) -> FileNotFoundError:
    """A symbolic link whose file is gone: said so, rather than "no such file" of a
    name that is there."""
    return FileNotFoundError(
        errno.ENOENT, f"it is a symbolic link to {os.readlink(path)}, which does not exist"
    )


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them (see read_regular_file)."""
    return read_regular_file(path, limit)[0]


def _too_large(limit: int) -> str:
    shown = MAX_FILE_SIZE_TEXT if limit == MAX_FILE_BYTES else f"{limit} bytes"
    return f"it is larger than {shown}, the most rebal reads from one file"
