"""write_atomic: all or nothing, one backup, permissions kept, never over an outside edit."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from rebal.store.atomic import (
    FileChangedOnDisk,
    SaveRefused,
    backup_path,
    ensure_unchanged,
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


def test_refuses_when_the_file_was_deleted_since_it_was_read(portfolio_file: Path) -> None:
    read_then = Fingerprint.of(portfolio_file)
    portfolio_file.unlink()
    with pytest.raises(FileChangedOnDisk):
        write_atomic(portfolio_file, "# version 2\n", read_then)
    assert not portfolio_file.exists()


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
