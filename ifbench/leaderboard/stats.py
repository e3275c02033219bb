"""Confidence intervals, paired comparisons and ranks that only separate what the data separates.

Method (documented in leaderboard/README.md; every number is reproducible from the seed):

- Intervals: percentile bootstrap over tasks, 95%, `n_boot` replicates (default 1000).
  A replicate draws the suite's tasks with replacement (uniform, as many as there are);
  a model's prompt-level accuracy in it is the mean of its per-task scores (samples
  averaged first) over the drawn tasks it has, its instruction-level accuracy the ratio of
  passed to checked constraints over them. All models of a (suite, suite_sha256) share the
  replicates, drawn by numpy's PCG64 seeded with (seed, sha256(suite, suite_sha256)), with
  tasks in sorted id order: when every model ran the full suite, a row's interval depends
  only on its own results, the seed and `n_boot`.
- Paired comparison of A and B on the tasks both have: the difference of their per-task
  scores, a percentile bootstrap interval of its mean (tasks resampled, the same draws for
  both models) and the p-value that inverts it (2 × the smaller share of replicates on
  either side of 0, with the +1 correction), so p < 0.05 exactly when the 95% interval
  excludes 0. Also an exact McNemar test on the binary prompt-level outcomes of
  (task, sample) pairs, sample k of A against sample k of B (with several samples per task
  the pairs are not independent; the bootstrap, which resamples tasks, is the one to trust).
- Rank: within a (suite, suite_sha256, protocol), models sorted by prompt_strict are cut into tiers
  only where every model above the cut has its interval's low end above every model
  below's high end; rank = 1 + the number of models in better tiers. Two different ranks
  therefore always mean non-overlapping published intervals (a conservative test; use the
  paired comparison for a sharper one). No correction for multiple comparisons.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ifbench.leaderboard.columns import DEFAULT_BOOTSTRAP

LEVEL = 0.95
_CHUNK = 4_000_000
"""Resample counts are made in blocks of about this many cells, so memory stays bounded."""


def group_rng(seed: int, suite: str, suite_sha256: str) -> np.random.Generator:
    digest = hashlib.sha256(f"{suite}\0{suite_sha256}".encode("utf-8", "surrogatepass")).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])


def resample_counts(n_tasks: int, n_boot: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Blocks of bootstrap replicates as (replicates × tasks) draw counts (float, for matmul)."""
    rows = max(1, _CHUNK // max(n_tasks, 1))
    done = 0
    while done < n_boot:
        block = min(rows, n_boot - done)
        drawn = rng.integers(0, n_tasks, size=(block, n_tasks))
        drawn += (np.arange(block) * n_tasks)[:, None]
        counts = np.bincount(drawn.ravel(), minlength=block * n_tasks)
        yield counts.reshape(block, n_tasks).astype(np.float64)
        done += block


def _bounds(replicates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bounds per column; a model absent from every drawn task gives NaN, quietly."""
    tail = (1 - LEVEL) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanquantile(replicates, [tail, 1 - tail], axis=0)
    return low, high


def _dense(shape: tuple[int, int], rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.zeros(shape)
    out[rows, cols] = values
    return out


def _group_intervals(part: pd.DataFrame, suite: str, sha: str, seed: int, n_boot: int) -> pd.DataFrame:
    """Intervals for every model of one (suite, suite_sha256), from shared replicates."""
    tasks, _ = pd.factorize(part["task_id"].astype(str), sort=True)
    models, names = pd.factorize(part["model"].astype(str), sort=True)
    shape = (int(tasks.max()) + 1, len(names))
    present = _dense(shape, tasks, models, np.ones(len(part)))
    totals = {name: _dense(shape, tasks, models, part[name].to_numpy(dtype=float))
              for name in ("prompt_strict", "prompt_loose", "n_strict", "n_loose", "n_checked")}
    blocks: dict[str, list[np.ndarray]] = {
        m: [] for m in ("prompt_strict", "prompt_loose", "inst_strict", "inst_loose")
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        for counts in resample_counts(shape[0], n_boot, group_rng(seed, suite, sha)):
            drawn = counts @ present
            checked = counts @ totals["n_checked"]
            blocks["prompt_strict"].append(counts @ totals["prompt_strict"] / drawn)
            blocks["prompt_loose"].append(counts @ totals["prompt_loose"] / drawn)
            blocks["inst_strict"].append(counts @ totals["n_strict"] / checked)
            blocks["inst_loose"].append(counts @ totals["n_loose"] / checked)
    frame = pd.DataFrame({"model": list(names), "suite": suite, "suite_sha256": sha})
    for metric, parts in blocks.items():
        frame[f"{metric}_ci_low"], frame[f"{metric}_ci_high"] = _bounds(np.vstack(parts))
    return frame


def intervals(tasks: pd.DataFrame, *, seed: int = 0, n_boot: int = DEFAULT_BOOTSTRAP) -> pd.DataFrame:
    """95% bootstrap intervals of the four accuracies per (model, suite, suite_sha256).

    `tasks` is aggregate.task_scores(): one row per model and task, with prompt_strict,
    prompt_loose (sample means), n_strict, n_loose, n_checked (sample means).
    """
    frames = [
        _group_intervals(part, str(suite), str(sha), seed, n_boot)
        for (suite, sha), part in tasks.groupby(["suite", "suite_sha256"], observed=True, sort=False)
    ]
    return pd.concat(frames, ignore_index=True).set_index(["model", "suite", "suite_sha256"])


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """Two-sided exact McNemar p-value: discordant pairs against Binomial(n, 1/2)."""
    n, k = a_only + b_only, min(a_only, b_only)
    if n == 0:
        return 1.0
    i = np.arange(k)
    # log P(X = j) for j = 0..k, built by the ratio P(j+1)/P(j) = (n-j)/(j+1).
    logs = np.concatenate([[-n * np.log(2.0)], np.log((n - i) / (i + 1.0))]).cumsum()
    top = logs.max()
    return float(min(1.0, 2.0 * np.exp(top) * np.exp(logs - top).sum()))


@dataclass(frozen=True)
class Comparison:
    """Model A against model B on the tasks of one suite that both have."""

    model_a: str
    model_b: str
    suite: str
    suite_sha256: str
    n_tasks: int
    score_a: float
    """A's prompt_strict on the shared tasks."""
    score_b: float
    difference: float
    """score_a - score_b."""
    ci_low: float
    ci_high: float
    p_bootstrap: float
    a_only: int
    """McNemar: (task, sample) pairs A passes and B fails."""
    b_only: int
    p_mcnemar: float

    @property
    def significant(self) -> bool:
        """The 95% interval of the difference excludes 0."""
        return self.ci_low > 0 or self.ci_high < 0


def paired_comparison(
    samples: pd.DataFrame,
    model_a: str,
    model_b: str,
    *,
    metric: str = "prompt_strict",
    seed: int = 0,
    n_boot: int = DEFAULT_BOOTSTRAP,
) -> list[Comparison]:
    """One Comparison per (suite, suite_sha256) both models ran (see the module docstring)."""
    rows = samples[samples["model"].isin([model_a, model_b])]
    found = []
    for (suite, sha), part in rows.groupby(["suite", "suite_sha256"], observed=True, sort=True):
        outcome = part.pivot_table(
            index=["task_id", "sample"], columns="model", values=metric, observed=True,
            aggfunc="first",
        )
        if model_a not in outcome.columns or model_b not in outcome.columns:
            continue
        per_task = outcome.groupby(level="task_id", observed=True).mean()
        per_task = per_task.dropna(subset=[model_a, model_b]).sort_index(key=lambda i: i.astype(str))
        if per_task.empty:
            continue
        diff = (per_task[model_a] - per_task[model_b]).to_numpy(dtype=float)
        replicates = np.concatenate([
            counts @ diff / len(diff)
            for counts in resample_counts(len(diff), n_boot, group_rng(seed, str(suite), str(sha)))
        ])
        low, high = _bounds(replicates)
        below = int((replicates <= 0).sum()) + 1
        above = int((replicates >= 0).sum()) + 1
        pairs = outcome.dropna(subset=[model_a, model_b])
        a_pass, b_pass = pairs[model_a].astype(bool), pairs[model_b].astype(bool)
        a_only, b_only = int((a_pass & ~b_pass).sum()), int((~a_pass & b_pass).sum())
        found.append(Comparison(
            model_a=model_a, model_b=model_b, suite=str(suite), suite_sha256=str(sha),
            n_tasks=len(diff), score_a=float(per_task[model_a].mean()),
            score_b=float(per_task[model_b].mean()), difference=float(diff.mean()),
            ci_low=float(low), ci_high=float(high),
            p_bootstrap=min(1.0, 2 * min(below, above) / (len(replicates) + 1)),
            a_only=a_only, b_only=b_only, p_mcnemar=mcnemar_exact(a_only, b_only),
        ))
    return found


def assign_ranks(table: pd.DataFrame) -> pd.Series:
    """Rank per row (see the module docstring); needs prompt_strict and its interval columns."""
    ranks = pd.Series(1, index=table.index, dtype="int64")
    # rows without a protocol (no run.json; "" or, read back from a CSV, empty) rank together
    protocol = table["protocol"].fillna("") if "protocol" in table else pd.Series("", index=table.index)
    for _, part in table.assign(_protocol=protocol).groupby(["suite", "suite_sha256", "_protocol"], sort=False):
        part = part.sort_values("prompt_strict", ascending=False, kind="stable")
        missing = pd.Series(np.nan, index=part.index)  # rows published without intervals
        low = pd.to_numeric(part.get("prompt_strict_ci_low", missing)).to_numpy(dtype=float)
        high = pd.to_numeric(part.get("prompt_strict_ci_high", missing)).to_numpy(dtype=float)
        low = np.where(np.isnan(low), -np.inf, low)
        high = np.where(np.isnan(high), np.inf, high)
        lowest_above = np.minimum.accumulate(low)
        highest_below = np.maximum.accumulate(high[::-1])[::-1]
        start = 0
        for position in range(len(part)):
            if position and lowest_above[position - 1] > highest_below[position]:
                start = position
            ranks[part.index[position]] = start + 1
    return ranks
