"""Command line entry point: `rebal FILE` opens the app; subcommands serve scripts.

Each subcommand lives in its own module under rebal.commands and is imported
only when used, so `rebal check` never pays for Textual or a solver.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn, Protocol

from rebal import __version__
from rebal.present.terminal import say

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "rebal.commands.check",
        "show allocation and bands; exit 1 if any class is out of band",
    ),
    "plan": ("rebal.commands.plan", "plan the trades that rebalance the household"),
    "mark": ("rebal.commands.mark", "set one saved trade's status: planned, placed or done"),
    "flow": (
        "rebal.commands.flow",
        "record money added to or withdrawn from an account, for the money-weighted return",
    ),
    "import": ("rebal.commands.import_", "update holdings from broker CSV/OFX exports"),
    "init": ("rebal.commands.init", "write a new portfolio file from broker exports"),
}
APP_COMMAND = "rebal.commands.app"

EXIT_OK = 0
EXIT_OUT_OF_BAND = 1
EXIT_INVALID = 2


class CommandModule(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


class ArgumentParser(argparse.ArgumentParser):
    """argparse quoting what was typed only after making it terminal-safe.

    Its messages repeat arguments as given ("unrecognized arguments: ..."), and
    an argument can hold an escape sequence (a file name, pasted text).
    """

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        say(f"{self.prog}: error: {message}", file=sys.stderr)
        self.exit(EXIT_INVALID)


def _load(module: str) -> CommandModule:
    loaded: CommandModule = importlib.import_module(module)
    return loaded


def build_parser(argv: Sequence[str]) -> tuple[argparse.ArgumentParser, CommandModule]:
    if argv and argv[0] in COMMANDS:
        module_name, help_text = COMMANDS[argv[0]]
        parser = ArgumentParser(prog=f"rebal {argv[0]}", description=help_text)
        module = _load(module_name)
        module.add_arguments(parser)
        return parser, module
    parser = ArgumentParser(
        prog="rebal",
        description="Rebalance one portfolio held across several accounts.",
        epilog="commands: "
        + "; ".join(f"rebal {name}: {help_text}" for name, (_, help_text) in COMMANDS.items())
        + ". Run `rebal COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"rebal {__version__}")
    module = _load(APP_COMMAND)
    module.add_arguments(parser)
    return parser, module


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser, module = build_parser(args_list)
    rest = args_list[1:] if args_list and args_list[0] in COMMANDS else args_list
    args = parser.parse_args(rest)
    try:
        return module.run(args)
    except KeyboardInterrupt:
        say("rebal: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:
        # Last resort for a file-system failure a command did not foresee
        # (disk full, a folder gone): a message, never a traceback.
        where = f"{error.filename}: " if error.filename else ""
        say(f"rebal: {where}error: {error.strerror or error}", file=sys.stderr)
        return EXIT_INVALID


def entry() -> None:
    sys.exit(main())
