"""The `ifbench` command: explicit argparse dispatch; each subcommand lives in its own module.

Only the module of the subcommand asked for is imported (`ifbench score` never imports the
runner's backends, the leaderboard or the generator), and the console script leaves without
the interpreter's teardown once its output is flushed: the OS frees the memory anyway.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

from ifbench import __version__

COMMANDS = {
    "validate": "validate",
    "checkers": "checkers",
    "score": "score",
    "run": "run",
    "leaderboard": "leaderboard",
    "lint": "lint",
    "suite-card": "suitecard",
    "generate": "generate",
    "serve-rewards": "serve_rewards",
}
"""Subcommand -> its module in ifbench/cli/, in the order `ifbench --help` lists them."""


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; for an `argv` that names its subcommand, with only that subcommand's module imported."""
    parser = argparse.ArgumentParser(
        prog="ifbench", description="Instruction-following benchmark with explainable checkers."
    )
    parser.add_argument("--version", action="version", version=f"ifbench {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _modules(argv):
        module.add_parser(commands)
    return parser


def _modules(argv: list[str] | None) -> list[Any]:
    named = next((arg for arg in argv or () if not arg.startswith("-")), None)
    before = (argv or [])[: argv.index(named)] if argv and named in argv else []
    if named in COMMANDS and not {"-h", "--help"} & set(before):
        return [importlib.import_module(f"ifbench.cli.{COMMANDS[named]}")]
    return [importlib.import_module(f"ifbench.cli.{name}") for name in COMMANDS.values()]


def main(argv: list[str] | None = None) -> int:
    from ifbench.errors import IfbenchError, TaskFileError

    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return args.handler(args)
    except TaskFileError as error:
        from ifbench.cli.output import err, literal

        for problem in error.problems:
            err.print(literal(problem))
        err.print(f"{len(error.problems)} problem(s) found; nothing was run.", markup=False)
        return 1
    except IfbenchError as error:
        from ifbench.cli.output import err, literal

        err.print(literal(f"error: {error}"))
        return 1


def console() -> None:
    """The console script: `main`, then exit at once after flushing (no interpreter teardown)."""
    try:
        code = main()
    except SystemExit as stop:  # argparse's --help, --version and usage errors
        if not isinstance(stop.code, (int, type(None))):
            raise
        code = stop.code or 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    console()
