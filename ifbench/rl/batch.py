"""`rewards`: many replies at once, each constraint list bound once, optionally in processes.

`constraints` is either one list of constraint mappings shared by every reply, or a list of
such lists, one per reply (a GRPO batch: each prompt's group of replies shares its labels).
Identical lists are bound once. With `workers > 1` the replies are split into contiguous
chunks scored by this process and a pool of `workers - 1` worker processes (pool.py); the rewards
come back in order and are the same as with one worker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ifbench.checking.evaluate import CheckMode
from ifbench.errors import ConstraintError
from ifbench.rl import pool
from ifbench.rl.api import ConstraintSet, Credit, check_options, constraints_key
from ifbench.rl.guards import Guard

Constraints = Sequence[Mapping[str, Any]]


def rewards(
    responses: Sequence[str],
    constraints: Constraints | Sequence[Constraints],
    *,
    prompts: Sequence[str | None] | None = None,
    mode: CheckMode = "strict",
    credit: Credit = "fraction",
    workers: int | None = None,
    guards: Sequence[Guard] = (),
) -> list[float]:
    """The reward of each reply, in order (see `ifbench.reward`).

    `constraints`: one list shared by all replies, or one list per reply. `prompts`: None, or one
    prompt per reply. `workers`: None or 1 scores in this process; N > 1 in N processes (this
    one and N - 1 workers, kept for later calls with the same N). Every constraint is bound
    before any reply is checked.
    """
    check_options(mode, credit)
    if isinstance(responses, (str, bytes)) or not isinstance(responses, Sequence):
        raise TypeError(f"responses must be a list of strings, not {type(responses).__name__}")
    n = len(responses)
    if prompts is not None and len(prompts) != n:
        raise ValueError(f"{len(prompts)} prompts for {n} responses: give one prompt per response")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ValueError(f"workers must be a positive integer or None, not {workers!r}")
    sets, which = constraint_sets(constraints, n)
    prompt_list = list(prompts) if prompts is not None else [None] * n
    guard_list = tuple(guards)
    items = list(zip(responses, prompt_list, which))
    if workers is None or workers == 1 or n < 2:
        return pool.rewards_here(sets, items, mode, credit, guard_list)
    return pool.score(sets, items, mode, credit, guard_list, workers)


def constraint_sets(constraints: Constraints | Sequence[Constraints],
                    n: int) -> tuple[list[ConstraintSet], list[int]]:
    """The distinct constraint lists, bound once each, and the index of the one each reply uses."""
    if isinstance(constraints, (str, bytes, Mapping)) or not isinstance(constraints, Sequence):
        raise ConstraintError(
            "constraints are one list of mappings shared by all responses, or one such list per "
            f"response; not {type(constraints).__name__}"
        )
    if constraints and all(isinstance(c, Mapping) for c in constraints):
        return [ConstraintSet(constraints)], [0] * n  # type: ignore[arg-type]
    if len(constraints) != n:
        raise ConstraintError(
            f"{len(constraints)} constraint lists for {n} responses: give one list per response, "
            "or one list of constraint mappings shared by all"
        )
    constraints = list(constraints)  # every entry alive while its id() is a key below
    sets: list[ConstraintSet] = []
    index_of: dict[str, int] = {}
    by_object: dict[int, int] = {}  # a list object seen before needs no key (labels parsed once)
    which = []
    for position, entry in enumerate(constraints):
        if id(entry) not in by_object:
            key = constraints_key(entry)  # type: ignore[arg-type]
            if key not in index_of:
                try:
                    sets.append(ConstraintSet(entry, key))  # type: ignore[arg-type]
                except ConstraintError as error:
                    raise ConstraintError(f"constraints of response {position}: {error}") from None
                index_of[key] = len(sets) - 1
            by_object[id(entry)] = index_of[key]
        which.append(by_object[id(entry)])
    return sets, which
