"""Task files -> validated Task models, or a TaskFileError listing every problem as `path:line: ...`.

Formats, recognised by content:
- YAML: one suite per file, `{suite, version, tasks: [...]}`.
- JSONL: one native task per line (`suite` defaults to the file's stem).
- IFEval / IFBench JSONL (`key`, `prompt`, `instruction_id_list`, `kwargs`): instruction ids map
  to the `ifeval:` / `ifbench:` checker namespaces; kwargs whose value is null are dropped.

Memory: every task is held as its validated model; about 4.5 KB per IFEval-sized task (100,000
distinct IFEval tasks: 480 MB peak while loading, bench/bench_scale.py), more for tasks with long
reference answers. Scoring adds per task only its bound constraints.

Each file is read once, however often it is named. What a file must not hold is refused with its
line, never a traceback: YAML aliases and merge keys, a key given twice in a mapping or JSON
object, nesting deeper than 100 levels, integers over 4,300 digits, lone surrogates.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ifbench.checking.nested import walk
from ifbench.errors import ConstraintError, TaskFileError, did_you_mean
from ifbench.tasks import yamlfile
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
    readable: bool = True
    """False if reading already reported a problem inside it (an alias, an unreadable value...)."""


@dataclass
class _Read:
    """What reading one file gives: its raw tasks and the problems found so far."""

    entries: list[_Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    keep: bool = True
    """False if the tasks are checked for problems but not loaded (the suite name is unusable)."""


def load_tasks(paths: Iterable[str | Path]) -> list[Task]:
    """Load and validate task files; raise TaskFileError with every problem found.

    A file named twice (directly, through a directory or a symlink) is read once; the same
    (suite, task id) in two different files is refused with both places.
    """
    tasks: list[Task] = []
    problems: list[str] = []
    suites: dict[str, str] = {}
    places: dict[tuple[str, str], str] = {}
    for path in _expand(map(Path, paths)):
        file_tasks, file_problems = _load_file(path)
        problems += file_problems
        for suite in dict.fromkeys(task.suite for task, _ in file_tasks):
            if suite in suites and suites[suite] != str(path):
                problems.append(f"{path}:1: suite '{suite}' is also defined in {suites[suite]}")
            suites.setdefault(suite, str(path))
        for task, line in file_tasks:
            place = places.setdefault((task.suite, task.id), f"{path}:{line}")
            if place != f"{path}:{line}":
                problems.append(f"{path}:{line}: task '{task.id}': also defined in suite '{task.suite}' at {place}")
        tasks += [task for task, _ in file_tasks]
    if problems:
        raise TaskFileError(problems)
    return tasks


def _expand(paths: Iterable[Path]) -> list[Path]:
    """Task files, with each directory replaced by the task files directly inside it; each file once."""
    files: dict[Path, Path] = {}
    for path in paths:
        found = sorted(p for p in path.iterdir() if p.suffix.lower() in TASK_SUFFIXES) if path.is_dir() else [path]
        for file in found:
            files.setdefault(_identity(file), file)
    return list(files.values())


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: reading it will report the problem
        return path.absolute()


def _load_file(path: Path) -> tuple[list[tuple[Task, int]], list[str]]:
    """The file's valid tasks with their lines, and every problem in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"{path}:1: cannot read the file: {error}"]
    if path.suffix.lower() in {".yaml", ".yml"}:
        read = _read_yaml(path, text)
    elif path.suffix.lower() == ".jsonl":
        read = _read_jsonl(path, text)
    else:
        return [], [f"{path}:1: unknown task file type '{path.suffix}'; use .yaml, .yml or .jsonl"]
    problems = read.problems
    tasks: list[tuple[Task, int]] = []
    seen: dict[tuple[str, str], int] = {}
    for entry in read.entries:
        if not entry.readable:
            continue
        task, task_problems = _validate(path, entry)
        problems += task_problems
        if isinstance(entry.data, dict) and isinstance(entry.data.get("id"), str):
            key = (str(entry.data.get("suite")), entry.data["id"])
            if key in seen:
                problems.append(
                    f"{path}:{entry.line}: task '{key[1]}': duplicate task id "
                    f"(first defined on line {seen[key]})"
                )
                continue
            seen[key] = entry.line
        if task is not None:
            tasks.append((task, entry.line))
    start = len(f"{path}:")
    problems.sort(key=lambda problem: int(problem[start:].split(":", 1)[0]))  # in file order
    return (tasks if read.keep else []), problems


TOP_LEVEL_KEYS = ("suite", "version", "generator", "tasks")
# `generator:` records how `ifbench generate` wrote the file; these keys, with these types.
GENERATOR_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str, "version": str, "seed": int, "pool_sha256": str, "phrasings_sha256": str,
    "languages": list, "constraints": str, "tasks": int,
}
GENERATOR_REQUIRED = ("name", "version", "seed", "pool_sha256")


def generator_problems(value: Any) -> list[str]:
    """What is wrong with a task file's `generator:` record (seed, generator version, pool hash...)."""
    if not isinstance(value, dict):
        return [f"'generator' must be a mapping with {', '.join(GENERATOR_REQUIRED)} (got {type(value).__name__})"]
    problems = [f"'generator' lacks '{key}'" for key in GENERATOR_REQUIRED if key not in value]
    for key in sorted(map(str, value)):
        kind = GENERATOR_KEYS.get(key)
        if kind is None:
            problems.append(f"unknown key 'generator.{key}'{did_you_mean(key, GENERATOR_KEYS)}; "
                            f"allowed: {', '.join(GENERATOR_KEYS)}")
        elif not isinstance(value[key], kind) or isinstance(value[key], bool):
            problems.append(f"'generator.{key}' must be {getattr(kind, '__name__', kind)} (got {value[key]!r})"[:160])
        elif key.endswith("sha256") and not re.fullmatch(r"[0-9a-f]{64}", value[key]):
            problems.append(f"'generator.{key}' must be 64 lower-case hex digits (got {value[key]!r})"[:160])
    return problems


def _read_yaml(path: Path, text: str) -> _Read:
    """Compose once (libyaml if present), build values from the same nodes, take lines from them."""
    try:
        root = yamlfile.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return _Read(problems=[f"{path}:{line}: invalid YAML: {getattr(error, 'problem', None) or error}"])
    except RecursionError:  # the pure-Python composer recurses; libyaml stops at 1000 levels itself
        return _Read(problems=[f"{path}:1: invalid YAML: nested more than {yamlfile.MAX_DEPTH} levels deep"])
    shape = f"{path}:1: a YAML task file is a mapping with 'suite' and a 'tasks' list"
    if not isinstance(root, yaml.MappingNode) or root.tag != yamlfile.MAP_TAG:
        return _Read(problems=[shape])
    reader = yamlfile.Reader(path)
    read = _Read(problems=reader.problems)
    # The top level by hand, so each task is built on its own and keeps its line.
    top: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = yamlfile.line_of(key_node)
        if key_node.tag == yamlfile.MERGE_TAG:
            reader.problem(line, "merge keys ('<<') are not allowed in task files; write the keys out")
            continue
        key = reader.value(key_node, 1, line)
        if not isinstance(key, str) or key not in TOP_LEVEL_KEYS:
            reader.problem(line, f"unknown top-level key '{key}'; allowed: {', '.join(TOP_LEVEL_KEYS)}")
            reader.value(value_node, 1, line)  # its problems too
        elif key in top:
            reader.problem(line, f"duplicate key '{key}' (first given on line {lines[key]}); "
                                 "a mapping gives each key once")
            reader.value(value_node, 1, line)
        else:
            top[key], lines[key] = value_node, line
    suite = reader.value(top["suite"], 1, lines["suite"]) if "suite" in top else None
    if "version" in top:
        reader.value(top["version"], 1, lines["version"])
    if "generator" in top:
        for problem in generator_problems(reader.value(top["generator"], 1, lines["generator"])):
            reader.problem(lines["generator"], problem)
    if not isinstance(suite, str) or not suite.strip():
        where = lines.get("suite", 1)
        got = "missing" if "suite" not in top else f"got {type(suite).__name__} {suite!r}"[:80]
        reader.problem(where, f"'suite' must be a non-empty string naming the suite ({got})")
        suite, read.keep = "?", False
    tasks_node = top.get("tasks")
    if not isinstance(tasks_node, yaml.SequenceNode) or tasks_node.tag != yamlfile.SEQ_TAG:
        if tasks_node is not None:
            reader.value(tasks_node, 1, lines["tasks"])
        reader.problem(lines.get("tasks", 1), "'tasks' must be a list of tasks" if tasks_node is not None
                       else "missing 'tasks': a YAML task file is a mapping with 'suite' and a 'tasks' list")
        return read
    for node in tasks_node.value:
        before = reader.unreadable
        data = reader.value(node, 2, yamlfile.line_of(node))
        if isinstance(data, dict):
            data = {"suite": suite, **data}
        read.entries.append(_Entry(data, yamlfile.line_of(node), _constraint_lines(node),
                                   readable=reader.unreadable == before))
    return read


def _constraint_lines(task_node: yaml.Node) -> dict[tuple[int | None, int], int]:
    lines: dict[tuple[int | None, int], int] = {}
    if not isinstance(task_node, yaml.MappingNode):
        return lines
    done = set()
    for key, value in task_node.value:
        if key.value in done or not isinstance(key, yaml.ScalarNode):
            continue  # a key given twice: the first one counts
        done.add(key.value)
        if key.value == "constraints" and isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                lines[None, index] = item.start_mark.line + 1
        if key.value == "turns" and isinstance(value, yaml.SequenceNode):
            for turn_index, turn in enumerate(value.value):
                for (_, index), line in _constraint_lines(turn).items():
                    lines[turn_index, index] = line
    return lines


class _BadValue(ValueError):
    """A JSON value ifbench refuses (too deep, too long a number, a lone surrogate)."""


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > yamlfile.MAX_INT_DIGITS:
        raise _BadValue(f"an integer of {len(digits.lstrip('-'))} digits is too long (at most {yamlfile.MAX_INT_DIGITS})")
    return int(digits)


def _check_json_value(data: Any) -> None:
    """Raise _BadValue for nesting deeper than MAX_DEPTH or a string holding a lone surrogate."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as error:
                    raise _BadValue(f"the text holds a lone surrogate {value[error.start]!r}, which is not "
                                    "a character; remove or replace it") from None
        elif isinstance(value, (list, dict)):
            if depth >= yamlfile.MAX_DEPTH:
                raise _BadValue(f"nested more than {yamlfile.MAX_DEPTH} levels deep")
            items = value.values() if isinstance(value, dict) else value
            stack += [(item, depth + 1) for item in items]
            if isinstance(value, dict):
                stack += [(key, depth + 1) for key in value]


def _read_jsonl(path: Path, text: str) -> _Read:
    read = _Read()
    problems = read.problems
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may sit in a string
        if not line.strip():
            continue
        duplicates: list[str] = []

        def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            result = dict(pairs)
            if len(result) != len(pairs):  # report each key given twice; keep its first value, as YAML does
                result = {}
                for key, value in pairs:
                    if key in result:
                        duplicates.append(key)
                    result.setdefault(key, value)
            return result

        try:
            data = json.loads(line, object_pairs_hook=unique, parse_int=_parse_int)
            _check_json_value(data)
        except json.JSONDecodeError as error:
            problems.append(f"{path}:{number}: invalid JSON: {error.msg} (column {error.colno})")
            continue
        except RecursionError:
            problems.append(f"{path}:{number}: invalid JSON: nested more than {yamlfile.MAX_DEPTH} levels deep")
            continue
        except _BadValue as error:
            problems.append(f"{path}:{number}: {error}")
            continue
        problems += [f"{path}:{number}: duplicate key {_short(key)} in a JSON object; give each key once"
                     for key in duplicates]
        if isinstance(data, dict) and COMPAT_FIELDS <= data.keys():
            compat_problems = _compat_problems(data)
            if compat_problems:
                problems += [f"{path}:{number}: task '{data['key']}': {problem}" for problem in compat_problems]
                continue
            data = _from_compat(data)
        elif isinstance(data, dict):
            data = {"suite": path.stem, **data}
        read.entries.append(_Entry(data, number))
    return read


def _compat_problems(data: dict[str, Any]) -> list[str]:
    """What keeps an IFEval/IFBench record from mapping to a task."""
    ids, kwargs = data["instruction_id_list"], data["kwargs"]
    if not isinstance(ids, list) or not isinstance(kwargs, list) or len(ids) != len(kwargs):
        return ["'instruction_id_list' and 'kwargs' must be lists of the same length"]
    problems = [f"instruction_id_list[{n}]: an instruction id is a string, not {type(i).__name__}"
                for n, i in enumerate(ids) if not isinstance(i, str)]
    problems += [f"kwargs[{n}]: the parameters of an instruction are a mapping (or null), not "
                 f"{type(kw).__name__} {_short(kw)}" for n, kw in enumerate(kwargs) if kw is not None and not isinstance(kw, dict)]
    return problems


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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

