"""Command line entry point: `rebal FILE` opens the app; subcommands serve scripts.

Each subcommand lives in its own module under rebal.commands and is imported
only when used, so `rebal check` never pays for Textual or a solver.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, Protocol

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
    def add_arguments(self, parser: ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


class ArgumentParser(argparse.ArgumentParser):
    """argparse quoting what was typed only after making it terminal-safe, and
    taking values that start with "-" where a command asks (`accept_dash_values`).

    Its messages repeat arguments as given ("unrecognized arguments: ..."), and
    an argument can hold an escape sequence (a file name, pasted text).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._dash_values: re.Pattern[str] | None = None
        self._value_options: set[str] = set()
        self._flag_options: set[str] = set()  # set before argparse adds --help
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        takes_value = self._value_options if action.nargs != 0 else self._flag_options
        takes_value.update(action.option_strings)
        return action

    def accept_dash_values(self, pattern: re.Pattern[str]) -> None:
        """Take arguments matching `pattern` as values although they start with "-".

        argparse reads such an argument as an option (so `--new-money -2500@IRA`
        fails with "expected one argument") unless it is spelled the documented
        ways: `--new-money=-2500@IRA` after an option, after `--` as a positional.
        `spelled_for_argparse` rewrites the command line into those spellings.
        """
        self._dash_values = pattern

    def spelled_for_argparse(self, argv: Sequence[str]) -> list[str]:
        """`argv` with each dash value joined to its option (`--opt=-5`), and the
        positionals after a `--` when one of them is a dash value; the same
        arguments otherwise, in the same order."""
        pattern = self._dash_values
        if pattern is None:
            return list(argv)
        options: list[str] = []
        positionals: list[str] = []
        in_order: list[str] = []  # the arguments as they will be read without a `--`
        tokens = iter(argv)
        for token in tokens:
            if token == "--":
                rest = list(tokens)
                positionals.extend(rest)
                in_order.extend((token, *rest))
            elif self._option_named(token) in self._value_options:
                value = next(tokens, None)
                if value is None:
                    spelled = [token]
                elif pattern.match(value):
                    spelled = [f"{token}={value}"]
                else:
                    # argparse decides whether it is the option's value or another option;
                    # either way it stays right after the option.
                    spelled = [token, value]
                options.extend(spelled)
                in_order.extend(spelled)
            else:
                positional = pattern.match(token) is not None or not token.startswith("-")
                (positionals if positional else options).append(token)
                in_order.append(token)
        if not any(pattern.match(positional) for positional in positionals):
            return in_order
        return [*options, "--", *positionals]

    def _option_named(self, token: str) -> str:
        """The option `token` names: itself, or the long option it abbreviates uniquely."""
        known = self._value_options | self._flag_options
        if token in known or not token.startswith("--") or not self.allow_abbrev:
            return token
        matches = [option for option in known if option.startswith(token)]
        return matches[0] if len(matches) == 1 else token

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        say(f"{self.prog}: error: {message}", file=sys.stderr)
        self.exit(EXIT_INVALID)


def _load(module: str) -> CommandModule:
    loaded: CommandModule = importlib.import_module(module)
    return loaded


def build_parser(argv: Sequence[str]) -> tuple[ArgumentParser, CommandModule]:
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
    args = parser.parse_args(parser.spelled_for_argparse(rest))
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
