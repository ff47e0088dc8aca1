"""Themes as data: `themes/*.toml`, one theme per file, turned into Textual themes.

The files live outside the package in a checkout and inside it (rebal/_themes)
in an installed wheel. One loader reads and validates them (tomllib and
Textual's colour parser, no pydantic: the themes are registered before the
first screen is painted, and importing pydantic there would delay it); a bad
file is left out and reported (file and key) while the app falls back to the
default theme.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rebal.problems import Problem

if TYPE_CHECKING:
    from textual.theme import Theme

DEFAULT_THEME = "dark"
REQUIRED_VARIABLES = ("drift-over", "drift-under", "in-band")
COLOUR_KEYS = (
    "primary", "secondary", "accent", "warning", "error", "success",
    "foreground", "background", "surface", "panel",
)
_KEYS = ("name", "dark", *COLOUR_KEYS, "variables")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def themes_dir() -> Path:
    """themes/ in a checkout, or the copy packed into an installed wheel."""
    installed = Path(__file__).parent / "_themes"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "themes"


def _read(path: Path) -> dict[str, Any] | Problem:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Problem(path, f"cannot read the theme: {error}")


def read_theme(path: Path) -> Theme | Problem:
    """One theme file as a Textual theme, or its first problem (file, key, what to write)."""
    from textual.color import Color, ColorParseError
    from textual.theme import Theme

    raw = _read(path)
    if isinstance(raw, Problem):
        return raw

    def problem(key: str, message: str) -> Problem:
        return Problem(path, message, path=key)

    def colour_problem(key: str, value: object) -> Problem | None:
        if not isinstance(value, str):
            return problem(key, f"{value!r} is not a colour (write a string such as \"#5fafff\")")
        try:
            Color.parse(value)
        except ColorParseError:
            return problem(key, f"{value!r} is not a colour (write #rrggbb)")
        return None

    for key in raw:
        if key not in _KEYS:
            return problem(key, f"unknown key (a theme has {', '.join(_KEYS)})")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        return problem("name", "write the theme's name in lower case letters, digits and '-', "
                       'e.g. name = "dark"')
    dark = raw.get("dark", True)
    if not isinstance(dark, bool):
        return problem("dark", f"{dark!r} is not true or false")
    for key in COLOUR_KEYS:
        if key not in raw:
            return problem(key, "missing: every theme sets " + ", ".join(COLOUR_KEYS))
        if (found := colour_problem(key, raw[key])) is not None:
            return found
    variables = raw.get("variables", {})
    if not isinstance(variables, dict):
        return problem("variables", "write the app colours as a [variables] table")
    missing = [name for name in REQUIRED_VARIABLES if name not in variables]
    if missing:
        return problem("variables", f"[variables] needs {', '.join(missing)}")
    for key, value in variables.items():
        if (found := colour_problem(f"variables.{key}", value)) is not None:
            return found
    colours = {key: raw[key] for key in COLOUR_KEYS}
    return Theme(name=name, dark=dark, variables=dict(variables), **colours)


def load_themes(directory: Path | None = None) -> tuple[list[Theme], list[Problem]]:
    """Every theme file of `directory` (default: themes_dir()), valid ones built, in name order."""
    themes: list[Theme] = []
    problems: list[Problem] = []
    for path in sorted((directory or themes_dir()).glob("*.toml")):
        result = read_theme(path)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            themes.append(result)
    return themes, problems


def theme_names(directory: Path | None = None) -> list[str]:
    """Names the theme files give, the default first ("dark, high-contrast, light").

    A file with a problem keeps its name here, so that choosing it reports the
    problem (and falls back to the default) instead of calling the name unknown.
    """
    names = []
    for path in (directory or themes_dir()).glob("*.toml"):
        raw = _read(path)
        if not isinstance(raw, Problem) and isinstance(raw.get("name"), str):
            names.append(raw["name"])
    return sorted(names, key=lambda n: (n != DEFAULT_THEME, n))
