"""Themes as data: `themes/*.toml`, one theme per file, turned into Textual themes.

The files live outside the package in a checkout and inside it (rebal/_themes)
in an installed wheel. Start-up reads them with tomllib only, so the first
screen is painted before pydantic is imported; the pydantic model in
rebal.theme_model then validates every file, and a bad one is reported (file
and key) while the app falls back to the default theme.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.theme import Theme

DEFAULT_THEME = "dark"
REQUIRED_VARIABLES = ("drift-over", "drift-under", "in-band")
COLOUR_KEYS = (
    "primary", "secondary", "accent", "warning", "error", "success",
    "foreground", "background", "surface", "panel",
)


def themes_dir() -> Path:
    """themes/ in a checkout, or the copy packed into an installed wheel."""
    installed = Path(__file__).parent / "_themes"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "themes"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def quick_themes(directory: Path | None = None) -> list[Theme]:
    """The themes that can be built as they are, without validation (for start-up).

    A file that cannot be built is left out here; theme_model.load_theme_files
    says what is wrong with it.
    """
    from textual.color import Color, ColorParseError
    from textual.theme import Theme

    themes = []
    for path in sorted((directory or themes_dir()).glob("*.toml")):
        raw = _read(path)
        if raw is None or not isinstance(raw.get("name"), str):
            continue
        variables = raw.get("variables", {})
        try:
            for key in COLOUR_KEYS:
                Color.parse(raw[key])
            for name in REQUIRED_VARIABLES:
                Color.parse(variables[name])
            fields = {key: raw[key] for key in COLOUR_KEYS}
            themes.append(
                Theme(name=raw["name"], dark=bool(raw.get("dark", True)), variables=variables,
                      **fields)
            )
        except (KeyError, TypeError, ColorParseError):
            continue
    return themes


def theme_names(directory: Path | None = None) -> list[str]:
    """Names of the theme files, the default first ("dark, high-contrast, light")."""
    names = []
    for path in (directory or themes_dir()).glob("*.toml"):
        raw = _read(path)
        if raw is not None and isinstance(raw.get("name"), str):
            names.append(raw["name"])
    return sorted(names, key=lambda n: (n != DEFAULT_THEME, n))
