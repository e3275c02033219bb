"""`ifbench lint TASKS...`: print every lint problem, exit 1 if there is any."""

from __future__ import annotations

import argparse
from typing import Any

from ifbench.cli.output import err, literal, out
from ifbench.tasks.lint import RULES, lint_paths


def cmd_lint(args: argparse.Namespace) -> int:
    """Print every lint problem; exit 1 if there is any."""
    n_tasks, problems = lint_paths(args.tasks)
    for line in problems:
        out.print(literal(line))
    if problems:
        err.print(f"{len(problems)} lint problem(s) in {n_tasks} tasks.")
        return 1
    out.print(f"OK: {n_tasks} tasks lint clean.")
    return 0


def add_parser(subparsers: Any) -> None:
    """Add `ifbench lint TASKS...` to the CLI's subcommands."""
    parser = subparsers.add_parser(
        "lint", help="flag contradictory constraints, duplicate prompts and unrequested checks",
        description="Rules: " + "; ".join(f"{name}: {text}" for name, text in RULES.items())
        + ". Silence a rule for one task with the tag lint-ignore:<rule>.",
    )
    parser.add_argument("tasks", nargs="+", metavar="TASKS")
    parser.set_defaults(handler=cmd_lint)
