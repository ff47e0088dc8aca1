"""Any export is either refused with problems or applied cleanly: never a traceback.

Rows of odd numbers (huge, tiny, negative, exponents, words), odd names and
stray control characters go through the reader and the whole import; the only
exceptions allowed out are the refusals that carry problems.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rebal.importers import ImportFailed, ImportResult, read_export
from rebal.problems import Problem
from rebal.store.apply_import import ImportPlan, ImportRefused, match_accounts, prepare_import
from rebal.store.load import Loaded, load

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 12, 1)

plain = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False).map(str)
odd = st.one_of(
    st.from_regex(r"-?\$?[0-9]{0,22}(\.[0-9]{0,16})?", fullmatch=True),
    st.sampled_from(["", "--", "1e5", "1E-999999", "NaN", "inf", "(1.00)", "0", "0.000"]),
)
# Mostly numbers a broker writes, so that many files get as far as the import.
numbers = st.one_of(plain, plain, plain, odd)
words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=12,
).map(lambda text: text.replace('"', "").replace(",", "").replace("\n", "").replace("\r", ""))
tickers = st.one_of(
    st.sampled_from(["VTI", "BND", "NEWFUND", "CASH", "TOTAL"]),
    st.sampled_from(["VTI", "BND", "NEWFUND", "CASH", "TOTAL"]),
    words,
)
names = st.one_of(st.just(""), st.just("Some fund"), words)
rows = st.tuples(st.sampled_from(["X1", "X2"]), tickers, numbers, numbers, numbers, names)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=6))
def test_a_generic_csv_is_refused_or_imported_never_a_traceback(
    table: list[tuple[str, str, str, str, str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        portfolio = Path(folder) / "portfolio.toml"
        shutil.copy(FIXTURES / "household_test.toml", portfolio)
        export = Path(folder) / "holdings.csv"
        lines = ["# as of 2026-11-30", "account,ticker,shares,price,value,name"]
        lines += [",".join(f'"{cell}"' for cell in row) for row in table]
        export.write_text("\n".join(lines) + "\n", encoding="utf-8")
        outcome = read_or_problems(export)
        if isinstance(outcome, list):
            assert outcome
            assert all(p.file == export for p in outcome)
            event("refused by the reader")
            return
        loaded = load(portfolio)
        mapping = {"X1": "Individual", "X2": "Spouse IRA"}
        plan = plan_or_problems(loaded, outcome, mapping)
        if isinstance(plan, list):
            assert plan
            event("refused by the import")
            return
        event("imported")
        # as_of is the date of the prices: the export's when it wrote one (a price of 0
        # is a missing quote, written only for a security the file did not know).
        wrote_a_price = bool(plan.change.prices or plan.change.new_securities)
        assert plan.portfolio.portfolio.as_of == (
            dt.date(2026, 11, 30) if wrote_a_price else loaded.portfolio.portfolio.as_of
        )


def read_or_problems(export: Path) -> ImportResult | list[Problem]:
    try:
        return read_export(export, today=TODAY)
    except ImportFailed as failed:
        return failed.problems


def plan_or_problems(
    loaded: Loaded, result: ImportResult, mapping: dict[str, str]
) -> ImportPlan | list[Problem]:
    try:
        return prepare_import(loaded, [result], match_accounts(loaded, [result], mapping))
    except ImportRefused as refused:
        return refused.problems


EXPORTS = sorted(p for p in FIXTURES.iterdir() if p.suffix.lower() in {".csv", ".ofx", ".qfx"})
edits = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1, exclude_max=True),
        st.sampled_from(["replace", "delete", "insert"]),
        st.sampled_from(list(b'0123456789,."$-\n\r\x00\xff<>/ \x1b\xc3')),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXPORTS), edits)
def test_a_damaged_fixture_is_read_or_refused_by_the_readers_own_checks(
    fixture: Path, damage: list[tuple[float, str, int]]
) -> None:
    # The reader turns an unexpected exception into a "please report" problem
    # rather than a traceback; a damaged file should never need that net.
    data = bytearray(fixture.read_bytes())
    for where, how, byte in damage:
        at = int(where * len(data))
        if how == "replace":
            data[at] = byte
        elif how == "delete":
            del data[at]
        else:
            data[at:at] = bytes([byte])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / fixture.name
        path.write_bytes(bytes(data))
        outcome = read_or_problems(path)
    if isinstance(outcome, list):
        assert outcome
        assert not [p for p in outcome if "please report" in p.hint], outcome
