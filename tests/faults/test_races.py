"""Two writers at once, and a file edited behind rebal's back: never a lost update."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import tomllib
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest

from faults.helpers import REFUSED, SAVED, fork, lock_files, temp_files
from rebal.cli import main
from rebal.store.atomic import (
    FileChangedOnDisk,
    WriterBusy,
    WriteStep,
    backup_path,
    lock_path,
    write_atomic,
)
from rebal.store.load import Fingerprint, Loaded, load
from rebal.store.save import save_review

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
CREATED = dt.datetime(2026, 11, 21, 9, 30)


@pytest.fixture
def household(tmp_path: Path) -> Path:
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    return path


def save_limit(loaded: Loaded, limit: int, **options: object) -> Loaded:
    return save_review(loaded, plan=None, created=CREATED, snapshot=False,
                       sector_limit=Decimal(limit), **options)  # type: ignore[arg-type]


def saved_limit(path: Path) -> object:
    return tomllib.loads(path.read_text(encoding="utf-8"))["portfolio"]["sector_limit"]


def start_then_save(start: int, loaded: Loaded, limit: int) -> None:
    os.read(start, 1)  # every writer waits here until the test says go
    save_limit(loaded, limit)


def test_two_processes_saving_the_same_version_never_both_succeed(household: Path) -> None:
    original = household.read_text(encoding="utf-8")
    for round_ in range(8):
        loaded = load(household)  # both writers read this version
        before = household.read_text(encoding="utf-8")
        go_read, go_write = os.pipe()

        children = [fork(partial(start_then_save, go_read, loaded, limit))
                    for limit in (40 + round_, 60 + round_)]
        os.write(go_write, b"go")
        codes = sorted(child.wait() for child in children)
        os.close(go_read)
        os.close(go_write)
        assert codes == [SAVED, REFUSED], f"round {round_}: exit codes {codes}"
        assert saved_limit(household) in (40 + round_, 60 + round_)
        assert backup_path(household).read_text(encoding="utf-8") == before
    assert original != household.read_text(encoding="utf-8")
    assert temp_files(household.parent) == []


def test_two_rebal_plan_saves_at_once_do_not_lose_a_plan(household: Path) -> None:
    """Failed before: both commands said "saved" and the first plan was gone."""
    original = household.read_text(encoding="utf-8")
    command = [sys.executable, "-c", "import sys; from rebal.cli import main; sys.exit(main())",
               "plan", str(household), "--save"]
    runs = [
        subprocess.Popen([*command, "--new-money", f"{amount}@Sam Roth IRA"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for amount in (1000, 3000)
    ]
    results = [(run.wait(timeout=60), run.stderr.read() if run.stderr else "") for run in runs]
    for run in runs:
        if run.stderr:
            run.stderr.close()
    codes = [code for code, _ in results]
    assert 0 in codes
    assert "Traceback" not in "".join(err for _, err in results)
    if codes == [0, 0]:
        # Only right if the second read the first's result: then the backup holds that.
        assert backup_path(household).read_text(encoding="utf-8") != original
    else:
        refused = next(err for code, err in results if code != 0)
        assert codes.count(2) == 1
        assert "nothing was written" in refused


def test_a_second_rebal_waits_then_refuses_naming_the_first(
    household: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded = load(household)
    started_read, started_write = os.pipe()
    finish_read, finish_write = os.pipe()

    def hold_the_lock(step: WriteStep) -> None:
        if step == "temp-written":
            os.write(started_write, b"x")
            os.read(finish_read, 1)

    first = fork(partial(write_atomic, household, loaded.text + "# first\n", loaded.fingerprint,
                         on_step=hold_the_lock))
    try:
        os.read(started_read, 1)
        code = main(["plan", str(household), "--save"])
        err = capsys.readouterr().err
    finally:
        os.write(finish_write, b"x")
        assert first.wait() == SAVED
        for fd in (started_read, started_write, finish_read, finish_write):
            os.close(fd)
    assert code == 2
    assert f"another rebal (process {first.pid}) is writing this file" in err
    assert "nothing was written after waiting" in err
    assert household.read_text(encoding="utf-8").endswith("# first\n")
    assert not lock_path(household).exists()


def test_an_edit_between_load_and_save_is_refused(household: Path) -> None:
    loaded = load(household)
    household.write_text(loaded.text + "# an edit in another editor\n", encoding="utf-8")
    with pytest.raises(FileChangedOnDisk):
        save_limit(loaded, 45)
    assert household.read_text(encoding="utf-8").endswith("# an edit in another editor\n")
    assert not backup_path(household).exists()


@pytest.mark.parametrize("step", ["locked", "temp-written", "backup-written"])
def test_an_edit_during_the_save_is_refused_at_every_step(household: Path, step: str) -> None:
    """The editor saving just after rebal copied the backup is never overwritten."""
    loaded = load(household)
    edited = loaded.text + "# saved by an editor meanwhile\n"

    def editor_saves(reached: WriteStep) -> None:
        if reached == step:
            household.write_text(edited, encoding="utf-8")

    with pytest.raises(FileChangedOnDisk):
        write_atomic(household, loaded.text + "# rebal\n", loaded.fingerprint,
                     on_step=editor_saves)
    assert household.read_text(encoding="utf-8") == edited
    assert not backup_path(household).exists()
    assert temp_files(household.parent) == []


def test_threads_in_one_process_are_excluded_too(household: Path) -> None:
    """flock is per open file, so the app's worker threads exclude each other as well."""
    loaded = load(household)
    inside = threading.Event()
    release = threading.Event()

    def hold(step: WriteStep) -> None:
        if step == "locked":
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=write_atomic,
                              args=(household, loaded.text + "# a\n", loaded.fingerprint),
                              kwargs={"on_step": hold})
    holder.start()
    try:
        assert inside.wait(10)
        with pytest.raises(WriterBusy):
            write_atomic(household, loaded.text + "# b\n", loaded.fingerprint, lock_wait=0.1)
    finally:
        release.set()
        holder.join()
    assert household.read_text(encoding="utf-8").endswith("# a\n")


def count_up(path: Path, times: int) -> None:
    """Add one to the number in `path`, `times` times, reading it afresh after each refusal."""
    done = 0
    while done < times:
        data = path.read_bytes()
        try:
            write_atomic(path, f"{int(data) + 1}\n", Fingerprint.of(path, data), lock_wait=10)
        except FileChangedOnDisk:
            continue
        done += 1


def test_four_writers_counting_up_lose_no_update(tmp_path: Path) -> None:
    """Mutual exclusion under load, lock file removed and re-created all the while."""
    counter = tmp_path / "counter.toml"
    counter.write_text("0\n", encoding="utf-8")
    children = [fork(partial(count_up, counter, 8)) for _ in range(4)]
    assert [child.wait() for child in children] == [SAVED] * 4
    assert counter.read_text(encoding="utf-8") == "32\n"
    assert temp_files(tmp_path) == []
    assert lock_files(tmp_path) == []
