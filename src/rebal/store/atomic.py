"""Replace a file so that nothing can be lost: the one way rebal writes a file.

`write_atomic` owns every step, in this order:

1. the writer lock: an exclusive `flock` on `.<name>.lock` beside the file, so
   a second rebal waits a few seconds and then refuses, naming the process
   that holds it (its pid is written in the lock file);
2. refusals before anything is written: a file that is not a regular file, a
   read-only file (no owner write bit), a symlink or a folder where the
   backup goes, a file that changed since it was read;
3. the new text in a temporary file beside the target, created with the
   target's mode from the start (`O_CREAT | O_EXCL`, then `fchmod` before any
   byte is written, since the umask may have cleared bits) and its owner and
   group when the process may set them;
4. the backup `<name>.bak`, itself a temporary file, synced, then renamed:
   a backup that cannot be written leaves the old one and the file untouched;
5. the changed-on-disk check once more, under the lock, right before the
   renames, then `os.replace` and a sync of the folder.

Temporary files are removed on any error and on SIGTERM or SIGHUP (a closed
SSH session); a writer killed outright leaves one behind, which the next
writer holding the lock removes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import secrets
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any, Literal

from rebal.store.load import Fingerprint

BACKUP_SUFFIX = ".bak"
# How long a second writer waits for the first before refusing: longer than
# any save takes, short enough that a script or a person is not left hanging.
LOCK_WAIT_SECONDS = 3.0
# The wait between tries grows from the first to the last: a short save ahead
# is waited for briefly, a long one without spinning.
_LOCK_POLL_SECONDS = (0.002, 0.05)
# Signals that end rebal politely (SIGHUP: the SSH session closed): a write
# stopped by one removes its temporary files first.
_CLEANUP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

# "replace": the backup becomes the file as it was before this write.
# "keep": an existing backup is left as it is (the app's later writes keep the
# version from before the session); one is made only when there is none.
Backup = Literal["replace", "keep"]
# The moments a test may observe (and act in) through `on_step`.
WriteStep = Literal["locked", "temp-written", "backup-written"]
StepHook = Callable[[WriteStep], None]
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class SaveRefused(Exception):
    """The file was not written; the message says why and what to do."""


class FileChangedOnDisk(SaveRefused):
    """The file is not as rebal read it: changed, or gone (`missing`)."""

    def __init__(self, path: Path, *, missing: bool = False) -> None:
        super().__init__(
            f"{path}: the file was deleted or moved since rebal read it; nothing was written "
            "(put it back, or write to a new file)"
            if missing
            else f"{path}: the file changed on disk since rebal read it; nothing was written "
            "(another program wrote it meanwhile: look at its changes, then try again)"
        )
        self.path = path
        self.missing = missing


class WriterBusy(SaveRefused):
    """Another process holds the writer lock."""

    def __init__(self, path: Path, holder: int | None, waited: float) -> None:
        who = f"another rebal (process {holder})" if holder else "another program"
        super().__init__(
            f"{path}: {who} is writing this file; nothing was written after waiting "
            f"{waited:g} s (try again when it has finished)"
        )
        self.path = path
        self.holder = holder


class _Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived mid-write; raised so the cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def backup_shown(path: Path) -> str:
    """The backup a save of `path` made, as a message names it.

    A symlinked portfolio is saved through the link, so its backup is beside
    the file the link names, not beside the link.
    """
    if not path.is_symlink():
        return backup_path(path).name
    real = backup_path(path.resolve())
    return real.name if real.parent == path.absolute().parent else str(real)


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def ensure_unchanged(path: Path, expected: Fingerprint) -> None:
    """Raise FileChangedOnDisk unless `path` still looks as it did when read."""
    try:
        current = Fingerprint.of(path)
    except FileNotFoundError:
        raise FileChangedOnDisk(path, missing=True) from None
    if current.sha256 != expected.sha256 or current.size != expected.size:
        raise FileChangedOnDisk(path)


def write_atomic(
    path: Path,
    text: str,
    expected: Fingerprint | None,
    *,
    backup: Backup = "replace",
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_step: StepHook | None = None,
) -> Fingerprint:
    """Write `text` to `path` atomically and return the new fingerprint.

    `expected` is the fingerprint taken when the file was read (None for a new
    file, which must not exist yet). The previous version is kept as
    `<name>.bak` (see `Backup`). Raises SaveRefused, or OSError when the
    system fails (disk full); either way the file and its backup are as they were.
    """
    target = Path(os.path.realpath(path))  # replacing a symlink would replace the link
    data = text.encode("utf-8")
    with _cleanup_on_signals(path), _writer_lock(path, target, lock_wait):
        _remove_stale_temps(target)
        _step(on_step, "locked")
        if expected is None:
            if os.path.lexists(target):
                raise SaveRefused(f"{path}: already exists; refusing to overwrite it")
            _write_new(path, target, data, on_step)
        else:
            _replace(path, target, data, expected, backup, on_step)
        _fsync_directory(target.parent)
        # Taken under the lock: the next writer may replace the file the moment it is released.
        return Fingerprint.of(target, data)


def replace_whole(target: Path, text: str, like: os.stat_result | None) -> None:
    """Put `text` at `target` whole or not at all: an export, which has no backup,
    no lock and no changed-on-disk check, but the same temporary file (mode and
    owner of `like`, the file it replaces), sync and rename as a portfolio save."""
    temp = _write_temp(target, text.encode("utf-8"), like)
    try:
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    _fsync_directory(target.parent)


def _step(on_step: StepHook | None, step: WriteStep) -> None:
    if on_step is not None:
        on_step(step)


def _write_new(shown: Path, target: Path, data: bytes, on_step: StepHook | None) -> None:
    temp = _write_temp(target, data, None)
    try:
        _step(on_step, "temp-written")
        try:
            # A hard link fails if the name was taken meanwhile, where a rename
            # would silently replace what someone else just created.
            os.link(temp, target)
        except FileExistsError:
            raise SaveRefused(f"{shown}: already exists; refusing to overwrite it") from None
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            if os.path.lexists(target):  # a file system without hard links
                raise SaveRefused(f"{shown}: already exists; refusing to overwrite it") from None
            os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _replace(
    shown: Path,
    target: Path,
    data: bytes,
    expected: Fingerprint,
    backup: Backup,
    on_step: StepHook | None,
) -> None:
    current = _writable_regular_file(shown, target)
    _unchanged(shown, target, expected)
    bak = backup_path(target)
    make_backup = backup == "replace" or not os.path.lexists(bak)
    _check_backup_place(shown, bak)
    temps: list[Path] = []
    try:
        temps.append(_write_temp(target, data, current))
        _step(on_step, "temp-written")
        if make_backup:
            old = target.read_bytes()  # the version checked above, unless it just changed
            if hashlib.sha256(old).hexdigest() != expected.sha256:
                raise FileChangedOnDisk(shown)
            temps.append(_write_temp(bak, old, current))
            os.utime(temps[-1], ns=(current.st_atime_ns, current.st_mtime_ns))
        _step(on_step, "backup-written")
        # The last look, under the lock and after every slow step: an editor
        # that saved meanwhile is never overwritten.
        _unchanged(shown, target, expected)
        if make_backup:
            os.replace(temps[-1], bak)
        os.replace(temps[0], target)
    finally:
        for temp in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def _unchanged(shown: Path, target: Path, expected: Fingerprint) -> None:
    """ensure_unchanged on the real file, naming it as the user did."""
    try:
        ensure_unchanged(target, expected)
    except FileChangedOnDisk as changed:
        raise FileChangedOnDisk(shown, missing=changed.missing) from None


def _writable_regular_file(shown: Path, target: Path) -> os.stat_result:
    try:
        current = target.stat()
    except FileNotFoundError:
        raise FileChangedOnDisk(shown, missing=True) from None
    if not stat.S_ISREG(current.st_mode):
        raise SaveRefused(f"{shown}: is not a regular file; rebal only replaces regular files")
    if not current.st_mode & stat.S_IWUSR:
        mode = stat.S_IMODE(current.st_mode)
        raise SaveRefused(
            f"{shown}: the file is read-only (mode {mode:04o}); nothing was written "
            f"(if rebal should update it, make it writable first: chmod u+w {shown})"
        )
    return current


def _check_backup_place(shown: Path, bak: Path) -> None:
    try:
        found = bak.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISREG(found.st_mode):
        return
    what = (
        "a symbolic link"
        if stat.S_ISLNK(found.st_mode)
        else "a folder"
        if stat.S_ISDIR(found.st_mode)
        else "not a regular file"
    )
    raise SaveRefused(
        f"{shown}: nothing was written: the backup {bak} is {what}, and rebal writes its "
        "backup only as a regular file (move it away, then save again)"
    )


# ------------------------------------------------------------ temporary files


def _temp_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(
        rf"\.{re.escape(target.name)}(?:{re.escape(BACKUP_SUFFIX)})?\.[0-9a-f]{{12}}\.tmp"
    )


def _remove_stale_temps(target: Path) -> None:
    """Remove the temporary files a killed writer left; only run under the lock,
    so none of them can belong to a writer still at work."""
    pattern = _temp_pattern(target)
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


def _write_temp(final: Path, data: bytes, like: os.stat_result | None) -> Path:
    """A synced temporary file beside `final` holding `data`, with the mode (and,
    when allowed, owner) of `like`; the user's usual mode for a new file."""
    mode = stat.S_IMODE(like.st_mode) if like is not None else 0o666
    fd, temp = _create_temp(final, mode & 0o777)
    try:
        try:
            if like is not None:
                _keep_owner(fd, like)
                os.fchmod(fd, mode)  # before any data: never more open than the original
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return temp


def _create_temp(final: Path, mode: int) -> tuple[int, Path]:
    """A new, empty file beside `final`, opened for writing.

    Opened with the final mode (the umask can only take bits away), so the
    file is never readable by anyone the original was not readable by.
    """
    for _ in range(100):
        temp = final.with_name(f".{final.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode
            )
        except FileExistsError:
            continue
        return fd, temp
    raise FileExistsError(f"{final.parent}: could not create a temporary file")


def _keep_owner(fd: int, like: os.stat_result) -> None:
    """Give the new file the original's owner and group, as far as the process may.

    Root saving someone else's file must not hand it to root; a user who may
    not change the owner may still keep a group they belong to.
    """
    if (like.st_uid, like.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, like.st_uid, like.st_gid)
    except OSError:
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, like.st_gid)


def _fsync_directory(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ------------------------------------------------------------------- locking


@contextlib.contextmanager
def _writer_lock(shown: Path, target: Path, wait: float) -> Iterator[None]:
    """Hold the exclusive writer lock of `target`, waiting at most `wait` seconds.

    The lock file is removed on release. Whoever then takes the lock checks
    that the file it locked is still the one at the lock's path, so two
    writers can never hold locks on two different lock files.
    """
    where = lock_path(target)
    deadline = time.monotonic() + wait
    pause, longest = _LOCK_POLL_SECONDS
    while True:
        try:
            # O_NONBLOCK: a FIFO put at this place must not make the open wait.
            flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
            fd = os.open(where, flags, 0o644)
        except OSError as error:
            in_the_way = _not_a_lock_file(shown, where)
            if in_the_way is not None:
                raise in_the_way from None
            raise SaveRefused(
                f"{shown}: nothing was written: cannot open the lock file {where} "
                f"({error.strerror or error}); rebal needs to write in the file's folder"
            ) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or a device opens
            os.close(fd)
            raise _not_a_lock_file(shown, where) or SaveRefused(
                f"{shown}: nothing was written: the lock file {where} is not a regular file"
            )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise WriterBusy(shown, _lock_holder(where), wait) from None
            time.sleep(pause)
            pause = min(pause * 2, longest)
            continue
        except BaseException:
            os.close(fd)
            raise
        if _same_file(fd, where):
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(where)
        os.close(fd)


def _not_a_lock_file(shown: Path, where: Path) -> SaveRefused | None:
    """The refusal when something other than a lock file is at the lock's place (None:
    nothing is, or a regular file). It is someone's, so it is left there."""
    try:
        mode = where.lstat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    what = (
        "a symbolic link"
        if stat.S_ISLNK(mode)
        else "a folder"
        if stat.S_ISDIR(mode)
        else "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a special file"
    )
    return SaveRefused(
        f"{shown}: nothing was written: cannot open the lock file {where}: it is {what}, "
        "where rebal keeps a small lock file (move it away, then save again)"
    )


def lock_holder(path: Path) -> int | None:
    """The process id in `path`'s writer lock file: who is writing it now (None: no
    one, or a program that does not say). For a screen that waits for a save."""
    return _lock_holder(lock_path(Path(os.path.realpath(path))))


def _same_file(fd: int, where: Path) -> bool:
    try:
        named = os.stat(where, follow_symlinks=False)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _lock_holder(where: Path) -> int | None:
    try:
        text = where.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


# ------------------------------------------------------------------- signals


@contextlib.contextmanager
def _cleanup_on_signals(shown: Path) -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP unwind the write (removing its temporary
    files and lock) and are then delivered again to the handler that was there.

    Handlers can only be set from the main thread; a write in another thread
    relies on the next writer's clean-up instead.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: FrameType | None) -> None:
        raise _Interrupted(signum)

    previous: dict[signal.Signals, _Handler] = {}
    for signum in _CLEANUP_SIGNALS:
        handler = signal.getsignal(signum)
        if handler is not signal.SIG_IGN:  # e.g. under nohup: leave it ignored
            previous[signum] = signal.signal(signum, interrupted)
    stopped_by: int | None = None
    try:
        yield
    except _Interrupted as stop:
        stopped_by = stop.signum
    finally:
        # Blocked while the old handlers go back, so a signal arriving now
        # reaches them (once unblocked) instead of interrupting the restore.
        signal.pthread_sigmask(signal.SIG_BLOCK, _CLEANUP_SIGNALS)
        try:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _CLEANUP_SIGNALS)
    if stopped_by is not None:
        signal.raise_signal(stopped_by)  # ends the process unless its handler returns
        raise SaveRefused(f"{shown}: interrupted by a signal; nothing was written")
