"""`rebal check`: tables, exit codes, problems on stderr, and the JSON contract."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

Rebal = Callable[..., Any]  # the `rebal` fixture of conftest.py


def test_seed_return_shows_the_seed_figures(rebal: Rebal, samples: Path) -> None:
    result = rebal("check", samples / "seed_return.toml")

    assert result.code == 0
    assert "Weighted return since 2025-11-20: 9.1%" in result.out
    weights_now = re.findall(r"^(Stocks|Bonds|Cash) .* (\S+)%$", result.out, re.MULTILINE)
    assert weights_now[-3:] == [("Stocks", "70.6"), ("Bonds", "19.7"), ("Cash", "9.7")]
    assert "Every class is inside its band." in result.out
    assert result.err == ""


def test_seed_bands_marks_breaches_in_text(rebal: Rebal, samples: Path) -> None:
    result = rebal("check", samples / "seed_bands.toml")

    assert result.code == 1
    statuses = dict(
        re.findall(r"^(.+?Stock|Bonds|Cash)\s+\d.*\s(OVER|under|ok)\s*$", result.out, re.MULTILINE)
    )
    assert statuses == {
        "Large Company Stock": "under",
        "Medium Company Stock": "ok",
        "Small Company Stock": "OVER",
        "International Company Stock": "ok",
        "Bonds": "under",
        "Cash": "OVER",
    }
    assert "19.00–21.00%" in result.out
    assert "22.80–25.20%" in result.out


def test_household_is_out_of_band(rebal: Rebal, samples: Path) -> None:
    result = rebal("check", samples / "household.toml")

    assert result.code == 1
    assert "3 of 5 classes out of band: US Stocks, International Stocks, Bonds" in result.out
    assert "Joint Brokerage" in result.out


def test_json_golden_values_for_seed_return(rebal: Rebal, samples: Path) -> None:
    result = rebal("check", "--json", samples / "seed_return.toml")

    data = result.json()
    assert result.code == 0
    assert data["schema"] == 1
    assert data["portfolio"] == "$50,000 at 70/20/10, one year on"
    assert data["currency"] == "USD"
    assert data["as_of"] == "2026-11-20"
    assert data["total"] == "54525.00"
    assert data["classes"][0] == {
        "class": "Stocks",
        "target": "70.00",
        "actual": "70.61",
        "value": "38500.00",
        "low": "66.50",
        "high": "73.50",
        "status": "in",
    }
    assert [c["actual"] for c in data["classes"]] == ["70.61", "19.72", "9.67"]
    assert data["accounts"] == [
        {
            "account": "Brokerage",
            "value": "54525.00",
            "cash": "0.00",
            "kind": "other",
            "tax_treatment": "other",
        }
    ]
    assert data["return"]["since"] == "2025-11-20"
    assert data["return"]["weighted"] == "9.05"
    assert data["return"]["per_class"][1] == {
        "class": "Bonds",
        "before": "10000.00",
        "after": "10750.00",
        "return": "7.50",
        "weight_before": "20.00",
        "weight_after": "19.72",
    }


def test_json_statuses_and_zero_target_cash(rebal: Rebal, samples: Path) -> None:
    data = rebal("check", "--json", samples / "seed_bands.toml").json()

    cash = data["classes"][-1]
    assert cash == {
        "class": "Cash",
        "target": "0.00",
        "actual": "1.00",
        "value": "1000.00",
        "low": "0.00",
        "high": "0.00",
        "status": "over",
    }
    assert {c["status"] for c in data["classes"]} == {"in", "over", "under"}


def test_json_with_several_files_is_a_list(rebal: Rebal, samples: Path) -> None:
    result = rebal("check", "--json", samples / "seed_return.toml", samples / "seed_bands.toml")

    data = result.json()
    assert result.code == 1
    assert [d["portfolio"][:8] for d in data] == ["$50,000 ", "Six-clas"]


def test_json_lists_an_invalid_file_with_its_problems(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nStocks = 60\nCash = 30\n'
    )
    result = rebal("check", "--json", samples / "seed_return.toml", broken)

    data = result.json()
    assert result.code == 2
    assert [d["file"] for d in data] == [str(samples / "seed_return.toml"), str(broken)]
    assert data[0]["valid"] is True
    assert data[0]["total"] == "54525.00"
    assert data[1] == {
        "schema": 1,
        "file": str(broken),
        "valid": False,
        "problems": [
            {
                "severity": "error",
                "line": 4,
                "column": 1,
                "path": "targets",
                "message": "targets sum to 90%, not 100%",
                "hint": "raise them by 10 percentage points in total so they add up to 100",
                "text": f"{broken}:4:1: error: targets: targets sum to 90%, not 100% "
                "(raise them by 10 percentage points in total so they add up to 100)",
            }
        ],
    }
    assert data[1]["problems"][0]["text"] in result.err  # the same words on stderr


def test_json_for_one_invalid_file_is_its_object(rebal: Rebal, tmp_path: Path) -> None:
    result = rebal("check", "--json", tmp_path / "missing.toml")

    assert result.code == 2
    data = result.json()
    assert data["valid"] is False
    assert data["problems"][0]["severity"] == "error"
    assert "cannot read the file" in data["problems"][0]["message"]


def test_json_carries_the_warnings_of_a_usable_file(rebal: Rebal, tmp_path: Path) -> None:
    path = tmp_path / "warn.toml"
    path.write_text(
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nStocks = 100\n'
        '[securities.X]\nprice = 1\n[[accounts]]\nname = "A"\ncash = 5\nholdings = { X = 5 }\n'
    )
    data = rebal("check", "--json", path).json()

    assert data["valid"] is True
    assert [(p["severity"], p["path"]) for p in data["problems"]] == [
        ("warning", "targets"),
        ("warning", "securities.X"),
    ]


def test_a_file_without_history_has_a_null_return(rebal: Rebal, tmp_path: Path) -> None:
    path = tmp_path / "simple.toml"
    path.write_text(
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nCash = 100\n'
        '[[accounts]]\nname = "A"\ncash = 10\n'
    )
    result = rebal("check", "--json", path)

    assert result.code == 0
    assert result.json()["return"] is None


BROKEN = {
    "syntax": ("[portfolio\nname = 1\n", r"broken\.toml:1:\d+: error: TOML syntax error"),
    "unknown_key": (
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\ncash_clas = "Cash"\n[targets]\nCash = 100\n',
        r"broken\.toml:4:\d+: error: portfolio\.cash_clas: unknown key .*did you mean `cash_class`",
    ),
    "negative_shares": (
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nStocks = 100\n'
        '[securities.VTI]\nprice = 10\nclass = "Stocks"\n'
        '[[accounts]]\nname = "A"\nholdings = { VTI = -5 }\n',
        r"broken\.toml:11:\d+: error: accounts\[0\]\.holdings\.VTI: .*>= 0",
    ),
    "missing_security": (
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nStocks = 100\n'
        '[securities.VTI]\nprice = 10\nclass = "Stocks"\n'
        '[[accounts]]\nname = "A"\nholdings = { VTX = 5 }\n',
        r"broken\.toml:11:\d+: error: accounts\[0\]\.holdings\.VTX: .*no \[securities\.VTX\]"
        r".*did you mean 'VTI'",
    ),
    "targets_not_100": (
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nStocks = 60\nBonds = 30\n',
        r"broken\.toml:4:\d+: error: targets: targets sum to 90%, not 100%",
    ),
    "duplicate_accounts": (
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nCash = 100\n'
        '[[accounts]]\nname = "IRA"\n[[accounts]]\nname = "IRA"\n',
        r"broken\.toml:\d+:\d+: error: accounts\[1\]\.name: account name 'IRA' is used more",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_exit_2_with_located_problems(rebal: Rebal, tmp_path: Path, case: str) -> None:
    text, expected = BROKEN[case]
    path = tmp_path / "broken.toml"
    path.write_text(text)

    result = rebal("check", path)

    assert result.code == 2
    assert re.search(expected, result.err), result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_other_files_are_still_checked_and_the_worst_code_wins(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[portfolio\n")

    result = rebal("check", broken, samples / "seed_return.toml")

    assert result.code == 2
    assert "$50,000 at 70/20/10, one year on" in result.out
    assert "broken.toml:1" in result.err


def test_a_missing_file_exits_2(rebal: Rebal, tmp_path: Path) -> None:
    result = rebal("check", tmp_path / "nope.toml")

    assert result.code == 2
    assert "nope.toml: error: cannot read the file" in result.err


def test_warnings_go_to_stderr_and_do_not_fail(rebal: Rebal, tmp_path: Path) -> None:
    path = tmp_path / "warn.toml"
    path.write_text(
        '[portfolio]\nname = "x"\nas_of = 2026-01-02\n[targets]\nStocks = 100\n'
        '[securities.VTI]\nprice = 10\nclass = "Stocks"\n'
        '[[accounts]]\nname = "A"\ncash = 0\nholdings = { VTI = 5 }\n'
        "[bands]\nper_class = { Stock = 10 }\n"
    )
    result = rebal("check", path)

    assert result.code == 0
    assert "warning: bands.per_class.Stock" in result.err
    assert "did you mean 'Stocks'" in result.err


def test_user_text_is_never_markup(rebal: Rebal, tmp_path: Path) -> None:
    path = tmp_path / "markup.toml"
    path.write_text(
        '[portfolio]\nname = "Ours [/] [bold]x"\nas_of = 2026-01-02\n'
        '[targets]\n"Stocks [red]" = 100\n'
        '[securities.VTI]\nprice = 10\nclass = "Stocks [red]"\n'
        '[[accounts]]\nname = "IRA [/]"\nholdings = { VTI = 5 }\n'
    )
    result = rebal("check", path)

    assert result.code == 0
    assert "Ours [/] [bold]x" in result.out
    assert "Stocks [red]" in result.out
    assert "IRA [/]" in result.out


def test_installed_console_script(samples: Path) -> None:
    script = Path(sys.executable).with_name("rebal")
    completed = subprocess.run(
        [str(script), "check", str(samples / "seed_bands.toml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 1
    assert "Small Company Stock" in completed.stdout
    assert "OVER" in completed.stdout


def test_check_imports_neither_textual_nor_a_solver_nor_the_planner(samples: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from rebal.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['check', {str(samples / 'household.toml')!r}])\n"
        "heavy = ('textual', 'scipy', 'networkx', 'highspy', 'tomlkit', 'rebal.core.planner')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(heavy)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert completed.stdout.strip() == "[]"


def test_an_unforeseen_file_system_error_is_a_message_not_a_traceback(
    rebal: Rebal, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", "/media/usb/portfolio.toml")

    monkeypatch.setattr("rebal.commands.check.build_report", gone)
    result = rebal("check", samples / "seed_return.toml")

    assert result.code == 2
    assert "rebal: /media/usb/portfolio.toml: error: No such file or directory" in result.err


def test_money_columns_add_up_to_the_total_to_the_cent(rebal: Rebal, tmp_path: Path) -> None:
    # Five holdings at 10.005: rounded one by one the classes would show
    # 25.01 + 20.01 + 5.00 = 50.02 beside a total of 50.03.
    path = tmp_path / "cents.toml"
    path.write_text(
        '[portfolio]\nname = "cents"\nas_of = 2026-11-20\n'
        "[targets]\nA = 33.34\nB = 33.33\nC = 33.33\n"
        '[securities.X]\nprice = 10.005\nclass = "A"\n'
        '[securities.Y]\nprice = 10.005\nclass = "B"\n'
        "[securities.Z]\nprice = 10.005\nclasses = { A = 50, C = 50 }\n"
        '[[accounts]]\nname = "one"\nholdings = { X = 1, Y = 1, Z = 1 }\n'
        '[[accounts]]\nname = "two"\nholdings = { X = 1, Y = 1 }\n'
    )
    data = rebal("check", "--json", path).json()

    assert data["total"] == "50.03"
    assert [c["value"] for c in data["classes"]] == ["25.02", "20.01", "5.00"]
    assert sum(Decimal(c["value"]) for c in data["classes"]) == Decimal("50.03")
    assert sum(Decimal(a["value"]) for a in data["accounts"]) == Decimal("50.03")
    human = rebal("check", path).out
    assert re.search(r"A .* 25\.02 ", human)


def test_a_far_future_pending_flow_is_a_warning_that_does_not_fail(
    rebal: Rebal, samples: Path, tmp_path: Path
) -> None:
    path = tmp_path / "flows.toml"
    path.write_text(
        (samples / "seed_return.toml").read_text()
        + '\n[[flows]]\ndate = 2099-06-01\naccount = "Brokerage"\namount = 5000\n'
    )
    result = rebal("check", path)

    assert result.code == 0  # as without the flow: every class in band
    assert (
        f"{path}:{len(path.read_text().splitlines()) - 2}:1: warning: flows[0].date: flow dated "
        "2099-06-01, more than a year after the prices' date (2026-11-20)"
    ) in result.err
    assert "(correct the date to the day the money moved (the year?)" in result.err
    flagged = rebal("check", "--json", path).json()
    assert [p["path"] for p in flagged["problems"]] == ["flows[0].date"]
