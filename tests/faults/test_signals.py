"""SIGTERM and SIGHUP (a closed SSH session) during a save leave no temporary file."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from faults.helpers import SAVED, fork, lock_files, temp_files
from rebal.store.atomic import SaveRefused, WriteStep, backup_path, write_atomic
from rebal.store.load import Fingerprint

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"


@pytest.fixture
def household(tmp_path: Path) -> Path:
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    backup_path(path).write_text("# the backup from before\n", encoding="utf-8")
    return path


def signal_at(step: WriteStep, signum: int) -> Callable[[WriteStep], None]:
    def hook(reached: WriteStep) -> None:
        if reached == step:
            os.kill(os.getpid(), signum)

    return hook


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
@pytest.mark.parametrize("step", ["locked", "temp-written", "backup-written"])
def test_a_signal_mid_save_ends_the_process_and_leaves_no_temporary_file(
    household: Path, signum: int, step: WriteStep
) -> None:
    before = household.read_bytes()
    write = partial(write_atomic, household, "# new\n", Fingerprint.of(household),
                    on_step=signal_at(step, signum))
    assert fork(write).wait() == -signum  # the signal still ends the process
    assert household.read_bytes() == before
    assert backup_path(household).read_text(encoding="utf-8") == "# the backup from before\n"
    assert temp_files(household.parent) == []
    assert lock_files(household.parent) == []


def test_an_ignored_hangup_stays_ignored_and_the_save_completes(household: Path) -> None:
    """Under nohup SIGHUP is ignored: rebal must not turn it back into a kill."""

    def save_under_nohup() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        write_atomic(household, "# new\n", Fingerprint.of(household),
                     on_step=signal_at("temp-written", signal.SIGHUP))

    assert fork(save_under_nohup).wait() == SAVED
    assert household.read_text(encoding="utf-8") == "# new\n"


def test_the_handlers_are_restored_after_a_save(household: Path) -> None:
    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))
    write_atomic(household, "# new\n", Fingerprint.of(household))
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == before


def test_a_program_that_handles_sigterm_itself_gets_it_once_and_a_refusal(
    household: Path,
) -> None:
    """Like the app: its own handler runs (once), the write is undone, and save says so."""
    before = household.read_bytes()
    received: list[int] = []

    def record(signum: int, frame: object) -> None:
        received.append(signum)

    earlier = signal.signal(signal.SIGTERM, record)
    try:
        with pytest.raises(SaveRefused, match="interrupted by a signal; nothing was written"):
            write_atomic(household, "# new\n", Fingerprint.of(household),
                         on_step=signal_at("backup-written", signal.SIGTERM))
        assert received == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGTERM) is record
    finally:
        signal.signal(signal.SIGTERM, earlier)
    assert household.read_bytes() == before
    assert backup_path(household).read_text(encoding="utf-8") == "# the backup from before\n"
    assert temp_files(household.parent) == []
    assert lock_files(household.parent) == []
