"""The compiled TOML parser (tomli) reads every file as tomllib does; text it cannot read
gets tomllib's own problem, at its line."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.store import syntax

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_portfolios").glob("*.toml"))


def test_the_compiled_parser_is_installed() -> None:
    # A missing dependency would still read files, only at tomllib's speed.
    assert syntax._compiled_loads is not tomllib.loads


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_each_sample_reads_to_the_same_data_as_tomllib(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data, problems = syntax.read_toml(path, text)

    assert problems == []
    assert data == tomllib.loads(text, parse_float=Decimal)
    assert repr(data) == repr(tomllib.loads(text, parse_float=Decimal))  # Decimals as written


@pytest.mark.parametrize(
    "text",
    [
        'name = "x"\nprice = 1,234.50\n',
        'a = {\n b = 1,\n}\n',  # TOML 1.1 only: tomllib refuses it, so rebal does
        'a = "\\e"\n',
        "a = 2026-01-01T10:00\n",
    ],
)
def test_text_tomllib_refuses_is_a_problem_in_tomllib_s_words(text: str) -> None:
    data, problems = syntax.read_toml(Path("bad.toml"), text)

    assert data is None
    with pytest.raises(tomllib.TOMLDecodeError) as error:
        tomllib.loads(text)
    message = str(error.value).split(" (at ")[0]
    assert len(problems) == 1
    assert message in problems[0].message


def test_a_long_file_read_in_a_thread_is_parsed_by_tomllib_to_the_same_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The compiled parser holds the interpreter until it is done: in a thread (the app's
    reader, beside its event loop) a long file goes to tomllib, which lets others run."""
    import threading

    rows = "".join(f'[securities.F{n}]\nprice = {n}.25\nname = "Fund {n}"\n'
                   for n in range(8_000))
    text = f'[portfolio]\nname = "big"\n{rows}'
    assert len(text) > syntax.SHARED_PARSE_ABOVE
    on_main, _ = syntax.read_toml(Path("big.toml"), text)
    compiled_calls: list[str] = []

    def compiled(text: str, **options: object) -> dict[str, object]:
        compiled_calls.append(threading.current_thread().name)
        return tomllib.loads(text, parse_float=Decimal)

    monkeypatch.setattr(syntax, "_compiled_loads", compiled)
    in_thread: list[object] = []
    reader = threading.Thread(
        target=lambda: in_thread.append(syntax.read_toml(Path("big.toml"), text)[0]),
        name="reader")
    reader.start()
    reader.join()
    assert in_thread == [on_main]
    assert compiled_calls == []
    syntax.read_toml(Path("big.toml"), text)  # the main thread keeps the compiled parser
    assert compiled_calls == ["MainThread"]
