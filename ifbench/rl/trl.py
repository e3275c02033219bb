"""A reward function for TRL's `GRPOTrainer(reward_funcs=...)`.

TRL calls a reward function with keyword arguments: `prompts`, `completions` (strings, or chat
message lists for conversational data), `completion_ids`, every other column of the dataset as
a list (one value per completion), and its own extras (`trainer_state`, ...). It logs the mean
reward as `rewards/<name>/mean`.

    from ifbench.rl.trl import RewardFunction
    trainer = GRPOTrainer(model=..., reward_funcs=RewardFunction(), train_dataset=dataset, ...)

The constraints of each completion come from a label column of the dataset, read with
`constraints_from_label`: `label_column` if given, else the first present of `constraints`,
`ground_truth` (open-instruct, `allenai/IF_multi_constraints_upto5`), or the IFEval pair
`instruction_id_list` + `kwargs`. Labels are parsed once and remembered.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ifbench.checking.evaluate import CheckMode
from ifbench.errors import ConstraintError
from ifbench.rl.api import Credit, check_options
from ifbench.rl.batch import rewards
from ifbench.rl.guards import Guard
from ifbench.rl.labels import constraints_from_label, from_instructions
from ifbench.rl.messages import completion_text, prompt_text

LABEL_COLUMNS = ("constraints", "ground_truth")
"""Label columns looked for, in order, when no `label_column` is given."""
TRL_ARGUMENTS = frozenset({"completion_ids", "trainer_state", "log_extra", "log_metric", "environments"})
MAX_REMEMBERED = 65_536
"""Parsed labels kept; a data set with more distinct labels re-parses the oldest."""


class RewardFunction:
    """Callable as TRL's reward function; its `__name__` names the logged reward."""

    def __init__(self, *, label_column: str | None = None, mode: CheckMode = "strict",
                 credit: Credit = "fraction", workers: int | None = None,
                 guards: Sequence[Guard] = (), name: str = "ifbench"):
        check_options(mode, credit)
        self.label_column, self.mode, self.credit = label_column, mode, credit
        self.workers, self.guards, self.__name__ = workers, tuple(guards), name
        self._parsed: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (),
                 **columns: Any) -> list[float]:
        labels = self._labels(columns, len(completions))
        constraints = [self._constraints(label) for label in labels]
        texts = [completion_text(c) for c in completions]
        prompt_list = [prompt_text(p) for p in prompts] if prompts is not None else None
        return rewards(texts, constraints, prompts=prompt_list, mode=self.mode, credit=self.credit,
                       workers=self.workers, guards=self.guards)

    def _labels(self, columns: dict[str, Any], n: int) -> list[Any]:
        if self.label_column is not None:
            if self.label_column not in columns:
                raise ConstraintError(f"the dataset has no label column '{self.label_column}'; "
                                      f"its columns: {self._names(columns)}")
            return list(columns[self.label_column])
        for name in LABEL_COLUMNS:
            if name in columns:
                return list(columns[name])
        if "instruction_id_list" in columns and "kwargs" in columns:
            return [{"instruction_id_list": ids, "kwargs": kw}
                    for ids, kw in zip(columns["instruction_id_list"], columns["kwargs"])]
        raise ConstraintError(
            f"no label column: looked for {', '.join(LABEL_COLUMNS)} and instruction_id_list + kwargs; "
            f"the dataset's columns: {self._names(columns)} (pass label_column=...)"
        )

    def _constraints(self, label: Any) -> list[dict[str, Any]]:
        key = label if isinstance(label, str) else json.dumps(label, sort_keys=True, default=repr)
        if key not in self._parsed:
            if len(self._parsed) >= MAX_REMEMBERED:
                self._parsed.pop(next(iter(self._parsed)))
            if isinstance(label, dict) and "instruction_id_list" in label and "kwargs" in label:
                self._parsed[key] = from_instructions(label["instruction_id_list"], label["kwargs"])
            else:
                self._parsed[key] = constraints_from_label(label)
        return self._parsed[key]

    @staticmethod
    def _names(columns: dict[str, Any]) -> str:
        return ", ".join(sorted(set(columns) - TRL_ARGUMENTS)) or "none"
