"""The pydantic model that validates theme files, and the strict loader.

Imported after the first screen is painted (pydantic is slow to import); the
start-up path in rebal.themes builds the themes without it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rebal.problems import Problem

if TYPE_CHECKING:
    from textual.theme import Theme

from rebal import themes
from rebal.themes import REQUIRED_VARIABLES


def _check_colour(value: str) -> str:
    from textual.color import Color, ColorParseError

    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{value!r} is not a colour (write #rrggbb)") from None
    return value


class ThemeFile(BaseModel):
    """One theme file: the keys of textual.theme.Theme plus app colour variables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    dark: bool = True
    primary: str
    secondary: str
    accent: str
    warning: str
    error: str
    success: str
    foreground: str
    background: str
    surface: str
    panel: str
    variables: dict[str, str] = Field(default_factory=dict)

    @field_validator(
        "primary", "secondary", "accent", "warning", "error", "success",
        "foreground", "background", "surface", "panel",
    )
    @classmethod
    def _colour(cls, value: str) -> str:
        return _check_colour(value)

    @field_validator("variables")
    @classmethod
    def _app_colours(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [name for name in REQUIRED_VARIABLES if name not in value]
        if missing:
            raise ValueError(f"[variables] needs {', '.join(missing)}")
        for colour in value.values():
            _check_colour(colour)
        return value

    def to_theme(self) -> Theme:
        from textual.theme import Theme

        return Theme(**self.model_dump())


def read_theme_file(path: Path) -> ThemeFile | Problem:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Problem(path, f"cannot read the theme: {error}")
    try:
        return ThemeFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        key = ".".join(str(part) for part in first["loc"])
        return Problem(path, str(first["msg"]).removeprefix("Value error, "), path=key)


def load_theme_files(directory: Path | None = None) -> tuple[list[ThemeFile], list[Problem]]:
    folder = directory or themes.themes_dir()
    files: list[ThemeFile] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.toml")):
        result = read_theme_file(path)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            files.append(result)
    return files, problems
