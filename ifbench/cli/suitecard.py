"""`ifbench suite-card TASKS... [--write FILE]`: print or refresh the suites' coverage tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ifbench.tasks.load import load_tasks
from ifbench.tasks.suitecard import card, write_card


def cmd_suite_card(args: argparse.Namespace) -> int:
    """Print the suite card, or refresh it inside `--write FILE`."""
    text = card(load_tasks(args.tasks))
    if args.write is None:
        sys.stdout.write(text)
        return 0
    changed = write_card(Path(args.write), text)
    print(f"{'Updated' if changed else 'Already up to date:'} {args.write}")
    return 0


def add_parser(subparsers: Any) -> None:
    """Add `ifbench suite-card TASKS... [--write FILE]` to the CLI's subcommands."""
    parser = subparsers.add_parser("suite-card", help="print (or write into a README) the suites' coverage tables")
    parser.add_argument("tasks", nargs="+", metavar="TASKS")
    parser.add_argument("--write", metavar="FILE",
                        help="replace the tables between the suite-card markers in FILE (e.g. tasks/README.md)")
    parser.set_defaults(handler=cmd_suite_card)
