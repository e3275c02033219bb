"""Scoring: responses + tasks -> results (strict and loose, prompt- and instruction-level).

`score` is the one scoring loop: `ifbench score` runs it on a responses file, `ifbench run` on
the replies it has just journaled. `provenance` says who scored which responses, and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from ifbench.checking.base import Context
from ifbench.checking.evaluate import BoundConstraint, evaluate
from ifbench.checking.reasoning import strip_reasoning
from ifbench.errors import ResponsesError
from ifbench.records import (
    ConstraintResult,
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
    suite_sha256: str = "",
    bound: list[list[BoundConstraint]] | None = None,
) -> ResultRecord:
    """Check every turn's reply against that turn's constraints.

    `replies[i]` answers turn i; a missing or errored reply fails all of its constraints
    (and those of later turns), with the reason saying so.
    """
    turns = task.user_turns()
    bound = bound if bound is not None else [[c.bind() for c in turn.constraints] for turn in turns]
    results: list[ConstraintResult] = []
    task_error: str | None = None
    for index, (turn, turn_bound) in enumerate(zip(turns, bound)):
        reply = replies[index] if index < len(replies) else None
        if task_error is None:
            if reply is None:
                task_error = f"no response for turn {index}"
            elif reply.error:
                task_error = f"turn {index}: {reply.error}"
        context = Context(prompt=turn.prompt, language=task.language)
        for constraint, spec in zip(turn.constraints, turn_bound):
            if task_error is not None:
                reason = f"not checked: {task_error}"
                results.append(
                    ConstraintResult(
                        id=spec.id, params=constraint.params, strict=False, loose=False,
                        reason=reason, turn=index,
                    )
                )
                continue
            assert reply is not None
            text = reply.response if keep_reasoning else strip_reasoning(reply.response)
            strict = evaluate(spec, text, context, "strict")
            loose = strict if strict.passed else evaluate(spec, text, context, "loose")
            results.append(
                ConstraintResult(
                    id=spec.id,
                    params=constraint.params,
                    strict=strict.passed,
                    loose=loose.passed,
                    reason=strict.reason,
                    loose_reason=None if loose is strict else loose.reason,
                    turn=index,
                )
            )
    return ResultRecord(
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
        suite_sha256=suite_sha256,
    )


def score(
    tasks: list[Task],
    responses: Iterable[ResponseRecord],
    *,
    missing: MissingPolicy = "error",
    keep_reasoning: bool = False,
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
    )


def provenance(responses: Path) -> Scoring:
    """This scorer's version, the responses file's name and sha256, and the time now."""
    from ifbench import __version__

    return Scoring(
        ifbench_version=__version__,
        scored_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        responses=responses.name,
        responses_sha256=sha256_file(responses),
    )


def scored_manifest(
    previous: RunManifest | None, tasks: list[Task], results: list[ResultRecord], responses: Path
) -> RunManifest:
    """run.json after `ifbench score`: the run's own (if any) with this scoring's provenance."""
    scoring = provenance(responses)
    if previous is not None:
        return previous.model_copy(update={"scoring": scoring})
    return RunManifest(
        status="scored",
        ifbench_version=scoring.ifbench_version,
        model=", ".join(sorted({result.model for result in results})),
        suites=suite_hashes(tasks),
        finished_at=scoring.scored_at,
        scoring=scoring,
    )
