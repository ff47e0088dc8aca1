"""The documented examples are real: the annotated file loads and the JSON example is current."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rebal.store.load import load

DOCS = Path(__file__).resolve().parents[2] / "docs"
Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


def test_the_annotated_example_is_a_valid_file_using_every_key(tmp_path: Path) -> None:
    text = (DOCS / "portfolio-format.md").read_text()
    example = re.search(r"```toml\n(.*?)```", text, re.DOTALL)
    assert example is not None
    path = tmp_path / "example.toml"
    path.write_text(example.group(1))

    loaded = load(path)

    assert loaded.warnings == []
    portfolio = loaded.portfolio
    assert portfolio.portfolio.model_fields_set == set(type(portfolio.portfolio).model_fields)
    assert portfolio.bands.model_fields_set == set(type(portfolio.bands).model_fields)
    written = set().union(*(account.model_fields_set for account in portfolio.accounts))
    assert written == set(type(portfolio.accounts[0]).model_fields)
    assert portfolio.tax is not None
    assert portfolio.tax.model_fields_set == set(type(portfolio.tax).model_fields)
    assert portfolio.location
    assert any(security.wash_group for security in portfolio.securities.values())
    assert portfolio.plan is not None
    assert portfolio.plan.trades
    assert portfolio.plan.decisions
    assert portfolio.history[0].holdings


def test_the_check_json_example_matches_the_real_output(rebal: Rebal, samples: Path) -> None:
    text = (DOCS / "cli.md").read_text()
    documented = json.loads(re.findall(r"```json\n(.*?)```", text, re.DOTALL)[0])

    actual = rebal("check", "--json", samples / "seed_return.toml").json()

    documented.pop("file")
    actual.pop("file")
    assert documented == actual


def test_the_plan_json_example_has_the_real_keys_and_trades(rebal: Rebal, samples: Path) -> None:
    text = (DOCS / "cli.md").read_text()
    documented = json.loads(re.findall(r"```json\n(.*?)```", text, re.DOTALL)[1])

    actual = rebal("plan", "--mode", "band-edge", "--json", samples / "seed_bands.toml").json()

    assert set(documented) <= set(actual)
    assert set(actual) - set(documented) == {
        "schema",
        "file",
        "portfolio",
        "currency",
        "as_of",
        "total",
        "classes",
        "accounts",
        "return",
    }
    summary = [(t["ticker"], t["action"]) for t in actual["trades"]]
    assert [(t["ticker"], t["action"]) for t in documented["trades"]] == summary


def test_the_documented_error_messages_are_what_check_prints(rebal: Rebal, tmp_path: Path) -> None:
    text = (DOCS / "portfolio-format.md").read_text()
    broken = re.findall(r"```toml\n(.*?)```", text, re.DOTALL)[1]
    printed = re.findall(r"```text\n(.*?)```", text, re.DOTALL)[0]
    documented = [line for line in printed.splitlines() if line.startswith("e.toml:")]
    (tmp_path / "e.toml").write_text(broken)

    result = rebal("check", tmp_path / "e.toml")

    actual = [
        line.replace(f"{tmp_path}/", "")
        for line in result.err.splitlines()
        if "nothing was done with this file" not in line
    ]
    assert result.code == 2
    assert actual == documented


def test_the_invalid_file_json_example_matches_the_real_output(
    rebal: Rebal, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DOCS / "cli.md").read_text()
    documented = json.loads(re.findall(r"```json\n(.*?)```", text, re.DOTALL)[2])
    monkeypatch.chdir(samples.parent)

    result = rebal("check", "--json", "sample_portfolios/seed_return.toml", "no-such-file.toml")

    assert result.code == 2
    assert result.json()[1] == documented


WARNS_EVERYWHERE = """\
[portfolio]
name = "w"
as_of = "2026-11-20"
[targets]
Stocks = 100
[bands]
kind = "5/25"
width = 5
per_class = { X = 3 }
[securities.X]
price = 0
[securities.S]
price = 1
class = "X"
[[accounts]]
name = "A"
cash = -5
holdings = { X = 1, S = 1 }
[[accounts]]
name = "R"
kind = "roth"
holdings = { X = 1 }
lots.X = [{ acquired = 2020-01-02, shares = 1, cost = 1 }]
cost_basis.X = 1
[location]
X = ["roth"]
[[history]]
date = 2026-12-01
total = 10
classes = { Stocks = 5 }
[[history]]
date = 2026-01-01
total = 5
classes = { Stocks = 5 }
[[flows]]
date = 2025-12-01
account = "B"
amount = 1
[[flows]]
date = 2099-01-01
account = "A"
amount = 1
"""


def test_every_documented_warning_is_one_check_prints(rebal: Rebal, tmp_path: Path) -> None:
    text = (DOCS / "portfolio-format.md").read_text()
    section = text.split("### Every warning", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    path = tmp_path / "w.toml"
    path.write_text(WARNS_EVERYWHERE)

    result = rebal("check", "--json", path)

    printed = [p["message"] for p in result.json()["problems"]]
    assert {p["severity"] for p in result.json()["problems"]} == {"warning"}
    documented = []
    for row in rows:
        cell = row.split(" | ")[1].strip()
        template = cell.strip("`").strip()
        pattern = re.escape(template).replace(re.escape("..."), ".*")
        documented.append(pattern)
        assert any(re.fullmatch(pattern, message) for message in printed), template
    # ... and no warning goes undocumented.
    for message in printed:
        assert any(re.fullmatch(pattern, message) for pattern in documented), message


def test_the_documented_plan_session_lists_the_real_trades_in_order(
    rebal: Rebal, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DOCS / "cli.md").read_text()
    session = text.split("$ rebal plan sample_portfolios/seed_bands.toml --mode band-edge\n")[1]
    documented = session.split("```")[0]
    monkeypatch.chdir(samples.parent)

    actual = rebal("plan", "sample_portfolios/seed_bands.toml", "--mode", "band-edge").out

    def trade_lines(output: str) -> list[tuple[str, str]]:
        found = re.findall(r"^(SELL|buy)\s+(\S+)", output, re.MULTILINE)
        return [(action, ticker) for action, ticker in found]

    assert trade_lines(documented) == trade_lines(actual)
    assert trade_lines(actual)[0][0] == "SELL"  # sells first, as the docs say
    assert documented.splitlines()[:3] == actual.splitlines()[:3]
