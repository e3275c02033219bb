"""`ifbench validate TASKS...`: load and check task files, print every problem."""

from __future__ import annotations

import argparse
from typing import Any

from ifbench.cli.output import literal, out
from ifbench.tasks.load import load_tasks


def add_parser(commands: Any) -> None:
    validate = commands.add_parser("validate", help="check task files and print every problem")
    validate.add_argument("tasks", nargs="+", metavar="TASKS")
    validate.set_defaults(handler=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    tasks = load_tasks(args.tasks)
    suites = sorted({task.suite for task in tasks})
    n_constraints = sum(len(task.all_constraints()) for task in tasks)
    out.print(literal(
        f"OK: {len(tasks)} tasks, {n_constraints} constraints, "
        f"{len(suites)} suite(s): {', '.join(suites)}"
    ))
    return 0
