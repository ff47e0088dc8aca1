"""A file without [[accounts]] is said to hold nothing: the usual sign of a file cut off.

Failed before: the sample household cut exactly before its first
`[[accounts]]` loaded as an empty household, and `rebal check` printed an
allocation of zeros with exit 0 and not a word about the missing accounts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from rebal.cli import main
from rebal.store.load import load

SAMPLE = Path(__file__).parents[2] / "sample_portfolios" / "household.toml"


@pytest.fixture
def cut(tmp_path: Path) -> Path:
    """The sample household, cut off exactly before its first [[accounts]]."""
    text = SAMPLE.read_text()
    path = tmp_path / "household.toml"
    path.write_text(text[: text.index("[[accounts]]")])
    return path


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def rebal(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_the_loader_warns_naming_the_backup(cut: Path) -> None:
    (warning,) = [w for w in load(cut).warnings if w.path == "accounts"]
    assert warning.severity == "warning"
    assert warning.message == (
        "no [[accounts]] in household.toml: the household holds nothing, so there is "
        "nothing to plan"
    )
    assert "restore it from household.toml.bak or version control" in warning.hint


def test_a_file_with_accounts_gets_no_such_warning() -> None:
    assert not [w for w in load(SAMPLE).warnings if w.path == "accounts"]


def test_accounts_named_elsewhere_are_given_as_evidence(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nStocks = 100\n'
        '[[flows]]\ndate = 2026-01-01\naccount = "Roth IRA"\namount = 500\n'
    )
    messages = [w.message for w in load(path).warnings if w.path == "accounts"]
    assert messages == [
        "no [[accounts]] in p.toml, although the file names 1 account elsewhere "
        "('Roth IRA'): the household holds nothing, so there is nothing to plan"
    ]


def test_check_labels_it_and_json_lists_it(cut: Path, rebal: Run) -> None:
    code, _, err = rebal("check", cut)
    assert code == 0  # a warning: the targets and prices can still be read and edited
    assert f"{cut}: warning: accounts: no [[accounts]] in household.toml" in err
    code, out, _ = rebal("check", "--json", cut)
    problems = json.loads(out)["problems"]
    assert [(p["severity"], p["path"], p["line"]) for p in problems] == [
        ("warning", "accounts", None)
    ]


def test_plan_refuses_with_exit_2(cut: Path, rebal: Run) -> None:
    before = cut.read_bytes()
    code, _, err = rebal("plan", cut)
    assert code == 2
    assert "no [[accounts]] in household.toml" in err
    assert "nothing to plan" in err
    assert "Traceback" not in err
    assert cut.read_bytes() == before
