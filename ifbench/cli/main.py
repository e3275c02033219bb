"""The `ifbench` command: explicit argparse dispatch; each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import sys

from ifbench import __version__
from ifbench.cli import (
    checkers, generate, leaderboard, lint, run, score, serve_rewards, suitecard, validate,
)
from ifbench.cli.output import err, literal
from ifbench.errors import IfbenchError, TaskFileError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ifbench", description="Instruction-following benchmark with explainable checkers."
    )
    parser.add_argument("--version", action="version", version=f"ifbench {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in (validate, checkers, score, run, leaderboard, lint, suitecard, generate,
                    serve_rewards):
        command.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except TaskFileError as error:
        for problem in error.problems:
            err.print(literal(problem))
        err.print(f"{len(error.problems)} problem(s) found; nothing was run.", markup=False)
        return 1
    except IfbenchError as error:
        err.print(literal(f"error: {error}"))
        return 1


if __name__ == "__main__":
    sys.exit(main())
