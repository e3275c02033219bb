"""Task files -> validated Task models, or a TaskFileError listing every problem as `path:line: ...`.

Formats, recognised by content:
- YAML: one suite per file, `{suite, version, tasks: [...]}`.
- JSONL: one native task per line (`suite` defaults to the file's stem).
- IFEval / IFBench JSONL (`key`, `prompt`, `instruction_id_list`, `kwargs`): instruction ids map
  to the `ifeval:` / `ifbench:` checker namespaces; kwargs whose value is null are dropped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ifbench.checking.nested import walk
from ifbench.errors import ConstraintError, TaskFileError
from ifbench.tasks.models import Task

IFEVAL_GROUPS = frozenset(
    "punctuation detectable_format length_constraints detectable_content combination "
    "change_case startend keywords language".split()
)
TASK_SUFFIXES = frozenset({".yaml", ".yml", ".jsonl"})
COMPAT_FIELDS = frozenset({"key", "prompt", "instruction_id_list", "kwargs"})


@dataclass
class _Entry:
    """A raw task as read from a file, with where it came from."""

    data: Any
    line: int
    constraint_lines: dict[tuple[int | None, int], int] = field(default_factory=dict)
    """(turn index or None, constraint index) -> line, for YAML files."""


def load_tasks(paths: Iterable[str | Path]) -> list[Task]:
    """Load and validate task files; raise TaskFileError with every problem found."""
    tasks: list[Task] = []
    problems: list[str] = []
    suites: dict[str, str] = {}
    for path in _expand(map(Path, paths)):
        file_tasks, file_problems = _load_file(path)
        problems += file_problems
        for suite in {task.suite for task in file_tasks}:
            if suite in suites and suites[suite] != str(path):
                problems.append(f"{path}:1: suite '{suite}' is also defined in {suites[suite]}")
            suites.setdefault(suite, str(path))
        tasks += file_tasks
    if problems:
        raise TaskFileError(problems)
    return tasks


def _expand(paths: Iterable[Path]) -> list[Path]:
    """Task files, with each directory replaced by the task files directly inside it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in TASK_SUFFIXES)
        else:
            files.append(path)
    return files


def _load_file(path: Path) -> tuple[list[Task], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"{path}:1: cannot read the file: {error}"]
    if path.suffix.lower() in {".yaml", ".yml"}:
        entries, problems = _read_yaml(path, text)
    elif path.suffix.lower() == ".jsonl":
        entries, problems = _read_jsonl(path, text)
    else:
        return [], [f"{path}:1: unknown task file type '{path.suffix}'; use .yaml, .yml or .jsonl"]
    tasks: list[Task] = []
    seen: dict[tuple[str, str], int] = {}
    for entry in entries:
        task, task_problems = _validate(path, entry)
        problems += task_problems
        if isinstance(entry.data, dict):
            key = (str(entry.data.get("suite")), str(entry.data.get("id")))
            if key in seen:
                problems.append(
                    f"{path}:{entry.line}: task '{key[1]}': duplicate task id "
                    f"(first defined on line {seen[key]})"
                )
                continue
            seen[key] = entry.line
        if task is not None:
            tasks.append(task)
    return tasks, problems


def _read_yaml(path: Path, text: str) -> tuple[list[_Entry], list[str]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [f"{path}:{line}: invalid YAML: {getattr(error, 'problem', error)}"]
    if not isinstance(document, dict) or not isinstance(document.get("tasks"), list):
        return [], [f"{path}:1: a YAML task file is a mapping with 'suite' and a 'tasks' list"]
    suite = document.get("suite")
    if not isinstance(suite, str) or not suite:
        return [], [f"{path}:1: missing or empty 'suite' name"]
    problems = [
        f"{path}:1: unknown top-level key '{key}'; allowed: suite, version, tasks"
        for key in document
        if key not in {"suite", "version", "tasks"}
    ]
    task_nodes = next(value for key, value in root.value if key.value == "tasks").value
    entries = []
    for node, data in zip(task_nodes, document["tasks"]):
        if isinstance(data, dict):
            data = {"suite": suite, **data}
        entries.append(_Entry(data, node.start_mark.line + 1, _constraint_lines(node)))
    return entries, problems


def _constraint_lines(task_node: yaml.Node) -> dict[tuple[int | None, int], int]:
    lines: dict[tuple[int | None, int], int] = {}
    if not isinstance(task_node, yaml.MappingNode):
        return lines
    for key, value in task_node.value:
        if key.value == "constraints" and isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                lines[None, index] = item.start_mark.line + 1
        if key.value == "turns" and isinstance(value, yaml.SequenceNode):
            for turn_index, turn in enumerate(value.value):
                for (_, index), line in _constraint_lines(turn).items():
                    lines[turn_index, index] = line
    return lines


def _read_jsonl(path: Path, text: str) -> tuple[list[_Entry], list[str]]:
    entries, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{path}:{number}: invalid JSON: {error.msg} (column {error.colno})")
            continue
        if isinstance(data, dict) and COMPAT_FIELDS <= data.keys():
            if not isinstance(data["kwargs"], list) or not isinstance(data["instruction_id_list"], list) or len(data["kwargs"]) != len(data["instruction_id_list"]):
                problems.append(f"{path}:{number}: task '{data['key']}': 'instruction_id_list' and 'kwargs' must be lists of the same length")
                continue
            data = _from_compat(data)
        elif isinstance(data, dict):
            data = {"suite": path.stem, **data}
        entries.append(_Entry(data, number))
    return entries, problems


def _from_compat(data: dict[str, Any]) -> dict[str, Any]:
    """An IFEval/IFBench record as a native task dict."""
    ids = data["instruction_id_list"]
    kwargs = data["kwargs"]
    namespace = "ifeval" if all(str(i).split(":")[0] in IFEVAL_GROUPS for i in ids) else "ifbench"
    constraints = [
        {"id": f"{namespace}:{iid}", **{k: v for k, v in (kw or {}).items() if v is not None}}
        for iid, kw in zip(ids, kwargs)
    ]
    return {
        "id": str(data["key"]),
        "suite": namespace,
        "language": "en",
        "prompt": data["prompt"],
        "constraints": constraints,
    }


def _validate(path: Path, entry: _Entry) -> tuple[Task | None, list[str]]:
    data = entry.data
    where = f"{path}:{entry.line}"
    if not isinstance(data, dict):
        return None, [f"{where}: a task is a mapping, not {type(data).__name__}"]
    label = f"{where}: task '{data.get('id', '?')}'"
    try:
        task = Task.model_validate(data)
    except ValidationError as error:
        return None, [f"{label}: {_field_error(item)}" for item in error.errors()]
    problems = []
    for turn_index, turn in enumerate(task.user_turns()):
        for index, constraint in enumerate(turn.constraints):
            key = (turn_index if task.turns is not None else None, index)
            line = entry.constraint_lines.get(key, entry.line)
            try:
                constraint.bind()
            except ConstraintError as error:
                problems.append(f"{path}:{line}: task '{task.id}': {error}")
                continue
            for node in walk(constraint.id, constraint.params):  # nested ones too
                languages = node.checker.languages if node.checker is not None else None
                if languages is not None and task.language not in languages:
                    inside = "".join(f" (inside {outer})" for outer in reversed(node.inside))
                    problems.append(
                        f"{path}:{line}: task '{task.id}': {node.id}{inside} applies only to "
                        f"{', '.join(sorted(languages))} tasks; this task's language is '{task.language}'"
                    )
    return (None if problems else task), problems


def _field_error(item: dict[str, Any]) -> str:
    location = ".".join(str(part) for part in item["loc"])
    message = item["msg"].removeprefix("Value error, ")
    if item["type"] == "extra_forbidden":
        return f"unknown field '{location}'"
    if item["type"] == "missing":
        return f"missing field '{location}'"
    return f"{location}: {message}" if location else message


def suite_sha256(tasks: Iterable[Task]) -> str:
    """A content hash of a suite's tasks as run: prompts and constraints, not the reference answers."""
    answers = {"reference": True, "near_miss": True}
    canonical = sorted(
        json.dumps(
            task.model_dump(mode="json", exclude={**answers, "turns": {"__all__": answers}}),
            sort_keys=True,
            ensure_ascii=False,
        )
        for task in tasks
    )
    return hashlib.sha256("\n".join(canonical).encode("utf-8", "surrogatepass")).hexdigest()


def suite_hashes(tasks: Iterable[Task]) -> dict[str, str]:
    by_suite: dict[str, list[Task]] = {}
    for task in tasks:
        by_suite.setdefault(task.suite, []).append(task)
    return {suite: suite_sha256(members) for suite, members in by_suite.items()}

