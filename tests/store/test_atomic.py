"""write_atomic: all or nothing, one backup, permissions kept, never over an outside edit."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from rebal.store.atomic import (
    FileChangedOnDisk,
    SaveRefused,
    WriterBusy,
    WriteStep,
    backup_path,
    ensure_unchanged,
    lock_path,
    write_atomic,
)
from rebal.store.load import Fingerprint


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def portfolio_file(tmp_path: Path) -> Path:
    path = tmp_path / "household.toml"
    path.write_text("# version 1\n", encoding="utf-8")
    return path


def test_replaces_the_file_and_keeps_the_previous_version_as_backup(
    portfolio_file: Path,
) -> None:
    before = Fingerprint.of(portfolio_file)
    after = write_atomic(portfolio_file, "# version 2\n", before)
    assert portfolio_file.read_text(encoding="utf-8") == "# version 2\n"
    assert backup_path(portfolio_file).read_text(encoding="utf-8") == "# version 1\n"
    assert backup_path(portfolio_file).name == "household.toml.bak"
    assert after == Fingerprint.of(portfolio_file)
    assert leftovers(portfolio_file.parent) == []


def test_only_one_backup_is_kept_the_latest_previous_version(portfolio_file: Path) -> None:
    second = write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    write_atomic(portfolio_file, "# version 3\n", second)
    assert backup_path(portfolio_file).read_text(encoding="utf-8") == "# version 2\n"
    assert sorted(p.name for p in portfolio_file.parent.iterdir()) == [
        "household.toml",
        "household.toml.bak",
    ]


def test_keeps_the_files_permissions(portfolio_file: Path) -> None:
    os.chmod(portfolio_file, 0o640)
    write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    assert stat.S_IMODE(portfolio_file.stat().st_mode) == 0o640


def test_a_new_file_gets_the_users_usual_permissions(tmp_path: Path) -> None:
    old_mask = os.umask(0o022)
    try:
        path = tmp_path / "new.toml"
        write_atomic(path, "# new\n", None)
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not backup_path(path).exists()


def test_refuses_to_create_over_an_existing_file(portfolio_file: Path) -> None:
    with pytest.raises(SaveRefused, match="already exists"):
        write_atomic(portfolio_file, "# other\n", None)
    assert portfolio_file.read_text(encoding="utf-8") == "# version 1\n"


def test_refuses_when_the_file_changed_on_disk_since_it_was_read(portfolio_file: Path) -> None:
    read_then = Fingerprint.of(portfolio_file)
    portfolio_file.write_text("# edited in another editor\n", encoding="utf-8")
    with pytest.raises(FileChangedOnDisk, match="changed on disk") as refused:
        write_atomic(portfolio_file, "# version 2\n", read_then)
    assert refused.value.path == portfolio_file
    assert portfolio_file.read_text(encoding="utf-8") == "# edited in another editor\n"
    assert not backup_path(portfolio_file).exists()
    assert leftovers(portfolio_file.parent) == []
    # Said to `rebal flow` and `rebal mark` too, which have nothing to reopen or save:
    # the advice fits a command run again as well as the app.
    assert str(refused.value) == (
        f"{portfolio_file}: the file changed on disk since rebal read it; nothing was written "
        "(another program wrote it meanwhile: look at its changes, then try again)"
    )


def test_refuses_when_the_file_was_deleted_since_it_was_read(portfolio_file: Path) -> None:
    read_then = Fingerprint.of(portfolio_file)
    portfolio_file.unlink()
    with pytest.raises(FileChangedOnDisk) as refused:
        write_atomic(portfolio_file, "# version 2\n", read_then)
    assert not portfolio_file.exists()
    # Was "the file changed on disk", which sends the user looking for another edit.
    assert refused.value.missing
    assert str(refused.value) == (
        f"{portfolio_file}: the file was deleted or moved since rebal read it; nothing was "
        "written (put it back, or write to a new file)"
    )


def test_a_touch_without_a_change_is_not_a_change(portfolio_file: Path) -> None:
    read_then = Fingerprint.of(portfolio_file)
    os.utime(portfolio_file, ns=(read_then.mtime_ns + 10**9, read_then.mtime_ns + 10**9))
    ensure_unchanged(portfolio_file, read_then)  # same bytes: no refusal


def test_an_edit_made_while_writing_is_caught_before_replacing(
    portfolio_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_then = Fingerprint.of(portfolio_file)
    real_fsync = os.fsync

    def fsync_then_someone_saves(fd: int) -> None:
        real_fsync(fd)
        portfolio_file.write_text("# saved by an editor meanwhile\n", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", fsync_then_someone_saves)
    with pytest.raises(FileChangedOnDisk):
        write_atomic(portfolio_file, "# version 2\n", read_then)
    monkeypatch.undo()
    assert portfolio_file.read_text(encoding="utf-8") == "# saved by an editor meanwhile\n"
    assert leftovers(portfolio_file.parent) == []


def test_a_failure_leaves_the_original_and_no_temporary_file(
    portfolio_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(source: Any, target: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    monkeypatch.undo()
    assert portfolio_file.read_text(encoding="utf-8") == "# version 1\n"
    assert leftovers(portfolio_file.parent) == []


def test_writing_through_a_symlink_replaces_the_target_not_the_link(tmp_path: Path) -> None:
    real_folder = tmp_path / "dotfiles"
    real_folder.mkdir()
    real = real_folder / "household.toml"
    real.write_text("# version 1\n", encoding="utf-8")
    link = tmp_path / "portfolio.toml"
    link.symlink_to(real)

    write_atomic(link, "# version 2\n", Fingerprint.of(link))

    assert link.is_symlink()
    assert link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8") == "# version 2\n"
    assert backup_path(real).read_text(encoding="utf-8") == "# version 1\n"
    assert leftovers(real_folder) == []
    assert leftovers(tmp_path) == []


def test_text_is_written_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    write_atomic(path, 'name = "Épargne €"\n', None)
    assert path.read_bytes() == 'name = "Épargne €"\n'.encode()


# ------------------------------------------------- permissions, owner, refusals


def test_the_temporary_file_is_never_more_open_than_a_private_portfolio(
    portfolio_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failed before: the temporary copy was 0644 until after its data was written."""
    os.chmod(portfolio_file, 0o600)
    seen: dict[str, int] = {}
    real_fsync = os.fsync

    def fsync_and_look(fd: int) -> None:
        for entry in portfolio_file.parent.iterdir():
            if entry.name.endswith(".tmp"):
                seen[entry.name] = stat.S_IMODE(entry.lstat().st_mode)
        real_fsync(fd)

    old_mask = os.umask(0o022)
    monkeypatch.setattr(os, "fsync", fsync_and_look)
    try:
        write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    finally:
        os.umask(old_mask)
    assert seen, "no temporary file was seen while writing"
    assert set(seen.values()) == {0o600}
    assert stat.S_IMODE(portfolio_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_path(portfolio_file).stat().st_mode) == 0o600


def test_a_mode_the_umask_would_clear_is_kept(portfolio_file: Path) -> None:
    os.chmod(portfolio_file, 0o664)
    old_mask = os.umask(0o077)
    try:
        write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(portfolio_file.stat().st_mode) == 0o664


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_root_saving_another_users_file_keeps_its_owner(portfolio_file: Path) -> None:
    """Failed before: the replaced file (and its backup) belonged to root."""
    os.chown(portfolio_file, 4321, 4322)
    write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    for path in (portfolio_file, backup_path(portfolio_file)):
        assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4322)


def test_a_read_only_portfolio_is_refused_not_replaced(portfolio_file: Path) -> None:
    """Failed before: a 0444 file was silently replaced (the folder is writable)."""
    os.chmod(portfolio_file, 0o444)
    with pytest.raises(SaveRefused, match=r"read-only \(mode 0444\).*chmod u\+w"):
        write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    assert portfolio_file.read_text(encoding="utf-8") == "# version 1\n"
    assert not backup_path(portfolio_file).exists()
    assert leftovers(portfolio_file.parent) == []


def test_a_backup_that_is_a_symlink_is_refused_not_written_through(
    portfolio_file: Path, tmp_path: Path
) -> None:
    """Failed before: the backup was copied into whatever the link pointed at."""
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("not yours to overwrite\n", encoding="utf-8")
    backup_path(portfolio_file).symlink_to(elsewhere)
    with pytest.raises(SaveRefused, match="is a symbolic link"):
        write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    assert elsewhere.read_text(encoding="utf-8") == "not yours to overwrite\n"
    assert portfolio_file.read_text(encoding="utf-8") == "# version 1\n"
    assert backup_path(portfolio_file).is_symlink()
    assert leftovers(tmp_path) == []


def test_a_backup_that_is_a_folder_is_refused(portfolio_file: Path) -> None:
    """Failed before: the backup was put inside the folder."""
    backup_path(portfolio_file).mkdir()
    with pytest.raises(SaveRefused, match="is a folder"):
        write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    assert list(backup_path(portfolio_file).iterdir()) == []
    assert portfolio_file.read_text(encoding="utf-8") == "# version 1\n"


def test_keep_leaves_the_existing_backup_and_makes_one_when_there_is_none(
    portfolio_file: Path,
) -> None:
    second = write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file),
                          backup="keep")
    assert backup_path(portfolio_file).read_text(encoding="utf-8") == "# version 1\n"
    write_atomic(portfolio_file, "# version 3\n", second, backup="keep")
    assert backup_path(portfolio_file).read_text(encoding="utf-8") == "# version 1\n"
    assert portfolio_file.read_text(encoding="utf-8") == "# version 3\n"


# ------------------------------------------------------- the final check, locks


def test_an_edit_after_the_backup_is_written_is_refused_and_the_old_backup_kept(
    portfolio_file: Path,
) -> None:
    backup_path(portfolio_file).write_text("# version 0\n", encoding="utf-8")
    read_then = Fingerprint.of(portfolio_file)

    def editor_saves(step: WriteStep) -> None:
        if step == "backup-written":
            portfolio_file.write_text("# the editor's save\n", encoding="utf-8")

    with pytest.raises(FileChangedOnDisk):
        write_atomic(portfolio_file, "# version 2\n", read_then, on_step=editor_saves)
    assert portfolio_file.read_text(encoding="utf-8") == "# the editor's save\n"
    assert backup_path(portfolio_file).read_text(encoding="utf-8") == "# version 0\n"
    assert leftovers(portfolio_file.parent) == []


def test_a_new_file_made_by_someone_else_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"

    def someone_creates_it(step: WriteStep) -> None:
        if step == "temp-written":
            path.write_text("# theirs\n", encoding="utf-8")

    with pytest.raises(SaveRefused, match="already exists"):
        write_atomic(path, "# mine\n", None, on_step=someone_creates_it)
    assert path.read_text(encoding="utf-8") == "# theirs\n"
    assert leftovers(tmp_path) == []


def test_two_writers_that_read_the_same_version_never_both_succeed(
    portfolio_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failed before: both passed the check, both replaced the file, one save was lost."""
    read_then = Fingerprint.of(portfolio_file)
    both_checked = threading.Barrier(2, timeout=1)
    real_replace = os.replace

    def replace_together(source: Any, target: Any) -> None:
        if Path(target) == portfolio_file:
            with contextlib.suppress(threading.BrokenBarrierError):
                both_checked.wait()  # the other writer is waiting for the lock instead
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_together)
    outcomes: dict[str, str] = {}

    def save(text: str) -> None:
        try:
            write_atomic(portfolio_file, text, read_then)
        except SaveRefused as refused:
            outcomes[text] = type(refused).__name__
        else:
            outcomes[text] = "saved"

    writers = [threading.Thread(target=save, args=(f"# {who}\n",)) for who in ("a", "b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert sorted(outcomes.values()) == ["FileChangedOnDisk", "saved"]
    winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
    assert portfolio_file.read_text(encoding="utf-8") == winner
    assert backup_path(portfolio_file).read_text(encoding="utf-8") == "# version 1\n"


def test_a_second_writer_waits_then_refuses_naming_the_first(portfolio_file: Path) -> None:
    first_is_writing = threading.Event()
    may_finish = threading.Event()

    def hold(step: WriteStep) -> None:
        if step == "temp-written":
            first_is_writing.set()
            may_finish.wait(10)

    first = threading.Thread(
        target=write_atomic,
        args=(portfolio_file, "# first\n", Fingerprint.of(portfolio_file)),
        kwargs={"on_step": hold},
    )
    first.start()
    try:
        assert first_is_writing.wait(10)
        with pytest.raises(WriterBusy, match=rf"another rebal \(process {os.getpid()}\)") as busy:
            write_atomic(portfolio_file, "# second\n", Fingerprint.of(portfolio_file),
                         lock_wait=0.2)
        assert busy.value.holder == os.getpid()
        assert "nothing was written after waiting 0.2 s" in str(busy.value)
    finally:
        may_finish.set()
        first.join()
    assert portfolio_file.read_text(encoding="utf-8") == "# first\n"
    assert not lock_path(portfolio_file).exists()
    assert leftovers(portfolio_file.parent) == []


def test_temporary_files_left_by_a_killed_writer_are_removed_by_the_next(
    portfolio_file: Path,
) -> None:
    stale = [
        portfolio_file.with_name(".household.toml.0123456789ab.tmp"),
        portfolio_file.with_name(".household.toml.bak.ba9876543210.tmp"),
    ]
    unrelated = portfolio_file.with_name(".other.toml.0123456789ab.tmp")
    for path in [*stale, unrelated]:
        path.write_text("half a file", encoding="utf-8")
    write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    assert leftovers(portfolio_file.parent) == [unrelated.name]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_a_folder_rebal_cannot_write_in_is_refused_with_a_message(portfolio_file: Path) -> None:
    folder = portfolio_file.parent
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(SaveRefused, match="cannot open the lock file"):
            write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    finally:
        os.chmod(folder, 0o755)
    assert portfolio_file.read_text(encoding="utf-8") == "# version 1\n"


def test_a_symlink_at_the_lock_files_place_is_refused(portfolio_file: Path, tmp_path: Path) -> None:
    lock_path(portfolio_file).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SaveRefused, match="cannot open the lock file"):
        write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))
    assert not (tmp_path / "elsewhere").exists()
    assert portfolio_file.read_text(encoding="utf-8") == "# version 1\n"


def test_a_refusal_names_the_file_as_the_user_named_it(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "household.toml"
    real.parent.mkdir()
    real.write_text("# version 1\n", encoding="utf-8")
    link = tmp_path / "portfolio.toml"
    link.symlink_to(real)
    read_then = Fingerprint.of(link)
    real.write_text("# edited elsewhere\n", encoding="utf-8")
    with pytest.raises(FileChangedOnDisk) as refused:
        write_atomic(link, "# version 2\n", read_then)
    assert refused.value.path == link
    assert str(refused.value).startswith(f"{link}: ")


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_a_folder_at_the_lock_files_place_is_refused_and_left_there(
    portfolio_file: Path, kind: str
) -> None:
    """Failed before: a FIFO there ended in "Invalid argument" and was deleted; a folder
    was reported as a folder rebal cannot write in."""
    where = lock_path(portfolio_file)
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("needs FIFOs (POSIX)")
        os.mkfifo(where)
    else:
        where.mkdir()
    what = "a FIFO (named pipe)" if kind == "fifo" else "a folder"

    with pytest.raises(SaveRefused) as refused:
        write_atomic(portfolio_file, "# version 2\n", Fingerprint.of(portfolio_file))

    assert str(refused.value) == (
        f"{portfolio_file}: nothing was written: cannot open the lock file {where}: it is "
        f"{what}, where rebal keeps a small lock file (move it away, then save again)"
    )
    assert portfolio_file.read_text(encoding="utf-8") == "# version 1\n"
    assert os.path.lexists(where)
    assert stat.S_ISFIFO(where.lstat().st_mode) if kind == "fifo" else where.is_dir()
