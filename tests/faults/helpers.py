"""Tools for attacking a write: a forked writer that can be killed, and a watcher
that sees every temporary file appear in a folder and remembers its mode."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rebal.store.atomic import SaveRefused

SAVED, REFUSED, CRASHED = 0, 3, 4


@dataclass(frozen=True)
class Child:
    pid: int

    def kill(self, signum: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def wait(self) -> int:
        """The child's exit code (SAVED, REFUSED, CRASHED), or minus the signal that ended it."""
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def fork(work: Callable[[], object]) -> Child:
    """Run `work` in a forked copy of this process (everything already imported and
    loaded, so it starts in microseconds); it exits SAVED, REFUSED or CRASHED."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        code = CRASHED
        try:
            work()
            code = SAVED
        except SaveRefused:
            code = REFUSED
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    return Child(pid)


class TempWatcher:
    """Looks at `folder` over and over from a thread; `seen` maps each temporary
    file name ever seen to every permission bit it was seen with."""

    def __init__(self, folder: Path, pause: float = 0.0002) -> None:
        self.folder = folder
        self.pause = pause
        self.seen: dict[str, int] = {}
        self.scans = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(self.pause):
            self.scan()

    def scan(self) -> None:
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if not entry.name.endswith(".tmp"):
                    continue
                try:
                    mode = stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode)
                except FileNotFoundError:
                    continue
                self.seen[entry.name] = self.seen.get(entry.name, 0) | mode
        self.scans += 1

    def more_open_than(self, mode: int) -> dict[str, str]:
        return {name: f"{bits:04o}" for name, bits in self.seen.items() if bits & ~mode}

    @contextlib.contextmanager
    def running(self) -> Iterator[TempWatcher]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()
            self.scan()


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))


def lock_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".lock"))
