"""`ifbench suite-card TASKS... [--write FILE]`: print or refresh the suites' coverage tables,
and report the registered native checkers the suites leave (almost) unused."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ifbench.checking.registry import all_checkers
from ifbench.cli.output import visible
from ifbench.tasks.load import load_tasks
from ifbench.tasks.suitecard import MIN_TASKS, card, coverage, write_card


def cmd_suite_card(args: argparse.Namespace) -> int:
    """Print the suite card, or refresh it inside `--write FILE`."""
    tasks = load_tasks(args.tasks)
    text = card(tasks)
    if args.write is None:
        sys.stdout.write(visible(text))
    else:
        changed = write_card(Path(args.write), text)
        print(visible(f"{'Updated' if changed else 'Already up to date:'} {args.write}"))
    notes = coverage(tasks, all_checkers())
    if notes:
        print(f"Native checkers these suites use in fewer than {MIN_TASKS} tasks of a language:", file=sys.stderr)
        for note in notes:
            print(visible(f"  {note}"), file=sys.stderr)
    return 0


def add_parser(subparsers: Any) -> None:
    """Add `ifbench suite-card TASKS... [--write FILE]` to the CLI's subcommands."""
    parser = subparsers.add_parser("suite-card", help="print (or write into a README) the suites' coverage tables")
    parser.add_argument("tasks", nargs="+", metavar="TASKS")
    parser.add_argument("--write", metavar="FILE",
                        help="replace the tables between the suite-card markers in FILE (e.g. tasks/README.md)")
    parser.set_defaults(handler=cmd_suite_card)
