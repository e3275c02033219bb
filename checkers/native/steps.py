"""Multi-step completeness: every step appears, in order, and each step's segment meets its own constraints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import regex
from pydantic import Field, PrivateAttr, field_validator, model_validator

from ifbench.checking.base import Context, Example, LintHints, Params, Verdict, plural
from ifbench.checking.evaluate import BoundConstraint, bind, evaluate
from ifbench.checking.registry import checker
from ifbench.checking.text import fold, has_cjk, truncate
from ifbench.errors import ConstraintError

# A user-supplied marker must not hang a run: each search is time-bounded.
MARKER_TIMEOUT_S = 0.5


class Step(Params):
    marker: str = Field(min_length=1)
    """A regular expression (case-insensitive) that marks where the step begins, e.g. `总结|summary`."""
    constraints: list[dict[str, Any]] = Field(default_factory=list)
    """Constraints checked on the step's segment (from its marker to the next marker)."""

    _pattern: Any = PrivateAttr()
    _bound: tuple[BoundConstraint, ...] = PrivateAttr()

    @field_validator("marker")
    @classmethod
    def _compiles(cls, marker: str) -> str:
        try:
            regex.compile(marker, regex.IGNORECASE)
        except regex.error as error:
            raise ValueError(f"invalid regular expression {marker!r}: {error}") from None
        return marker

    @model_validator(mode="after")
    def _bind(self) -> Step:
        self._pattern = regex.compile(self.marker, regex.IGNORECASE)
        try:
            self._bound = tuple(bind(constraint) for constraint in self.constraints)
        except ConstraintError as error:
            raise ValueError(f"in the constraints of step {self.marker!r}: {error}") from None
        return self


class StepsParams(Params):
    steps: list[Step] = Field(min_length=1)
    """The steps in the order the response must take them."""


def _label(index: int, found: str, context: Context) -> str:
    text = truncate(found, 20)
    return f"第{index}步「{text}」" if context.language == "zh" else f"step {index} '{text}'"


def _step_constraints(params: StepsParams) -> list[dict[str, Any]]:
    """The constraints nested in the steps, for validation, lint and the suite card."""
    return [constraint for step in params.steps for constraint in step.constraints]


def _requested_markers(params: StepsParams, prompt: str) -> Iterator[str]:
    """Each marker matches the prompt or shares a word with it; or the one-letter markers spell
    a word the prompt names (an acrostic: ^H ^O ^P ^E for "HOPE")."""
    letters = "".join(_literal(step.marker) for step in params.steps)
    if len(letters) == len(params.steps) > 1 and fold(letters) in fold(prompt):
        return
    for step in params.steps:
        try:
            if regex.search(step.marker, prompt, regex.IGNORECASE, timeout=MARKER_TIMEOUT_S):
                continue
        except TimeoutError:
            pass
        words = [w for w in _literal(step.marker).split() if len(w) > 1 or has_cjk(w)]
        if not any(fold(word) in fold(prompt) for word in words):
            yield f"marker {step.marker!r} matches nothing the prompt mentions"


def _literal(marker: str) -> str:
    """The letters and digits a marker spells, regex syntax (`(?m)`, `\\s`, `^`, `|`) removed."""
    return " ".join(regex.findall(r"[\p{L}\p{N}]+", regex.sub(r"\(\?[a-zA-Z]+\)|\\[a-zA-Z]", " ", marker)))


@checker(
    "steps.ordered",
    StepsParams,
    examples=[
        Example(
            "Summary: the paper studies sleep.\nQuestions: Why? How? When?",
            {"steps": [{"marker": "summary"}, {"marker": "questions", "constraints": [{"id": "content.questions", "exact": 3}]}]},
            True,
        ),
        Example(
            "Questions: Why? How?\nSummary: the paper studies sleep.",
            {"steps": [{"marker": "summary"}, {"marker": "questions"}]},
            False,
        ),
        Example(
            "总结：这篇论文研究睡眠。\n问题：为什么？怎样？何时？",
            {"steps": [{"marker": "总结"}, {"marker": "问题", "constraints": [{"id": "content.questions", "exact": 3}]}]},
            True,
        ),
        Example(
            "总结：这篇论文研究睡眠。\n问题：为什么？怎样？",
            {"steps": [{"marker": "总结"}, {"marker": "问题", "constraints": [{"id": "content.questions", "exact": 3}]}]},
            False,
        ),
    ],
    lint=LintHints(requested=_requested_markers),
    children=_step_constraints,
)
def steps_ordered(response: str, params: StepsParams, context: Context) -> Verdict:
    """Every step's marker is found after the previous one, and each step's segment meets its constraints."""
    starts: list[tuple[int, str]] = []
    position = 0
    for index, step in enumerate(params.steps, start=1):
        try:
            match = step._pattern.search(response, position, timeout=MARKER_TIMEOUT_S)
        except TimeoutError:
            return Verdict(
                passed=False,
                reason=f"step {index}: marker {step.marker!r} took over {MARKER_TIMEOUT_S}s to search; "
                "simplify the regular expression",
            )
        if match is None:
            after = "" if index == 1 else f" after step {index - 1}"
            return Verdict(passed=False, reason=f"step {index}: marker {step.marker!r} not found{after}")
        starts.append((match.start(), match.group()))
        position = max(match.end(), match.start() + 1)
    segments = [
        response[start : starts[i + 1][0] if i + 1 < len(starts) else len(response)]
        for i, (start, _) in enumerate(starts)
    ]
    failures = []
    for index, (step, segment, (_, found)) in enumerate(zip(params.steps, segments, starts), start=1):
        for bound in step._bound:
            verdict = evaluate(bound, segment, context, "strict")
            if not verdict.passed:
                failures.append(f"{_label(index, found, context)}: {verdict.reason}")
    if failures:
        return Verdict(passed=False, reason="; ".join(failures))
    checked = sum(len(step._bound) for step in params.steps)
    order = " → ".join(f"'{truncate(found, 20)}'" for _, found in starts)
    passes = "" if not checked else "; the step constraint passes" if checked == 1 else f"; all {checked} step constraints pass"
    return Verdict(passed=True, reason=f"all {plural(len(params.steps), 'step')} found in order: {order}{passes}")
