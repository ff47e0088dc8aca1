"""The documented examples are real: the annotated file loads and the JSON example is current."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    assert portfolio.accounts[0].model_fields_set == set(type(portfolio.accounts[0]).model_fields)
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
