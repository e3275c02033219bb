"""Every file a stage writes or reads, as a versioned model, with the one reader and writer for them.

    responses.jsonl  ResponseRecord per line: a model's reply to one turn of one task sample
    results.jsonl    ResultRecord per line: every verdict for one (task, sample)
    run.json         RunManifest: how the files were made (model, settings, versions, provenance)

Field order is file format: append new fields, never reorder. Each record carries the
`version` of the schema that wrote it; a reader refuses a version newer than it knows.
A JSONL file may end in a torn line (a crash cut the write short): a last line without its
newline that does not parse is ignored by readers and cut by `repair_tail` before appending.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ifbench.errors import IfbenchError, OutputError, ResponsesError

if TYPE_CHECKING:
    from ifbench.tasks.models import Task

RESPONSES_FILE = "responses.jsonl"
RESULTS_FILE = "results.jsonl"
RUN_FILE = "run.json"
RESPONSE_VERSION = 1
RESULT_VERSION = 1
RUN_VERSION = 1
M = TypeVar("M", bound=BaseModel)


def check_version(kind: str, version: Any, known: int) -> int:
    """`version` if this ifbench can read it; ValueError saying to upgrade if it is newer."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"{kind} version must be a whole number >= 1, not {version!r}")
    if version > known:
        raise ValueError(
            f"{kind} version {version} was written by a newer ifbench (this one reads up to "
            f"version {known}); upgrade ifbench to read it"
        )
    return version


class ResponseRecord(BaseModel):
    """One line of responses.jsonl: a model's reply to one turn of one task sample.

    Extra fields are kept as written (`settings_hash`, `input_sha`, `attempts`, `seed`,
    `reasoning_content`: what the runner needs to resume).
    """

    model_config = ConfigDict(extra="allow")

    task_id: str
    suite: str
    model: str
    sample: int = 0
    turn: int = 0
    prompt: str = ""
    response: str = ""
    finish_reason: str | None = None
    latency_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    error: str | None = None
    """Why no usable reply exists (retries exhausted, ...); scoring fails such tasks."""
    version: int = RESPONSE_VERSION

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        return check_version("responses.jsonl record", version, RESPONSE_VERSION)


class ConstraintResult(BaseModel):
    """The verdicts of one constraint on one reply."""

    id: str
    params: dict[str, Any]
    strict: bool
    loose: bool
    reason: str
    """Why the strict verdict is what it is (measured vs required)."""
    loose_reason: str | None = None
    """Why the loose verdict is what it is, when it differs from `reason`."""
    turn: int = 0


ReasoningOutcome = Literal["none", "separate", "kept", "stripped", "unclosed"]
"""What scoring did with a reply's reasoning, from least to most telling."""


class ResultRecord(BaseModel):
    """One line of results.jsonl: all verdicts for one (task, sample)."""

    task_id: str
    suite: str
    model: str
    sample: int = 0
    language: str
    category: str | None = None
    pattern: str | None = None
    prompt_strict: bool
    prompt_loose: bool
    constraints: list[ConstraintResult]
    error: str | None = None
    """Set when the task had no usable reply; every constraint then counts as failed."""
    truncated: bool = False
    """A reply of this task stopped at the token cap (`finish_reason` is `length`)."""
    reasoning: ReasoningOutcome | None = None
    """What happened to the replies' reasoning (the most telling turn): none seen, returned
    apart by the server, kept in the checked text (--keep-reasoning), stripped, or an
    unclosed block (see ifbench/checking/reasoning.py). None: not checked (no reply)."""
    suite_sha256: str = ""
    version: int = RESULT_VERSION

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        return check_version("results.jsonl record", version, RESULT_VERSION)


class Scoring(BaseModel):
    """Provenance of a results.jsonl: which ifbench scored which responses, and when."""

    model_config = ConfigDict(extra="allow")

    ifbench_version: str
    """The version of the scorer (it decides the verdicts)."""
    scored_at: str
    """When it was scored (UTC, ISO 8601)."""
    responses: str
    """The responses file that was scored."""
    responses_sha256: str
    keep_reasoning: bool = False
    """Reasoning blocks were checked with the answer (--keep-reasoning)."""
    unclosed_reasoning: str = "empty"
    """How a reply whose reasoning never closed was scored (--unclosed-reasoning)."""


class RunManifest(BaseModel):
    """run.json: how the files of a run directory were made. Every field may be absent in old files."""

    model_config = ConfigDict(extra="allow")

    version: int = RUN_VERSION
    status: str | None = None
    """`running`, `complete` (generated and scored) or `scored` (`ifbench score` only)."""
    ifbench_version: str | None = None
    """The version that generated the responses (`ifbench run`) or scored them (`ifbench score`)."""
    model: str | None = None
    settings: dict[str, Any] | None = None
    suites: dict[str, str] | None = None
    """Suite name -> suite_sha256."""
    started_at: str | None = None
    finished_at: str | None = None
    scoring: Scoring | None = None
    """Set by scoring (`ifbench run` and `ifbench score`)."""

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        return check_version("run.json", version, RUN_VERSION)


def dumps(record: BaseModel | dict[str, Any]) -> str:
    """One JSON line; readable UTF-8, falling back to escapes for unencodable text (lone surrogates)."""
    data = record.model_dump(mode="json") if isinstance(record, BaseModel) else record
    line = json.dumps(data, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(data, ensure_ascii=True)
    return line


def _replace(path: Path, text: str) -> None:
    """Write `path` atomically: a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:  # disk full, read-only, no permission: the old file stays whole
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None


def write_jsonl(path: Path, records: Iterable[BaseModel | dict[str, Any]]) -> None:
    """Write `records` to `path` atomically, one JSON line each."""
    _replace(path, "".join(dumps(record) + "\n" for record in records))


def write_manifest(path: Path, manifest: RunManifest) -> None:
    """Write run.json atomically."""
    data = manifest.model_dump(mode="json", exclude_none=False)
    _replace(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


_scan = json.JSONDecoder().scan_once  # the C scanner without json.loads' per-call overhead


def _parse(line: str) -> Any:
    """The JSON value of one line; ValueError (with json's message) if it is not one."""
    try:
        data, end = _scan(line, 0)
        if not line[end:].strip():
            return data
    except (ValueError, StopIteration):
        pass
    return json.loads(line)  # leading spaces and the like, or a real error with its message


def json_problem(problem: ValueError | RecursionError) -> str:
    """What is wrong with a text `json` refused, in words (not Python's advice to raise a limit)."""
    if isinstance(problem, RecursionError):
        return "nested too deeply"
    if isinstance(problem, json.JSONDecodeError):
        return problem.msg
    if "integer string conversion" in str(problem):  # CPython's guard against quadratic int parsing
        return f"a number with more than {sys.get_int_max_str_digits()} digits"
    return str(problem)


def read_jsonl(path: Path, error: type[IfbenchError] = ResponsesError) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-empty line; `error` names the path and line of a bad one.

    A torn last line (no newline, does not parse) is ignored; a complete one is kept.
    """
    for _, number, data in read_jsonl_at(path, error):
        yield number, data


def read_jsonl_at(
    path: Path, error: type[IfbenchError] = ResponsesError, *, start: int = 0, end: int | None = None,
    first_line: int = 1,
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """`read_jsonl` with each line's byte offset first, for reading a line back later.

    `start`..`end`: only the lines in these bytes (`start` the beginning of line `first_line`).
    """
    try:
        with path.open("rb") as file:
            file.seek(start)
            offset = start
            for number, raw in enumerate(file, start=first_line):
                if end is not None and offset >= end:
                    return
                at, offset = offset, offset + len(raw)
                line = raw.decode("utf-8")
                if not line.strip():
                    continue
                try:
                    data = _parse(line)
                except (ValueError, RecursionError) as problem:
                    if not line.endswith("\n"):
                        return  # the torn last line
                    raise error(f"{path}:{number}: invalid JSON: {json_problem(problem)}") from None
                if type(data) is not dict:
                    raise error(f"{path}:{number}: expected a JSON object")
                yield at, number, data
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text") from None
    except OSError as problem:
        raise error(f"{path}: cannot read: {problem}") from None


def repair_tail(path: Path) -> None:
    """Before appending to `path`: cut a torn last line, end a complete one with its newline."""
    with path.open("rb+") as file:
        end = position = file.seek(0, os.SEEK_END)
        while position > 0:
            start = max(position - 65536, 0)
            file.seek(start)
            cut = file.read(position - start).rfind(b"\n")
            if cut >= 0:
                break
            position = start
        tail_start = start + cut + 1 if position > 0 else 0
        if tail_start == end:
            return
        file.seek(tail_start)
        tail = file.read().decode("utf-8", "replace")
        try:
            whole = isinstance(_parse(tail), dict)
        except ValueError:
            whole = False
        if whole:
            file.write(b"\n")
        else:
            file.truncate(tail_start)


def validated(model: type[M], data: dict[str, Any], where: str) -> M:
    """`data` as a `model` record; ResponsesError `where: problem` if it is not one."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ResponsesError(f"{where}: {_first_problem(error)}") from None


def _first_problem(error: ValidationError) -> str:
    item = error.errors()[0]
    where = ".".join(str(part) for part in item["loc"])
    message = item["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def read_manifest(path: Path) -> RunManifest | None:
    """run.json, or None if there is none; ResponsesError if it is unreadable or too new."""
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise ResponsesError(f"{path}: cannot read: {problem}") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as problem:
        where = f" at line {problem.lineno}" if isinstance(problem, json.JSONDecodeError) else ""
        raise ResponsesError(f"{path}: invalid JSON{where}: {json_problem(problem)}") from None
    if not isinstance(data, dict):
        raise ResponsesError(f"{path}: not a JSON object")
    return validated(RunManifest, data, str(path))


@dataclass
class LoadedResponses:
    """The responses of a file that belong to the tasks; iterating yields the records."""

    records: list[ResponseRecord]
    unmatched: list[str]
    """`path:line: why` for each line that belongs to none of the tasks (not scored)."""

    def __iter__(self) -> Iterator[ResponseRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


def read_responses(path: Path, tasks: list[Task], model: str | None = None) -> LoadedResponses:
    """Responses from `path`: ifbench's responses.jsonl, or IFEval's `{prompt, response}` lines.

    IFEval lines are matched to tasks by prompt text; `model` names them (default: file stem).
    Lines of other tasks are set apart in `unmatched`. Two answers to the same (model, task,
    sample, turn) are a ResponsesError naming both lines, unless one is an error that the other
    (a later retry, say) answered, or both say the same.
    """
    from ifbench.responses import index_responses

    index = index_responses(path, tasks, model)
    return LoadedResponses(list(index.records()), index.unmatched)


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes (provenance of scored responses)."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
