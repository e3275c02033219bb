"""`ifbench lint`: contradictory or impossible constraint sets, duplicate prompts, unrequested checks.

Each rule has a name (shown as `[rule]`); a task can silence one with the tag
`lint-ignore:<rule>`. Rules look at one turn's constraints at a time, except
`duplicate-prompt`, which compares every task loaded. What a rule knows of a checker comes
from its registration (`LintHints`: conflicts, count bounds, text demands, prompt cues; its
`languages`), so a new checker is linted without editing this module. The `unrequested` rule
(does the prompt ask for what is checked?) lives in `ifbench.tasks.requested`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ifbench.checking.base import CountParams, Demands, LintHints
from ifbench.checking.nested import Node, walk
from ifbench.checking.text import count_keyword, has_cjk
from ifbench.checking.text import fold as _fold
from ifbench.tasks.load import load_tasks
from ifbench.tasks.models import Constraint, Task
from ifbench.tasks.requested import unrequested

# Rule names are what `lint-ignore:<rule>` tags name; which checkers a rule concerns is declared
# by the checkers (LintHints), the examples here are for the reader.
RULES = {
    "case-conflict": "letter-case constraints that cannot both hold (content.lowercase with content.uppercase)",
    "bounds-conflict": "count bounds that no response can meet together (max below min, exact outside another bound)",
    "format-conflict": "format.json together with a markdown structure a JSON document cannot hold (table, lists, headings, ...)",
    "text-conflict": "required text that another constraint forbids or that cannot share the response's start/end",
    "language-keyword": "a required keyword that cannot occur in the required response language",
    "reading-level-language": "a checker bound to some languages (role.reading_level: English) on a task or reply in another",
    "duplicate-prompt": "the same prompt appears in more than one task",
    "unrequested": "a constraint whose key parameters (numbers, keywords, markers) the prompt never mentions",
    "no-constraints": "a turn without any constraint",
    "near-miss-target": "a near-miss names no constraint of its turn, or one used several times",
}
QUOTES = ('"', "\u201c", "\u300c")
CLOSING_QUOTES = ('"', "\u201d", "\u300d")


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
    top = [next(walk(constraint.id, constraint.params)) for constraint in constraints]
    ids = {node.id for node in top}
    reported: set[tuple[str, str]] = set()
    for node in top:
        for conflict in node.checker.lint.conflicts if node.checker is not None else ():
            if conflict.other in ids and (node.id, conflict.other) not in reported:
                reported.add((node.id, conflict.other))
                yield conflict.rule, conflict.why
    yield from _bounds_conflicts(top)
    demands = [node.checker.lint.demands(node.parsed) for node in top
               if node.checker is not None and node.checker.lint.demands is not None and node.parsed is not None]
    yield from _text_conflicts(demands)
    yield from _language_conflicts(task, top, demands)
    for constraint in constraints:
        yield from (("unrequested", message) for message in unrequested(constraint.id, constraint.params, prompt))
    if near_miss is not None:
        named = sum(1 for constraint in constraints if constraint.id == near_miss.fails)
        if named != 1:
            state = "names no constraint" if named == 0 else f"names {named} constraints"
            yield "near-miss-target", f"near_miss.fails '{near_miss.fails}' {state} of this turn; it must name exactly one"


def _bounds_conflicts(nodes: list[Node]) -> Iterator[tuple[str, str]]:
    """Count bounds of one checker (told apart by its `distinct_by` parameter) no reply can meet."""
    groups: dict[tuple[str, Any], list[CountParams]] = {}
    hints: dict[str, LintHints] = {}
    for node in nodes:
        if node.checker is None or not node.checker.bounded or node.parsed is None:
            continue
        hints[node.id] = node.checker.lint
        key_param = node.checker.lint.distinct_by
        key = node.params.get(key_param) if key_param else None
        groups.setdefault((node.id, _fold(key) if isinstance(key, str) else key), []).append(node.parsed)
    bounds = {}
    for (cid, key), members in groups.items():
        exacts = {p.exact for p in members if p.exact is not None}
        low = max([p.min for p in members if p.min is not None] + list(exacts), default=0)
        high = min([p.max for p in members if p.max is not None] + list(exacts), default=None)
        label = cid + (f" ({hints[cid].distinct_by} {key!r})" if key is not None else "")
        if len(exacts) > 1:
            yield "bounds-conflict", f"{label}: different exact counts {sorted(exacts)}"
        elif high is not None and low > high:
            yield "bounds-conflict", f"{label}: at least {low} required but at most {high} allowed"
        bounds[cid] = (low, high)
    for more, (low, _) in bounds.items():
        for fewer, why in hints[more].at_most:
            high = bounds.get(fewer, (0, None))[1]
            if high is not None and low > high:
                yield "bounds-conflict", f"{more} needs at least {low} but {fewer} allows at most {high} ({why})"


def _text_conflicts(demands: list[Demands]) -> Iterator[tuple[str, str]]:
    """Required text that other constraints forbid, or that cannot share the reply's start or end."""
    starts = [text for d in demands for text in d.starts]
    ends = [text for d in demands for text in d.ends]
    required = [text for d in demands for text in d.contains] + starts + ends
    for keyword in (k for d in demands for k in d.forbids):
        for text in required:
            if count_keyword(text, keyword):
                yield "text-conflict", f"{keyword!r} is forbidden, but {text!r} is required"
    for chars in (d.forbidden_chars for d in demands if d.forbidden_chars):
        for text in required:
            if any(char in text for char in chars):
                yield "text-conflict", f"{' '.join(chars)} are forbidden, but {text!r} is required"
    quoted = any(d.quoted for d in demands)
    for edge, items in (("start", starts), ("end", ends)):
        folded = [" ".join(_fold(text).split()) for text in items]
        for i, a in enumerate(folded):
            for b in folded[i + 1:]:
                if not (a.startswith(b) or b.startswith(a) if edge == "start" else a.endswith(b) or b.endswith(a)):
                    yield "text-conflict", f"the reply cannot {edge} with both {a!r} and {b!r}"
        if quoted:
            for text in folded:
                if not (text.startswith(QUOTES) if edge == "start" else text.endswith(CLOSING_QUOTES)):
                    yield "text-conflict", f"the reply is to be quoted, so it cannot {edge} with {text!r}"


def _english_only(keyword: str) -> bool:
    """A Latin-script phrase or lower-case word: not an acronym or name a Chinese text would quote."""
    letters = regex.sub(r"[^\p{L}]", "", keyword)
    if not letters or not regex.fullmatch(r"\p{Latin}+", letters):
        return False
    return len(keyword.split()) > 1 or letters == letters.lower()


def _language_conflicts(task: Task, nodes: list[Node], demands: list[Demands]) -> Iterator[tuple[str, str]]:
    langs = {d.language for d in demands if d.language is not None}
    for keyword in [text for d in demands for text in (*d.contains, *d.starts, *d.ends)]:
        if "zh" in langs and _english_only(keyword):
            yield "language-keyword", f"a Chinese reply is required, but {keyword!r} is English-only text"
        if "en" in langs and has_cjk(keyword):
            yield "language-keyword", f"an English reply is required, but {keyword!r} is Chinese/Japanese text"
    for node in nodes:
        allowed = node.checker.languages if node.checker is not None else None
        if allowed is None:
            continue
        others = sorted(lang for lang in langs | {task.language} if lang not in allowed)
        if others:
            yield ("reading-level-language", f"{node.id} measures {', '.join(sorted(allowed))} text only, "
                   f"but the reply is to be in '{others[0]}'")


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
