"""Checker verdicts as RL rewards: `reward`, `rewards` and `reward_details`.

A reward is computed on the answer, not on the raw reply: reasoning blocks are removed first by
the rule scoring uses (checking/reasoning.py); a block that never closes leaves no answer, and
every constraint fails. Then each constraint is checked (strict or loose) within the per-check
time budget (checking/budget.py), so no reply can raise or hang:

- `credit="fraction"`: the share of constraints met (0.0, 0.2, ..., 1.0);
- `credit="all"`: 1.0 only when every constraint is met, else 0.0.

Optional guards (guards.py) then zero or scale the reward of replies that game the checkers.

Constraints are bound (their checker found, their parameters validated) once per call, before
any reply is checked, so a bad one raises ConstraintError at once. The same inputs always give
the same rewards. `rewards` (batch.py) scores many replies, in worker processes if asked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ifbench.checking.base import Context
from ifbench.checking.evaluate import BoundConstraint, CheckMode, bind, evaluate
from ifbench.checking.reasoning import ReasoningStatus, split_reasoning
from ifbench.errors import ConstraintError
from ifbench.rl.guards import Guard, GuardOutcome, apply_guards

Credit = Literal["fraction", "all"]
CREDITS: tuple[Credit, ...] = ("fraction", "all")
MODES: tuple[CheckMode, ...] = ("strict", "loose")

UNCLOSED_REASON = "no answer: the reasoning block never closed (cut at the token cap?)"


@dataclass(frozen=True)
class ConstraintVerdict:
    """One constraint's outcome on one reply."""

    id: str
    """The checker id, e.g. `length.words` or `ifeval:punctuation:no_comma`."""
    passed: bool
    reason: str
    """What was measured and what was required."""


@dataclass(frozen=True)
class RewardDetails:
    """Why a reply got its reward: each constraint's verdict and each guard's outcome."""

    verdicts: tuple[ConstraintVerdict, ...]
    reasoning: ReasoningStatus
    """`none` (no reasoning tag), `stripped` (blocks removed) or `unclosed` (no answer)."""
    guards: tuple[GuardOutcome, ...] = ()
    """The outcome of each guard asked for, in order; empty without guards."""

    def reward(self, credit: Credit = "fraction") -> float:
        """The reward these verdicts earn under `credit`, scaled by the guards."""
        passed = sum(verdict.passed for verdict in self.verdicts)
        if credit == "all":
            base = 1.0 if passed == len(self.verdicts) else 0.0
        else:
            base = passed / len(self.verdicts)
        for outcome in self.guards:
            base *= outcome.factor
        return base


def constraints_key(constraints: Sequence[Mapping[str, Any]]) -> str:
    """A canonical text of a constraint list: equal lists, equal keys."""
    try:
        return json.dumps(constraints, sort_keys=True, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):  # keys that do not sort (1 and "a"), a list that holds itself
        return repr(constraints)


class ConstraintSet:
    """A list of constraints bound once, ready to score any number of replies."""

    def __init__(self, constraints: Sequence[Mapping[str, Any]], key: str | None = None):
        if isinstance(constraints, (str, bytes, Mapping)) or not isinstance(constraints, Sequence):
            raise ConstraintError(
                "constraints are a list of mappings like [{'id': 'length.words', 'max': 100}], "
                f"not {type(constraints).__name__}"
            )
        if not constraints:
            raise ConstraintError("a reward needs at least one constraint; the list is empty")
        self.constraints = [dict(constraint) if isinstance(constraint, Mapping) else constraint
                            for constraint in constraints]
        self.bound: tuple[BoundConstraint, ...] = tuple(bind(c) for c in self.constraints)
        self.key = key if key is not None else constraints_key(self.constraints)
        """`constraints_key` of the list: equal lists, equal keys (given when already known)."""

    def details(self, response: Any, prompt: str | None, mode: CheckMode,
                guards: Sequence[Guard] = ()) -> RewardDetails:
        """The verdicts on `response`; never raises for the reply, whatever it holds."""
        if not isinstance(response, str):
            reason = f"no answer: the response is {type(response).__name__}, not text"
            return RewardDetails(self._all_fail(reason), "none", ())
        answer = split_reasoning(response)
        if answer.reasoning == "unclosed":
            return RewardDetails(self._all_fail(UNCLOSED_REASON), "unclosed")
        context = Context(prompt=prompt)
        verdicts = []
        for bound in self.bound:
            verdict = evaluate(bound, answer.text, context, mode)
            verdicts.append(ConstraintVerdict(bound.id, verdict.passed, verdict.reason))
        outcomes = apply_guards(guards, answer.text, prompt, self.constraints)
        return RewardDetails(tuple(verdicts), answer.reasoning, outcomes)

    def _all_fail(self, reason: str) -> tuple[ConstraintVerdict, ...]:
        return tuple(ConstraintVerdict(bound.id, False, reason) for bound in self.bound)


def check_options(mode: str, credit: str) -> None:
    """ValueError for a mode or credit that is not one of the allowed ones."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if credit not in CREDITS:
        raise ValueError(f"credit must be one of {', '.join(CREDITS)}, not {credit!r}")


def reward_details(
    response: str,
    constraints: Sequence[Mapping[str, Any]],
    *,
    prompt: str | None = None,
    mode: CheckMode = "strict",
    guards: Sequence[Guard] = (),
) -> RewardDetails:
    """Each constraint's verdict on `response` (after its reasoning is removed), with reasons.

    `details.reward("fraction")` or `details.reward("all")` is the reward they earn.
    """
    check_options(mode, "fraction")
    return ConstraintSet(constraints).details(response, prompt, mode, guards)


def reward(
    response: str,
    constraints: Sequence[Mapping[str, Any]],
    *,
    prompt: str | None = None,
    mode: CheckMode = "strict",
    credit: Credit = "fraction",
    guards: Sequence[Guard] = (),
) -> float:
    """The reward of one reply: the share of `constraints` it meets (`credit="all"`: 1.0 or 0.0).

    `constraints` is a list like `[{"id": "length.words", "max": 100}, {"id":
    "ifeval:punctuation:no_comma"}]` (any namespace; training-data labels convert with
    `ifbench.rl.constraints_from_label`). `prompt` is the task prompt, which some checkers
    read (`content.repeat_prompt`, IFEval's `combination:repeat_prompt`). ConstraintError for a
    bad constraint; never an error for the reply.
    """
    check_options(mode, credit)
    return ConstraintSet(constraints).details(response, prompt, mode, guards).reward(credit)
