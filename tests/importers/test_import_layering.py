"""The importers are pure parsing: no Textual, and their heavy libraries load only when used."""

from __future__ import annotations

import subprocess
import sys


def modules_after(statement: str) -> set[str]:
    code = f"{statement}; import sys; print('\\n'.join(sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(output.split())


def test_importers_and_the_import_store_never_load_textual() -> None:
    loaded = modules_after(
        "import rebal.importers, rebal.store.apply_import, rebal.store.new_file, "
        "rebal.commands.import_, rebal.commands.init"
    )
    assert "textual" not in loaded
    assert "rebal.tui" not in loaded


def test_ofxparse_and_tomlkit_load_only_when_needed() -> None:
    loaded = modules_after("import rebal.importers, rebal.store.apply_import")
    assert "ofxparse" not in loaded
    assert "bs4" not in loaded
    assert "tomlkit" not in loaded


def test_the_import_change_is_pure_no_store_and_no_toml_editor() -> None:
    loaded = modules_after("import rebal.importers.change")
    assert not {m for m in loaded if m.startswith(("rebal.store", "rebal.tui", "rebal.commands"))}
    assert "tomlkit" not in loaded
