"""The leaderboard CSV's columns, in their published order, each with what it means.

Column order is file format: append new fixed columns at the end of EXTRA_COLUMNS, never
reorder. The per-category and per-language columns come last, sorted, because which of
them exist depends on the suites present.
"""

from __future__ import annotations

KEY_COLUMNS = ("model", "suite", "suite_sha256")
"""A published row is identified by these: publishing replaces rows with the same key."""

CORE_COLUMNS: dict[str, str] = {
    "model": "The model's name as recorded in results.jsonl.",
    "suite": "The task suite's name.",
    "suite_sha256": "Content hash of the suite as run; rows with different hashes ran different tasks.",
    "n_tasks": "Tasks with at least one scored sample.",
    "n_constraints": "Constraints checked per sample, summed over tasks.",
    "prompt_strict": "Share of tasks whose every constraint passes (strict); "
    "a task's samples are averaged first.",
    "prompt_loose": "The same with IFEval's loose verdicts.",
    "inst_strict": "Share of constraints that pass (strict), samples averaged per task first.",
    "inst_loose": "The same with IFEval's loose verdicts.",
    "prompt_strict_ci_low": "Lower end of the 95% bootstrap interval of prompt_strict (tasks resampled).",
    "prompt_strict_ci_high": "Upper end of that interval.",
    "errors": "Result lines (task, sample) without a usable response; they count as failed.",
    "ifbench_version": "ifbench version that produced the results (run.json), else the one aggregating.",
    "date": "Date of the run (run.json), else of results.jsonl's last change, YYYY-MM-DD (UTC).",
}
"""The columns the spec requires, in order."""

EXTRA_COLUMNS: dict[str, str] = {
    "rank": "1 + the number of models of the same suite (hash and protocol) in a strictly better tier; "
    "tiers split only where every model above has its interval entirely above every model below.",
    "prompt_loose_ci_low": "95% bootstrap interval of prompt_loose, lower end.",
    "prompt_loose_ci_high": "Upper end.",
    "inst_strict_ci_low": "95% bootstrap interval of inst_strict (tasks resampled), lower end.",
    "inst_strict_ci_high": "Upper end.",
    "inst_loose_ci_low": "95% bootstrap interval of inst_loose, lower end.",
    "inst_loose_ci_high": "Upper end.",
    "samples": "Samples per task (the most any task has).",
    "mode": "Generation mode from run.json (chat or completion); empty if unknown.",
    "temperature": "Sampling temperature from run.json; empty if unknown.",
    "top_p": "Nucleus sampling p from run.json; empty if unknown.",
    "max_tokens": "Generation limit from run.json; empty if unknown.",
    "seed": "Generation seed from run.json; empty if unknown.",
    "truncated": "Share of replies that stopped at the token cap (finish_reason length), "
    "samples averaged per task first.",
    "prompt_strict_completed": "prompt_strict over the replies that finished (not truncated); "
    "empty if none did.",
    "protocol": "Id (12 hex digits) of the run's protocol: generation settings, system prompt, samples "
    "and reasoning policy (ifbench/protocol.py); rows are ranked only against rows of the same one.",
    "protocol_settings": "The protocol itself, as canonical JSON.",
    "prompt_strict_every_sample": "Share of tasks whose every sample passes (strict): the "
    "reliability beside prompt_strict's mean; equal to it with one sample.",
    "prompt_strict_sample_sd": "Standard deviation across samples of prompt_strict (sample k of "
    "every task taken as one run); empty with one sample. The intervals resample tasks with all "
    "their samples, so they account for the clustering.",
}
"""Fixed columns after the required ones."""

FIXED_COLUMNS: tuple[str, ...] = (*CORE_COLUMNS, *EXTRA_COLUMNS)
SETTINGS_COLUMNS = ("mode", "temperature", "top_p", "max_tokens", "seed")
"""Columns copied from run.json's `settings`."""
METRICS = ("prompt_strict", "prompt_loose", "inst_strict", "inst_loose")
CATEGORY_PREFIX = "prompt_strict[category="
LANGUAGE_PREFIX = "prompt_strict[language="


def category_column(category: str) -> str:
    return f"{CATEGORY_PREFIX}{category}]"


def language_column(language: str) -> str:
    return f"{LANGUAGE_PREFIX}{language}]"


def is_dynamic(column: str) -> bool:
    """True for a per-category or per-language column."""
    return column.startswith((CATEGORY_PREFIX, LANGUAGE_PREFIX)) and column.endswith("]")


def ordered(columns: list[str] | tuple[str, ...]) -> list[str]:
    """The published order: fixed columns, then category columns, then language columns.

    Unknown columns (written by a newer ifbench) are kept, after the fixed ones.
    """
    present = set(columns)
    fixed = [c for c in FIXED_COLUMNS if c in present]
    unknown = [c for c in columns if c not in FIXED_COLUMNS and not is_dynamic(c)]
    categories = sorted(c for c in present if c.startswith(CATEGORY_PREFIX) and is_dynamic(c))
    languages = sorted(c for c in present if c.startswith(LANGUAGE_PREFIX) and is_dynamic(c))
    return fixed + unknown + categories + languages


def columns_markdown() -> str:
    """The column reference as a Markdown table (for leaderboard/README.md)."""
    lines = ["| column | meaning |", "| --- | --- |"]
    for name, meaning in {**CORE_COLUMNS, **EXTRA_COLUMNS}.items():
        lines.append(f"| `{name}` | {meaning} |")
    lines.append("| `prompt_strict[category=C]` | prompt_strict over the tasks of category C. |")
    lines.append("| `prompt_strict[language=L]` | prompt_strict over the tasks in language L. |")
    return "\n".join(lines)

BREAKDOWNS: dict[str, list[str]] = {
    "checker": ["checker"],
    "family": ["family"],
    "category": ["category"],
    "pattern": ["category", "pattern"],
    "language": ["language"],
    "turn": ["turn"],
    "n_constraints": ["n_constraints"],
}
"""`--by` choices and the columns each one groups by (`pattern` is category × pattern)."""

DEFAULT_BOOTSTRAP = 1000
"""Bootstrap replicates for the confidence intervals unless --bootstrap says otherwise."""
MAX_TASKS = 1000
"""Tasks shown in the HTML drill-down unless --html-tasks says otherwise."""
