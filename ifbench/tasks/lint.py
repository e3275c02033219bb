"""`ifbench lint`: contradictory or impossible constraint sets, duplicate prompts, unrequested checks.

Each rule has a name (shown as `[rule]`); a task can silence one with the tag
`lint-ignore:<rule>`. Rules look at one turn's constraints at a time, except
`duplicate-prompt`, which compares every task loaded. Parameters are read as written in
the task file, so linting needs no checker to run. The `unrequested` rule (does the prompt ask
for what is checked?) lives in `ifbench.tasks.requested`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ifbench.checking.text import count_keyword, has_cjk
from ifbench.tasks.load import load_tasks
from ifbench.tasks.models import Constraint, Task
from ifbench.tasks.requested import fold as _fold
from ifbench.tasks.requested import unrequested

RULES = {
    "case-conflict": "content.lowercase together with content.uppercase",
    "bounds-conflict": "count bounds that no response can meet together (max below min, exact outside another bound)",
    "format-conflict": "format.json together with a markdown structure a JSON document cannot hold (table, lists, headings, ...)",
    "text-conflict": "required text that another constraint forbids or that cannot share the response's start/end",
    "language-keyword": "a required keyword that cannot occur in the required response language",
    "reading-level-language": "role.reading_level on a task or response that is not English",
    "duplicate-prompt": "the same prompt appears in more than one task",
    "unrequested": "a constraint whose key parameters (numbers, keywords, markers) the prompt never mentions",
    "no-constraints": "a turn without any constraint",
    "near-miss-target": "a near-miss names no constraint of its turn, or one used several times",
}
# Checkers with count bounds, and the parameter that tells two constraints of one id apart.
BOUNDED = {
    "length.words": None, "length.chars": "spaces", "length.sentences": None, "length.paragraphs": None,
    "format.bullets": None, "format.numbered": None, "format.headings": "level",
    "format.code_block": "language", "content.frequency": "keyword", "content.questions": None,
}
NOT_IN_JSON = ("format.table", "format.bullets", "format.numbered", "format.headings",
               "format.postscript", "format.two_responses")
QUOTES = ('"', "\u201c", "\u300c")
@dataclass(frozen=True)
class Problem:
    """One lint finding on one task (and turn, for multi-turn tasks)."""

    suite: str
    task_id: str
    rule: str
    message: str
    turn: int | None = None

    def describe(self) -> str:
        where = f"turn {self.turn + 1}: " if self.turn is not None else ""
        return f"task '{self.task_id}': [{self.rule}] {where}{self.message}"


def lint(tasks: Iterable[Task]) -> list[Problem]:
    """Every problem in `tasks`, task by task, then duplicate prompts across all of them."""
    tasks = list(tasks)
    problems = [problem for task in tasks for problem in lint_task(task)]
    seen: dict[str, Task] = {}
    for task in tasks:
        key = " ".join(_fold(_prompt_text(task, len(task.user_turns()) - 1)).split())
        if key in seen and not _ignored(task, "duplicate-prompt"):
            first = seen[key]
            problems.append(Problem(task.suite, task.id, "duplicate-prompt",
                                    f"same prompt as task '{first.id}' of suite '{first.suite}'"))
        seen.setdefault(key, task)
    return problems


def lint_task(task: Task) -> list[Problem]:
    """The problems of one task, each of its turns on its own."""
    found = []
    multi = task.turns is not None
    for index, turn in enumerate(task.user_turns()):
        prompt = _prompt_text(task, index)
        for rule, message in _turn_problems(task, turn.constraints, prompt, turn.near_miss):
            if not _ignored(task, rule):
                found.append(Problem(task.suite, task.id, rule, message, index if multi else None))
    return found


def _ignored(task: Task, rule: str) -> bool:
    return f"lint-ignore:{rule}" in task.tags


def _prompt_text(task: Task, turn: int) -> str:
    """What the model is told up to `turn`: system and user messages, earlier turns included."""
    if task.turns is not None:
        return "\n".join(t.prompt for t in task.turns[: turn + 1])
    if task.messages is not None:
        return "\n".join(m.content for m in task.messages if m.role != "assistant")
    return task.prompt or ""


def _turn_problems(task: Task, constraints: list[Constraint], prompt: str, near_miss: Any) -> Iterator[tuple[str, str]]:
    if not constraints:
        yield "no-constraints", "no constraint checks the reply"
    by_id: dict[str, list[dict[str, Any]]] = {}
    for constraint in constraints:
        by_id.setdefault(constraint.id, []).append(constraint.params)
    if "content.lowercase" in by_id and "content.uppercase" in by_id:
        yield "case-conflict", "content.lowercase and content.uppercase cannot both hold for a reply with letters"
    yield from _bounds_conflicts(constraints)
    if "format.json" in by_id:
        for other in NOT_IN_JSON:
            if other in by_id:
                yield "format-conflict", f"format.json requires the whole reply to be JSON, which cannot hold {other}"
    yield from _text_conflicts(by_id)
    yield from _language_conflicts(task, by_id)
    for constraint in constraints:
        yield from (("unrequested", message) for message in unrequested(constraint.id, constraint.params, prompt))
    if near_miss is not None:
        named = sum(1 for constraint in constraints if constraint.id == near_miss.fails)
        if named != 1:
            state = "names no constraint" if named == 0 else f"names {named} constraints"
            yield "near-miss-target", f"near_miss.fails '{near_miss.fails}' {state} of this turn; it must name exactly one"


def _bounds_conflicts(constraints: list[Constraint]) -> Iterator[tuple[str, str]]:
    groups: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    for constraint in constraints:
        if constraint.id in BOUNDED:
            key_param = BOUNDED[constraint.id]
            key = constraint.params.get(key_param) if key_param else None
            groups.setdefault((constraint.id, _fold(key) if isinstance(key, str) else key), []).append(constraint.params)
    bounds = {}
    for (cid, key), members in groups.items():
        exacts = {p["exact"] for p in members if p.get("exact") is not None}
        low = max([p["min"] for p in members if p.get("min") is not None] + list(exacts), default=0)
        high = min([p["max"] for p in members if p.get("max") is not None] + list(exacts), default=None)
        label = cid + (f" ({BOUNDED[cid]} {key!r})" if key is not None else "")
        if len(exacts) > 1:
            yield "bounds-conflict", f"{label}: different exact counts {sorted(exacts)}"
        elif high is not None and low > high:
            yield "bounds-conflict", f"{label}: at least {low} required but at most {high} allowed"
        bounds[cid] = (low, high)
    pairs = [("length.words", "length.chars", "a word is at least one character"),
             ("content.questions", "length.sentences", "a question is a sentence")]
    for more, fewer, why in pairs:
        if more in bounds and fewer in bounds and bounds[fewer][1] is not None and bounds[more][0] > bounds[fewer][1]:
            yield "bounds-conflict", f"{more} needs at least {bounds[more][0]} but {fewer} allows at most {bounds[fewer][1]} ({why})"


def _text_conflicts(by_id: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, str]]:
    starts = [(p["phrase"], "content.start") for p in by_id.get("content.start", [])]
    starts += [(p["text"], "content.repeat_prompt") for p in by_id.get("content.repeat_prompt", []) if p.get("text")]
    ends = [(p["phrase"], "content.end") for p in by_id.get("content.end", [])]
    required = [(k, "content.include") for p in by_id.get("content.include", []) for k in p.get("keywords", [])]
    required += [(p["keyword"], "content.frequency") for p in by_id.get("content.frequency", [])
                 if (p.get("min") or p.get("exact") or 0) > 0]
    required += starts + ends
    for params in by_id.get("content.exclude", []):
        for keyword in params.get("keywords", []):
            for text, source in required:
                if count_keyword(text, keyword):
                    yield "text-conflict", f"content.exclude forbids {keyword!r}, but {source} requires {text!r}"
    for params in by_id.get("content.no_commas", []):
        commas = ",，、" if params.get("fullwidth", True) else ","
        for text, source in required:
            if any(comma in text for comma in commas):
                yield "text-conflict", f"content.no_commas forbids commas, but {source} requires {text!r}"
    for edge, items in (("start", starts), ("end", ends)):
        folded = [(" ".join(_fold(text).split()), source) for text, source in items]
        for i, (a, source_a) in enumerate(folded):
            for b, source_b in folded[i + 1:]:
                if not (a.startswith(b) or b.startswith(a) if edge == "start" else a.endswith(b) or b.endswith(a)):
                    yield "text-conflict", f"the reply cannot {edge} with both {a!r} ({source_a}) and {b!r} ({source_b})"
        if "format.quoted" in by_id:
            for text, source in folded:
                if not (text.startswith(QUOTES) if edge == "start" else text.endswith(('"', "\u201d", "\u300d"))):
                    yield "text-conflict", f"format.quoted needs a quote mark at the {edge}, but {source} requires {text!r}"


def _english_only(keyword: str) -> bool:
    """A Latin-script phrase or lower-case word: not an acronym or name a Chinese text would quote."""
    letters = regex.sub(r"[^\p{L}]", "", keyword)
    if not letters or not regex.fullmatch(r"\p{Latin}+", letters):
        return False
    return len(keyword.split()) > 1 or letters == letters.lower()


def _language_conflicts(task: Task, by_id: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, str]]:
    langs = {p.get("lang") for p in by_id.get("language.response", [])}
    required = [k for p in by_id.get("content.include", []) for k in p.get("keywords", [])]
    required += [p["phrase"] for cid in ("content.start", "content.end") for p in by_id.get(cid, [])]
    for keyword in required:
        if "zh" in langs and _english_only(keyword):
            yield "language-keyword", f"a Chinese reply is required, but {keyword!r} is English-only text"
        if "en" in langs and has_cjk(keyword):
            yield "language-keyword", f"an English reply is required, but {keyword!r} is Chinese/Japanese text"
    if "role.reading_level" in by_id:
        others = sorted(lang for lang in langs if lang != "en")
        if task.language != "en" or others:
            language = others[0] if others else task.language
            yield "reading-level-language", f"role.reading_level measures English only, but the reply is to be in '{language}'"


def _task_lines(path: Path) -> dict[str, int]:
    """Task id -> the line that defines it (YAML `- id: x` or a JSONL line with that id)."""
    lines: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return lines
    pattern = regex.compile(r"^\s*-\s+id:\s*['\"]?([^'\"#]+?)['\"]?\s*(?:#.*)?$|\"(?:id|key)\":\s*\"?([^\",]+)")
    for number, line in enumerate(text.splitlines(), start=1):
        match = pattern.search(line)
        if match:
            lines.setdefault((match.group(1) or match.group(2)).strip(), number)
    return lines


def lint_paths(paths: Iterable[str | Path]) -> tuple[int, list[str]]:
    """Lint task files: (number of tasks, one `path:line: task 'id': [rule] message` per problem)."""
    paths = [Path(path) for path in paths]
    tasks = load_tasks(paths)  # every file problem first, suites defined twice included
    located: dict[tuple[str, str], tuple[Path, int]] = {}
    for path in paths:
        lines = _task_lines(path)
        for task in load_tasks([path]):
            located.setdefault((task.suite, task.id), (path, lines.get(task.id, 1)))
    out = []
    for problem in lint(tasks):
        path, line = located[problem.suite, problem.task_id]
        out.append(f"{path}:{line}: {problem.describe()}")
    return len(tasks), out
