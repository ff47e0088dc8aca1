"""kill -9 at random moments while rebal saves or imports: the file is always the old
or the new version whole, the backup is always a whole earlier version, and no
temporary copy of a private (0600) file is ever readable by anyone else.

Each run forks a writer from this process (already loaded, so it starts at
once) and kills it after a random delay drawn over the writer's measured
duration; other runs kill it at each step of the write. The seed is fixed,
so a failure can be replayed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import stat
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path

from faults.helpers import SAVED, TempWatcher, fork, lock_files, temp_files
from rebal.importers.model import ImportResult
from rebal.importers.read import read_export
from rebal.store.apply_import import ImportPlan, apply_import, match_accounts, prepare_import
from rebal.store.atomic import WriteStep, backup_path, write_atomic
from rebal.store.load import Loaded, load
from rebal.store.save import preview_review, save_review

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
IMPORT_FIXTURES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"
CREATED = dt.datetime(2026, 11, 21, 9, 30)
STEPS: tuple[WriteStep, ...] = ("locked", "temp-written", "backup-written")


def private_copy(source: Path, folder: Path) -> Path:
    path = folder / source.name
    shutil.copyfile(source, path)
    os.chmod(path, 0o600)
    return path


def timed(work: Callable[[], object]) -> float:
    """How long a forked `work` takes from fork to exit, when nobody kills it."""
    start = time.perf_counter()
    assert fork(work).wait() == SAVED
    return time.perf_counter() - start


def kill_after(work: Callable[[], object], delay: float) -> int:
    child = fork(work)
    time.sleep(delay)
    child.kill()
    return child.wait()


def kill_at(step: WriteStep) -> Callable[[WriteStep], None]:
    def hook(reached: WriteStep) -> None:
        if reached == step:
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


class Versions:
    """Every whole version the file has had or was about to get."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.all = {path.read_bytes()}
        self.outcomes = {"old": 0, "new": 0}

    def check(self, old: bytes, new: bytes) -> None:
        now = self.path.read_bytes()
        assert now in (old, new), "the file is neither the old nor the new version"
        self.outcomes["new" if now == new and new != old else "old"] += 1
        self.all.add(new)
        bak = backup_path(self.path)
        if bak.exists():
            assert bak.read_bytes() in self.all, "the backup is not a whole earlier version"
            assert stat.S_IMODE(bak.stat().st_mode) == 0o600
        assert stat.S_IMODE(self.path.stat().st_mode) == 0o600
        for temp in temp_files(self.path.parent):  # left by a kill, removed by the next writer
            assert stat.S_IMODE(temp.lstat().st_mode) == 0o600


def save(loaded: Loaded, run: int, *, preview: bool = False) -> object:
    """A review whose sector limit differs each run, so every run's version is new."""
    write = preview_review if preview else save_review
    return write(loaded, plan=None, created=CREATED, snapshot=run % 2 == 0,
                 sector_limit=Decimal(30) + Decimal(run) / 100)


def import_again(loaded: Loaded, results: list[ImportResult]) -> object:
    return apply_import(prepare_import(loaded, results, match_accounts(loaded, results)))


def test_kill_9_during_saves(tmp_path: Path) -> None:
    rng = random.Random(20261121)
    path = private_copy(SAMPLES / "household.toml", tmp_path)
    versions = Versions(path)
    watcher = TempWatcher(tmp_path)


    loaded = load(path)
    whole_save = timed(partial(save, loaded, 0))
    versions.check(loaded.text.encode(), path.read_bytes())
    loaded = load(path)
    whole_write = timed(partial(write_atomic, path, loaded.text + "# 0\n", loaded.fingerprint))
    versions.check(loaded.text.encode(), path.read_bytes())
    with watcher.running():
        for run in range(1, 61):
            loaded = load(path)
            old = loaded.text.encode()
            kind = run % 3
            if kind == 0:  # anywhere in a whole save: render, verify, write
                new = str(save(loaded, run, preview=True)).encode()
                code = kill_after(partial(save, loaded, run), rng.uniform(0, whole_save * 1.2))
            elif kind == 1:  # anywhere in the write itself
                text = f"{loaded.text}# run {run}\n"
                new = text.encode()
                code = kill_after(partial(write_atomic, path, text, loaded.fingerprint),
                                  rng.uniform(0, whole_write * 1.2))
            else:  # at each step of the write in turn
                step = STEPS[(run // 3) % len(STEPS)]
                text = f"{loaded.text}# run {run}\n"
                new = text.encode()
                child = fork(partial(write_atomic, path, text, loaded.fingerprint,
                                     on_step=kill_at(step)))
                code = child.wait()
                assert code == -signal.SIGKILL, f"run {run}: the writer ended with {code}"
            assert code in (SAVED, -signal.SIGKILL), f"run {run}: the writer ended with {code}"
            versions.check(old, new)
    assert watcher.seen, "the watcher never saw a temporary file"
    assert watcher.more_open_than(0o600) == {}
    assert versions.outcomes["old"] > 0
    assert versions.outcomes["new"] > 0
    # The next writer removes what the killed ones left, and leaves nothing itself.
    save(load(path), 99)
    assert temp_files(tmp_path) == []
    assert lock_files(tmp_path) == []


def test_kill_9_during_imports(tmp_path: Path) -> None:
    rng = random.Random(1121)
    path = private_copy(IMPORT_FIXTURES / "household_test.toml", tmp_path)
    export = tmp_path / "export.csv"
    versions = Versions(path)
    watcher = TempWatcher(tmp_path)

    def prepared(run: int) -> tuple[Loaded, list[ImportResult], ImportPlan]:
        export.write_text(f"account,ticker,shares,price\nSpouse IRA,VTI,{13 + run},301.20\n")
        loaded = load(path)
        results = [read_export(export)]
        return loaded, results, prepare_import(loaded, results, match_accounts(loaded, results))

    loaded, results, plan = prepared(0)
    whole_import = timed(partial(import_again, loaded, results))
    versions.check(loaded.text.encode(), path.read_bytes())
    with watcher.running():
        for run in range(1, 46):
            loaded, results, plan = prepared(run)
            old, new = loaded.text.encode(), plan.text.encode()
            if run % 3 == 0:
                step = STEPS[(run // 3) % len(STEPS)]
                child = fork(partial(write_atomic, path, plan.text, loaded.fingerprint,
                                     on_step=kill_at(step)))
                code = child.wait()
                assert code == -signal.SIGKILL, f"run {run}: the writer ended with {code}"
            else:
                code = kill_after(partial(import_again, loaded, results),
                                  rng.uniform(0, whole_import * 1.2))
            assert code in (SAVED, -signal.SIGKILL), f"run {run}: the writer ended with {code}"
            versions.check(old, new)
    assert watcher.more_open_than(0o600) == {}
    assert versions.outcomes["old"] > 0
    assert versions.outcomes["new"] > 0
    _, _, plan = prepared(99)
    apply_import(plan)
    assert temp_files(tmp_path) == []
    assert lock_files(tmp_path) == []
