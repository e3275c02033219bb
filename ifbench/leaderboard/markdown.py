"""The leaderboard as a Markdown table, for READMEs and model cards."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from ifbench.leaderboard.columns import CATEGORY_PREFIX, LANGUAGE_PREFIX, is_dynamic
from ifbench.leaderboard.stats import DEFAULT_BOOTSTRAP
from ifbench.protocol import differences


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


def protocol_differences(table: pd.DataFrame) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """(suite, {protocol id: the settings on which it differs}) for each suite whose rows ran
    under more than one protocol; `unknown` stands for rows without one."""
    if "protocol" not in table:
        return []
    found = []
    settings = table["protocol_settings"] if "protocol_settings" in table else pd.Series(None, index=table.index)
    for suite, rows in table.assign(_settings=settings).groupby("suite", sort=True):
        protocols: dict[str, dict[str, Any] | None] = {}
        for pid, text in zip(rows["protocol"], rows["_settings"]):
            pid = pid if isinstance(pid, str) and pid else "unknown"
            protocols[pid] = protocols.get(pid) or _settings(text)
        if len(protocols) > 1:
            shown = differences(protocols)
            found.append((str(suite), {pid: shown.get(pid, {}) for pid in sorted(protocols)}))
    return found


def _settings(text: Any) -> dict[str, Any] | None:
    """A row's protocol settings; None where a published CSV has none (rows older than the column)
    or holds a cell that is not one JSON object."""
    if not isinstance(text, str) or " | " in text:
        return None
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def settings_text(settings: dict[str, Any]) -> str:
    """`max_tokens 512, system_sha256 null`; `settings not recorded` when empty."""
    return ", ".join(f"{k} {json.dumps(v, ensure_ascii=False)}" for k, v in settings.items()) or "settings not recorded"


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
    several = protocol_differences(table)
    header = ["Rank", "Model", "Suite", "Tasks", "Prompt strict (95% CI)", "Prompt loose",
              "Inst. strict", "Inst. loose", "Errors", "Cut at cap", "Strict, finished"]
    sampled = "samples" in table and bool((pd.to_numeric(table["samples"], errors="coerce") > 1).any())
    header += ["Every sample", "SD across samples"] if sampled else []
    header += ["Protocol"] if several else []
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
        if sampled:
            values += [percent(row.get("prompt_strict_every_sample")), percent(row.get("prompt_strict_sample_sd"))]
        values += [_hash(str(row.get("protocol") or "unknown"))] if several else []
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
    for suite, protocols in several:
        listed = "; ".join(f"{_hash(pid)}: {cell(settings_text(s))}" for pid, s in protocols.items())
        notes.append(f"Suite {cell(suite)} ran under {len(protocols)} protocols, ranked apart "
                     f"(not comparable across them): {listed}.")
    return "\n".join(lines + notes) + "\n"
