"""Scoring: responses + tasks -> results (strict and loose, prompt- and instruction-level).

`score` is the one scoring loop: `ifbench score` runs it on a responses file, `ifbench run` on
the replies it has just journaled. `provenance` says who scored which responses, and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, get_args

from ifbench.checking.base import Context
from ifbench.checking.evaluate import BoundConstraint, evaluate
from ifbench.checking.reasoning import UnclosedPolicy, split_reasoning
from ifbench.errors import ResponsesError
from ifbench.protocol import protocol_id, protocol_of
from ifbench.records import (
    ConstraintResult,
    ReasoningOutcome,
    ResponseRecord,
    ResultRecord,
    RunManifest,
    Scoring,
    sha256_file,
)
from ifbench.tasks.load import suite_hashes
from ifbench.tasks.models import Task

MissingPolicy = Literal["error", "fail"]


def score_task(
    task: Task,
    replies: list[ResponseRecord | None],
    *,
    model: str,
    sample: int = 0,
    keep_reasoning: bool = False,
    unclosed_reasoning: UnclosedPolicy = "empty",
    suite_sha256: str = "",
    bound: list[list[BoundConstraint]] | None = None,
) -> ResultRecord:
    """Check every turn's reply against that turn's constraints.

    `replies[i]` answers turn i; a missing or errored reply fails all of its constraints
    (and those of later turns), with the reason saying so. Reasoning is split off each reply
    first (checking/reasoning.py) unless `keep_reasoning`. The records are built without
    validation (`model_construct`): every value is made here, of its field's type.
    """
    turns = task.user_turns()
    bound = bound if bound is not None else [[c.bind() for c in turn.constraints] for turn in turns]
    results: list[ConstraintResult] = []
    task_error: str | None = None
    statuses: list[ReasoningOutcome] = []
    truncated = False
    for index, (turn, turn_bound) in enumerate(zip(turns, bound)):
        reply = replies[index] if index < len(replies) else None
        if task_error is None:
            if reply is None:
                task_error = f"no response for turn {index}"
            elif reply.error:
                task_error = f"turn {index}: {reply.error}"
        context = Context(prompt=turn.prompt, language=task.language)
        text, unanswered = "", None
        if task_error is None and reply is not None:
            text, status = _answer(reply, keep_reasoning, unclosed_reasoning)
            truncated = truncated or reply.finish_reason == "length"
            statuses.append(status)
            if status == "unclosed" and not text:
                unanswered = UNCLOSED_REASON
        for constraint, spec in zip(turn.constraints, turn_bound):
            if task_error is not None:
                reason = f"not checked: {task_error}"
                results.append(
                    ConstraintResult.model_construct(
                        id=spec.id, params=dict(constraint.params), strict=False, loose=False,
                        reason=reason, turn=index,
                    )
                )
                continue
            if unanswered is not None:
                results.append(ConstraintResult.model_construct(id=spec.id, params=dict(constraint.params), strict=False,
                                                loose=False, reason=unanswered, turn=index))
                continue
            strict = evaluate(spec, text, context, "strict")
            loose = strict if strict.passed else evaluate(spec, text, context, "loose")
            results.append(
                ConstraintResult.model_construct(
                    id=spec.id,
                    params=dict(constraint.params),
                    strict=strict.passed,
                    loose=loose.passed,
                    reason=strict.reason,
                    loose_reason=None if loose is strict else loose.reason,
                    turn=index,
                )
            )
    return ResultRecord.model_construct(
        task_id=task.id,
        suite=task.suite,
        model=model,
        sample=sample,
        language=task.language,
        category=task.category,
        pattern=task.pattern,
        prompt_strict=task_error is None and all(r.strict for r in results),
        prompt_loose=task_error is None and all(r.loose for r in results),
        constraints=results,
        error=task_error,
        truncated=truncated,
        reasoning=_worst(statuses),
        suite_sha256=suite_sha256,
    )


UNCLOSED_REASON = ("no answer: the reasoning block never closed (cut at the token cap?); "
                   "scored as empty (--unclosed-reasoning answer scores the text after the tag)")
_SEVERITY: tuple[ReasoningOutcome, ...] = get_args(ReasoningOutcome)


def _answer(reply: ResponseRecord, keep: bool,
            unclosed: UnclosedPolicy) -> tuple[str, ReasoningOutcome]:
    """The text to check and what happened to the reply's reasoning."""
    separate = bool((reply.model_extra or {}).get("reasoning_content"))
    if keep:
        found = split_reasoning(reply.response, unclosed).reasoning != "none"
        return reply.response, "kept" if found else ("separate" if separate else "none")
    answer = split_reasoning(reply.response, unclosed)
    return answer.text, "separate" if answer.reasoning == "none" and separate else answer.reasoning


def _worst(statuses: list[ReasoningOutcome]) -> ReasoningOutcome | None:
    """The turn status that says most (a task is `unclosed` if any turn was)."""
    return max(statuses, key=_SEVERITY.index) if statuses else None


def score(
    tasks: list[Task],
    responses: Iterable[ResponseRecord],
    *,
    missing: MissingPolicy = "error",
    keep_reasoning: bool = False,
    unclosed_reasoning: UnclosedPolicy = "empty",
) -> list[ResultRecord]:
    """Results for every (model, task, sample) in `responses`.

    A task with no response is a ResponsesError naming the tasks, unless `missing="fail"`,
    which scores it as failed.
    """
    by_key: dict[tuple[str, str, str, int], dict[int, ResponseRecord]] = {}
    samples: dict[str, set[int]] = {}
    for record in responses:
        by_key.setdefault((record.model, record.suite, record.task_id, record.sample), {})[
            record.turn
        ] = record
        samples.setdefault(record.model, set()).add(record.sample)
    if not samples:
        raise ResponsesError("no responses match these tasks")
    hashes = suite_hashes(tasks)
    bound = {id(task): [[c.bind() for c in t.constraints] for t in task.user_turns()] for task in tasks}
    results: list[ResultRecord] = []
    absent: list[str] = []
    for model in sorted(samples):
        for sample in sorted(samples[model]):
            for task in tasks:
                turns = by_key.get((model, task.suite, task.id, sample))
                if turns is None:
                    absent.append(f"{model}/{task.suite}/{task.id}" + (f"#{sample}" if sample else ""))
                replies = [(turns or {}).get(i) for i in range(len(task.user_turns()))]
                results.append(
                    score_task(
                        task, replies, model=model, sample=sample, keep_reasoning=keep_reasoning,
                        unclosed_reasoning=unclosed_reasoning,
                        suite_sha256=hashes[task.suite], bound=bound[id(task)],
                    )
                )
    if absent and missing == "error":
        shown = ", ".join(absent[:20]) + (f" and {len(absent) - 20} more" if len(absent) > 20 else "")
        raise ResponsesError(
            f"{len(absent)} task(s) have no response: {shown}; "
            "pass --missing fail to score them as failed"
        )
    return results


@dataclass(frozen=True)
class Summary:
    """The four headline accuracies (fractions in [0, 1]) and the counts behind them."""

    n_prompts: int
    n_instructions: int
    prompt_strict: float
    prompt_loose: float
    inst_strict: float
    inst_loose: float
    errors: int
    truncated: int = 0
    """Tasks (x samples) whose reply stopped at the token cap."""


def summarize(results: list[ResultRecord]) -> Summary:
    constraints = [c for r in results for c in r.constraints]

    def share(values: list[bool]) -> float:
        return sum(values) / len(values) if values else 0.0

    return Summary(
        n_prompts=len(results),
        n_instructions=len(constraints),
        prompt_strict=share([r.prompt_strict for r in results]),
        prompt_loose=share([r.prompt_loose for r in results]),
        inst_strict=share([c.strict for c in constraints]),
        inst_loose=share([c.loose for c in constraints]),
        errors=sum(r.error is not None for r in results),
        truncated=sum(r.truncated for r in results),
    )


def provenance(responses: Path, *, keep_reasoning: bool = False,
               unclosed_reasoning: UnclosedPolicy = "empty") -> Scoring:
    """This scorer's version and reasoning policy, the responses file's name and sha256, the time now."""
    from ifbench import __version__

    return Scoring(
        ifbench_version=__version__,
        scored_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        responses=responses.name,
        responses_sha256=sha256_file(responses),
        keep_reasoning=keep_reasoning,
        unclosed_reasoning=unclosed_reasoning,
    )


def with_protocol(manifest: RunManifest) -> RunManifest:
    """The manifest with its protocol (ifbench/protocol.py) and the protocol's id written out."""
    found = protocol_of(manifest.model_dump(mode="json"))
    if found is None:
        return manifest
    return manifest.model_copy(update={"protocol": found, "protocol_id": protocol_id(found)})


def scored_manifest(
    previous: RunManifest | None, tasks: list[Task], models: Iterable[str], responses: Path,
    scoring: Scoring,
) -> RunManifest:
    """run.json after `ifbench score`: the run's own (if any) with this scoring's provenance."""
    if previous is not None:
        return with_protocol(previous.model_copy(update={"scoring": scoring}))
    return RunManifest(
        status="scored",
        ifbench_version=scoring.ifbench_version,
        model=", ".join(sorted(set(models))),
        suites=suite_hashes(tasks),
        finished_at=scoring.scored_at,
        scoring=scoring,
    )
