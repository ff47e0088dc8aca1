"""`rebal check` over many files: order across processes, the worst exit code, the JSON list
written as it goes, and output written before the last file is read."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rebal.commands import check
from rebal.commands.check import Style, checked_in_order, write_all

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py

BROKEN = '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nStocks = 60\nCash = 30\n'


@pytest.fixture
def many_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process pool from a handful of files on, in chunks of two, so tests stay small."""
    monkeypatch.setattr(check, "PARALLEL_FROM", 4)
    monkeypatch.setattr(check, "CHUNK_FILES", 2)


def copies(samples: Path, folder: Path, count: int) -> list[Path]:
    """`count` files named in input order, cycling through the three samples."""
    names = ["seed_return.toml", "seed_bands.toml", "household.toml"]
    paths = []
    for index in range(count):
        path = folder / f"f{count - index:03d}.toml"  # names sort against the input order
        shutil.copy(samples / names[index % 3], path)
        paths.append(path)
    return paths


@pytest.mark.usefixtures("many_processes")
def test_json_objects_keep_the_input_order_across_processes(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    paths = copies(samples, tmp_path, 11)

    result = rebal("check", "--json", *paths)

    data = result.json()
    assert [d["file"] for d in data] == [str(p) for p in paths]
    expected = (["$50,000 ", "Six-clas", "Jordan &"] * 4)[:11]
    assert [d["portfolio"][:8] for d in data] == expected
    assert result.code == 1  # seed_bands and household are out of band


@pytest.mark.usefixtures("many_processes")
def test_the_list_is_the_same_text_as_the_objects_of_each_file_alone(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    paths = copies(samples, tmp_path, 7)
    alone = [rebal("check", "--json", path).json() for path in paths]

    result = rebal("check", "--json", *paths)

    assert result.out == json.dumps(alone, indent=2) + "\n"


@pytest.mark.usefixtures("many_processes")
def test_text_keeps_the_input_order_across_processes(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    paths = copies(samples, tmp_path, 9)

    result = rebal("check", *paths)

    shown = [line.split("(")[-1].rstrip(")") for line in result.out.splitlines() if "  (" in line]
    assert shown == [str(p) for p in paths]
    alone = "\n".join(rebal("check", path).out for path in paths)
    assert result.out == alone


@pytest.mark.usefixtures("many_processes")
def test_one_bad_file_among_many_exits_2_and_every_file_is_listed(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    paths = [tmp_path / f"ok{index}.toml" for index in range(12)]
    for path in paths:
        shutil.copy(samples / "seed_return.toml", path)  # in band: exit 0 alone
    bad = tmp_path / "bad.toml"
    bad.write_text(BROKEN)
    paths.insert(5, bad)

    result = rebal("check", "--json", *paths)

    data = result.json()
    assert result.code == 2
    assert [d["file"] for d in data] == [str(p) for p in paths]
    assert [d["valid"] for d in data].count(False) == 1
    assert data[5]["valid"] is False
    assert f"{bad}: 1 problem; nothing was done with this file" in result.err
    text = rebal("check", *paths)
    assert text.code == 2
    assert text.out.count("Every class is inside its band.") == 12


@pytest.mark.usefixtures("many_processes")
def test_out_of_band_among_in_band_files_exits_1(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    paths = [tmp_path / f"ok{index}.toml" for index in range(9)]
    for path in paths:
        shutil.copy(samples / "seed_return.toml", path)
    shutil.copy(samples / "household.toml", paths[7])

    assert rebal("check", *paths).code == 1
    assert rebal("check", "--json", *paths).code == 1


class Recorder(io.StringIO):
    """An output stream noting how many files had been read at its first write."""

    def __init__(self, read: list[Path]) -> None:
        super().__init__()
        self.read = read
        self.read_at_first_object: int | None = None

    def write(self, text: str) -> int:
        if self.read_at_first_object is None and '"file"' in text:
            self.read_at_first_object = len(self.read)
        return super().write(text)


@pytest.mark.parametrize("workers", [1, 2])
def test_objects_are_written_before_the_last_file_is_read(
    samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(check, "CHUNK_FILES", 2)
    paths = copies(samples, tmp_path, 24)
    read: list[Path] = []

    def lazily() -> Iterator[Path]:
        for path in paths:
            read.append(path)
            yield path

    out = Recorder(read)
    style = Style(json_prefix="  ", terminal=None)
    results = checked_in_order(lazily(), style, workers=workers)
    code = write_all(results, as_list=True, json_mode=True, out=out, err=io.StringIO())

    assert code == 1
    assert out.read_at_first_object is not None
    # One process reads no file ahead of the output; a pool reads 2 chunks per worker
    # and the chunk sent when the first comes back.
    ahead = 1 if workers == 1 else (2 * workers + 1) * 2
    assert out.read_at_first_object <= ahead
    assert out.read_at_first_object < len(paths)
    assert [d["file"] for d in json.loads(out.getvalue())] == [str(p) for p in paths]


def test_few_files_stay_in_one_process_and_many_use_every_core() -> None:
    assert check.worker_count(1) == 1
    assert check.worker_count(check.PARALLEL_FROM - 1) == 1
    assert check.worker_count(check.PARALLEL_FROM) == len(check.os.sched_getaffinity(0))


class FakeStdout(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize("force_color", [None, "", "1"])
@pytest.mark.parametrize("tty_compatible", [None, "0", "1"])
def test_stdout_is_a_terminal_exactly_when_rich_says_so(
    monkeypatch: pytest.MonkeyPatch, tty: bool, force_color: str | None, tty_compatible: str | None
) -> None:
    """The shortcut that spares a pipe rich's import never disagrees with rich."""
    from rich.console import Console

    for name, value in (("FORCE_COLOR", force_color), ("TTY_COMPATIBLE", tty_compatible)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(check.sys, "stdout", FakeStdout(tty))

    expected = Console(highlight=False, emoji=False).is_terminal
    assert (check.stdout_terminal() is not None) == expected
    if check.stdout_is_plain():
        assert not expected


def test_checking_to_a_pipe_never_loads_rich_s_console(samples: Path) -> None:
    """rich's console and tables are a tenth of the start of a batch to a pipe."""
    import subprocess
    import sys

    script = (
        "import sys; from rebal.cli import main; code = main(['check', sys.argv[1]]); "
        "sys.stderr.write(f'{code} {sorted(m for m in sys.modules if m.startswith(\"rich.\"))}')"
    )
    env = {k: v for k, v in check.os.environ.items() if k not in {"FORCE_COLOR", "TTY_COMPATIBLE"}}
    done = subprocess.run(
        [sys.executable, "-c", script, str(samples / "household.toml")],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.startswith("Jordan & Sam Lee household")
    code, modules = done.stderr.split(" ", 1)
    assert code == "1"
    assert "rich.console" not in modules
    assert "rich.table" not in modules


def test_bad_files_among_300_with_the_real_pool_settings(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    """Bad files at the start, the edges and the end of chunks: each gets its message, in
    order, exit 2, and every other file's text is written in input order, the same as
    checking it alone."""
    assert check.PARALLEL_FROM <= 300  # so the pool checks them, where it has two cores
    paths = copies(samples, tmp_path, 300)
    bad_at = [0, check.CHUNK_FILES - 1, check.CHUNK_FILES, 150, 299]
    for index in bad_at:
        paths[index].write_text(BROKEN)

    result = rebal("check", *paths)

    assert result.code == 2
    said = [line for line in result.err.splitlines() if "nothing was done" in line]
    assert said == [f"{paths[i]}: 1 problem; nothing was done with this file" for i in bad_at]
    good = [path for index, path in enumerate(paths) if index not in bad_at]
    shown = [line.split("(")[-1].rstrip(")") for line in result.out.splitlines() if "  (" in line]
    assert shown == [str(p) for p in good]
    assert result.out == "\n".join(rebal("check", path).out for path in good)
    json_result = rebal("check", "--json", *paths)
    assert json_result.code == 2
    assert [d["valid"] for d in json_result.json()] == [i not in bad_at for i in range(300)]
