"""`rebal plan --save` records the tax options; `rebal check` refuses a hostile one by name."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The `rebal` fixture of tests/cli/conftest.py (imported by name, "conftest" would be
# whichever folder's conftest pytest loaded first).
Rebal = Callable[..., Any]

PLAN = '\n[plan]\nmode = "full"\ncreated = 2026-11-20\ninputs = { INPUTS }\n'


def test_plan_save_records_the_tax_options(rebal: Rebal, tmp_copy: Callable[[str], Path]) -> None:
    path = tmp_copy("taxable")
    result = rebal(
        "plan", path, "--save", "--no-wash-sales", "--harvest", "--trade-date", "2026-12-01"
    )

    assert result.code == 0, result.err
    inputs = tomllib.loads(path.read_text())["plan"]["inputs"]
    assert inputs["avoid_wash_sales"] is True
    assert inputs["harvest"] is True
    assert inputs["trade_date"] == dt.date(2026, 12, 1)
    assert rebal("check", path).code in (0, 1)  # the saved file reads back


def test_check_exits_2_naming_a_hostile_tax_option(
    rebal: Rebal, tmp_copy: Callable[[str], Path]
) -> None:
    path = tmp_copy("taxable")
    path.write_text(path.read_text() + PLAN.replace("INPUTS", 'harvest = "maybe"'))

    result = rebal("check", path)

    assert result.code == 2
    assert 'plan.inputs.harvest: expected true or false, found "maybe"' in result.err
    assert "Traceback" not in result.err


def test_check_exits_2_naming_a_recorded_figure_beyond_the_limits(
    rebal: Rebal, tmp_copy: Callable[[str], Path]
) -> None:
    path = tmp_copy("taxable")
    path.write_text(
        path.read_text() + PLAN.replace("INPUTS", 'new_money = ["1e999999@Joint Brokerage"]')
    )

    result = rebal("check", path)

    assert result.code == 2
    assert "plan.inputs.new_money[0]: new money must be <= 1000000000000000" in result.err
    assert "Traceback" not in result.err
