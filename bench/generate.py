"""Generate a large, realistic household portfolio file for the benchmark (deterministic).

    .venv/bin/python bench/generate.py ACCOUNTS POSITIONS OUT.toml [--seed N]

Securities: index funds in eight classes plus a few target-date (split) funds,
so the planner takes its general LP path, as a real household with a
target-date fund does. About a third of the accounts are 401(k)s with a fund
menu, a quarter are taxable (avoid selling). Holdings are whole and
fractional shares; every account holds POSITIONS / ACCOUNTS distinct funds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import tomli_w

CLASSES = {
    "US Large": 30,
    "US Mid": 10,
    "US Small": 7,
    "International": 15,
    "Emerging": 5,
    "Bonds": 20,
    "TIPS": 8,
    "Cash": 5,
}
EQUITY_CLASSES = ["US Large", "US Mid", "US Small", "International", "Emerging"]
FUNDS_PER_CLASS = 7
SPLIT_FUNDS = {
    "TDF2030": {"US Large": 30, "International": 20, "Bonds": 50},
    "TDF2040": {"US Large": 45, "International": 30, "Bonds": 25},
    "TDF2050": {"US Large": 55, "International": 35, "Bonds": 10},
    "BAL6040": {"US Large": 60, "Bonds": 40},
}


def household(accounts: int, positions: int, seed: int = 2026) -> dict[str, object]:
    rng = random.Random(seed)
    securities: dict[str, dict[str, object]] = {}
    for class_index, name in enumerate(CLASSES):
        for n in range(FUNDS_PER_CLASS):
            ticker = f"F{class_index}{n:02d}"
            price = 1.0 if name == "Cash" else round(rng.uniform(8, 450), 2)
            securities[ticker] = {"name": f"{name} fund {n}", "price": price, "class": name}
    for ticker, weights in SPLIT_FUNDS.items():
        securities[ticker] = {
            "name": f"{ticker} fund",
            "price": round(rng.uniform(15, 60), 2),
            "classes": weights,
        }
    tickers = sorted(securities)
    per_account = max(1, positions // accounts)
    if per_account > len(tickers):
        raise SystemExit(f"at most {len(tickers)} positions per account")
    # Skew the holdings toward US Large so the plan has real work to do.
    weight = {t: (3.0 if securities[t].get("class") == "US Large" else 1.0) for t in tickers}
    account_tables: list[dict[str, object]] = []
    for index in range(accounts):
        kind = ("traditional", "roth", "taxable", "traditional")[index % 4]
        held = rng.sample(tickers, k=per_account)
        holdings = {}
        for ticker in sorted(held):
            shares = rng.uniform(1, 400) * weight[ticker]
            holdings[ticker] = round(shares, 3) if rng.random() < 0.3 else float(int(shares) + 1)
        table: dict[str, object] = {
            "name": f"Account {index:04d}",
            "kind": kind,
            "cash": round(rng.uniform(0, 2500), 2),
            "holdings": holdings,
        }
        if index % 3 == 0:
            menu = sorted(set(held) | set(rng.sample(tickers, k=min(12, len(tickers)))))
            table["menu"] = menu
        account_tables.append(table)
    return {
        "portfolio": {
            "name": f"Benchmark household ({accounts} accounts, {accounts * per_account} funds)",
            "as_of": dt.date(2026, 11, 20),
            "equity_classes": EQUITY_CLASSES,
        },
        "targets": CLASSES,
        "bands": {"kind": "relative", "width": 5},
        "securities": securities,
        "accounts": account_tables,
    }


def write(path: Path, accounts: int, positions: int, seed: int = 2026) -> Path:
    path.write_text(tomli_w.dumps(household(accounts, positions, seed)), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("accounts", type=int)
    parser.add_argument("positions", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    write(args.out, args.accounts, args.positions, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()
