"""Per-task detail for the HTML report: prompt, each model's reply and every verdict's reason.

A reply is kept as its answer, the text outside reasoning blocks (by the rule of
checking/reasoning.py; what the checkers saw unless the run kept reasoning), with its reasoning
apart: the whole reply when it had blocks, and the reasoning a server returned separately.

Only the tasks shown are kept: a second pass over results.jsonl (and responses.jsonl, when it
sits next to it) picks their lines, so a large run costs no more memory than a small one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ifbench.checking.reasoning import split_reasoning
from ifbench.errors import LeaderboardError
from ifbench.leaderboard.aggregate import TASK_KEY
from ifbench.leaderboard.columns import MAX_TASKS
from ifbench.leaderboard.load import Results
from ifbench.records import read_jsonl

MAX_CHARS = 20_000
"""Longer responses are cut for display (the report says how long they were)."""


@dataclass
class TurnText:
    prompt: str
    answer: str
    """The reply without its reasoning blocks (the rule of checking/reasoning.py), cut for display."""
    answer_length: int
    """Characters in the whole answer."""
    with_reasoning: str | None = None
    """The whole reply, reasoning blocks included, when it had any; cut for display."""
    reasoning_apart: str | None = None
    """Reasoning the server returned apart from the reply (`reasoning_content`); cut for display."""


@dataclass
class Answer:
    """One model's first sample on a task."""

    model: str
    sample: int
    prompt_strict: bool
    prompt_loose: bool
    error: str | None
    reasoning: str | None
    """What scoring did with the reply's reasoning (results.jsonl `reasoning`)."""
    verdicts: list[dict[str, Any]]
    turns: dict[int, TurnText] | None = None
    """By turn; None when no responses.jsonl sits next to the results."""


@dataclass
class TaskDetail:
    suite: str
    suite_sha256: str
    task_id: str
    language: str
    category: str
    pattern: str
    disagree: bool
    """Models differ on prompt-level strict accuracy for this task."""
    answers: list[Answer] = field(default_factory=list)

    @property
    def prompts(self) -> dict[int, str]:
        """The prompt of each turn, from whichever model's responses have it."""
        found: dict[int, str] = {}
        for answer in self.answers:
            for turn, text in (answer.turns or {}).items():
                if text.prompt and turn not in found:
                    found[turn] = text.prompt
        return dict(sorted(found.items()))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def natural(text: str) -> tuple[str | int, ...]:
    """Sort key putting `t2` before `t10`."""
    parts = re.split(r"(\d+)", text)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def select(tasks: pd.DataFrame, max_tasks: int) -> pd.DataFrame:
    """The tasks to show: those where models' task scores differ first, then by suite and id."""
    key = ["suite", "suite_sha256", "task_id"]
    plain = tasks[[*key, "prompt_strict"]].astype({k: str for k in key})
    spread = plain.groupby(key)["prompt_strict"].agg(["min", "max"]).reset_index()
    spread["disagree"] = spread["max"] > spread["min"]
    rows = list(zip(spread["disagree"], spread["suite"], spread["suite_sha256"], spread["task_id"]))
    order = sorted(range(len(rows)), key=lambda i: (not rows[i][0], rows[i][1], rows[i][2], natural(rows[i][3])))
    return spread.iloc[order[:max_tasks]][[*key, "disagree"]]


def collect(
    results: Results, tasks: pd.DataFrame, *, max_tasks: int = MAX_TASKS, max_chars: int = MAX_CHARS
) -> tuple[list[TaskDetail], int]:
    """Details of up to `max_tasks` tasks, and how many tasks there are in all."""
    chosen = select(tasks, max_tasks)
    total = int(tasks[["suite", "suite_sha256", "task_id"]].astype(str).drop_duplicates().shape[0])
    samples = results.samples
    first = (
        samples.groupby(TASK_KEY, observed=True, sort=False)["sample"].idxmin().to_numpy()
    )
    picked = samples.loc[first, [*TASK_KEY, "sample", "source"]].astype({k: str for k in TASK_KEY})
    picked = picked.merge(chosen, on=["suite", "suite_sha256", "task_id"])
    details: dict[tuple[str, str, str], TaskDetail] = {}
    for suite, sha, task_id, disagree in chosen.itertuples(index=False):
        details[(suite, sha, task_id)] = TaskDetail(suite, sha, task_id, "", "", "", bool(disagree))
    wanted: dict[int, dict[tuple[str, str, str, str, int], TaskDetail]] = {}
    for row in picked.itertuples(index=False):
        key = (row.model, row.suite, row.suite_sha256, row.task_id, int(row.sample))
        wanted.setdefault(int(row.source), {})[key] = details[(row.suite, row.suite_sha256, row.task_id)]
    for index, source in enumerate(results.sources):
        keys = wanted.get(index)
        if not keys:
            continue
        answers: dict[tuple[str, str, str, int], Answer] = {}
        for _, rec in read_jsonl(source.path, LeaderboardError):
            key = (rec["model"], rec["suite"], rec.get("suite_sha256") or "", str(rec["task_id"]),
                   int(rec.get("sample") or 0))
            detail = keys.get(key)
            if detail is None:
                continue
            detail.language = _text(rec.get("language"))
            detail.category = _text(rec.get("category"))
            detail.pattern = _text(rec.get("pattern"))
            answer = Answer(
                model=key[0], sample=key[4], prompt_strict=bool(rec["prompt_strict"]),
                prompt_loose=bool(rec["prompt_loose"]), error=rec.get("error"),
                reasoning=rec.get("reasoning") if isinstance(rec.get("reasoning"), str) else None,
                verdicts=list(rec.get("constraints") or []),
            )
            detail.answers.append(answer)
            answers[(key[0], key[1], key[3], key[4])] = answer
        if source.responses is not None:
            _attach_responses(source.responses, answers, max_chars)
    ordered = [details[k] for k in details]
    for detail in ordered:
        detail.answers.sort(key=lambda a: a.model)
    return ordered, total


def _attach_responses(path: Any, answers: dict[tuple[str, str, str, int], Answer], max_chars: int) -> None:
    for _, rec in read_jsonl(path, LeaderboardError):
        key = (rec.get("model"), rec.get("suite"), str(rec.get("task_id")), int(rec.get("sample") or 0))
        answer = answers.get(key)  # type: ignore[arg-type]
        if answer is None:
            continue
        reply = _text(rec.get("response"))
        shown = split_reasoning(reply).text
        turn = int(rec.get("turn") or 0)
        if answer.turns is None:
            answer.turns = {}
        answer.turns[turn] = TurnText(
            prompt=_text(rec.get("prompt"))[:max_chars], answer=shown[:max_chars],
            answer_length=len(shown), with_reasoning=reply[:max_chars] if shown != reply else None,
            reasoning_apart=_text(rec.get("reasoning_content"))[:max_chars] or None,
        )
