"""Account kinds as statements write them: accepted, kept as written, shown, given a treatment."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rebal.model.account_kinds import KIND_ALIASES, TAX_TREATMENTS, normal_kind, tax_treatment
from rebal.store.load import load, parse

FILE = Path("household.toml")

TEXT = """\
[portfolio]
name = "Kinds"
as_of = 2026-11-20

[targets]
Stocks = 60
Bonds = 40

[securities.VTI]
price = 100
class = "Stocks"

[securities.BND]
price = 50
class = "Bonds"

[[accounts]]
name = "Work"
kind = "KIND"  # what the statement says
holdings = { VTI = 12, BND = 16 }
"""


@pytest.mark.parametrize(
    ("written", "treatment"),
    [
        ("401k", "traditional"),
        ("401(k)", "traditional"),
        ("403B", "traditional"),
        ("457b", "traditional"),
        ("ira", "traditional"),
        ("IRA", "traditional"),
        ("Traditional IRA", "traditional"),
        ("sep-ira", "traditional"),
        ("SIMPLE IRA", "traditional"),
        ("simple_ira", "traditional"),
        ("roth-ira", "roth"),
        ("Roth IRA", "roth"),
        ("roth-401k", "roth"),
        ("Roth 401(k)", "roth"),
        ("brokerage", "taxable"),
        ("Joint", "taxable"),
        ("individual", "taxable"),
        ("trust", "taxable"),
        ("HSA", "hsa"),
        ("taxable", "taxable"),
        ("other", "other"),
    ],
)
def test_a_kind_from_a_statement_loads_as_its_tax_treatment(written: str, treatment: str) -> None:
    portfolio, problems = parse(FILE, TEXT.replace("KIND", written))
    assert portfolio is not None, [str(p) for p in problems]
    account = portfolio.accounts[0]
    assert account.kind == written  # kept exactly as written
    assert account.tax_treatment == treatment
    assert account.avoids_selling == (treatment == "taxable")


def test_an_unknown_kind_is_an_error_at_the_key_that_names_the_choices() -> None:
    portfolio, problems = parse(FILE, TEXT.replace("KIND", "piggy bank"))
    assert portfolio is None
    [problem] = [p for p in problems if p.severity == "error"]
    assert problem.path == "accounts[0].kind"
    assert problem.line == 19
    assert problem.message == "'piggy bank' is not an account kind rebal knows"
    assert "401k" in problem.hint
    assert "taxable" in problem.hint


def test_every_alias_is_in_its_normal_form_and_every_treatment_is_its_own_alias() -> None:
    for alias in KIND_ALIASES:
        assert normal_kind(alias) == alias
    for treatment in TAX_TREATMENTS:
        assert tax_treatment(treatment) == treatment


def test_every_alias_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "portfolio-format.md").read_text()
    for alias in KIND_ALIASES:
        assert f"`{alias}`" in docs, alias


def test_saving_a_review_keeps_the_kind_as_written(tmp_path: Path) -> None:
    from rebal.core.planner import PlanOptions, plan
    from rebal.store.save import save_review

    path = tmp_path / "p.toml"
    path.write_text(TEXT.replace("KIND", "Roth 401(k)"))
    loaded = load(path)
    save_review(
        loaded,
        plan=plan(loaded.portfolio, PlanOptions()),
        created=dt.datetime(2026, 11, 21, 9, 30),
    )
    assert 'kind = "Roth 401(k)"  # what the statement says' in path.read_text()
    assert load(path).portfolio.accounts[0].tax_treatment == "roth"


def test_check_shows_the_kind_as_written_and_what_it_means(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rebal.cli import main

    path = tmp_path / "p.toml"
    path.write_text(TEXT.replace("KIND", "401k"))
    assert main(["check", str(path)]) == 0
    assert "401k (traditional)" in capsys.readouterr().out
    assert main(["check", str(path), "--json"]) == 0
    [account] = json.loads(capsys.readouterr().out)["accounts"]
    assert (account["kind"], account["tax_treatment"]) == ("401k", "traditional")
