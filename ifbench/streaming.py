"""`ifbench score` as a stream: results are written line by line, in `score`'s order, by N processes.

Memory does not grow with the replies: the responses file is indexed (responses.py), each
(task, sample) is read back, scored and written before the next, and only the counts behind the
summary are kept. What does grow: the index (about 300 bytes per response line) and the tasks
themselves (see tasks/load.py). Each task's constraints are bound once per process, however many
responses answer it.

With `workers` > 1 the (task, sample) items go to forked processes in batches, at most a few
batches per worker in flight. Only the keys cross the process boundary: each worker reads its
replies from the responses file by offset (the index is inherited by fork), scores them and
sends back the batch's results lines as one block of UTF-8 bytes with the batch's summed counts;
the parent writes the blocks in the same order as one process would.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ifbench.checking.evaluate import BoundConstraint
from ifbench.checking.reasoning import UnclosedPolicy
from ifbench.errors import OutputError, ResponsesError
from ifbench.records import dumps
from ifbench.responses import ResponseIndex, record_of
from ifbench.scoring import MissingPolicy, Summary, score_task
from ifbench.tasks.load import suite_hashes

PARALLEL_FROM = 2000
"""By default, files with fewer (task, sample) results than this are scored in one process:
forking and feeding workers costs more than it saves on a few seconds of work."""
BATCH = 512
"""(task, sample) items sent to a worker at once, at most: about 0.1 s of work, so the parent's cost
per batch (a message each way) stays small beside it. Smaller files get smaller batches, at least
MIN_BATCHES per worker, so that no worker is left with a long last batch while another waits."""
MIN_BATCHES = 8
IN_FLIGHT = 4
"""Batches per worker sent ahead of the one being written."""

Item = tuple[int, int, int, list[tuple[bytes, bool, int] | None]]
"""(task number, model number, sample, per turn the chosen line, whether it is IFEval's, its number)."""
Counts = tuple[int, ...]
"""(results, instructions, prompt strict, prompt loose, instructions strict, loose, error,
truncated): of one result, or summed over a batch."""


def default_workers(results: int) -> int:
    """1 below PARALLEL_FROM results, else one process per CPU this process may run on."""
    return 1 if results < PARALLEL_FROM else usable_cpus()


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class Tally:
    """The counts `scoring.summarize` needs, added up one result at a time."""

    prompts: int = 0
    instructions: int = 0
    prompt_strict: int = 0
    prompt_loose: int = 0
    inst_strict: int = 0
    inst_loose: int = 0
    errors: int = 0
    truncated: int = 0
    models: set[str] = field(default_factory=set)

    def add(self, counts: Counts) -> None:
        self.prompts += counts[0]
        self.instructions += counts[1]
        self.prompt_strict += counts[2]
        self.prompt_loose += counts[3]
        self.inst_strict += counts[4]
        self.inst_loose += counts[5]
        self.errors += counts[6]
        self.truncated += counts[7]

    def summary(self) -> Summary:
        def share(part: int, whole: int) -> float:
            return part / whole if whole else 0.0

        return Summary(
            n_prompts=self.prompts, n_instructions=self.instructions,
            prompt_strict=share(self.prompt_strict, self.prompts),
            prompt_loose=share(self.prompt_loose, self.prompts),
            inst_strict=share(self.inst_strict, self.instructions),
            inst_loose=share(self.inst_loose, self.instructions),
            errors=self.errors, truncated=self.truncated,
        )


@dataclass
class _Job:
    """What every worker needs, inherited by fork: the tasks and how to score."""

    index: ResponseIndex
    hashes: dict[str, str]
    keep_reasoning: bool
    unclosed_reasoning: UnclosedPolicy
    bound: dict[int, list[list[BoundConstraint]]] = field(default_factory=dict)


_job: _Job | None = None
_replies: Any = None  # in each worker: its own open handle on the responses file


def _score(item: Item) -> tuple[str, Counts]:
    """One (task, sample): its results line and its counts."""
    assert _job is not None
    job = _job
    number, model_number, sample, lines = item
    task = job.index.tasks[number]
    model = job.index.models[model_number]
    bound = job.bound.get(number)
    if bound is None:
        bound = job.bound[number] = [[c.bind() for c in t.constraints] for t in task.user_turns()]
    replies = [None if line is None else record_of(line[0], line[1], task, model, job.index.path, line[2])
               for line in lines]
    result = score_task(task, replies, model=model, sample=sample, keep_reasoning=job.keep_reasoning,
                        unclosed_reasoning=job.unclosed_reasoning, suite_sha256=job.hashes[task.suite],
                        bound=bound)
    constraints = result.constraints
    return dumps(result), (
        1, len(constraints), result.prompt_strict, result.prompt_loose,
        sum(c.strict for c in constraints), sum(c.loose for c in constraints),
        result.error is not None, result.truncated,
    )


def _warm() -> None:
    """Bind every task's constraints and load the tokenizer tables and language profiles they use."""
    assert _job is not None
    for number, task in enumerate(_job.index.tasks):
        if number not in _job.bound:
            _job.bound[number] = [[c.bind() for c in t.constraints] for t in task.user_turns()]
    ids = {c.id for bound in _job.bound.values() for turn in bound for c in turn}
    if any(i.startswith(("ifeval:", "ifbench")) for i in ids):
        from ifbench.checking import punkt

        punkt.sentence_tokenizer()
        punkt.word_tokenize("Warm up.")
    if any("language" in i for i in ids):
        from ifbench.checking.langid import detect_language

        detect_language("Warm up the language profiles.")


def _lines(index: ResponseIndex, number: int, model: int, sample: int,
           file: Any) -> list[tuple[bytes, bool, int] | None]:
    """Per turn of one (task, sample): the chosen line, whether it is IFEval's, its line number."""
    lines: list[tuple[bytes, bool, int] | None] = []
    for turn in range(index.turn_counts[number]):
        key = (model, number, sample, turn)
        found = index.line(key, file)
        lines.append(None if found is None else (*found, index.chosen[key][1]))
    return lines


def _score_keys(keys: list[tuple[int, int, int]]) -> tuple[bytes, Counts]:
    """In a worker: read, score and serialise (task, model, sample) keys; their lines as one block
    and their summed counts."""
    global _replies
    assert _job is not None
    if _replies is None:
        _replies = _job.index.path.open("rb")
    out: list[str] = []
    counts: list[Counts] = []
    for number, model, sample in keys:
        line, tally = _score((number, model, sample, _lines(_job.index, number, model, sample, _replies)))
        out.append(line)
        counts.append(tally)
    out.append("")
    return "\n".join(out).encode("utf-8"), tuple(map(sum, zip(*counts)))


def absent(index: ResponseIndex) -> list[str]:
    """`model/suite/task#sample` for each (model, sample, task) without a response."""
    missing = []
    for model, samples in _models_in_order(index):
        for sample in samples:
            for number, task in enumerate(index.tasks):
                if not index.answered(model, number, sample):
                    missing.append(f"{index.models[model]}/{task.suite}/{task.id}" + (f"#{sample}" if sample else ""))
    return missing


def _models_in_order(index: ResponseIndex) -> list[tuple[int, list[int]]]:
    order = sorted(range(len(index.models)), key=index.models.__getitem__)
    return [(model, sorted(index.samples[model])) for model in order]


def _keys(index: ResponseIndex) -> Iterator[tuple[int, int, int]]:
    """Every (task, model, sample) in `scoring.score`'s order."""
    for model, samples in _models_in_order(index):
        for sample in samples:
            for number in range(len(index.tasks)):
                yield number, model, sample


def _items(index: ResponseIndex, file: Any) -> Iterator[Item]:
    """Every (model, sample, task) in `scoring.score`'s order, with its replies' lines."""
    for number, model, sample in _keys(index):
        yield number, model, sample, _lines(index, number, model, sample, file)


def check_answers(index: ResponseIndex, missing: MissingPolicy) -> None:
    """ResponsesError if nothing matches, or if a task has no response and `missing` is "error"."""
    if not index.chosen:
        raise ResponsesError("no responses match these tasks")
    gone = absent(index) if missing == "error" else []
    if gone:
        shown = ", ".join(gone[:20]) + (f" and {len(gone) - 20} more" if len(gone) > 20 else "")
        raise ResponsesError(f"{len(gone)} task(s) have no response: {shown}; "
                             "pass --missing fail to score them as failed")


def score_to_file(
    index: ResponseIndex,
    out: Path,
    *,
    workers: int | None = None,
    keep_reasoning: bool = False,
    unclosed_reasoning: UnclosedPolicy = "empty",
) -> Tally:
    """Score every (model, sample, task) of `index` into the JSONL file `out` (replaced atomically)."""
    global _job
    results = sum(len(samples) for _, samples in _models_in_order(index)) * len(index.tasks)
    workers = default_workers(results) if workers is None else max(1, workers)
    _job = _Job(index, suite_hashes(index.tasks), keep_reasoning, unclosed_reasoning)
    tally = Tally(models=set(index.models))
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with index.path.open("rb") as replies, partial.open("wb") as sink:
            if workers > 1:
                size = max(1, min(BATCH, results // (workers * MIN_BATCHES)))
                for block, counts in _in_parallel(_keys(index), workers, size):
                    sink.write(block)
                    tally.add(counts)
            else:
                for line, each in map(_score, _items(index, replies)):
                    sink.write(line.encode("utf-8"))
                    sink.write(b"\n")
                    tally.add(each)
        os.replace(partial, out)
    except OSError as error:  # disk full, read-only, no permission: the old file stays whole
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise OutputError(f"cannot write {out}: {error.strerror or error}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    finally:
        _job = None
    return tally


def _in_parallel(keys: Iterator[tuple[int, int, int]], workers: int,
                 size: int) -> Iterator[tuple[bytes, Counts]]:
    """`_score_keys` on batches of `size` keys by `workers` forked processes, in order, a bounded
    number ahead."""
    import multiprocessing

    _warm()  # once here, not once per worker
    gc.freeze()  # the inherited index and tasks stay shared: a child's GC does not touch them
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        pending: deque[Any] = deque()
        batch: list[tuple[int, int, int]] = []
        for key in keys:
            batch.append(key)
            if len(batch) == size:
                pending.append(pool.apply_async(_score_keys, (batch,)))
                batch = []
                if len(pending) >= workers * IN_FLIGHT:
                    yield pending.popleft().get()
        if batch:
            pending.append(pool.apply_async(_score_keys, (batch,)))
        while pending:
            yield pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()
