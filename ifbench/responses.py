"""A responses file as an index: which line answers each (model, task, sample, turn), read back on demand.

`ifbench score` never holds the responses in memory. One pass over the file (over both halves at
once, in two processes, for a big file) validates every line and keeps, per answer it chooses,
where the line starts and a hash of the reply (to tell a conflicting duplicate from a repeated
one): about 300 bytes per response line, whatever the replies' length. Scoring then reads the chosen lines back one (task, sample) at a time, by offset.

The choice is the one `records.read_responses` documents: a later line for the same key replaces
an errored one, or one whose input changed (`input_sha`: the task was edited and asked again); two
different answers are a ResponsesError naming both lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ifbench.errors import ResponsesError
from ifbench.records import ResponseRecord, _parse, read_jsonl_at, validated

if TYPE_CHECKING:
    from ifbench.tasks.models import Task

Key = tuple[int, int, int, int]
"""(model number, task number, sample, turn): models numbered in order of appearance, tasks by position."""


@dataclass
class ResponseIndex:
    """Where each chosen answer of a responses file is; `read(key)` gives its record back."""

    path: Path
    tasks: list[Task]
    models: list[str] = field(default_factory=list)
    """Model names; a key's first number is an index into this list."""
    chosen: dict[Key, tuple[int, int, int, str | None, bool]] = field(default_factory=dict)
    """Key -> (byte offset, line number, hash of the reply or 0 for an error, input_sha, IFEval line)."""
    samples: dict[int, set[int]] = field(default_factory=dict)
    """Model number -> the samples seen."""
    extra_turns: set[tuple[int, int, int]] = field(default_factory=set)
    """(model, task, sample) answered only on turns the task does not have (it counts as answered)."""
    unmatched: list[str] = field(default_factory=list)
    """`path:line: why` for each line that belongs to none of the tasks (not scored)."""
    default_model: str = ""
    turn_counts: list[int] = field(default_factory=list)
    """Task number -> how many turns it has."""

    def __len__(self) -> int:
        return len(self.chosen)

    def answered(self, model: int, task: int, sample: int) -> bool:
        turns = range(self.turn_counts[task])
        return any((model, task, sample, turn) in self.chosen for turn in turns) or (
            (model, task, sample) in self.extra_turns)

    def line(self, key: Key, file: Any) -> tuple[bytes, bool] | None:
        """The raw line chosen for `key` (read from the open binary `file`) and whether it is an IFEval one."""
        found = self.chosen.get(key)
        if found is None:
            return None
        file.seek(found[0])
        return file.readline(), found[4]

    def record(self, key: Key, raw: bytes, ifeval: bool) -> ResponseRecord:
        """The ResponseRecord of a chosen line, as `read_responses` builds it."""
        return record_of(raw, ifeval, self.tasks[key[1]], self.models[key[0]], self.path, self.chosen[key][1])

    def records(self) -> Iterator[ResponseRecord]:
        """Every chosen record, in the order `read_responses` lists them."""
        with self.path.open("rb") as file:
            for key in self.chosen:
                raw, ifeval = self.line(key, file)  # type: ignore[misc]
                yield self.record(key, raw, ifeval)


def record_of(raw: bytes, ifeval: bool, task: Task, model: str, path: Path, number: int) -> ResponseRecord:
    """The record a chosen line stands for (an IFEval line: for the task it was matched to)."""
    data = _parse(raw.decode("utf-8"))
    if not ifeval:
        return validated(ResponseRecord, data, f"{path}:{number}")
    prompt = data["prompt"] if isinstance(data["prompt"], str) else ""
    return ResponseRecord(task_id=task.id, suite=task.suite, model=model, prompt=prompt,
                          response=data["response"] if isinstance(data["response"], str) else "")


PARALLEL_BYTES = 32 * 1024 * 1024
"""With workers > 1, a responses file this large or larger is read by two processes, half each."""

Entry = tuple[int, int, str, int, int, int, int, "str | None", bool]
"""One answer read from a line: (byte offset, line number, model, task number, sample, turn, hash
of the reply or 0 for an error, input_sha, whether it is an IFEval line)."""


@dataclass(frozen=True)
class _Lookup:
    """What reading a line needs: which task a line answers."""

    path: Path
    model: str | None
    default_model: str
    known: dict[tuple[str, str], int]
    by_prompt: dict[str, list[int]]
    by_stripped_prompt: dict[str, list[int]]


def index_responses(path: Path, tasks: list[Task], model: str | None = None, *, workers: int = 1) -> ResponseIndex:
    """Index `path` (ifbench's responses.jsonl or IFEval's `{prompt, response}` lines) for `tasks`.

    With `workers` > 1 and a file of PARALLEL_BYTES or more, a forked process reads the second half
    while this one reads the first; the index (and any error) is the one a single reader gives.
    """
    index = ResponseIndex(path, tasks, default_model=model or path.stem)
    by_prompt: dict[str, list[int]] = {}
    by_stripped_prompt: dict[str, list[int]] = {}
    known: dict[tuple[str, str], int] = {}
    turn_counts = index.turn_counts
    for number, task in enumerate(tasks):
        turns = task.user_turns()
        turn_counts.append(len(turns))
        by_prompt.setdefault(turns[0].prompt, []).append(number)
        by_stripped_prompt.setdefault(turns[0].prompt.strip(), []).append(number)
        known.setdefault((task.suite, task.id), number)
    lookup = _Lookup(path, model, index.default_model, known, by_prompt, by_stripped_prompt)
    model_numbers: dict[str, int] = {}
    conflicts: list[str] = []
    chosen = index.chosen

    def keep(entries: Iterable[Entry | str]) -> None:
        for entry in entries:
            if isinstance(entry, str):
                index.unmatched.append(entry)
                continue
            offset, number, model_name, task, sample, turn, reply, input_sha, ifeval = entry
            found = model_numbers.get(model_name)
            if found is None:
                found = model_numbers[model_name] = len(index.models)
                index.models.append(model_name)
            key = (found, task, sample, turn)
            index.samples.setdefault(found, set()).add(sample)
            if turn >= turn_counts[task]:
                index.extra_turns.add(key[:3])
            earlier = chosen.get(key)
            if (earlier is None or (earlier[2] == 0 and reply != 0)
                    or (earlier[3] is not None and input_sha is not None and earlier[3] != input_sha)):
                chosen[key] = (offset, number, reply, input_sha, ifeval)
            elif reply != 0 and earlier[2] != reply:
                task_ = tasks[task]
                conflicts.append(f"{path}:{earlier[1]} and line {number} answer {model_name}/"
                                 f"{task_.suite}/{task_.id} (sample {sample}, turn {turn}) differently")

    half = _second_half(path) if workers > 1 else None
    if half is None:
        keep(_entries(lookup))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: the reader inherits `lookup` (initargs are not pickled); only its entries come back.
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_remember, initargs=(lookup,)) as reader:
            later = reader.submit(_entries_from, half)
            keep(_entries(lookup, end=half))
            keep(later.result())
    if conflicts:
        shown = "; ".join(conflicts[:5]) + (f"; and {len(conflicts) - 5} more" if len(conflicts) > 5 else "")
        raise ResponsesError(f"{len(conflicts)} conflicting duplicate response(s): {shown}. "
                             "Keep one answer per task and sample.")
    return index


def _entries(lookup: _Lookup, start: int = 0, end: int | None = None,
             first_line: int = 1) -> Iterator[Entry | str]:
    """The answers of the lines in bytes `start`..`end`, in order; for a line of no task, why."""
    path, model = lookup.path, lookup.model
    for offset, number, data in read_jsonl_at(path, start=start, end=end, first_line=first_line):
        if "task_id" in data:
            record = validated(ResponseRecord, data, f"{path}:{number}")
            if model is not None and record.model != model:
                continue
            task = lookup.known.get((record.suite, record.task_id))
            if task is None:
                yield f"{path}:{number}: task {record.suite}/{record.task_id} is not among the tasks"
                continue
            reply = 0 if record.error is not None else hash(record.response) or 1
            yield (offset, number, record.model, task, record.sample, record.turn, reply,
                   (record.model_extra or {}).get("input_sha"), False)
        elif {"prompt", "response"} <= data.keys():
            prompt = data["prompt"] if isinstance(data["prompt"], str) else ""
            # Exact text first; then ignoring surrounding whitespace, which data files lose.
            matches = lookup.by_prompt.get(prompt) or lookup.by_stripped_prompt.get(prompt.strip(), [])
            if not matches:
                yield f"{path}:{number}: prompt {_preview(prompt)} matches no task's"
            response = data["response"] if isinstance(data["response"], str) else ""
            reply = hash(response) or 1
            for task in matches:
                yield offset, number, lookup.default_model, task, 0, 0, reply, None, True
        else:
            raise ResponsesError(
                f"{path}:{number}: neither an ifbench response (task_id, suite, model, ...) "
                "nor an IFEval one (prompt, response)"
            )


def _second_half(path: Path) -> int | None:
    """The offset of the first line in the second half of a file of PARALLEL_BYTES or more."""
    try:
        size = path.stat().st_size
        if size < PARALLEL_BYTES:
            return None
        with path.open("rb") as file:
            file.seek(size // 2)
            file.readline()
            middle = file.tell()
    except OSError:
        return None  # the single reader says what is wrong
    return middle if middle < size else None


_lookup: _Lookup | None = None  # in the forked reader


def _remember(lookup: _Lookup) -> None:
    global _lookup
    _lookup = lookup


def _entries_from(start: int) -> list[Entry | str]:
    """In the forked reader: the entries from byte `start` to the end (the hashes agree with the
    parent's: a forked process keeps its string hash seed)."""
    assert _lookup is not None
    return list(_entries(_lookup, start=start, first_line=_line_number_at(_lookup.path, start)))


def _line_number_at(path: Path, offset: int) -> int:
    """The number of the line that starts at byte `offset`."""
    newlines = 0
    with path.open("rb") as file:
        while file.tell() < offset:
            block = file.read(min(1 << 20, offset - file.tell()))
            if not block:
                break
            newlines += block.count(b"\n")
    return newlines + 1


def _preview(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit] + "…")
