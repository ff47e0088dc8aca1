"""One way for a command to write the portfolio and say why it could not."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rebal.present.terminal import say
from rebal.store.atomic import SaveRefused

T = TypeVar("T")


def write_or_explain(command: str, path: Path, write: Callable[[], T]) -> T | None:
    """`write()`'s result, or None after telling the user (stderr) why nothing was written."""
    try:
        return write()
    except SaveRefused as error:
        say(f"rebal {command}: {error}", file=sys.stderr)
    except OSError as error:
        reason = error.strerror or error
        say(f"{path}: cannot save: {reason}; the file is unchanged", file=sys.stderr)
    return None
