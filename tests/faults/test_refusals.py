"""What rebal refuses to write, as a user meets it on the command line, and a full disk."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from faults.helpers import temp_files
from rebal.cli import main
from rebal.store.atomic import backup_path
from rebal.store.load import load
from rebal.store.save import save_review

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
IMPORT_FIXTURES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"
OLD_BACKUP = "# the backup from before\n"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


@pytest.fixture
def household(tmp_path: Path) -> Path:
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    return path


def test_plan_save_refuses_a_read_only_portfolio(
    household: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Failed before: the 0444 file was replaced by a new, writable one (exit 0)."""
    before = household.read_bytes()
    os.chmod(household, 0o444)
    code, err = run(capsys, "plan", household, "--save")
    assert code == 2
    assert "the file is read-only (mode 0444); nothing was written" in err
    assert "Traceback" not in err
    assert household.read_bytes() == before
    assert os.stat(household).st_mode & 0o777 == 0o444
    assert not backup_path(household).exists()


def test_import_refuses_a_read_only_portfolio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    portfolio = tmp_path / "portfolio.toml"
    shutil.copyfile(IMPORT_FIXTURES / "household_test.toml", portfolio)
    os.chmod(portfolio, 0o400)
    before = portfolio.read_bytes()
    export = tmp_path / "export.csv"
    export.write_text("account,ticker,shares,price\nSpouse IRA,VTI,13,301.20\n")
    code, err = run(capsys, "import", export, "--into", portfolio)
    assert code == 2
    assert "read-only (mode 0400)" in err
    assert portfolio.read_bytes() == before


@pytest.mark.parametrize("kind", ["symlink", "folder"])
def test_plan_save_refuses_a_backup_that_is_not_a_regular_file(
    household: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """Failed before: the backup was written through the link, or put inside the folder."""
    before = household.read_bytes()
    precious = tmp_path / "precious.txt"
    precious.write_text("someone else's file\n", encoding="utf-8")
    if kind == "symlink":
        backup_path(household).symlink_to(precious)
    else:
        backup_path(household).mkdir()
    code, err = run(capsys, "plan", household, "--save")
    assert code == 2
    what = "a symbolic link" if kind == "symlink" else "a folder"
    assert f"the backup {backup_path(household)} is {what}" in err
    assert "Traceback" not in err
    assert household.read_bytes() == before
    assert precious.read_text(encoding="utf-8") == "someone else's file\n"
    if kind == "folder":
        assert list(backup_path(household).iterdir()) == []


# ------------------------------------------------------------------ disk full


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs, so the disk really fills up."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    if shutil.which("mount") is None:
        pytest.skip("no mount command on this system")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True, text=True, check=False, timeout=30,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False, timeout=30)


def fill_leaving(folder: Path, free: int) -> None:
    """Fill the disk holding `folder` until about `free` bytes remain."""
    stats = os.statvfs(folder)
    available = stats.f_bavail * stats.f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, available - free))


@pytest.fixture
def big_portfolio(small_disk: Path) -> Path:
    """A 40 KiB portfolio (the sample and a long comment) and a small old backup."""
    path = small_disk / "household.toml"
    text = (SAMPLES / "household.toml").read_text(encoding="utf-8")
    padding = "".join(f"# note {n:05d}: kept by every save\n" for n in range(1200))
    path.write_text(text + padding, encoding="utf-8")
    backup_path(path).write_text(OLD_BACKUP, encoding="utf-8")
    return path


def test_no_room_for_the_new_file_writes_nothing(big_portfolio: Path) -> None:
    loaded = load(big_portfolio)
    fill_leaving(big_portfolio.parent, 16 * 1024)
    with pytest.raises(OSError) as failed:  # noqa: PT011 - any OSError: it is checked below
        save_review(loaded, plan=None, created=dt.datetime(2026, 11, 21, 9, 30), snapshot=True)
    assert failed.value.errno == errno.ENOSPC
    assert big_portfolio.read_text(encoding="utf-8") == loaded.text
    assert backup_path(big_portfolio).read_text(encoding="utf-8") == OLD_BACKUP
    assert temp_files(big_portfolio.parent) == []


def test_no_room_for_the_backup_keeps_the_old_backup_and_the_file(
    big_portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Failed before: the old backup was truncated, then the copy ran out of space,
    leaving a torn backup and the previous one gone."""
    before = big_portfolio.read_text(encoding="utf-8")
    # Room for the new file's temporary copy, not for the backup's as well.
    fill_leaving(big_portfolio.parent, len(before) + 20 * 1024)
    code, err = run(capsys, "plan", big_portfolio, "--save")
    assert code == 2
    assert "cannot save: No space left on device; the file is unchanged" in err
    assert big_portfolio.read_text(encoding="utf-8") == before
    assert backup_path(big_portfolio).read_text(encoding="utf-8") == OLD_BACKUP
    assert temp_files(big_portfolio.parent) == []
