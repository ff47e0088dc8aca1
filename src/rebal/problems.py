"""Problems found in a file: where (file, line, column, dotted key), what, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: Path
    message: str
    path: str = ""  # dotted key, e.g. accounts[2].holdings.VTI
    line: int | None = None
    column: int | None = None
    hint: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class ProblemsError(Exception):
    """A refusal that carries every problem found, not just the first, one a line as text."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class PortfolioError(ProblemsError):
    """Raised when a file cannot be used; carries every problem found, not just the first."""


def unreadable(path: Path, error: OSError) -> Problem:
    """The one wording, for a portfolio file and an export alike, of a file that cannot be read."""
    return Problem(path, f"cannot read the file: {error.strerror or error}")
