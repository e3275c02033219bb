"""Reading and writing the JSONL files between stages (responses.jsonl, results.jsonl)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ifbench.errors import ResponsesError
from ifbench.models import ResponseRecord, Task


def dumps(record: BaseModel | dict[str, Any]) -> str:
    """One JSON line; readable UTF-8, falling back to escapes for unencodable text (lone surrogates)."""
    data = record.model_dump(mode="json") if isinstance(record, BaseModel) else record
    line = json.dumps(data, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(data, ensure_ascii=True)
    return line


def write_jsonl(path: Path, records: Iterable[BaseModel | dict[str, Any]]) -> None:
    """Write `records` to `path` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(dumps(record) + "\n")
    os.replace(partial, path)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-empty line; ResponsesError on a malformed line.

    A last line without its newline is a write cut short by a crash and is ignored.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ResponsesError(f"{path}: cannot read: {error}") from None
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            if number == len(lines):
                return
            raise ResponsesError(f"{path}:{number}: invalid JSON: {error.msg}") from None
        if not isinstance(data, dict):
            raise ResponsesError(f"{path}:{number}: expected a JSON object")
        yield number, data


def read_responses(path: Path, tasks: list[Task], model: str | None = None) -> list[ResponseRecord]:
    """Responses from `path`: ifbench's responses.jsonl, or IFEval's `{prompt, response}` lines.

    IFEval lines are matched to tasks by prompt text; `model` names them (default: file stem).
    """
    by_prompt: dict[str, list[Task]] = {}
    by_stripped_prompt: dict[str, list[Task]] = {}
    for task in tasks:
        prompt = task.user_turns()[0].prompt
        by_prompt.setdefault(prompt, []).append(task)
        by_stripped_prompt.setdefault(prompt.strip(), []).append(task)
    records: list[ResponseRecord] = []
    for number, data in read_jsonl(path):
        if "task_id" in data:
            try:
                record = ResponseRecord.model_validate(data)
            except ValidationError as error:
                raise ResponsesError(f"{path}:{number}: {error.errors()[0]['msg']}") from None
            if model is None or record.model == model:
                records.append(record)
        elif {"prompt", "response"} <= data.keys():
            prompt = data["prompt"] if isinstance(data["prompt"], str) else ""
            # Exact text first; then ignoring surrounding whitespace, which data files lose.
            matches = by_prompt.get(prompt) or by_stripped_prompt.get(prompt.strip(), [])
            for task in matches:
                records.append(
                    ResponseRecord(
                        task_id=task.id,
                        suite=task.suite,
                        model=model or path.stem,
                        prompt=prompt,
                        response=data["response"] if isinstance(data["response"], str) else "",
                    )
                )
        else:
            raise ResponsesError(
                f"{path}:{number}: neither an ifbench response (task_id, suite, model, ...) "
                "nor an IFEval one (prompt, response)"
            )
    return records
