"""The leaderboard as a Markdown table, for READMEs and model cards."""

from __future__ import annotations

import math

import pandas as pd

from ifbench.leaderboard.columns import CATEGORY_PREFIX, LANGUAGE_PREFIX, is_dynamic
from ifbench.leaderboard.stats import DEFAULT_BOOTSTRAP


def percent(value: object, digits: int = 1) -> str:
    """0.7125 -> `71.3`; missing -> `–`."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(number) else f"{100 * number:.{digits}f}"


_LITERAL = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {c: "\\" + c for c in "\\|`*_~[]()"}
)
"""Entities for HTML, backslash escapes for Markdown's pipes, code, emphasis and links."""


def cell(text: object) -> str:
    """Text shown literally inside a Markdown table cell: no line breaks, pipes, raw HTML,
    code spans, emphasis or links (`[x](javascript:...)`)."""
    value = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return " ".join(value.split()).translate(_LITERAL)


def _hash(sha: str) -> str:
    """The first 12 characters as code, where everything is literal but a backtick (which
    would end it early: then they are escaped text instead)."""
    short = " ".join(sha[:12].split())
    return cell(short) if "`" in short else f"`{short}`"


def short_header(column: str) -> str:
    """`prompt_strict[language=zh]` -> `zh`; `prompt_strict[category=basic]` -> `basic`."""
    for prefix in (CATEGORY_PREFIX, LANGUAGE_PREFIX):
        if column.startswith(prefix):
            return column[len(prefix) : -1]
    return column


def markdown_table(
    table: pd.DataFrame, *, seed: int = 0, n_boot: int = DEFAULT_BOOTSTRAP
) -> str:
    """A GitHub-flavoured table, rows in the table's order, accuracies in percent."""
    dynamic = [c for c in table.columns if is_dynamic(c)]
    categories = [c for c in dynamic if c.startswith(CATEGORY_PREFIX)]
    languages = [c for c in dynamic if c.startswith(LANGUAGE_PREFIX)]
    header = ["Rank", "Model", "Suite", "Tasks", "Prompt strict (95% CI)", "Prompt loose",
              "Inst. strict", "Inst. loose", "Errors", "Cut at cap", "Strict, finished"]
    header += [cell(short_header(c)) for c in categories + languages]
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(["---:", ":---", ":---"] + ["---:"] * (len(header) - 3)) + "|"]
    for row in table.to_dict("records"):
        low, high = percent(row.get("prompt_strict_ci_low")), percent(row.get("prompt_strict_ci_high"))
        strict = f"**{percent(row['prompt_strict'])}** ({low}–{high})"
        values = [
            cell(row.get("rank", "")), cell(row["model"]), cell(row["suite"]),
            cell(row.get("n_tasks", "")), strict, percent(row.get("prompt_loose")),
            percent(row.get("inst_strict")), percent(row.get("inst_loose")), cell(row.get("errors", "")),
            percent(row.get("truncated")), percent(row.get("prompt_strict_completed")),
        ]
        values += [percent(row.get(c)) for c in categories + languages]
        lines.append("| " + " | ".join(values) + " |")
    notes = [
        "",
        "Accuracies in percent; a task's samples are averaged first. "
        f"95% CI: percentile bootstrap over tasks ({n_boot} replicates, seed {seed}). "
        "Rank: models share a rank unless their intervals separate them.",
    ]
    if categories or languages:
        kinds = [w for w, c in (("category", categories), ("language", languages)) if c]
        notes.append(f"Last columns: prompt-level strict accuracy per {' and per '.join(kinds)}.")
    suites = table[["suite", "suite_sha256"]].drop_duplicates().sort_values(["suite", "suite_sha256"])
    hashes = ", ".join(f"{cell(s)} {_hash(str(h))}" for s, h in suites.itertuples(index=False) if h)
    if hashes:
        notes.append(f"Suite hashes (sha256, first 12 hex digits): {hashes}.")
    return "\n".join(lines + notes) + "\n"
