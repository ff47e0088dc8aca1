"""`rebal plan` prints reasons in the user's words, and the solver only with --details."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py

TDF_IRA = """\
[portfolio]
name = "One IRA with a target-date fund"
as_of = 2026-01-02
equity_classes = ["US", "Intl"]

[targets]
US = 40
Intl = 30
Bond = 30

[securities.TDF]
price = 1
classes = { US = 60, Intl = 20, Bond = 20 }

[securities.USF]
price = 1
class = "US"

[securities.BNDF]
price = 1
class = "Bond"

[[accounts]]
name = "IRA"
kind = "IRA"
holdings = { TDF = 50000, USF = 20000 }
"""


def test_the_split_fund_case_reads_as_the_user_would_say_it(
    rebal: Rebal, tmp_path: Path
) -> None:
    path = tmp_path / "tdf.toml"
    path.write_text(TDF_IRA)
    result = rebal("plan", path)
    assert result.code == 0, result.err
    text = " ".join(result.out.split())  # the table may wrap a long reason
    assert "US held inside TDF can only be sold together with its Intl and Bond" in text
    assert "Intl can be bought in IRA only through TDF (20% Intl)" in text
    assert "cannot buy" not in text
    assert "menu" not in text
    assert "HiGHS" not in text

    data = rebal("plan", path, "--json").json()
    assert data["method"].startswith("linear program (HiGHS")
    assert [a["kind"] for a in data["accounts"]] == ["IRA"]
    assert [a["tax_treatment"] for a in data["accounts"]] == ["traditional"]


def test_check_applies_a_band_pair_and_per_class_overrides_from_the_file(
    rebal: Rebal, tmp_path: Path
) -> None:
    path = tmp_path / "pair.toml"
    path.write_text(
        TDF_IRA.replace(
            "[securities.TDF]",
            '[bands]\nkind = "5/25"\nabsolute = 3\nrelative = 20\nper_class = { Bond = 1 }\n\n'
            "[securities.TDF]",
        )
    )
    data = rebal("check", path, "--json").json()
    assert data["problems"] == []
    bands = {row["class"]: (row["low"], row["high"]) for row in data["classes"]}
    # US 40%: the smaller of 3 points and 20% of 40 (8 points) is 3; Bond has its own 1 point.
    assert bands == {
        "US": ("37.00", "43.00"),
        "Intl": ("27.00", "33.00"),
        "Bond": ("29.00", "31.00"),
    }
