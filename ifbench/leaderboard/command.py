"""`ifbench leaderboard RESULTS...`: aggregate, compare, publish (CSV), Markdown and HTML.

Its options are defined in parser.py, which stays light so `ifbench` starts fast."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from ifbench.cli.output import err, literal, out, visible
from ifbench.errors import LeaderboardError, did_you_mean
from ifbench.leaderboard.aggregate import breakdown, leaderboard
from ifbench.leaderboard.columns import BREAKDOWNS
from ifbench.leaderboard.curves import markdown_curves
from ifbench.leaderboard.html import render, write_html
from ifbench.leaderboard.load import load_results
from ifbench.leaderboard.markdown import markdown_table, percent
from ifbench.leaderboard.publish import publish, read_csv, write_csv, write_plain_csv
from ifbench.leaderboard.stats import Comparison, paired_comparison

def cmd_leaderboard(args: argparse.Namespace) -> int:
    results = load_results(args.results)
    comparisons = _compare(results, args) if args.compare else []
    table = leaderboard(results, seed=args.seed, n_boot=args.bootstrap)
    for warning in results.warnings:
        err.print(literal(f"warning: {warning}"))
    shown = table
    if args.out:
        path = Path(args.out)
        if args.no_merge or not path.exists():
            write_csv(table, path)
            out.print(literal(f"Wrote {len(table)} row(s) to {path}"))
        else:
            report = publish(table, path)
            out.print(literal(f"Updated {path}: {report.added} added, {report.replaced} replaced, "
                              f"{report.kept} kept"))
        shown = read_csv(path)
    if args.markdown == "-":
        sys.stdout.write(visible(markdown_table(shown, seed=args.seed, n_boot=args.bootstrap)
                                 + "\n" + markdown_curves(results)))
    else:
        print_table(shown)
        if args.markdown:
            Path(args.markdown).write_text(
                markdown_table(shown, seed=args.seed, n_boot=args.bootstrap) + "\n" + markdown_curves(results),
                encoding="utf-8"
            )
            out.print(literal(f"Wrote {args.markdown}"))
    for key in dict.fromkeys(args.by):
        table_by = breakdown(results, key)
        print_breakdown(table_by, key)
        if args.out:
            target = Path(args.out).with_name(f"{Path(args.out).stem}.by-{key}.csv")
            write_plain_csv(table_by, target)
            out.print(literal(f"Wrote {target}"))
    if args.compare:
        print_comparisons(comparisons, *args.compare)
    if args.html:
        write_html(Path(args.html), render(table, results, seed=args.seed, n_boot=args.bootstrap,
                                           max_tasks=args.html_tasks))
        out.print(literal(f"Wrote {args.html}"))
    return 0


def _compare(results: Any, args: argparse.Namespace) -> list[Comparison]:
    models = sorted(map(str, results.samples["model"].cat.categories))
    for name in args.compare:
        if name not in models:
            raise LeaderboardError(
                f"--compare: no results for model '{name}'{did_you_mean(name, models)}; "
                f"models present: {', '.join(models)}"
            )
    found = paired_comparison(results.samples, *args.compare, seed=args.seed, n_boot=args.bootstrap)
    if not found:
        raise LeaderboardError(
            f"--compare: '{args.compare[0]}' and '{args.compare[1]}' share no suite "
            "(same name and suite_sha256) with common tasks"
        )
    return found


def print_table(table: pd.DataFrame) -> None:
    view = Table("rank", "model", "suite", "tasks", "prompt strict (95% CI)", "prompt loose",
                 "inst strict", "inst loose", "errors", "cut at cap", box=None)
    for row in table.to_dict("records"):
        view.add_row(*map(literal, (
            row.get("rank", ""), row["model"], row["suite"], row.get("n_tasks", ""),
            f"{percent(row['prompt_strict'])} ({percent(row.get('prompt_strict_ci_low'))}–"
            f"{percent(row.get('prompt_strict_ci_high'))})",
            percent(row.get("prompt_loose")), percent(row.get("inst_strict")),
            percent(row.get("inst_loose")), row.get("errors", ""), percent(row.get("truncated")),
        )))
    out.print(view)


def print_breakdown(table: pd.DataFrame, key: str) -> None:
    """One pivot per suite: rows are the breakdown's values, columns the models (strict %)."""
    keys = BREAKDOWNS[key]
    metric = "inst_strict" if key in ("checker", "family") else "prompt_strict"
    for (suite, sha), part in table.groupby(["suite", "suite_sha256"], observed=True, sort=True):
        pivot = part.pivot_table(index=keys, columns="model", values=metric, aggfunc="first",
                                 observed=True)
        title = f"{metric} by {' × '.join(keys)} — {suite}" + (f" ({str(sha)[:12]})" if sha else "")
        view = Table(box=None, title=literal(title))
        for header in (*keys, *pivot.columns):
            view.add_column(literal(header))
        for index, values in pivot.iterrows():
            labels = index if isinstance(index, tuple) else (index,)
            view.add_row(*map(literal, labels), *(percent(v) for v in values))
        out.print(view)


def print_comparisons(found: list[Comparison], model_a: str, model_b: str) -> None:
    for c in found:
        sign = lambda v: f"{100 * v:+.1f}"  # noqa: E731
        verdict = (f"{model_a if c.difference > 0 else model_b} is better" if c.significant
                   else "no significant difference")
        out.print(literal(
            f"{c.suite}: {model_a} {percent(c.score_a)} vs {model_b} {percent(c.score_b)} "
            f"on {c.n_tasks} shared tasks (prompt-level strict, %)\n"
            f"  difference {sign(c.difference)} points, 95% CI [{sign(c.ci_low)}, {sign(c.ci_high)}], "
            f"paired bootstrap p = {c.p_bootstrap:.3g}\n"
            f"  McNemar exact: {c.a_only} pairs only {model_a} passes, {c.b_only} only {model_b}, "
            f"p = {c.p_mcnemar:.3g}\n"
            f"  → {verdict} (95% level)"
        ))
