"""Static charts for the HTML report: an SVG bar chart with interval whiskers, a heat-map table.

No JavaScript and no external files: the markup is complete as written, and every piece of
text in it (model names included) goes through `esc`.
"""

from __future__ import annotations

import math

import pandas as pd

from ifbench.leaderboard.escaping import esc
from ifbench.leaderboard.markdown import percent


def _number(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number


def _clip(value: float) -> float:
    return 0.0 if math.isnan(value) else min(1.0, max(0.0, value))


def bar_chart(rows: pd.DataFrame, *, title: str) -> str:
    """Horizontal bars of prompt_strict (rows in the given order) with 95% interval whiskers."""
    label_width, plot_width, right, top, bar, gap = 230, 460, 70, 28, 18, 8
    width = label_width + plot_width + right
    height = top + len(rows) * (bar + gap) + 8
    x = lambda value: label_width + _clip(value) * plot_width  # noqa: E731
    parts = [
        f'<svg class="bars" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line class="grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" y2="{height - 4}"/>'
            f'<text class="tick" x="{x(tick):.1f}" y="{top - 10}" text-anchor="middle">'
            f"{int(tick * 100)}%</text>"
        )
    for i, row in enumerate(rows.to_dict("records")):
        y = top + i * (bar + gap)
        value = _number(row["prompt_strict"])
        low, high = _number(row.get("prompt_strict_ci_low")), _number(row.get("prompt_strict_ci_high"))
        name = str(row["model"])
        shown = name if len(name) <= 32 else name[:31] + "…"
        summary = f"{name}: {percent(value)}% (95% CI {percent(low)}–{percent(high)})"
        parts.append(
            f'<g class="bar-row"><title>{esc(summary)}</title>'
            f'<text class="label" x="{label_width - 8}" y="{y + bar * 0.72:.1f}" text-anchor="end">'
            f"{esc(shown)}</text>"
            f'<rect class="bar" x="{label_width}" y="{y}" width="{x(value) - label_width:.1f}" '
            f'height="{bar}"/>'
        )
        if not (math.isnan(low) or math.isnan(high)):
            mid = y + bar / 2
            parts.append(
                f'<line class="ci" x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{mid}" y2="{mid}"/>'
                f'<line class="ci" x1="{x(low):.1f}" x2="{x(low):.1f}" y1="{y + 3}" y2="{y + bar - 3}"/>'
                f'<line class="ci" x1="{x(high):.1f}" x2="{x(high):.1f}" y1="{y + 3}" y2="{y + bar - 3}"/>'
            )
        end = max(x(value), x(high) if not math.isnan(high) else 0)
        parts.append(
            f'<text class="value" x="{end + 6:.1f}" y="{y + bar * 0.72:.1f}">{percent(value)}%</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heat_color(value: float) -> tuple[str, str]:
    """(background, text colour) on a light-to-dark blue scale; grey when missing."""
    if math.isnan(value):
        return "#eeeeee", "#555555"
    lightness = 96 - 60 * _clip(value)
    return f"hsl(212, 70%, {lightness:.0f}%)", "#ffffff" if lightness < 60 else "#111111"


def heat_map(families: pd.DataFrame, models: list[str], *, caption: str) -> str:
    """A table: one row per checker family, one column per model, cells coloured by pass rate.

    `families` is breakdown(..., "family") for one suite: model, family, n_constraints, inst_strict.
    """
    values = families.pivot_table(index="family", columns="model", values="inst_strict",
                                  aggfunc="first", observed=True)
    counts = families.pivot_table(index="family", columns="model", values="n_constraints",
                                  aggfunc="first", observed=True)
    head = "".join(f'<th scope="col">{esc(m)}</th>' for m in models)
    lines = [f'<table class="heatmap"><caption>{esc(caption)}</caption>'
             f'<thead><tr><th scope="col">family</th>{head}</tr></thead><tbody>']
    for family in values.index:
        cells = []
        for model in models:
            value = _number(values.at[family, model]) if model in values.columns else math.nan
            count = counts.at[family, model] if model in counts.columns else math.nan
            background, color = heat_color(value)
            of = "?" if pd.isna(count) else int(count)
            tip = f"{model} · {family}: {percent(value)}% of {of} constraints"
            cells.append(
                f'<td data-value="{"" if math.isnan(value) else f"{value:.6f}"}" title="{esc(tip)}" '
                f'style="background:{background};color:{color}">{percent(value)}</td>'
            )
        lines.append(f'<tr><th scope="row">{esc(family)}</th>{"".join(cells)}</tr>')
    lines.append("</tbody></table>")
    return "".join(lines)
