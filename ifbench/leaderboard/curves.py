"""Difficulty curves: prompt-level strict accuracy against the number of constraints per task.

One line per model, one chart per suite: an SVG for the HTML report (95% Wilson whiskers) and a
Mermaid `xychart-beta` for the Markdown report (GitHub renders it), with the numbers in a table.
"""

from __future__ import annotations

import math

import pandas as pd

from ifbench.leaderboard.aggregate import breakdown
from ifbench.leaderboard.escaping import esc
from ifbench.leaderboard.load import Results
from ifbench.leaderboard.markdown import percent

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def curves(results: Results) -> list[tuple[str, pd.DataFrame]]:
    """(suite label, breakdown by n_constraints of that suite) per suite, in suite order."""
    table = breakdown(results, "n_constraints")
    out = []
    for (suite, sha), part in table.groupby(["suite", "suite_sha256"], observed=True, sort=True):
        label = f"{suite} (sha256 {str(sha)[:12]})" if sha else str(suite)
        out.append((label, part.sort_values(["model", "n_constraints"])))
    return out


def svg_curve(part: pd.DataFrame, *, title: str) -> str:
    """Lines of prompt_strict per model over constraint counts, with 95% interval whiskers."""
    counts = sorted(int(c) for c in part["n_constraints"].unique())
    left, width, top, height, legend = 50, 420, 20, 220, 190
    span = max(len(counts) - 1, 1)
    x = lambda c: left + (counts.index(c) / span if len(counts) > 1 else 0.5) * width  # noqa: E731
    y = lambda v: top + (1 - min(1.0, max(0.0, v))) * height  # noqa: E731
    total_w, total_h = left + width + legend, top + height + 40
    parts = [f'<svg class="curve" xmlns="http://www.w3.org/2000/svg" role="img" width="{total_w}" height="{total_h}" '
             f'viewBox="0 0 {total_w} {total_h}" aria-label="{esc(title)}"><title>{esc(title)}</title>']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<line class="grid" x1="{left}" x2="{left + width}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
                     f'<text class="tick" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{int(tick * 100)}%</text>')
    for c in counts:
        parts.append(f'<text class="tick" x="{x(c):.1f}" y="{top + height + 16}" text-anchor="middle">{c}</text>')
    parts.append(f'<text class="tick" x="{left + width / 2:.1f}" y="{top + height + 34}" text-anchor="middle">'
                 "constraints per task</text>")
    for i, (model, rows) in enumerate(part.groupby("model", observed=True, sort=True)):
        color = COLORS[i % len(COLORS)]
        points = [(int(r["n_constraints"]), float(r["prompt_strict"]), r) for r in rows.to_dict("records")]
        path = " ".join(f"{x(c):.1f},{y(v):.1f}" for c, v, _ in points)
        parts.append(f'<g class="model-line"><title>{esc(model)}</title>'
                     f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
        for c, v, r in points:
            low, high = float(r["prompt_strict_ci_low"]), float(r["prompt_strict_ci_high"])
            tip = f"{model}, {c} constraints: {percent(v)}% of {int(r['n_tasks'])} tasks (95% CI {percent(low)}–{percent(high)})"
            if not (math.isnan(low) or math.isnan(high)):
                parts.append(f'<line stroke="{color}" x1="{x(c):.1f}" x2="{x(c):.1f}" y1="{y(low):.1f}" y2="{y(high):.1f}"/>')
            parts.append(f'<circle fill="{color}" cx="{x(c):.1f}" cy="{y(v):.1f}" r="3.5"><title>{esc(tip)}</title></circle>')
        name = str(model) if len(str(model)) <= 24 else str(model)[:23] + "…"
        ly = top + 14 + i * 18
        parts.append(f'<line stroke="{color}" stroke-width="3" x1="{left + width + 14}" x2="{left + width + 34}" '
                     f'y1="{ly - 4}" y2="{ly - 4}"/><text class="label" x="{left + width + 40}" y="{ly}">{esc(name)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _mermaid_text(value: object) -> str:
    return str(value).replace('"', "'").replace("\n", " ")


def markdown_curves(results: Results) -> str:
    """A Markdown section: per suite, a Mermaid line chart (one line per model) and its table with intervals."""
    sections = ["## Prompt-level strict accuracy by constraints per task", ""]
    for label, part in curves(results):
        counts = sorted(int(c) for c in part["n_constraints"].unique())
        models = sorted(map(str, part["model"].astype(str).unique()))
        sections += [f"### {label}", "", "```mermaid", "xychart-beta",
                     f'    title "{_mermaid_text(label)}: prompt_strict (%) by constraints per task"',
                     f"    x-axis [{', '.join(map(str, counts))}]", '    y-axis "prompt_strict (%)" 0 --> 100']
        values = {(str(r["model"]), int(r["n_constraints"])): r for r in part.to_dict("records")}
        for model in models:
            line = [percent(values[model, c]["prompt_strict"]) if (model, c) in values else "0" for c in counts]
            sections.append(f"    line [{', '.join(line)}]")
        sections += ["```", "", "Lines in model order: " + ", ".join(f"{i + 1}. `{m}`" for i, m in enumerate(models)), "",
                     "| model | " + " | ".join(f"{c} constraints" for c in counts) + " |",
                     "|---|" + "---:|" * len(counts)]
        for model in models:
            cells = []
            for c in counts:
                r = values.get((model, c))
                cells.append("" if r is None else f"{percent(r['prompt_strict'])} ({percent(r['prompt_strict_ci_low'])}–"
                             f"{percent(r['prompt_strict_ci_high'])}), n={int(r['n_tasks'])}")
            sections.append(f"| {model.replace('|', '/')} | " + " | ".join(cells) + " |")
        sections.append("")
    sections.append("Percent, with 95% Wilson intervals over tasks.")
    return "\n".join(sections) + "\n"
