"""The `ifbench leaderboard` options; pandas and the report code load only when it runs."""

from __future__ import annotations

import argparse
from typing import Any

from ifbench.leaderboard.columns import BREAKDOWNS, DEFAULT_BOOTSTRAP, MAX_TASKS


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `leaderboard` to the `ifbench` command's subparsers."""
    parser = subparsers.add_parser(
        "leaderboard",
        help="aggregate results into a leaderboard (CSV, Markdown, HTML) with confidence intervals",
        description="Aggregate results.jsonl files (or run directories) into one row per "
        "(model, suite, suite_sha256), best first, with 95%% bootstrap intervals.",
    )
    parser.add_argument("results", nargs="+", metavar="RESULTS",
                        help="results.jsonl files or run directories that contain one")
    parser.add_argument("--out", metavar="CSV", help="publish to this CSV: rows with the same "
                        "(model, suite, suite_sha256) are replaced, other rows are kept")
    parser.add_argument("--no-merge", action="store_true",
                        help="with --out: overwrite the CSV instead of merging into it")
    parser.add_argument("--markdown", nargs="?", const="-", metavar="FILE",
                        help="write a Markdown table to FILE (stdout if no FILE)")
    parser.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")
    parser.add_argument("--html-tasks", type=_positive, default=MAX_TASKS, metavar="N",
                        help=f"tasks in the HTML drill-down (default {MAX_TASKS})")
    parser.add_argument("--by", action="append", choices=list(BREAKDOWNS), default=[],
                        help="also show a breakdown (repeatable); with --out, written to "
                        "CSV.by-KEY.csv beside it ('pattern' is category × pattern)")
    parser.add_argument("--compare", nargs=2, metavar=("MODEL_A", "MODEL_B"),
                        help="paired comparison of two models on the tasks both ran")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.add_argument("--bootstrap", type=_positive, default=DEFAULT_BOOTSTRAP, metavar="N",
                        help=f"bootstrap replicates (default {DEFAULT_BOOTSTRAP})")
    parser.set_defaults(handler=_cmd_leaderboard)
    return parser


def _cmd_leaderboard(args: argparse.Namespace) -> int:
    from ifbench.leaderboard.command import cmd_leaderboard

    return cmd_leaderboard(args)
