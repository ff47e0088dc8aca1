"""Broker imports fill `cost_basis`, and never touch the lots or the basis a user typed.

Fixtures: Portfolio_Positions_Nov-24-2026.csv (Fidelity, one taxable account:
a known basis for VTI and BND, "--" for VXUS, an empty cell for ITOT) and
schwab_cost_basis.csv (Schwab: a known basis for SCHB, "Incomplete" for SCHZ,
"--" for SCHF). The older fixtures carry the other header generations.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rebal.importers import read_export
from rebal.store.apply_import import (
    ImportRefused,
    apply_import,
    describe,
    match_accounts,
    prepare_import,
)
from rebal.store.load import load

Cli = Callable[..., Any]

FIXTURES = Path(__file__).parent / "fixtures"
FIDELITY = FIXTURES / "Portfolio_Positions_Nov-24-2026.csv"
SCHWAB = FIXTURES / "schwab_cost_basis.csv"

HOUSEHOLD = """\
# A taxable account at Fidelity, one at Schwab, and an IRA.
[portfolio]
name = "Basis household"
as_of = 2026-11-01
cash_class = "Cash"

[targets]
Stocks = 60
Intl = 25
Bonds = 15

[securities.VTI]
price = 290.00
class = "Stocks"

[securities.ITOT]
price = 118.00
class = "Stocks"

[securities.VXUS]
price = 60.00
class = "Intl"

[securities.BND]
price = 72.00
class = "Bonds"

[securities.SCHB]
price = 60.00
class = "Stocks"

[securities.SCHZ]
price = 11.00
class = "Bonds"

[securities.SCHF]
price = 40.00
class = "Intl"

[[accounts]]
name = "Joint WROS"
kind = "taxable"
cash = 0
holdings = { VTI = 600, BND = 400, VXUS = 300, ITOT = 50 }  # as of October
{joint_basis}
[[accounts]]
name = "Joint Tenant"
kind = "joint"
cash = 0
holdings = { SCHB = 1000, SCHZ = 500, SCHF = 200 }
{schwab_basis}
[[accounts]]
name = "IRA"
kind = "traditional"
holdings = { BND = 10 }
"""


def household(tmp_path: Path, joint_basis: str = "", schwab_basis: str = "") -> Path:
    path = tmp_path / "portfolio.toml"
    path.write_text(
        HOUSEHOLD.replace("{joint_basis}\n", joint_basis).replace("{schwab_basis}\n", schwab_basis)
    )
    return path


def imported(path: Path, *exports: Path) -> tuple[str, str]:
    """Import `exports` into `path`; the summary's text and the file as written."""
    loaded = load(path)
    results = [read_export(export) for export in exports]
    plan = prepare_import(loaded, results, match_accounts(loaded, results))
    summary = "\n".join(describe(plan))
    apply_import(plan)
    return summary, path.read_text()


def account(text: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in tomllib.loads(text)["accounts"] if a["name"] == name)
    return found


# ---------------------------------------------------------------- reading the column


def test_each_header_generation_reads_the_total_basis() -> None:
    (joint,) = read_export(FIDELITY).accounts
    assert {p.key: (p.cost_basis, p.reports_basis) for p in joint.positions} == {
        "VTI": (Decimal("117000.00"), True),
        "BND": (Decimal("28000.00"), True),
        "VXUS": (None, True),  # "--"
        "ITOT": (None, True),  # an empty cell
    }
    # 2022's "Cost Basis" is the total (its neighbour is "Cost Basis Per Share").
    (old,) = read_export(FIXTURES / "Portfolio_Positions_Jan-25-2022_cp1252.csv").accounts
    assert [(p.key, p.cost_basis) for p in old.positions] == [("VTI", Decimal("10000.00"))]
    (schwab,) = read_export(SCHWAB).accounts
    assert {p.key: p.cost_basis for p in schwab.positions} == {
        "SCHB": Decimal("48000.00"),
        "SCHZ": None,  # "Incomplete"
        "SCHF": None,  # "--"
    }
    # A customised Schwab view without the column says nothing about the basis.
    (single,) = read_export(FIXTURES / "schwab_single_account.csv").accounts
    assert not any(p.reports_basis for p in single.positions)


# ---------------------------------------------------------------- applying it


def test_known_basis_is_written_and_unknown_basis_is_said(tmp_path: Path) -> None:
    path = household(tmp_path)
    summary, text = imported(path, FIDELITY, SCHWAB)
    assert account(text, "Joint WROS")["cost_basis"] == {"VTI": 117000, "BND": 28000}
    assert account(text, "Joint Tenant")["cost_basis"] == {"SCHB": 48000}
    # Written as docs/portfolio-format.md shows it, with the account's comment kept.
    assert "cost_basis.VTI = 117000.00\ncost_basis.BND = 28000.00\n" in text
    assert "# as of October" in text
    assert "  cost_basis VTI: — -> 117000.00" in summary
    assert "  cost_basis SCHB: — -> 48000.00" in summary
    assert "no cost basis for VXUS, ITOT: the export does not know it" in summary
    assert "no cost basis for SCHZ, SCHF" in summary
    # The file loads (load raises on any error) with no warning about the basis.
    loaded = load(path)
    assert not [w for w in loaded.warnings if "basis" in w.message]
    assert loaded.portfolio.account("Joint WROS").cost_basis == {
        "VTI": Decimal("117000.00"),
        "BND": Decimal("28000.00"),
    }


def test_the_same_export_again_changes_nothing(tmp_path: Path) -> None:
    path = household(tmp_path)
    imported(path, FIDELITY, SCHWAB)
    first = path.read_bytes()
    loaded = load(path)
    results = [read_export(FIDELITY), read_export(SCHWAB)]
    plan = prepare_import(loaded, results, match_accounts(loaded, results))
    assert not plan.changes_anything
    assert path.read_bytes() == first


def test_a_basis_the_broker_does_not_know_never_erases_a_typed_one(tmp_path: Path) -> None:
    typed = "cost_basis.VXUS = 15000.00  # from the old broker's statement\n"
    path = household(tmp_path, joint_basis=typed, schwab_basis="cost_basis = { SCHZ = 5600 }\n")
    summary, text = imported(path, FIDELITY, SCHWAB)
    assert account(text, "Joint WROS")["cost_basis"]["VXUS"] == 15000
    assert "cost_basis.VXUS = 15000.00  # from the old broker's statement" in text
    assert account(text, "Joint Tenant")["cost_basis"] == {"SCHZ": 5600, "SCHB": 48000}
    assert (
        "  cost_basis VXUS: 15000.00 kept: the export does not know the basis "
        "('--', 'Incomplete' or empty)" in summary
    )
    assert "  cost_basis SCHZ: 5600.00 kept" in summary
    assert "no cost basis for ITOT:" in summary  # VXUS is known from the file
    # One ticker is "it", not "they" (was "... so they are sold last and their tax ...").
    assert (
        "  no cost basis for ITOT: the export does not know it, so it is sold last and its "
        "tax is reported as unknown" in summary
    )


def test_a_kept_basis_under_a_changed_share_count_is_flagged(tmp_path: Path) -> None:
    path = household(tmp_path, joint_basis="cost_basis.VXUS = 15000.00\n")
    text = path.read_text().replace("VXUS = 300", "VXUS = 250")
    path.write_text(text)
    summary, _ = imported(path, FIDELITY)
    assert "the shares change from 250 to 300, so check it" in summary


def test_a_broker_basis_replaces_the_basis_the_import_wrote_before(tmp_path: Path) -> None:
    path = household(tmp_path, joint_basis="cost_basis.BND = 27000.00  # was\n")
    summary, text = imported(path, FIDELITY)
    assert "cost_basis.BND = 28000.00  # was" in text
    assert "  cost_basis BND: 27000.00 -> 28000.00" in summary


def test_a_position_no_longer_held_loses_its_basis(tmp_path: Path) -> None:
    path = household(tmp_path, schwab_basis="cost_basis.SCHB = 48000.00\n")
    text = path.read_text().replace(
        "holdings = { SCHB = 1000, SCHZ = 500, SCHF = 200 }",
        "holdings = { SCHB = 1000, SCHZ = 500, SCHF = 200, VTI = 5 }\ncost_basis.VTI = 1000",
    )
    path.write_text(text)
    summary, written = imported(path, SCHWAB)
    assert account(written, "Joint Tenant")["cost_basis"] == {"SCHB": 48000}
    assert "  cost_basis VTI: 1000.00 -> — (no longer held)" in summary


def test_no_basis_is_written_in_an_account_without_capital_gains(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copy(FIXTURES / "household_test.toml", path)
    # The Roth IRA's rows carry a basis; only the taxable "Individual" gets one.
    loaded = load(path)
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    matches = match_accounts(loaded, results, {"87654": "ACME 401(k)"})
    written = apply_import(prepare_import(loaded, results, matches))
    assert written.portfolio.account("Roth IRA").cost_basis == {}
    assert written.portfolio.account("ACME 401(k)").cost_basis == {}
    assert written.portfolio.account("Individual").cost_basis == {
        "VTI": Decimal("30000.00"),
        "BND": Decimal("7200.00"),
    }
    assert not [w for w in written.warnings if "basis" in w.message]


# ---------------------------------------------------------------- typed lots


LOTS = """\
lots.VTI = [
  { acquired = 2019-03-04, shares = 400, cost = 58000.00 },  # the first buy
  { acquired = 2026-10-15, shares = 200, cost = 59000.00 },
]
"""


def test_typed_lots_are_never_overwritten(tmp_path: Path) -> None:
    path = household(tmp_path, joint_basis=LOTS)
    summary, text = imported(path, FIDELITY)
    assert LOTS in text
    joint = account(text, "Joint WROS")
    assert "VTI" not in joint["cost_basis"]
    assert joint["cost_basis"] == {"BND": 28000}
    assert (
        "  VTI: the export's cost basis 117000 is not used: the lots typed for VTI are kept"
        in summary
    )


def test_lots_that_would_no_longer_add_up_refuse_the_import(tmp_path: Path, cli: Cli) -> None:
    path = household(tmp_path, joint_basis=LOTS.replace("400", "350"))
    path.write_text(path.read_text().replace("VTI = 600", "VTI = 550"))
    before = path.read_bytes()
    with pytest.raises(ImportRefused, match="lots \\(typed in the file\\) add up to 550"):
        imported(path, FIDELITY)
    run = cli("import", FIDELITY, "--into", path)
    assert run.code == 2
    assert (
        f"{path}: error: accounts[0].lots.VTI: 'Joint WROS' would hold 600 shares of VTI "
        "after the import" in run.err
    )
    assert "nothing was written" in run.err
    assert path.read_bytes() == before
    assert not path.with_name(path.name + ".bak").exists()


# ---------------------------------------------------------------- hostile cells


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ('"=HYPERLINK(""http://x"",""1"")"', "Cost Basis: '=HYPERLINK"),
        ("+1+2", "Cost Basis: '+1+2' is not a number"),
        ("9" * 5000, "(5000 characters) has too many digits"),
        ("-$5.00", "VTI: negative cost basis -5.00"),
        ('"($1,200.00)"', "VTI: negative cost basis -1200.00"),
        ("1e9", "Cost Basis: '1e9' is not a number"),
    ],
)
def test_a_hostile_basis_cell_is_refused_with_its_line(
    tmp_path: Path, cli: Cli, cell: str, message: str
) -> None:
    path = household(tmp_path)
    before = path.read_bytes()
    export = tmp_path / FIDELITY.name
    export.write_text(FIDELITY.read_text().replace('"$117,000.00"', cell, 1))
    run = cli("import", export, "--into", path)
    assert run.code == 2, run.out + run.err
    assert f"{export}:2: error: " in run.err
    assert message in run.err
    assert "Traceback" not in run.err
    assert path.read_bytes() == before


def test_a_mis_encoded_basis_cell_is_refused_with_its_line(tmp_path: Path, cli: Cli) -> None:
    path = household(tmp_path)
    before = path.read_bytes()
    export = tmp_path / FIDELITY.name
    data = FIDELITY.read_bytes().replace(b'"$28,000.00"', b'"$28\xff000.00"')
    # A UTF-8 file (an accented footer): the byte is damage, refused where it is.
    export.write_bytes(data + "\"Données\"\n".encode())
    run = cli("import", export, "--into", path)
    assert run.code == 2, run.out + run.err
    assert f"{export}:3: error: byte 0xff is not valid UTF-8" in run.err
    assert path.read_bytes() == before
    # Read as Windows-1252 throughout, the cell is no number.
    export.write_bytes(data)
    run = cli("import", export, "--into", path)
    assert run.code == 2, run.out + run.err
    assert f"{export}:3: error: Cost Basis: '$28ÿ000.00' is not a number" in run.err
    assert path.read_bytes() == before


def test_init_from_exports_writes_the_basis_of_taxable_accounts(tmp_path: Path, cli: Cli) -> None:
    new = tmp_path / "household.toml"
    roth = FIXTURES / "Portfolio_Positions_Nov-21-2026.csv"  # a Roth IRA with a basis column
    run = cli("init", "--from", FIDELITY, SCHWAB, roth, new)
    assert run.code == 0, run.err
    text = new.read_text()
    assert account(text, "Fidelity Joint WROS")["cost_basis"] == {"VTI": 117000, "BND": 28000}
    assert account(text, "Schwab Joint Tenant")["cost_basis"] == {"SCHB": 48000}
    assert "cost_basis" not in account(text, "Fidelity ROTH IRA")
    assert "cost_basis.VTI = 117000.00\n" in text


def test_lots_that_would_fall_short_ask_for_the_new_purchase(tmp_path: Path) -> None:
    path = household(tmp_path, joint_basis=LOTS.replace("400", "350"))
    path.write_text(path.read_text().replace("VTI = 600", "VTI = 550"))
    with pytest.raises(ImportRefused) as refused:
        imported(path, FIDELITY)
    [problem] = refused.value.problems
    # 600 held after the import, 550 in lots: a purchase the lots do not have yet.
    assert problem.hint == (
        "add the 50 shares bought to lots.VTI (their date and cost), or delete lots.VTI "
        "to use the broker's cost basis; then import again"
    )


def test_lots_that_would_be_too_many_ask_to_remove_the_lots_sold(tmp_path: Path) -> None:
    path = household(tmp_path, joint_basis=LOTS.replace("400", "450"))
    path.write_text(path.read_text().replace("VTI = 600", "VTI = 650"))
    with pytest.raises(ImportRefused) as refused:
        imported(path, FIDELITY)
    [problem] = refused.value.problems
    # 600 held after the import, 650 in lots: the sale is not in the lots yet.
    assert problem.hint == (
        "remove the 50 shares sold from lots.VTI, or delete lots.VTI to use the broker's "
        "cost basis; then import again"
    )
