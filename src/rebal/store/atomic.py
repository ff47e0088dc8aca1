"""Replace a file safely: all or nothing, a backup kept, permissions kept,
and never over an edit made outside rebal since the file was read."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from pathlib import Path

from rebal.store.load import Fingerprint

BACKUP_SUFFIX = ".bak"


class SaveRefused(Exception):
    """The file was not written; the message says why and what to do."""


class FileChangedOnDisk(SaveRefused):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: the file changed on disk since rebal read it; nothing was written "
            "(reopen it to see the other changes, then save again)"
        )
        self.path = path


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def ensure_unchanged(path: Path, expected: Fingerprint) -> None:
    """Raise FileChangedOnDisk unless `path` still looks as it did when read."""
    try:
        current = Fingerprint.of(path)
    except FileNotFoundError:
        raise FileChangedOnDisk(path) from None
    if current.sha256 != expected.sha256 or current.size != expected.size:
        raise FileChangedOnDisk(path)


def write_atomic(path: Path, text: str, expected: Fingerprint | None) -> Fingerprint:
    """Write `text` to `path` atomically and return the new fingerprint.

    `expected` is the fingerprint taken when the file was read (None for a new
    file, which must not exist yet). The previous version is kept as
    `<name>.bak`. On any failure the original file is untouched.
    """
    target = Path(os.path.realpath(path))  # replacing a symlink would replace the link
    if expected is None:
        if target.exists():
            raise SaveRefused(f"{path}: already exists; refusing to overwrite it")
    else:
        ensure_unchanged(target, expected)
    data = text.encode("utf-8")
    fd, temp = _create_temp(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if expected is not None:
            mode = stat.S_IMODE(target.stat().st_mode)
            os.chmod(temp, mode)
            shutil.copy2(target, backup_path(target))
            # Re-check right before replacing: an editor may have saved meanwhile.
            ensure_unchanged(target, expected)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    _fsync_directory(target.parent)
    return Fingerprint.of(target, data)


def _create_temp(target: Path) -> tuple[int, Path]:
    """A new, empty temporary file beside `target`, opened for writing.

    Not tempfile.mkstemp: it creates files readable by the owner only, so a new
    portfolio would be written 0600. Opening with 0666 lets the user's umask
    decide, as for any file they create; an existing file's mode is copied
    over later.
    """
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return fd, temp
    raise FileExistsError(f"{target.parent}: could not create a temporary file")


def _fsync_directory(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
