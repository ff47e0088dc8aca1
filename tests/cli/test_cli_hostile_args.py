"""Command-line values a hurried or hostile user types: a clear refusal, exit 2, file unchanged."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py

HUGE = "9" * 5000


@pytest.fixture
def portfolio(tmp_path: Path, samples: Path) -> Path:
    path = tmp_path / "seed.toml"
    shutil.copy(samples / "seed_bands.toml", path)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--new-money", f"{HUGE}@Retirement account"),
        ("plan", "--new-money", "99999999999999999999@Retirement account", "--save"),
        (
            "plan",
            "--new-money",
            "900000000000000@Retirement account",
            "--new-money",
            "900000000000000@Retirement account",
        ),
        ("plan", "--min-trade", HUGE),
        ("flow", "99999999999999999999@Retirement account"),
        ("flow", f"{HUGE}@Retirement account"),
    ],
)
def test_an_amount_past_the_files_limit_is_refused_not_a_traceback(
    rebal: Rebal, portfolio: Path, args: tuple[str, ...]
) -> None:
    # Failed before: a 5,000-digit amount ended in decimal.InvalidOperation, a
    # 20-digit flow in a pydantic ValidationError, and a 20-digit new money was
    # planned (and its plan printed) although the file limits figures to 1e15.
    before = portfolio.read_bytes()

    result = rebal(args[0], portfolio, *args[1:])

    assert result.code == 2
    assert "larger than rebal accepts (1,000,000,000,000,000.00)" in result.err
    assert len(result.err) < 500
    assert portfolio.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ("flow", "500@Retirement account"),
        ("flow", "500@no such account"),
        ("mark", "1", "done"),
        ("mark", "99", "done"),
    ],
)
def test_a_hostile_file_name_never_reaches_the_terminal_raw(
    rebal: Rebal, tmp_path: Path, samples: Path, args: tuple[str, ...]
) -> None:
    # Failed before: `rebal flow` and `rebal mark` printed the path with print(),
    # so a file named with an OSC sequence set the window title.
    path = tmp_path / "evil\x1b]0;owned\x07.toml"
    shutil.copy(samples / "seed_bands.toml", path)
    assert rebal("plan", path, "--save").code == 0

    result = rebal(args[0], path, *args[1:])

    assert "\x1b" not in result.err + result.out
    assert "\x07" not in result.err + result.out
    assert "\\x1b]0;owned" in result.err or "\\u001b]0;owned" in result.err


def test_saving_through_a_symlink_names_the_backup_it_really_wrote(
    rebal: Rebal, tmp_path: Path, samples: Path
) -> None:
    # Failed before: the message said "link.toml.bak", a file that does not
    # exist; the backup is beside the file the link names.
    real = tmp_path / "real" / "household.toml"
    real.parent.mkdir()
    shutil.copy(samples / "seed_bands.toml", real)
    link = tmp_path / "link.toml"
    link.symlink_to(real)

    result = rebal("plan", link, "--save")

    assert result.code == 0, result.err
    backup = real.parent / "household.toml.bak"
    assert backup.is_file()
    assert not (tmp_path / "link.toml.bak").exists()
    assert f"the previous version is in {backup}" in result.err


def special_path(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """A portfolio path that is no regular file, and what rebal must say about it."""
    path = tmp_path / "portfolio.toml"
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("needs FIFOs (POSIX)")
        os.mkfifo(path)
        return path, "it is a FIFO (named pipe), not a regular file"
    if kind == "dangling":
        gone = tmp_path / "moved-away.toml"
        path.symlink_to(gone)
        return path, f"it is a symbolic link to {gone}, which does not exist"
    path.symlink_to(path)
    return path, "Too many levels of symbolic links"


@pytest.mark.parametrize("kind", ["fifo", "dangling", "loop"])
def test_the_app_names_what_the_path_is_instead_of_no_such_file(
    rebal: Rebal, tmp_path: Path, kind: str
) -> None:
    """Failed before: `rebal FIFO` (and a broken link) said "no such file" of a path
    that is there."""
    path, why = special_path(tmp_path, kind)

    result = rebal(path)

    assert result.code == 2
    assert result.err == f"rebal: {path}: cannot read the file: {why}\n"


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_broken_link_as_the_portfolio_is_named_so(
    rebal: Rebal, tmp_path: Path, kind: str
) -> None:
    """Failed before: check said only "No such file or directory" of a link that is there,
    and import suggested `rebal init`, which refuses a broken link."""
    path, why = special_path(tmp_path, kind)
    export = Path(__file__).resolve().parents[1] / "importers/fixtures/generic_one_account.csv"

    checked = rebal("check", path)
    imported = rebal("import", export, "--into", path)

    assert checked.code == imported.code == 2
    assert f"{path}: error: cannot read the file: {why}\n" in checked.err
    assert f"{path}: error: cannot read the file: {why}\n" in imported.err
    assert "rebal init" not in imported.err
    assert not (tmp_path / "moved-away.toml").exists()
