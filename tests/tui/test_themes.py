"""Theme files: valid, distinct after the 256-colour downgrade, readable, and selectable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem

from rebal.cli import main
from rebal.problems import Problem
from rebal.theme_model import ThemeFile, load_theme_files, read_theme_file
from rebal.themes import DEFAULT_THEME, REQUIRED_VARIABLES, quick_themes, theme_names, themes_dir
from rebal.tui.app import RebalApp
from tui.helpers import FIXTURES, wait_until

THEMES, PROBLEMS = load_theme_files()


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
def test_key_colours_stay_distinct_at_256_colours(theme: ThemeFile) -> None:
    layers = [eight_bit(c) for c in (theme.background, theme.surface, theme.panel)]
    assert len(set(layers)) == 3, "background, surface and panel collapse into one colour"
    statuses = [eight_bit(theme.variables[name]) for name in REQUIRED_VARIABLES]
    assert len(set(statuses)) == 3, "drift-over, drift-under and in-band look alike"
    for colour in (theme.primary, *(theme.variables[n] for n in REQUIRED_VARIABLES)):
        assert eight_bit(colour) != eight_bit(theme.background)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_text_contrast_is_high_after_the_downgrade(theme: ThemeFile) -> None:
    text = eight_bit(theme.foreground)
    minimum = 12.0 if theme.name == "high-contrast" else 7.0
    assert contrast(text, eight_bit(theme.background)) >= minimum
    assert contrast(text, eight_bit(theme.surface)) >= 4.5
    assert contrast(text, eight_bit(theme.panel)) >= 4.5
    for name in REQUIRED_VARIABLES:  # status colours read on the background
        assert contrast(eight_bit(theme.variables[name]), eight_bit(theme.background)) >= 3.0


def test_start_up_builds_the_same_themes_without_pydantic() -> None:
    quick = {theme.name: theme for theme in quick_themes()}
    assert quick == {f.name: f.to_theme() for f in THEMES}


def test_start_up_leaves_out_a_file_it_cannot_build(tmp_path: Path) -> None:
    shutil.copy(themes_dir() / "dark.toml", tmp_path / "dark.toml")
    (tmp_path / "odd.toml").write_text('name = "odd"\nprimary = "not a colour"\n')
    assert [t.name for t in quick_themes(tmp_path)] == ["dark"]
    files, problems = load_theme_files(tmp_path)
    assert [f.name for f in files] == ["dark"]
    assert [p.file.name for p in problems] == ["odd.toml"]


def test_a_bad_theme_file_names_the_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = (themes_dir() / "dark.toml").read_text().replace('"#5fafff"', '"bluish"', 1)
    bad.write_text(text.replace('name = "dark"', 'name = "bad"'))
    problem = read_theme_file(bad)
    assert isinstance(problem, Problem)
    assert problem.file == bad
    assert problem.path == "primary"
    assert "'bluish' is not a colour" in problem.message


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
