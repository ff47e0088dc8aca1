"""Applying imports: matching, the diff, and a file that keeps everything else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import tomllib
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.importers import BrokerAccount, ImportResult, read_export
from rebal.store.apply_import import (
    SKIP,
    AccountMatch,
    ImportRefused,
    SaveRefused,
    apply_import,
    describe,
    match_accounts,
    parse_account_mappings,
    prepare_import,
)
from rebal.store.load import Loaded, load

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def example(tmp_path: Path) -> Loaded:
    """Our own four-account portfolio, with comments in every kind of place."""
    path = tmp_path / "portfolio.toml"
    shutil.copy(FIXTURES / "household_test.toml", path)
    return load(path)


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def trailing_comments(text: str) -> list[str]:
    return [line.split("#", 1)[1] for line in text.splitlines() if " # " in line or "  #" in line]


def fidelity_plan(loaded: Loaded) -> tuple[list[ImportResult], list[AccountMatch]]:
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    matches = match_accounts(loaded, results, parse_account_mappings(["ACME 401(k)=87654"]))
    return results, matches


# ---------------------------------------------------------------- matching


def test_matching_by_broker_id_then_name_and_refusing_the_rest(example: Loaded) -> None:
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    with pytest.raises(ImportRefused) as raised:
        match_accounts(example, results)
    (problem,) = raised.value.problems
    message = str(problem)
    # The script-facing refusal names the broker account, the choices and the way out.
    assert "ACME CORP 401(K) (87654)" in message
    assert "'ACME 401(k)', 'Spouse IRA'" in message
    assert '--account "ACME 401(k)"=87654' in message
    assert "--skip 87654" in message


def test_the_refusal_reads_right_in_the_app_too(example: Loaded) -> None:
    # The app's import screen shows the same problem under "type it in the accounts
    # field"; the hint was 'pass --account ...', a flag the app has no place for.
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    with pytest.raises(ImportRefused) as raised:
        match_accounts(example, results)
    (problem,) = raised.value.problems
    assert problem.message.startswith(
        "cannot tell which account of this file the fidelity account ACME CORP 401(K) (87654) "
        "in Portfolio_Positions_Nov-20-2026.csv belongs to; choices: "
    )
    assert problem.hint.startswith(
        'answer "ACME 401(k)"=87654 to import it into that account, or skip 87654 to leave '
        "it out; in a script, --account "
    )


def test_matching_with_an_explicit_mapping(example: Loaded) -> None:
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    matches = match_accounts(example, results, parse_account_mappings(["ACME 401(k)=87654"]))
    assert [(m.broker.broker_id, m.account, m.how) for m in matches] == [
        ("Z23456789", "Roth IRA", "broker id"),
        ("87654", "ACME 401(k)", "--account"),
        ("X98765432", "Individual", "name"),
    ]


def test_the_chooser_is_asked_only_what_cannot_be_told(example: Loaded) -> None:
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    asked: list[tuple[str, list[str]]] = []

    def choose(broker: BrokerAccount, file: Path, candidates: Sequence[str]) -> str | None:
        asked.append((broker.broker_id, list(candidates)))
        return SKIP

    matches = match_accounts(example, results, choose=choose)
    assert asked == [("87654", ["ACME 401(k)", "Spouse IRA"])]
    assert [m.account for m in matches] == ["Roth IRA", "Individual", None]


def test_mapping_to_an_unknown_account_is_refused(example: Loaded) -> None:
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    with pytest.raises(ImportRefused) as refused:
        match_accounts(example, results, parse_account_mappings(["Brokerage=87654"]))
    # Was "--account names 'Brokerage', ...", shown in the app too, which has no --account.
    assert refused.value.problems[0].message == (
        "'Brokerage', given for a broker account, is not an account in this file"
    )


def test_two_broker_accounts_into_one_account_is_refused(example: Loaded) -> None:
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    mapping = parse_account_mappings(["Individual=87654"])
    with pytest.raises(ImportRefused, match="would replace account 'Individual'"):
        match_accounts(example, results, mapping)


def test_account_mapping_syntax() -> None:
    assert parse_account_mappings(['Jordan "A=B" IRA=X1']) == {"X1": 'Jordan "A=B" IRA'}
    # Typed as the app's accounts field shows it ("Roth IRA"=Z23456789), where no shell
    # removes the quotes: they were kept, and no account had that name.
    assert parse_account_mappings(['"Roth IRA"=Z1', "'Joint'=X2", ' "IRA" = "Y3" ']) == {
        "Z1": "Roth IRA",
        "X2": "Joint",
        "Y3": "IRA",
    }
    with pytest.raises(ValueError, match=r"^--account 'Roth IRA': write it as"):
        parse_account_mappings(["Roth IRA"])


# ---------------------------------------------------------------- the change


def test_the_diff_lists_holdings_cash_prices_and_row_counts(example: Loaded) -> None:
    results, matches = fidelity_plan(example)
    plan = prepare_import(example, results, matches)
    text = "\n".join(describe(plan))
    assert "rows: 6 holding, 2 cash, 0 total, 1 pending, 5 ignored, 0 error" in text
    assert "fidelity, 3 accounts, as of 2026-11-20" in text
    assert "account 'Roth IRA' <- ROTH IRA (Z23456789)" in text
    assert "  FXAIX: 200 -> 210.512 shares" in text
    assert "  (1 holding unchanged)" in text  # FTIHX stays at 1500
    assert "  cash: 100 -> 1523.17" in text
    assert "  broker_id: — -> 87654" in text
    assert "  CONTRA: 24 -> 24.71 (as of 2026-11-20)" in text  # the CUSIP alias is used
    assert "portfolio as_of: 2026-10-31 -> 2026-11-20" in text
    assert "pending activity of -250.00" in text


def test_applying_changes_only_what_the_import_is_about(example: Loaded) -> None:
    before_text = example.text
    results, matches = fidelity_plan(example)
    plan = prepare_import(example, results, matches)
    after = apply_import(plan)
    written = example.path.read_text()
    assert written == plan.text == after.text
    # Every comment survives, whole-line and trailing.
    assert comment_lines(written) == comment_lines(before_text)
    assert trailing_comments(written) == trailing_comments(before_text)
    portfolio = after.portfolio
    roth = portfolio.account("Roth IRA")
    assert roth.holdings == {
        "FXAIX": Decimal("210.512"),
        "FTIHX": Decimal("1500"),
        "FXNAX": Decimal("605.25"),
    }
    assert roth.cash == Decimal("1523.17")
    assert portfolio.account("ACME 401(k)").broker_id == "87654"
    assert portfolio.account("ACME 401(k)").holdings == {"CONTRA": Decimal("812.443")}
    assert portfolio.account("Individual").cash == Decimal("2942.19")
    assert portfolio.securities["VTI"].price == Decimal("301.20")
    assert str(portfolio.securities["VTI"].price_as_of) == "2026-11-20"
    assert str(portfolio.portfolio.as_of) == "2026-11-20"
    # The account the import is not about is byte-for-byte the same.
    spouse = before_text[before_text.index("# Spouse's IRA") :]
    assert written.endswith(spouse)
    old = tomllib.loads(before_text)
    new = tomllib.loads(written)
    assert new["targets"] == old["targets"]
    assert new["bands"] == old["bands"]
    assert new["securities"]["FXAIX"]["style"] == "large-blend"
    # A backup of the previous version is kept.
    assert example.path.with_name("portfolio.toml.bak").read_text() == before_text


def test_a_new_ticker_gets_a_stub_without_a_class(example: Loaded) -> None:
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-21-2026.csv")]
    plan = prepare_import(example, results, match_accounts(example, results))
    assert [(n.key, n.price) for n in plan.change.new_securities] == [("VXUS", Decimal("71.62"))]
    assert "new securities (no class yet" in "\n".join(describe(plan))
    after = apply_import(plan)
    stub = after.portfolio.securities["VXUS"]
    assert stub.asset_class is None
    assert stub.name == "VANGUARD TOTAL INTL STOCK ETF"
    assert any("VXUS has no class" in str(w) for w in after.warnings)
    # The file returned is the file on disk, warnings included.
    assert after.warnings == load(example.path).warnings
    # FXNAX was sold: it leaves the holdings but keeps its [securities] entry.
    assert "FXNAX" not in after.portfolio.account("Roth IRA").holdings
    assert "FXNAX" in after.portfolio.securities


def test_dry_run_plan_writes_nothing(example: Loaded) -> None:
    results, matches = fidelity_plan(example)
    prepare_import(example, results, matches)
    assert example.path.read_text() == example.text
    assert not example.path.with_name("portfolio.toml.bak").exists()


def test_a_file_edited_meanwhile_is_not_overwritten(example: Loaded) -> None:
    results, matches = fidelity_plan(example)
    plan = prepare_import(example, results, matches)
    example.path.write_text(example.text + "\n# edited in another window\n")
    with pytest.raises(SaveRefused, match="changed on disk"):
        apply_import(plan)
    assert example.path.read_text().endswith("# edited in another window\n")


def test_importing_the_same_file_twice_changes_nothing_more(example: Loaded) -> None:
    results, matches = fidelity_plan(example)
    first = apply_import(prepare_import(example, results, matches))
    again = prepare_import(first, results, match_accounts(first, results))
    assert not again.changes_anything
    assert {m.how for m in match_accounts(first, results)} == {"broker id"}


# ---------------------------------------------------------------- the sample household


def test_round_trip_into_the_sample_household(tmp_copy: Callable[[str], Path]) -> None:
    path = tmp_copy("household")
    loaded = load(path)
    before = loaded.text
    results = [
        read_export(FIXTURES / "Portfolio_Positions_Nov-22-2026.csv"),
        read_export(FIXTURES / "vanguard_joint_brokerage.csv"),
    ]
    mapping = parse_account_mappings(["Joint Brokerage=55550001"])
    plan = prepare_import(loaded, results, match_accounts(loaded, results, mapping))
    after = apply_import(plan)
    written = path.read_text()
    assert comment_lines(written) == comment_lines(before)
    assert trailing_comments(written) == trailing_comments(before)
    jordan = after.portfolio.account("Jordan 401(k)")  # matched by name
    assert jordan.holdings["FXAIX"] == Decimal("1162.25")
    assert jordan.cash == Decimal("12.34")
    joint = after.portfolio.account("Joint Brokerage")
    # The file tracks VMFXX as a security (class Cash), so it stays a holding
    # instead of turning into account cash.
    assert joint.holdings == {
        "VTI": Decimal("610"),
        "VTEB": Decimal("300"),
        "VMFXX": Decimal("18900.12"),
    }
    assert joint.cash == 0
    assert joint.avoid_selling is True
    # Accounts not imported, history and targets are untouched.
    old, new = tomllib.loads(before), tomllib.loads(written)
    assert new["accounts"][1] == old["accounts"][1]
    assert new["accounts"][2] == old["accounts"][2]
    assert new["history"] == old["history"]
    assert new["targets"] == old["targets"]
    assert new["securities"]["VTI"]["sectors"] == old["securities"]["VTI"]["sectors"]


def test_a_file_without_a_cash_line_leaves_cash_alone(example: Loaded, tmp_path: Path) -> None:
    export = tmp_path / "holdings.csv"
    export.write_text("account,ticker,shares,price\nIndividual,VTI,111,301.00\n")
    results = [read_export(export)]
    plan = prepare_import(example, results, match_accounts(example, results))
    assert plan.portfolio.account("Individual").cash == Decimal(500)
    assert plan.portfolio.account("Individual").holdings == {"VTI": Decimal(111)}
    assert "no cash line for Individual" in "\n".join(describe(plan))


def test_new_keys_and_stubs_stay_above_the_comments_that_open_the_next_section(
    tmp_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    path = tmp_copy("household")
    loaded = load(path)
    export = tmp_path / "joint.csv"
    export.write_text(
        "account,ticker,shares,price\n"
        "Joint Brokerage,VTI,600,290\n"
        "Joint Brokerage,VMFXX,18500,1\n"
        "Joint Brokerage,NEWFUND,3,10\n"
        "Joint Brokerage,CASH,0\n"
    )
    results = [read_export(export)]
    apply_import(prepare_import(loaded, results, match_accounts(loaded, results)))
    text = path.read_text()
    # The banners still sit right above the sections they introduce...
    assert re.search(r"\n# -+ accounts\n\n\[\[accounts\]\]\n", text)
    assert re.search(r"\n# -+ history\n\n# Last year's review", text)
    # ...and what the import added went above them.
    assert text.index("[securities.NEWFUND]") < text.index("-- accounts")
    assert text.index('broker_id = "Joint Brokerage"') < text.index("-- history")
    assert text.index("price_as_of", text.index("[securities.VMFXX]")) < text.index(
        "[securities.NEWFUND]"
    )


def test_two_files_pricing_one_security_differently_warn_and_the_newer_price_wins(
    example: Loaded, tmp_path: Path
) -> None:
    # Fidelity (Nov 20) prices VTI at 301.20; a Vanguard file from the next day says 300.00.
    vanguard = tmp_path / "vanguard.csv"
    vanguard.write_text(
        "Account Number,Investment Name,Symbol,Shares,Share Price,Total Value,\n"
        "12340001,VANGUARD TOTAL STOCK MARKET ETF,VTI,85.000,300.00,25500.00,\n"
        "\n"
    )
    fidelity = read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")
    # Vanguard's download carries no date: say it is from the day after Fidelity's.
    later = dataclasses.replace(read_export(vanguard), as_of=fidelity.as_of + dt.timedelta(days=1))
    mapping = parse_account_mappings(["ACME 401(k)=87654", "Spouse IRA=12340001"])
    for results in ([fidelity, later], [later, fidelity]):  # the order given does not matter
        plan = prepare_import(example, results, match_accounts(example, results, mapping))

        vti = next(p for p in plan.change.prices if p.key == "VTI")
        assert vti.after == Decimal("300.00")
        (warning,) = [w for w in plan.change.warnings if "VTI is priced" in w.message]
        assert warning.severity == "warning"
        assert "301.20 in Portfolio_Positions_Nov-20-2026.csv" in warning.message
        assert "300 in vanguard.csv" in warning.message
        assert "from vanguard.csv is used" in warning.message


def test_the_same_price_in_two_files_gives_no_warning(example: Loaded) -> None:
    results = [
        read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv"),
        read_export(FIXTURES / "vanguard_one_account.csv"),  # VTI at 301.20 too
    ]
    mapping = parse_account_mappings(["ACME 401(k)=87654", "Spouse IRA=12340001"])
    plan = prepare_import(example, results, match_accounts(example, results, mapping))

    assert not [w for w in plan.change.warnings if "is priced" in w.message]


def test_an_older_export_does_not_turn_a_price_back(example: Loaded) -> None:
    # A 2022 download (VTI at 496.00) into a portfolio whose prices are from 2026.
    results = [read_export(FIXTURES / "Portfolio_Positions_Jan-25-2022_cp1252.csv")]
    matches = match_accounts(example, results, parse_account_mappings(["Spouse IRA=Y11112222"]))
    plan = prepare_import(example, results, matches)

    assert not [p for p in plan.change.prices if p.key == "VTI" and p.changed]
    assert plan.portfolio.securities["VTI"].price == Decimal("290.00")
    (warning,) = [w for w in plan.change.warnings if w.message.startswith("VTI:")]
    assert warning.message == (
        "VTI: the file's price 496 is from 2022-01-25, older than the price in the "
        "portfolio (290, as of 2026-10-31); the newer price is kept"
    )
    # The holdings are still what the file says: the user asked for this import.
    assert plan.portfolio.account("Spouse IRA").holdings == {"VTI": Decimal(25)}


def test_a_zero_price_in_an_export_keeps_the_known_price(example: Loaded, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("account,ticker,shares,price\nSpouse IRA,VTI,10,300\nSpouse IRA,BND,10,0\n")
    results = [read_export(export)]
    plan = prepare_import(example, results, match_accounts(example, results))

    assert plan.portfolio.securities["BND"].price == Decimal("72.00")
    assert plan.portfolio.securities["VTI"].price == Decimal(300)
    (warning,) = [w for w in plan.change.warnings if w.message.startswith("BND:")]
    assert warning.line == 3
    assert "gives a price of 0; the price in the portfolio (72) is kept" in warning.message


def test_a_new_ticker_without_a_price_says_where_to_give_one(
    example: Loaded, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text("account,ticker,shares\nSpouse IRA,NEWT,10\n")
    results = [read_export(export)]
    with pytest.raises(ImportRefused) as raised:
        prepare_import(example, results, match_accounts(example, results))

    (problem,) = raised.value.problems
    assert "NEWT in 'Spouse IRA' has no price in the import" in problem.message
    assert problem.hint.startswith("give it a price (or value) in the export")


def test_a_broker_account_with_no_account_left_is_told_to_add_one(example: Loaded) -> None:
    results = [
        read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv"),
        read_export(FIXTURES / "schwab_all_accounts.csv"),
    ]
    mapping = parse_account_mappings(["ACME 401(k)=87654", "Spouse IRA=...123"])
    with pytest.raises(ImportRefused) as raised:
        match_accounts(example, results, mapping)

    (problem,) = raised.value.problems
    assert "Roth Contributory IRA (...456)" in problem.message
    assert "has no account left to go into" in problem.message
    assert problem.hint == (
        "add an [[accounts]] entry for it (name and kind), or skip ...456 to leave it out; "
        "in a script, --skip ...456"
    )


def test_a_windows_file_keeps_its_line_endings_and_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    original = (FIXTURES / "household_test.toml").read_text()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode())
    loaded = load(path)
    results, matches = fidelity_plan(loaded)

    apply_import(prepare_import(loaded, results, matches))

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n")
    assert b'broker_id = "87654"\r\n' in data  # a line the import added
    assert load(path).portfolio.account("ACME 401(k)").holdings["CONTRA"] == Decimal("812.443")


def test_a_new_file_is_returned_as_loading_it_reads_it(tmp_path: Path) -> None:
    from rebal.store.new_file import write_new_portfolio

    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    output = tmp_path / "new.toml"
    written = write_new_portfolio(results, output, dt.date(2026, 11, 24))
    again = load(output)
    assert written.path == again.path
    assert written.text == again.text
    assert written.portfolio == again.portfolio
    assert written.warnings == again.warnings
    assert any("no class" in w.message for w in written.warnings)
    assert written.fingerprint == again.fingerprint


def test_the_change_is_computed_from_the_portfolio_alone(example: Loaded) -> None:
    # The pure step sees only the validated portfolio: the file's text, comments
    # and layout cannot change what an import does, only how it is written.
    from rebal.importers.change import import_change
    from rebal.importers.change import match_accounts as match_in

    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    mapping = parse_account_mappings(["ACME 401(k)=87654"])
    matches = match_in(example.portfolio, example.path, results, mapping)
    change = import_change(example.portfolio, example.path, results, matches)
    assert change == prepare_import(example, results, matches).change
    roth = next(a for a in change.accounts if a.name == "Roth IRA")
    assert roth.holdings_after == {
        "FXAIX": Decimal("210.512"),
        "FTIHX": Decimal(1500),
        "FXNAX": Decimal("605.25"),
    }
    assert roth.cash_after == Decimal("1523.17")


def test_applying_an_import_that_changes_nothing_writes_nothing(example: Loaded) -> None:
    """The store's own guard, whatever its caller checked: no write, not even a backup."""
    results = [read_export(FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")]
    matches = match_accounts(example, results, skip=["87654", "Z23456789", "X98765432"])
    plan = prepare_import(example, results, matches)

    assert plan.imports_nothing
    assert not plan.changes_anything
    assert plan.change.as_of_after == example.portfolio.portfolio.as_of
    assert apply_import(plan) is example
    assert example.path.read_text() == example.text
    assert not example.path.with_name("portfolio.toml.bak").exists()
