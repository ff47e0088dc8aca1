"""Every text the CLI prints is terminal-safe, whatever the files, exports and names hold.

Each command runs as a real process with its output on a pipe, where rich emits
no ANSI of its own: any ESC (or other control character) in what it printed
came from the input. Failed before rebal.present.terminal: names, file names,
export contents and argv were printed raw (an OSC 52 in a name set the clipboard).
"""

from __future__ import annotations

import contextlib
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "tui" / "fixtures"
IMPORT_FIXTURES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"

OSC52 = "\u001b]52;c;SEFDS0VE\u0007"  # writes "HACKED" to the clipboard
OSC0 = "\u001b]0;pwned\u0007"  # sets the window title
CSI = "\u001b[2J"  # clears the screen
C1_CSI = "\u009b2J"  # the same, as one C1 byte
BIDI = "\u202e"  # right-to-left override

FORBIDDEN_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
FORBIDDEN_TEXT = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def hostile_household(folder: Path, name: str = "hostile.toml") -> Path:
    """The fixture household with escape sequences in names, classes, tickers and accounts."""
    text = (FIXTURES / "household.toml").read_text()
    for old, new in {
        'name = "Rivera household"': f'name = "Rivera{OSC52}"',
        'name = "Vanguard Large-Cap ETF"': f'name = "Large{OSC0}{BIDI}"',
        '"Bonds" = 20': f'"Bonds{CSI}" = 20',
        'class = "Bonds"': f'class = "Bonds{CSI}"',
        'name = "IRA"': f'name = "IRA{C1_CSI}"',
    }.items():
        assert old in text
        new_toml = new.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
        text = text.replace(old, new_toml)
    path = folder / name
    path.write_text(text)
    return path


def run_rebal(*args: str | Path, cwd: Path) -> tuple[int, bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "TTY_COMPATIBLE"}}
    result = subprocess.run(
        [sys.executable, "-c", "from rebal.cli import entry; entry()", *map(str, args)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def assert_terminal_safe(output: bytes) -> str:
    assert b"Traceback" not in output, output.decode("utf-8", "replace")
    found = FORBIDDEN_BYTES.search(output)
    assert found is None, (found, output.decode("utf-8", "replace"))
    text = output.decode("utf-8")  # a lone surrogate would not even encode
    assert FORBIDDEN_TEXT.search(text) is None, text
    return text


@pytest.fixture
def hostile_csv(tmp_path: Path) -> Path:
    path = tmp_path / f"positions{CSI}.csv"
    path.write_text(
        "account,ticker,shares,price,name\n"
        f"Z23456789,VTI,10,301.20,Total{OSC52}\n"
        f"Z23456789,NEWX,5,10.00,New{OSC0}\n"
        "Z23456789,CASH,100.00\n"
        f"BROKER{CSI},VTI,1,301.20,x\n"
    )
    return path


def test_check_and_plan_of_a_hostile_file(tmp_path: Path) -> None:
    path = hostile_household(tmp_path)
    runs = [("check", path), ("plan", path), ("plan", path, "--json"), ("check", path, "--json")]
    for args in runs:
        code, output = run_rebal(*args, cwd=tmp_path)
        assert code in (0, 1, 2)
        assert output, args
        assert_terminal_safe(output)


def test_a_file_name_with_escapes_is_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / f"house{OSC0}.toml"
    shutil.copyfile(FIXTURES / "household.toml", path)
    for args in (
        ("check", path),
        ("plan", path),
        ("plan", path, "--new-money", f"5000@IRA{CSI}"),
        ("check", tmp_path / f"missing{OSC52}.toml"),
        ("plan", path, f"--{CSI}"),
        (tmp_path / f"missing{OSC52}.toml",),
    ):
        code, output = run_rebal(*args, cwd=tmp_path)
        assert code in (0, 1, 2)
        text = assert_terminal_safe(output)
        assert "\\x1b" in text, (args, text)


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    """A raw 0x9b byte is a CSI to a terminal that reads 8-bit controls."""
    path = tmp_path / os.fsdecode(b"house\x9b2J.toml")
    shutil.copyfile(FIXTURES / "household.toml", path)
    for command in ("check", "plan"):
        code, output = run_rebal(command, path, cwd=tmp_path)
        assert code in (0, 1)
        assert "house\\udc9b2J.toml" in assert_terminal_safe(output)


def bidi_household(folder: Path) -> Path:
    """Right-to-left overrides in names: the loader lets them through (they are not controls
    to a terminal), and they make a name read in another order than it is stored."""
    text = (FIXTURES / "household.toml").read_text()
    for old, new in {
        'name = "IRA"': 'name = "IRA\\u202eAXT"',
        'name = "Rivera household"': 'name = "Rivera\\u2066 household\\u2069"',
        '"Bonds"': '"Bonds\\u200f"',
    }.items():
        assert old in text
        text = text.replace(old, new)
    path = folder / "bidi.toml"
    path.write_text(text)
    return path


def test_bidi_controls_in_names_are_escaped(tmp_path: Path) -> None:
    path = bidi_household(tmp_path)
    for args in (("check", path), ("plan", path), ("plan", path, "--min-trade", "100000")):
        code, output = run_rebal(*args, cwd=tmp_path)
        assert code in (0, 1), output
        text = assert_terminal_safe(output)
        assert "IRA\\u202eAXT" in text
        assert "Bonds\\u200f" in text


def test_csv_to_a_terminal_is_shown_escaped(tmp_path: Path) -> None:
    """`--csv -` is data on a pipe (the name as it is), but a person reads it on a terminal."""
    path = bidi_household(tmp_path)
    code, piped = run_rebal("plan", path, "--csv", "-", cwd=tmp_path)
    assert code == 0
    assert "IRA\u202eAXT" in piped.decode("utf-8")
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-c", "from rebal.cli import entry; entry()", "plan", str(path),
         "--csv", "-"],
        stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, cwd=tmp_path,
    ) as process:
        os.close(follower)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once the child has closed its end
            while chunk := os.read(leader, 65536):
                shown += chunk
        assert process.wait(timeout=60) == 0
    os.close(leader)
    text = assert_terminal_safe(shown.replace(b"\r\n", b"\n"))  # the pty's own line ends
    assert "IRA\\u202eAXT" in text


def test_a_problem_quoting_a_bad_value_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    text = (FIXTURES / "household.toml").read_text()
    path.write_text(text.replace("price = 250", 'price = "250\\u001b]52;c;SEFDS0VE\\u0007"'))
    for command in ("check", "plan"):
        code, output = run_rebal(command, path, cwd=tmp_path)
        assert code == 2
        assert "error" in assert_terminal_safe(output)


def test_import_dry_run_of_a_hostile_export(tmp_path: Path, hostile_csv: Path) -> None:
    portfolio = tmp_path / "portfolio.toml"
    shutil.copyfile(IMPORT_FIXTURES / "household_test.toml", portfolio)
    before = portfolio.read_bytes()
    runs = [
        # The unmatched broker account is refused by name (no terminal to ask on).
        ("import", hostile_csv, "--into", portfolio, "--dry-run"),
        ("import", hostile_csv, "--into", portfolio, "--dry-run", "--skip", f"BROKER{CSI}"),
        ("import", hostile_csv, "--into", portfolio, "--account", f"Roth IRA{OSC0}=x"),
    ]
    for args in runs:
        code, output = run_rebal(*args, cwd=tmp_path)
        assert code in (0, 2)
        assert assert_terminal_safe(output), args  # refused or applied, said safely
    # A clean export under a hostile name: its summary line names the file, escaped.
    clean = tmp_path / f"clean{OSC52}.csv"
    clean.write_text("account,ticker,shares,price\nZ23456789,VTI,10,301.20\n")
    code, output = run_rebal("import", clean, "--into", portfolio, "--dry-run", cwd=tmp_path)
    assert code == 0
    assert "clean\\x1b]52;c;SEFDS0VE\\x07.csv: generic" in assert_terminal_safe(output)
    assert portfolio.read_bytes() == before


def test_import_of_an_export_with_a_bad_number_quoting_escapes(tmp_path: Path) -> None:
    portfolio = tmp_path / "portfolio.toml"
    shutil.copyfile(IMPORT_FIXTURES / "household_test.toml", portfolio)
    export = tmp_path / "bad.csv"
    export.write_text(f"account,ticker,shares,price\nZ23456789,VTI,1{CSI},301.20\n")
    code, output = run_rebal("import", export, "--into", portfolio, "--dry-run", cwd=tmp_path)
    assert code == 2
    assert_terminal_safe(output)


def test_init_from_a_hostile_export_into_a_hostile_name(tmp_path: Path, hostile_csv: Path) -> None:
    output_path = tmp_path / f"new{OSC52}.toml"
    code, output = run_rebal("init", "--from", hostile_csv, output_path, cwd=tmp_path)
    text = assert_terminal_safe(output)
    assert "\\x1b" in text, text
    code, output = run_rebal("init", "--from", hostile_csv, output_path, cwd=tmp_path)
    assert code == 2  # exists now, or refused the first time: either way said safely
    assert_terminal_safe(output)
