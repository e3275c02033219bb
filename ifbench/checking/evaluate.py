"""Running one constraint on one response: `ifbench.check` and the pieces scoring reuses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ifbench.checking import budget
from ifbench.checking.base import Checker, Context, Params, Verdict
from ifbench.checking.loose import loose_variants
from ifbench.checking.registry import all_checkers, get_checker, parse_params
from ifbench.errors import ConstraintError

CheckMode = Literal["strict", "loose"]
"""Strict: the response as it is; loose: IFEval's variants of it (see loose.py)."""

CHECK_BUDGET_S = 5.0
"""How long one `evaluate` call may take, all loose variants together, so a pathological reply
costs a run this much at most. Honest replies finish far sooner: the slowest checker takes
about 0.8 s per MB of reply, loose (bench/bench_hostile.py on 2 cores)."""


@dataclass(frozen=True)
class BoundConstraint:
    """A constraint whose checker is resolved and whose parameters are validated."""

    checker: Checker[Any]
    params: Params

    @property
    def id(self) -> str:
        return self.checker.id


def bind(constraint: Mapping[str, Any]) -> BoundConstraint:
    """Resolve `{"id": ..., **params}`; ConstraintError if the id or a parameter is bad."""
    if not isinstance(constraint, Mapping):
        raise ConstraintError(
            f"a constraint is a mapping like {{'id': 'length.words', 'max': 100}}, not {constraint!r}"
        )
    fields = dict(constraint)
    cid = fields.pop("id", None)
    if not isinstance(cid, str):
        raise ConstraintError(f"constraint {dict(constraint)!r} has no string 'id'")
    spec = get_checker(cid)
    return BoundConstraint(spec, parse_params(spec, fields))


def evaluate(bound: BoundConstraint, response: str, context: Context, mode: CheckMode) -> Verdict:
    """The verdict of `bound` on `response`; never raises for any response text.

    A checker still busy after CHECK_BUDGET_S fails with a reason saying so.
    """
    if mode not in ("strict", "loose"):
        raise ValueError(f"mode must be 'strict' or 'loose', not {mode!r}")
    try:
        return budget.within(CHECK_BUDGET_S, _evaluate, bound, response, context, mode)
    except budget.OverBudget as over:
        return Verdict(
            passed=False,
            reason=f"checker {bound.id} gave up after {over.seconds:g} s on this response "
            f"({len(response)} characters)",
        )


def _evaluate(bound: BoundConstraint, response: str, context: Context, mode: CheckMode) -> Verdict:
    if mode == "strict":
        return _run(bound, response, context)
    first: Verdict | None = None
    seen: set[str] = set()
    for name, text in loose_variants(response):
        if text in seen or (first is not None and not text.strip()):
            continue
        seen.add(text)
        verdict = _run(bound, text, context)
        if verdict.passed:
            suffix = "" if first is None else f" (loose: {name})"
            return Verdict(passed=True, reason=verdict.reason + suffix)
        first = first or verdict
    assert first is not None
    return Verdict(passed=False, reason=first.reason + "; no loose variant passes either")


def _run(bound: BoundConstraint, response: str, context: Context) -> Verdict:
    if not response.strip():
        return Verdict(passed=False, reason="the response is empty")
    try:
        return bound.checker(response, bound.params, context)
    except ConstraintError:
        raise  # a usage error (e.g. no prompt for content.repeat_prompt), not a text problem
    except Exception as error:  # a checker bug must not stop a run; the verdict says so
        return Verdict(
            passed=False,
            reason=f"checker {bound.id} failed on this response: {type(error).__name__}: {error}",
        )


def check(
    text: str,
    constraint: Mapping[str, Any],
    *,
    prompt: str | None = None,
    mode: CheckMode = "strict",
    language: str | None = None,
) -> Verdict:
    """Check `text` against one constraint, e.g. `{"id": "length.words", "max": 100}`.

    `prompt` is the task prompt (used by `content.repeat_prompt` and IFEval's checkers);
    `mode="loose"` passes if any of IFEval's loose variants of `text` passes.
    Raises ConstraintError for an unknown id or bad parameters, never for the text.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return evaluate(bind(constraint), text, Context(prompt=prompt, language=language), mode)


def checkers_catalog() -> list[tuple[str, str, dict[str, Any]]]:
    """(id, one-line description, params JSON schema) for every registered checker."""
    return [(spec.id, spec.description, spec.params_schema()) for spec in all_checkers()]
