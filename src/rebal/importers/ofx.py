"""OFX/QFX investment statements, v1 (SGML) and v2 (XML), read with ofxparse (MIT).

Positions (`INVPOSLIST`) name securities by CUSIP only; the ticker and name
come from `SECLIST`, joined on the CUSIP. `INVBAL/AVAILCASH` is the account's
cash; a 401(k) statement may report it only as `INV401KBAL/CASHBAL`, which
ofxparse does not read, so that one is read from the text. One file may hold
several statements (accounts). ofxparse is imported
lazily: it pulls in BeautifulSoup and lxml, which only this reader needs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

from rebal.importers.model import ImportResult, RowClass, RowLedger
from rebal.importers.tables import AccountBuilder, build_accounts, clean, holding
from rebal.importers.text import (
    MAX_FRACTION_DIGITS,
    MAX_INTEGER_DIGITS,
    as_of_fallback,
    within_limits,
)

_DTASOF = re.compile(r"<DTASOF>\s*(\d{4})(\d{2})(\d{2})", re.IGNORECASE)


def looks_like_ofx(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip().upper()
    return head.startswith(b"OFXHEADER") or b"<OFX>" in head or b"<?OFX" in head


def parse(path: Path, data: bytes) -> ImportResult:
    ledger = RowLedger(path)
    # Line numbers and the date only: ofxparse reads the bytes itself, honouring CHARSET.
    text = data.decode("latin-1")
    if not re.search(r"</OFX>", text, re.IGNORECASE):
        ledger.fail(
            text.count("\n") + 1,
            "the OFX file ends before its closing </OFX> tag (truncated?)",
            "download the statement again",
        )
        ledger.raise_if_errors()
    document = _read_with_ofxparse(path, data, ledger)
    # ofxparse leaves out what a damaged file lacks, attributes included.
    tickers: dict[str, Any] = {
        security.uniqueid: security for security in (getattr(document, "security_list", None) or [])
    }
    plan_cash = _inv401k_cash(text, ledger)
    accounts: list[AccountBuilder] = []
    for account in getattr(document, "accounts", None) or []:
        statement = getattr(account, "statement", None)
        if statement is None or not hasattr(statement, "positions"):
            continue  # a bank or card statement in the same file: not holdings
        account_id = str(account.account_id or "").strip()
        if not account_id:
            ledger.fail(None, "an investment statement has no ACCTID")
            continue
        if not clean(_line_of(text, account_id), ledger, "account", account_id):
            continue
        # The institution's BROKERID (e.g. "fidelity.com") tells the user whose account it is.
        broker_name = str(getattr(account, "brokerid", "") or "").strip()
        if not clean(_line_of(text, broker_name), ledger, "account", broker_name):
            continue
        label = f"{broker_name} {account_id}" if broker_name else account_id
        builder = AccountBuilder("ofx", account_id, label)
        accounts.append(builder)
        for discarded in getattr(statement, "discarded_entries", []):
            message = str(discarded.get("error", "")).split()
            ledger.error(None, "a position could not be read: " + " ".join(message))
        transactions = len(getattr(statement, "transactions", []))
        if transactions:
            ledger.counts[RowClass.IGNORED] += transactions
        for position in statement.positions:
            _add_position(position, tickers, builder, ledger, text)
        cash = getattr(statement, "available_cash", None)
        if cash is not None:
            amount = Decimal(str(cash))
            if not within_limits(amount):
                ledger.fail(_line_of(text, str(cash)), f"AVAILCASH {cash!s:.30} is out of range")
                continue
            ledger.count(RowClass.CASH)
            builder.add_cash(amount)
        elif account_id in plan_cash:
            ledger.count(RowClass.CASH)
            builder.add_cash(plan_cash[account_id])
    if not accounts and not ledger.errors:
        ledger.fail(None, "the OFX file has no investment statement (INVSTMTRS)")
    built = build_accounts(accounts, ledger)
    dated = [(d, m.start()) for m in _DTASOF.finditer(text) if (d := _date(m)) is not None]
    if dated:
        as_of, offset = max(dated)
        line = text.count("\n", 0, offset) + 1
        return ledger.result("ofx", built, as_of, "the statement's DTASOF", line)
    as_of, source = as_of_fallback(path)
    return ledger.result("ofx", built, as_of, source)


def _read_with_ofxparse(path: Path, data: bytes, ledger: RowLedger) -> Any:
    from bs4 import XMLParsedAsHTMLWarning  # ofxparse's own dependency
    from ofxparse import OfxParser

    try:
        with warnings.catch_warnings():
            # ofxparse reads v2 XML with the HTML parser on purpose (lenient); the
            # warning bs4 prints about it is noise for the user.
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            # ofxparse 0.21 calls bs4's deprecated findAll; nothing for users to act on.
            warnings.simplefilter("ignore", DeprecationWarning)
            return OfxParser.parse(io.BytesIO(data), fail_fast=False)
    except Exception as error:  # ofxparse raises bare exceptions of many kinds
        ledger.fail(None, f"cannot read the OFX file: {error}", "download the statement again")
        ledger.raise_if_errors()
        raise


def _add_position(
    position: Any,
    securities: dict[str, Any],
    builder: AccountBuilder,
    ledger: RowLedger,
    text: str,
) -> None:
    cusip = str(position.security or "").strip()
    line = _line_of(text, cusip)
    if not cusip:
        ledger.error(line, "a position has no SECID/UNIQUEID")
        return
    security = securities.get(cusip)
    ticker = (getattr(security, "ticker", None) or "").strip() or None
    name = getattr(security, "name", None)
    shares = _decimal(getattr(position, "units", None))
    price = _decimal(getattr(position, "unit_price", None))
    value = _decimal(getattr(position, "market_value", None))
    if not all(within_limits(n) for n in (shares, price, value) if n is not None):
        ledger.error(
            line,
            f"{ticker or cusip}: a number has too many digits (at most {MAX_INTEGER_DIGITS} "
            f"before the decimal point and {MAX_FRACTION_DIGITS} after) or is not finite",
            "download the statement again",
        )
        return
    built = holding(
        line,
        ledger,
        symbol=ticker or cusip,
        shares=shares,
        price=price,
        value=value,
        name=name,
    )
    if built is None:
        return
    if ticker is not None:
        # Keep the CUSIP as well: it is how the portfolio file learns the alias.
        built = dataclasses.replace(built, cusip=cusip)
    builder.add(built, ledger)


_STATEMENT = re.compile(r"<INVSTMTRS>(.*?)</INVSTMTRS>", re.IGNORECASE | re.DOTALL)
_ACCTID = re.compile(r"<ACCTID>\s*([^<\r\n]+)", re.IGNORECASE)
_PLAN_BALANCE = re.compile(r"<INV401KBAL>(.*?)</INV401KBAL>", re.IGNORECASE | re.DOTALL)
_CASHBAL = re.compile(r"<CASHBAL>\s*([^<\r\n]*)", re.IGNORECASE)


def _inv401k_cash(text: str, ledger: RowLedger) -> dict[str, Decimal]:
    """ACCTID -> the cash a 401(k) statement reports in `INV401KBAL/CASHBAL`.

    Used only for a statement without `INVBAL/AVAILCASH`: the two describe the
    same money, so adding both would count it twice.
    """
    found: dict[str, Decimal] = {}
    for statement in _STATEMENT.finditer(text):
        account = _ACCTID.search(statement.group(1))
        balance = _PLAN_BALANCE.search(statement.group(1))
        if account is None or balance is None:
            continue
        cash = _CASHBAL.search(balance.group(1))
        if cash is None:
            continue
        line = text.count("\n", 0, statement.start(1) + balance.start(1) + cash.start()) + 1
        written = cash.group(1).strip()
        try:
            amount = Decimal(written)
        except ArithmeticError:
            amount = Decimal("NaN")
        if not within_limits(amount):
            ledger.error(
                line,
                f"INV401KBAL CASHBAL: {written[:30]!r} is not a number (or has too many digits)",
            )
            continue
        found[account.group(1).strip()] = amount
    return found


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    # ofxparse builds Decimals from the text itself; str() keeps that exactness.
    return Decimal(str(value))


def _line_of(text: str, needle: str) -> int | None:
    if not needle:
        return None
    found = re.search(r">\s*" + re.escape(needle) + r"\b", text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
