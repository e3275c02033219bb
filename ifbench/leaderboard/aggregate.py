"""Loaded results -> the leaderboard table and its breakdowns (small pure pandas steps).

Every accuracy averages a task's samples first, then averages over tasks (prompt level) or
over constraints (instruction level), so a task run 5 times weighs as much as one run once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ifbench import __version__
from ifbench.leaderboard.columns import (
    BREAKDOWNS,
    KEY_COLUMNS,
    SETTINGS_COLUMNS,
    category_column,
    language_column,
    ordered,
)
from ifbench.leaderboard.load import Results, Source
from ifbench.leaderboard.stats import DEFAULT_BOOTSTRAP, assign_ranks, intervals
from ifbench.protocol import protocol_id, protocol_json

GROUP_KEY = list(KEY_COLUMNS)
TASK_KEY = [*GROUP_KEY, "task_id"]
NONE_LABEL = "(none)"


def task_scores(samples: pd.DataFrame) -> pd.DataFrame:
    """One row per (model, suite, suite_sha256, task_id): the means over the task's samples.

    `completed_strict` averages only the samples that finished (NaN when none did).
    """
    samples = samples.assign(completed_strict=samples["prompt_strict"].where(~samples["truncated"]))
    grouped = samples.groupby(TASK_KEY, observed=True, sort=False)
    tasks = grouped.agg(
        samples=("sample", "size"),
        prompt_strict=("prompt_strict", "mean"),
        prompt_loose=("prompt_loose", "mean"),
        every_sample_strict=("prompt_strict", "min"),
        n_strict=("n_strict", "mean"),
        n_loose=("n_loose", "mean"),
        n_checked=("n_constraints", "mean"),
        n_constraints=("n_constraints", "max"),
        errors=("error", "sum"),
        truncated=("truncated", "mean"),
        completed_strict=("completed_strict", "mean"),
        language=("language", "first"),
        category=("category", "first"),
        pattern=("pattern", "first"),
    )
    return tasks.reset_index()


def _headline(tasks: pd.DataFrame) -> pd.DataFrame:
    grouped = tasks.groupby(GROUP_KEY, observed=True, sort=False)
    table = grouped.agg(
        n_tasks=("task_id", "size"),
        n_constraints=("n_constraints", "sum"),
        prompt_strict=("prompt_strict", "mean"),
        prompt_loose=("prompt_loose", "mean"),
        n_strict=("n_strict", "sum"),
        n_loose=("n_loose", "sum"),
        n_checked=("n_checked", "sum"),
        errors=("errors", "sum"),
        samples=("samples", "max"),
        truncated=("truncated", "mean"),
        prompt_strict_completed=("completed_strict", "mean"),
        prompt_strict_every_sample=("every_sample_strict", "mean"),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        table["inst_strict"] = table["n_strict"] / table["n_checked"]
        table["inst_loose"] = table["n_loose"] / table["n_checked"]
    return table.drop(columns=["n_strict", "n_loose", "n_checked"])


def _across_samples(samples: pd.DataFrame) -> pd.DataFrame:
    """The standard deviation of prompt_strict across samples (sample k of every task is one
    run of the suite); NaN with a single sample."""
    per_sample = samples.groupby([*GROUP_KEY, "sample"], observed=True)["prompt_strict"].mean()
    spread = per_sample.groupby(level=GROUP_KEY, observed=True).std(ddof=1)
    return spread.rename("prompt_strict_sample_sd").to_frame()


def _per_value(tasks: pd.DataFrame, column: str, name: Any) -> pd.DataFrame:
    """prompt_strict per value of `column` (category or language), one column per value."""
    present = tasks[tasks[column].notna()]
    if present.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=GROUP_KEY))
    wide = (
        present.groupby([*GROUP_KEY, column], observed=True)["prompt_strict"].mean().unstack(column)
    )
    wide.columns = [name(str(value)) for value in wide.columns]
    return wide


def _run_info(samples: pd.DataFrame, sources: list[Source], warnings: list[str]) -> pd.DataFrame:
    """ifbench_version, date and generation settings per group, from the sources it came from."""
    rows = []
    groups = samples.groupby(GROUP_KEY, observed=True, sort=False)["source"].unique()
    for key, indices in groups.items():
        used = [sources[i] for i in sorted(indices)]
        row: dict[str, Any] = dict(zip(GROUP_KEY, key))
        versions = {str(s.version or __version__) for s in used}
        row["ifbench_version"] = " | ".join(sorted(versions))
        row["date"] = max(s.date for s in used)
        protocols = {protocol_id(s.protocol): s.protocol for s in used}
        row["protocol"] = " | ".join(sorted(protocols))
        row["protocol_settings"] = " | ".join(
            protocol_json(p) for _, p in sorted(protocols.items()) if p is not None) or None
        if len(protocols) > 1:
            warnings.append(f"model '{key[0]}' suite '{key[1]}': runs under {len(protocols)} different "
                            "protocols are aggregated together")
        for name in SETTINGS_COLUMNS:
            values = {repr(s.settings.get(name)): s.settings.get(name) for s in used}
            known = [v for v in values.values() if v is not None]
            if len(values) > 1:
                warnings.append(
                    f"model '{key[0]}' suite '{key[1]}': runs with different {name} "
                    f"({', '.join(sorted(values))}) are aggregated together"
                )
            if len(values) == 1:
                row[name] = known[0] if known else None
            else:  # shown as "0.0 | 1.0" so the mix is visible in the published row
                row[name] = " | ".join(sorted(map(str, known))) or None
        rows.append(row)
    return pd.DataFrame(rows).set_index(GROUP_KEY)


def _plain_index(frame: pd.DataFrame) -> pd.DataFrame:
    """The same frame indexed by plain string keys, so parts align whatever their dtypes."""
    keys = [frame.index.get_level_values(name).astype(str) for name in GROUP_KEY]
    return frame.set_axis(pd.MultiIndex.from_arrays(keys, names=GROUP_KEY), axis=0)


def sort_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Best prompt_strict first; ties by suite, then model, for a stable file."""
    return table.sort_values(
        ["prompt_strict", "suite", "model", "suite_sha256"],
        ascending=[False, True, True, True],
        kind="stable",
        na_position="last",
    ).reset_index(drop=True)


def leaderboard(
    results: Results, *, seed: int = 0, n_boot: int = DEFAULT_BOOTSTRAP
) -> pd.DataFrame:
    """One row per (model, suite, suite_sha256) with the CSV's columns, best first."""
    tasks = task_scores(results.samples)
    parts = [
        _headline(tasks),
        intervals(tasks, seed=seed, n_boot=n_boot),
        _across_samples(results.samples),
        _run_info(results.samples, results.sources, results.warnings),
        _per_value(tasks, "category", category_column),
        _per_value(tasks, "language", language_column),
    ]
    table = pd.concat([_plain_index(part) for part in parts], axis=1).reset_index()
    hashes = table.groupby(["model", "suite"])["suite_sha256"].nunique()
    for (model, suite), count in hashes[hashes > 1].items():
        results.warnings.append(
            f"model '{model}' suite '{suite}': {count} different suite hashes, kept as separate rows"
        )
    table["rank"] = assign_ranks(table)
    return sort_rows(table)[ordered(list(table.columns))]


def _verdict_frame(results: Results) -> pd.DataFrame:
    """Verdicts with their group keys and a weight of 1 / (samples of their task)."""
    samples = results.samples
    per_task = samples.groupby(TASK_KEY, observed=True, sort=False)["sample"].transform("size")
    weight = 1.0 / per_task.to_numpy(dtype=float)
    verdicts = results.verdicts
    rows = verdicts["row"].to_numpy()
    frame = pd.DataFrame(
        {
            name: pd.Categorical.from_codes(
                samples[name].cat.codes.to_numpy()[rows], categories=samples[name].cat.categories
            )
            for name in GROUP_KEY
        }
    )
    for name in ("checker", "family", "turn", "strict", "loose", "row"):
        frame[name] = verdicts[name].to_numpy()
    frame["weight"] = weight[rows]
    return frame


def _weighted(frame: pd.DataFrame, keys: list[str], columns: dict[str, str]) -> pd.DataFrame:
    """Weighted means of boolean columns: `columns` maps output name -> input column."""
    data = frame[keys].copy()
    data["n"] = frame["weight"]
    for out, column in columns.items():
        data[out] = frame[column].to_numpy(dtype=float) * frame["weight"].to_numpy()
    sums = data.groupby(keys, observed=True, sort=True).sum()
    for out in columns:
        sums[out] = sums[out] / sums["n"]
    sums["n"] = sums["n"].round().astype(int)
    return sums.reset_index()


def breakdown(results: Results, by: str) -> pd.DataFrame:
    """Accuracy per model, suite and `by` (a key of BREAKDOWNS), as a long table.

    checker/family: `n` constraint instances per sample, `inst_strict`, `inst_loose`.
    turn: also prompt_strict/prompt_loose of the turn (all its constraints pass).
    category/pattern/language/n_constraints: `n_tasks` and the four headline accuracies;
    n_constraints (constraints per task, the difficulty curve) also a 95% Wilson interval of prompt_strict.
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}; choose from {', '.join(BREAKDOWNS)}")
    if by in ("checker", "family"):
        frame = _verdict_frame(results)
        table = _weighted(frame, [*GROUP_KEY, by], {"inst_strict": "strict", "inst_loose": "loose"})
        return table.rename(columns={"n": "n_constraints"})
    if by == "turn":
        frame = _verdict_frame(results)
        inst = _weighted(frame, [*GROUP_KEY, "turn"], {"inst_strict": "strict", "inst_loose": "loose"})
        turns = frame.groupby(["row", "turn"], sort=False).agg(
            **{k: (k, "first") for k in (*GROUP_KEY, "weight")}, strict=("strict", "min"),
            loose=("loose", "min"),
        ).reset_index()
        prompt = _weighted(turns, [*GROUP_KEY, "turn"],
                           {"prompt_strict": "strict", "prompt_loose": "loose"})
        prompt = prompt.rename(columns={"n": "n_tasks"})
        inst = inst.rename(columns={"n": "n_constraints"})
        return prompt.merge(inst, on=[*GROUP_KEY, "turn"])
    tasks = task_scores(results.samples)
    keys = BREAKDOWNS[by]
    for key in keys:
        tasks[key] = tasks[key].astype(object).where(tasks[key].notna(), NONE_LABEL)
    grouped = tasks.groupby([*GROUP_KEY, *keys], observed=True, sort=True)
    table = grouped.agg(
        n_tasks=("task_id", "size"),
        prompt_strict=("prompt_strict", "mean"),
        prompt_loose=("prompt_loose", "mean"),
        n_strict=("n_strict", "sum"),
        n_loose=("n_loose", "sum"),
        n_checked=("n_checked", "sum"),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        table["inst_strict"] = table["n_strict"] / table["n_checked"]
        table["inst_loose"] = table["n_loose"] / table["n_checked"]
    table = table.drop(columns=["n_strict", "n_loose", "n_checked"]).reset_index()
    if by == "n_constraints":
        low, high = wilson(table["prompt_strict"].to_numpy(float), table["n_tasks"].to_numpy(float))
        table["prompt_strict_ci_low"], table["prompt_strict_ci_high"] = low, high
    return table


def wilson(p: np.ndarray, n: np.ndarray, z: float = 1.959964) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of a share `p` over `n` tasks (task means count as one trial each)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # The interval holds p itself (rounding would otherwise put 1.0 a hair above its upper bound).
    return np.clip(np.fmin(centre - half, p), 0, 1), np.clip(np.fmax(centre + half, p), 0, 1)


__all__ = ["BREAKDOWNS", "breakdown", "leaderboard", "sort_rows", "task_scores"]
