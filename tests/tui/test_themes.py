"""Theme files: valid, distinct after the 256-colour downgrade, readable, and selectable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from textual.theme import Theme

from rebal.cli import main
from rebal.problems import Problem
from rebal.themes import (
    DEFAULT_THEME,
    REQUIRED_VARIABLES,
    load_themes,
    read_theme,
    theme_names,
    themes_dir,
)
from rebal.tui.app import RebalApp
from tui.helpers import FIXTURES, wait_until

THEMES, PROBLEMS = load_themes()


def eight_bit(colour: str) -> tuple[int, int, int]:
    """What a 256-colour terminal (e.g. over SSH, no COLORTERM) actually shows."""
    triplet = Color.parse(colour).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_three_themes_load_without_problems() -> None:
    assert PROBLEMS == []
    assert theme_names() == ["dark", "high-contrast", "light"]
    assert DEFAULT_THEME == "dark"


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_key_colours_stay_distinct_at_256_colours(theme: Theme) -> None:
    layers = [eight_bit(c) for c in (theme.background, theme.surface, theme.panel)]
    assert len(set(layers)) == 3, "background, surface and panel collapse into one colour"
    statuses = [eight_bit(theme.variables[name]) for name in REQUIRED_VARIABLES]
    assert len(set(statuses)) == 3, "drift-over, drift-under and in-band look alike"
    for colour in (theme.primary, *(theme.variables[n] for n in REQUIRED_VARIABLES)):
        assert eight_bit(colour) != eight_bit(theme.background)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_text_contrast_is_high_after_the_downgrade(theme: Theme) -> None:
    text = eight_bit(theme.foreground)
    minimum = 12.0 if theme.name == "high-contrast" else 7.0
    assert contrast(text, eight_bit(theme.background)) >= minimum
    assert contrast(text, eight_bit(theme.surface)) >= 4.5
    assert contrast(text, eight_bit(theme.panel)) >= 4.5
    for name in REQUIRED_VARIABLES:  # status colours read on the background
        assert contrast(eight_bit(theme.variables[name]), eight_bit(theme.background)) >= 3.0


def test_the_dark_theme_is_built_with_its_file_s_colours() -> None:
    dark = next(theme for theme in THEMES if theme.name == "dark")
    assert (dark.dark, dark.primary, dark.background, dark.panel) == (
        True, "#5fafff", "#121212", "#3a3a3a",
    )
    assert dark.variables == {
        "drift-over": "#ff875f", "drift-under": "#5fafff", "in-band": "#5fd75f",
    }


def test_loading_the_themes_does_not_import_pydantic() -> None:
    """The themes are registered before the first paint, which pydantic's import would delay."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, rebal.themes as t; themes, problems = t.load_themes(); "
         "print(len(themes), len(problems), 'pydantic' in sys.modules)"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    assert done.stdout.split() == ["3", "0", "False"]


def test_a_bad_file_is_left_out_and_reported(tmp_path: Path) -> None:
    shutil.copy(themes_dir() / "dark.toml", tmp_path / "dark.toml")
    (tmp_path / "odd.toml").write_text('name = "odd"\nprimary = "not a colour"\n')
    themes, problems = load_themes(tmp_path)
    assert [t.name for t in themes] == ["dark"]
    assert [(p.file.name, p.path) for p in problems] == [("odd.toml", "primary")]


def dark_with(tmp_path: Path, old: str, new: str) -> Path:
    bad = tmp_path / "bad.toml"
    text = (themes_dir() / "dark.toml").read_text().replace('name = "dark"', 'name = "bad"')
    assert old in text
    bad.write_text(text.replace(old, new, 1))
    return bad


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ('"#5fafff"', '"bluish"', "primary", "'bluish' is not a colour (write #rrggbb)"),
        ('panel = "#3a3a3a"\n', "", "panel", "missing: every theme sets primary"),
        ('name = "bad"', 'name = "Bad Theme"', "name", "lower case letters, digits and '-'"),
        ("dark = true", 'dark = "yes"', "dark", "'yes' is not true or false"),
        ("dark = true", "dark = true\nglow = 1", "glow", "unknown key (a theme has name, dark"),
        ('in-band = "#5fd75f"\n', "", "variables", "[variables] needs in-band"),
        ('in-band = "#5fd75f"', 'in-band = "green-ish"', "variables.in-band",
         "'green-ish' is not a colour"),
        ('surface = "#262626"', "surface = 38", "surface", "38 is not a colour"),
    ],
)
def test_a_bad_theme_file_names_the_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    bad = dark_with(tmp_path, old, new)
    problem = read_theme(bad)
    assert isinstance(problem, Problem)
    assert (problem.file, problem.path) == (bad, key)
    assert message in problem.message


def test_variables_that_are_not_a_table_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    top = (themes_dir() / "dark.toml").read_text().partition("[variables]")[0]
    bad.write_text(top.replace("dark = true", "dark = true\nvariables = 1"))
    problem = read_theme(bad)
    assert isinstance(problem, Problem)
    assert (problem.path, problem.message) == (
        "variables", "write the app colours as a [variables] table",
    )


def test_an_unreadable_theme_file_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n")
    problem = read_theme(bad)
    assert isinstance(problem, Problem)
    assert problem.message.startswith("cannot read the theme:")


async def test_a_bad_theme_is_reported_and_the_default_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "themes"
    shutil.copytree(themes_dir(), folder)
    (folder / "broken.toml").write_text('name = "broken"\nprimary = "#000000"\n')
    monkeypatch.setattr("rebal.themes.themes_dir", lambda: folder)
    app = RebalApp(FIXTURES / "household.toml", theme="broken")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(app._notifications) > 0, what="notification")
        messages = [n.message for n in app._notifications]
        assert any("broken.toml" in m for m in messages)
        assert app.theme == "dark"


@pytest.mark.parametrize("name", ["dark", "light", "high-contrast"])
async def test_each_theme_can_be_chosen(name: str) -> None:
    app = RebalApp(FIXTURES / "household.toml", theme=name)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        assert app.theme == name
        assert app.current_theme.variables["drift-over"]


async def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = RebalApp(FIXTURES / "household.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        assert app.no_color


def test_unknown_theme_exits_2_listing_the_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([str(FIXTURES / "household.toml"), "--theme", "neon"]) == 2
    err = capsys.readouterr().err
    assert "unknown theme 'neon'" in err
    assert "dark, high-contrast, light" in err


def test_no_file_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: rebal FILE" in capsys.readouterr().err


def test_the_wheel_packs_the_themes() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["themes"] == "rebal/_themes"  # where themes_dir() looks when installed




def test_an_installed_copy_finds_its_themes(tmp_path: Path) -> None:
    """The wheel layout: rebal/_themes beside the package (pyproject force-include)."""
    import subprocess
    import sys

    import rebal

    package = tmp_path / "rebal"
    shutil.copytree(Path(rebal.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(themes_dir(), package / "_themes")
    done = subprocess.run(
        [sys.executable, "-c",
         "import rebal.themes as t; print(t.themes_dir()); print(*t.theme_names())"],
        capture_output=True, text=True, check=True, timeout=60,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""}, cwd=tmp_path,
    )
    folder, names = done.stdout.splitlines()
    assert Path(folder) == package / "_themes"
    assert names.split() == ["dark", "high-contrast", "light"]


def test_a_missing_file_exits_2_before_the_screen_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "nowhere.toml")]) == 2
    assert f"rebal: {tmp_path / 'nowhere.toml'}: no such file" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 2
    assert "is a folder, not a portfolio file" in capsys.readouterr().err
