"""Write an export (a CSV a user asked for by name) whole or not at all.

Unlike a portfolio save, the file named may already exist and is replaced (as
any `-o FILE` option does), but never when it is something other than a plain
file (a FIFO would hang the writer, a device would swallow or corrupt the
data) and never when it is the portfolio file itself (a slip such as
`--csv household.toml`), its backup or its writer lock. The new file appears
at once, complete: it is written beside the old one, synced, and renamed over it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from rebal.store.atomic import SaveRefused, backup_path, lock_path, replace_whole


def write_export(path: Path, text: str, *, protected: Path) -> Path:
    """Write `text` at `path` (replacing a plain file there), never over `protected`."""
    target = Path(os.path.realpath(path))  # through a symlink, as an editor would
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    # By name, existing or not: a CSV there would be taken for the backup (which
    # the app keeps once made) or hold the writer lock's place.
    real = Path(os.path.realpath(protected))
    for kept, what in ((backup_path(real), "backup"), (lock_path(real), "lock file")):
        if target == kept:
            raise SaveRefused(
                f"{path}: that is the portfolio's {what}; nothing was written "
                "(give another name for the CSV)"
            )
    if existing is None and not target.parent.is_dir():
        raise SaveRefused(
            f"{path}: the folder {str(path.parent)!r} does not exist; nothing was written"
        )
    if existing is not None:
        if not stat.S_ISREG(existing.st_mode):
            raise SaveRefused(
                f"{path}: not a regular file (a folder, FIFO or device); nothing was written "
                "(give the name of a file to write)"
            )
        with contextlib.suppress(FileNotFoundError):
            if os.path.samefile(target, protected):
                raise SaveRefused(
                    f"{path}: that is the portfolio file itself; nothing was written "
                    "(give another name for the CSV)"
                )
        if not existing.st_mode & stat.S_IWUSR:
            raise SaveRefused(
                f"{path}: the file is read-only; nothing was written (make it writable, "
                "or give another name)"
            )
    replace_whole(target, text, existing)
    return target
