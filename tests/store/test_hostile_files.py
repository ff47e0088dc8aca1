"""Hostile portfolio files: special files, absurd numbers, deep nesting, control characters.

Each is read through every path that reads a portfolio: the loader, `rebal
check`, `rebal plan`, `rebal plan --save` and the app's reader thread. Each
must end in a located problem, exit 2 and the file unchanged, never a
traceback or a hang.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebal.cli import main
from rebal.files import MAX_FILE_BYTES, FileTooLarge, NotARegularFile, read_bytes
from rebal.present.terminal import safe
from rebal.problems import PortfolioError, Problem
from rebal.store.load import load, parse
from rebal.tui.app import RebalApp

BASE = """\
[portfolio]
name = "Test household"
as_of = 2026-11-20

[targets]
Stocks = 60
Bonds = 40

[securities.VTI]
price = 290.12
class = "Stocks"

[securities.BND]
price = 72.50
class = "Bonds"

[[accounts]]
name = "IRA"
cash = 100
holdings = { VTI = 10, BND = 20 }
"""
OSC52 = "\\u001b]52;c;SEFDS0VE\\u0007"  # as TOML escapes: a raw ESC is a syntax error


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str
    line: int
    message: str


CORPUS = [
    Hostile(
        "5000-digit cash",
        BASE.replace("cash = 100", "cash = " + "1" * 5000),
        19,
        "a number written with 5000 digits; rebal reads numbers of at most 100 digits",
    ),
    Hostile(
        "5000-digit share count",
        BASE.replace("BND = 20", "BND = " + "2" * 5000),
        20,
        "a number written with 5000 digits",
    ),
    Hostile(
        "price 1e-999999",
        BASE.replace("price = 72.50", "price = 1e-999999"),
        14,
        "price has more than 18 digits after the decimal point (found 1E-999999)",
    ),
    Hostile(
        "arrays 500 deep",
        BASE
        + '[plan]\nmode = "full"\ncreated = 2026-11-20\ninputs = { x = '
        + "[" * 500
        + "]" * 500
        + " }\n",
        24,
        "arrays or inline tables are nested more than 32 levels deep",
    ),
    Hostile(
        "inline tables 500 deep",
        BASE.replace("cash = 100", "cash = 100\nbroker_id = " + "{ a = " * 500 + "1" + " }" * 500),
        20,
        "arrays or inline tables are nested more than 32 levels deep",
    ),
    Hostile(
        "OSC 52 in a security name",
        BASE.replace("[securities.BND]\n", f'[securities.BND]\nname = "Bond{OSC52}"\n'),
        14,
        "contains the control character U+001B",
    ),
    Hostile(
        "raw OSC 52 in a security name",
        BASE.replace(
            "[securities.BND]\n", '[securities.BND]\nname = "Bond\u001b]52;c;SEFDS0VE\u0007"\n'
        ),
        14,
        "TOML syntax error: Illegal character '\\x1b'",
    ),
    Hostile(
        "CSI in a ticker",
        BASE.replace("[securities.VTI]", '[securities."VTI\\u001b[2J"]').replace(
            "{ VTI = 10", '{ "VTI\\u001b[2J" = 10'
        ),
        9,
        "the key contains the control character U+001B",
    ),
    Hostile(
        "C1 control in an account name",
        BASE.replace('name = "IRA"', 'name = "IRA\u009b"'),
        18,
        "contains the control character U+009B",
    ),
]
IDS = [case.name for case in CORPUS]


def write(tmp_path: Path, case: Hostile) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(case.text, encoding="utf-8")
    return path


def the_problem(problems: list[Problem], case: Hostile) -> Problem:
    errors = [p for p in problems if p.severity == "error"]
    assert errors, "the file was accepted"
    assert case.message in errors[0].message, errors[0]
    assert errors[0].line == case.line, errors[0]
    return errors[0]


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
def test_the_loader_names_the_line_of_each_hostile_value(tmp_path: Path, case: Hostile) -> None:
    with pytest.raises(PortfolioError) as raised:
        load(write(tmp_path, case))
    problem = the_problem(raised.value.problems, case)
    assert "\u001b" not in str(problem)
    assert "\u009b" not in str(problem)


def test_a_control_character_problem_names_the_key() -> None:
    cases = {case.name: case for case in CORPUS}
    _, problems = parse(Path("p.toml"), cases["OSC 52 in a security name"].text)
    assert [p.path for p in problems] == ["securities.BND.name"]
    _, problems = parse(Path("p.toml"), cases["CSI in a ticker"].text)
    # The ticker is held too: each place is named, escaped as TOML would write it.
    assert [p.path for p in problems] == [
        'securities."VTI\\u001b[2J"',
        'accounts[0].holdings."VTI\\u001b[2J"',
    ]


def run_cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
@pytest.mark.parametrize("command", [["check"], ["plan"], ["plan", "--save"]], ids=" ".join)
def test_every_command_refuses_a_hostile_file_with_exit_2_and_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Hostile, command: list[str]
) -> None:
    path = write(tmp_path, case)
    code, output = run_cli(capsys, *command, path)
    assert code == 2
    assert f"hostile.toml:{case.line}:" in output
    assert safe(case.message) in output  # as the terminal shows it (rebal.present.terminal)
    assert "Traceback" not in output
    assert path.read_text(encoding="utf-8") == case.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.toml"]


@pytest.mark.parametrize("case", CORPUS, ids=IDS)
async def test_the_app_shows_the_problem_of_a_hostile_file(tmp_path: Path, case: Hostile) -> None:
    from tui.helpers import fixed_clock, screen_text, wait_until

    app = RebalApp(write(tmp_path, case), clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot, lambda: app.current_mode == "problems" and app.screen.is_current, what="problems"
        )
        await pilot.pause()
        assert app.problems
        assert case.message in app.problems[0].message
        assert f"line {case.line}" in screen_text(app)


# --- special files ------------------------------------------------------------


def test_a_fifo_is_refused_at_once_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    # In a child process: before the fix, the read blocked forever.
    result = subprocess.run(
        [sys.executable, "-c", "from rebal.cli import entry; entry()", "check", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot read the file: it is a FIFO (named pipe), not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda tmp: Path("/dev/zero"), "a device"),
        (lambda tmp: tmp, "a directory"),
    ],
    ids=["/dev/zero", "directory"],
)
def test_devices_and_directories_are_refused_with_what_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], Path], kind: str
) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    code, output = run_cli(capsys, "check", make(tmp_path))
    assert code == 2
    assert f"cannot read the file: it is {kind}, not a regular file" in output


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
    except OSError as error:
        pytest.skip(f"cannot create a unix socket here: {error}")
    with server, pytest.raises(NotARegularFile, match="it is a socket, not a regular file"):
        read_bytes(path)


def test_a_file_over_the_limit_is_refused_naming_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:  # sparse: no 64 MiB written to disk
        handle.truncate(MAX_FILE_BYTES + 1)
    code, output = run_cli(capsys, "check", big)
    assert code == 2
    assert "it is larger than 64 MiB, the most rebal reads from one file" in output


def test_the_limit_holds_for_what_is_read_and_a_file_at_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, limit=100) == b"x" * 100
    with pytest.raises(FileTooLarge, match="larger than 99 bytes"):
        read_bytes(path, limit=99)


# --- any structure at all: problems, never an exception -----------------------

_scalars = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["1e-999999", "1e999999", "-0.0", "nan", "inf", "1_000", "0x1F", "1E+15"]),
    st.integers(min_value=1, max_value=300).map(lambda n: "9" * n),
    st.integers(min_value=1, max_value=40).map(lambda n: "0." + "0" * n + "1"),
    st.text(max_size=12).map(
        lambda t: (
            '"'
            + t.replace("\\", "\\\\").replace('"', '\\"').encode("unicode_escape").decode("ascii")
            + '"'
        )
    ),
    st.sampled_from(["true", "2026-11-20", "2026-11-20T10:00:00", "12:00:00"]),
)


def _nested(depth: int, inner: str, kind: str) -> str:
    return (
        ("[" * depth + inner + "]" * depth)
        if kind == "["
        else ("{ a = " * depth + inner + " }" * depth)
    )


_values = st.one_of(
    _scalars,
    st.tuples(st.integers(0, 600), _scalars, st.sampled_from(["[", "{"])).map(
        lambda t: _nested(*t)
    ),
    st.recursive(
        _scalars,
        lambda inner: (
            st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
            | st.dictionaries(st.sampled_from(["a", "b", '"c d"']), inner, max_size=3).map(
                lambda d: "{ " + ", ".join(f"{k} = {v}" for k, v in d.items()) + " }"
            )
        ),
        max_leaves=8,
    ),
)
_keys = st.sampled_from(
    ["cash", "price", "name", "class", "kind", "menu", "holdings", "broker_id", "VTI", "x"]
)
_lines = [number for number, line in enumerate(BASE.splitlines()) if "=" in line]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_lines), _keys, _values), min_size=1, max_size=3))
def test_hostile_structures_give_problems_never_an_exception(
    edits: list[tuple[int, str, str]],
) -> None:
    lines = BASE.splitlines()
    for number, key, value in edits:
        lines[number] = f"{key} = {value}"
    portfolio, problems = parse(Path("p.toml"), "\n".join(lines) + "\n")
    assert portfolio is not None or any(p.severity == "error" for p in problems)
    for problem in problems:
        assert problem.message
        assert str(problem)
    if portfolio is not None:
        from rebal.core.report import build_report

        build_report(portfolio)


# --- the library boundary: whatever tomllib or pydantic raise becomes a problem --


def _raise(*args: object, **kwargs: object) -> None:
    raise RuntimeError("surprise")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("rebal.store.syntax._parse", "the TOML parser could not read this file"),
        ("rebal.model.Portfolio.model_validate", "the file could not be checked"),
    ],
)
def test_an_unexpected_library_failure_is_a_problem_naming_the_file(
    monkeypatch: pytest.MonkeyPatch, target: str, message: str
) -> None:
    monkeypatch.setattr(target, _raise)
    portfolio, problems = parse(Path("p.toml"), BASE)
    assert portfolio is None
    [problem] = problems
    assert str(problem).startswith(f"p.toml: error: {message} (RuntimeError: surprise)")


# --- the limits scan reads TOML as TOML ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'name = "' + "[" * 100 + '"',
        "name = '" + "{" * 100 + "'",
        'name = """\n' + "[" * 100 + '\n"""',
        "name = '''\n" + "{" * 100 + "\n'''",
        "# " + "[" * 100,
        'name = "' + "9" * 500 + '"',
        "name = 'say \"[[[' # " + "{" * 100,
    ],
    ids=[
        "basic",
        "literal",
        "multi-line basic",
        "multi-line literal",
        "comment",
        "digits",
        "mixed",
    ],
)
def test_brackets_and_digits_inside_strings_and_comments_are_not_limited(text: str) -> None:
    _, problems = parse(
        Path("p.toml"),
        BASE.replace('name = "IRA"', text.replace("name", "broker_id") + '\nname = "IRA"'),
    )
    assert not [p for p in problems if "nested" in p.message or "digits" in p.message], problems


@pytest.mark.parametrize(("depth", "refused"), [(32, False), (33, True)])
def test_nesting_is_limited_at_32_levels(depth: int, refused: bool) -> None:
    text = (
        BASE
        + '[plan]\nmode = "full"\ncreated = 2026-11-20\ninputs = { x = '
        + ("[" * (depth - 1) + "]" * (depth - 1))
        + " }\n"
    )
    _, problems = parse(Path("p.toml"), text)
    nested = [p for p in problems if "nested more than 32 levels deep" in p.message]
    assert bool(nested) == refused
    assert problems  # a nested list is not a valid plan input either way


@pytest.mark.parametrize(("digits", "refused"), [(100, False), (101, True)])
def test_a_number_is_written_with_at_most_100_digits(digits: int, refused: bool) -> None:
    _, problems = parse(
        Path("p.toml"), BASE.replace("cash = 100", "cash = 0." + "1" * (digits - 1))
    )
    assert bool([p for p in problems if "digits; rebal reads" in p.message]) == refused
    assert problems[0].line == 19


# --- the limits are enough: the extremes they allow never overflow a plan or a save --

EXTREMES = {
    "largest price and shares": BASE.replace("price = 72.50", "price = 999999999999999.99").replace(
        "BND = 20", "BND = 999999999999999.999999999999999999"
    ),
    "smallest price, most cash": BASE.replace("price = 72.50", "price = 0.000000000000000001")
    .replace("price = 290.12", "price = 0.000000000000000003")
    .replace("cash = 100", "cash = 1000000000000000"),
    "most negative cash, tiny holdings": BASE.replace("cash = 100", "cash = -1e15").replace(
        "BND = 20", "BND = 0.000000000000000001"
    ),
    "tiny cash": BASE.replace("cash = 100", "cash = 0.000000000000000001"),
}


@pytest.mark.parametrize("text", EXTREMES.values(), ids=EXTREMES.keys())
@pytest.mark.parametrize("command", [["plan"], ["plan", "--save"]], ids=" ".join)
def test_the_extremes_the_limits_allow_plan_and_save_or_are_refused_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, command: list[str]
) -> None:
    path = tmp_path / "extreme.toml"
    path.write_text(text, encoding="utf-8")
    code, output = run_cli(capsys, *command, path)  # an exception here fails the test
    assert code in {0, 1, 2}, output
    assert "Traceback" not in output
    if path.read_text(encoding="utf-8") != text:
        load(path)  # whatever was saved reads back
