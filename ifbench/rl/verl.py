"""verl reward functions: `compute_score` (verl's naive reward manager) and `compute_score_batch`.

verl calls a custom reward function with keyword arguments: the naive manager per reply as
`compute_score(data_source=, solution_str=, ground_truth=, extra_info=, **reward_kwargs)`, the
batch manager (`reward_model.reward_manager=batch`) once per batch as
`compute_score(data_sources=, solution_strs=, ground_truths=, extra_infos=, **reward_kwargs)`.
Point `custom_reward_function.path` at this file's module path and `.name` at one of them;
`reward_kwargs` may set `mode`, `credit` and `workers` (batch only).

`ground_truth` is the sample's label, read by `constraints_from_label` (open-instruct's
`ground_truth`, an IFEval record, or a list of ifbench constraints). `solution_str` is the decoded
reply; its reasoning is removed before checking. The prompt, which a few checkers read, comes
from `extra_info["prompt"]` (a string or chat messages) when the data set keeps it there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ifbench.checking.evaluate import CheckMode
from ifbench.rl.api import Credit, reward
from ifbench.rl.batch import rewards
from ifbench.rl.labels import constraints_from_label
from ifbench.rl.messages import prompt_text


def _prompt(extra_info: Any) -> str | None:
    return prompt_text(extra_info.get("prompt")) if isinstance(extra_info, Mapping) else None


def compute_score(data_source: str, solution_str: str, ground_truth: Any, extra_info: Any = None, *,
                  mode: CheckMode = "strict", credit: Credit = "fraction") -> float:
    """The reward of one reply (`data_source` is not used: the label says what to check)."""
    return reward(solution_str, constraints_from_label(ground_truth), prompt=_prompt(extra_info),
                  mode=mode, credit=credit)


def compute_score_batch(data_sources: Sequence[str], solution_strs: Sequence[str],
                        ground_truths: Sequence[Any], extra_infos: Sequence[Any] | None = None, *,
                        mode: CheckMode = "strict", credit: Credit = "fraction",
                        workers: int | None = None) -> list[float]:
    """The rewards of a batch, in order: what verl's batch reward manager expects."""
    infos = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    parsed: dict[str, list[dict[str, Any]]] = {}  # a group of replies shares its label: read it once
    constraints = []
    for label in ground_truths:
        if not isinstance(label, str):
            constraints.append(constraints_from_label(label))
            continue
        if label not in parsed:
            parsed[label] = constraints_from_label(label)
        constraints.append(parsed[label])
    return rewards(list(solution_strs), constraints,
                   prompts=[_prompt(info) for info in infos], mode=mode, credit=credit, workers=workers)
