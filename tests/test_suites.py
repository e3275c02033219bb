"""The shipped suites in tasks/: they load, every reference passes, every near-miss fails where it says,
the coverage the benchmark promises holds, they lint clean, and tasks/README.md's card is current."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ifbench.checking.base import Checker, Context, CountParams
from ifbench.checking.evaluate import bind, evaluate
from ifbench.checking.registry import all_checkers
from ifbench.checking.text import has_cjk
from ifbench.records import ResponseRecord
from ifbench.scoring import score_task
from ifbench.tasks.lint import lint
from ifbench.tasks.load import load_tasks
from ifbench.tasks.models import Task
from ifbench.tasks.suitecard import (
    BEGIN,
    CATEGORIES,
    END,
    PATTERNS,
    card,
    checker_ids,
    coverage,
    has_near_miss,
    has_system_prompt,
)

TASKS_DIR = Path(__file__).resolve().parent.parent / "tasks"
SUITE_FILES = sorted(TASKS_DIR.glob("*.yaml"))
TASKS = load_tasks(SUITE_FILES)
LANGUAGES = ("en", "zh")
MIN_TASKS, MIN_PER_GROUP = 200, 30
MIN_MULTI_TURN, MIN_SYSTEM_PROMPT, MIN_NEAR_MISS_SHARE = 20, 10, 0.25


def by_language(language: str) -> list[Task]:
    return [task for task in TASKS if task.language == language]


def task_id(task: Task) -> str:
    return f"{task.suite}/{task.id}"


def replies_of(task: Task) -> list[ResponseRecord]:
    return [
        ResponseRecord(task_id=task.id, suite=task.suite, model="reference", turn=index, response=turn.reference or "")
        for index, turn in enumerate(task.user_turns())
    ]


def test_suite_files_exist_one_suite_each():
    assert SUITE_FILES, f"no task files in {TASKS_DIR}"
    assert len({task.suite for task in TASKS}) == len(SUITE_FILES)


@pytest.mark.parametrize("task", TASKS, ids=task_id)
def test_reference_passes_every_constraint_strictly(task: Task):
    assert all(turn.reference for turn in task.user_turns()), "every turn needs a reference answer"
    result = score_task(task, replies_of(task), model="reference")
    failed = [f"turn {c.turn}: {c.id}: {c.reason}" for c in result.constraints if not c.strict]
    assert result.prompt_strict, "reference fails: " + "; ".join(failed)


NEAR_MISSES = [
    (task, index) for task in TASKS for index, turn in enumerate(task.user_turns()) if turn.near_miss is not None
]


@pytest.mark.parametrize("task, turn_index", NEAR_MISSES, ids=lambda value: task_id(value) if isinstance(value, Task) else str(value))
def test_near_miss_fails_exactly_the_named_constraint(task: Task, turn_index: int):
    turn = task.user_turns()[turn_index]
    assert turn.near_miss is not None
    named = [c for c in turn.constraints if c.id == turn.near_miss.fails]
    assert len(named) == 1, f"near_miss.fails '{turn.near_miss.fails}' must name exactly one constraint of the turn"
    context = Context(prompt=turn.prompt, language=task.language)
    verdicts = [(c.id, evaluate(bind({"id": c.id, **c.params}), turn.near_miss.response, context, "strict"))
                for c in turn.constraints]
    failing = [cid for cid, verdict in verdicts if not verdict.passed]
    reasons = {cid: verdict.reason for cid, verdict in verdicts}
    assert failing == [turn.near_miss.fails], f"failing: {failing}; reasons: {reasons}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_task_counts_per_language(language: str):
    tasks = by_language(language)
    assert len(tasks) >= MIN_TASKS
    categories = Counter(task.category for task in tasks)
    patterns = Counter(task.pattern for task in tasks)
    assert {c: categories[c] for c in CATEGORIES if categories[c] < MIN_PER_GROUP} == {}
    assert {p: patterns[p] for p in PATTERNS if patterns[p] < MIN_PER_GROUP} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_multi_turn_system_prompt_and_near_miss_counts(language: str):
    tasks = by_language(language)
    assert sum(task.turns is not None for task in tasks) >= MIN_MULTI_TURN
    assert sum(map(has_system_prompt, tasks)) >= MIN_SYSTEM_PROMPT
    assert sum(map(has_near_miss, tasks)) >= MIN_NEAR_MISS_SHARE * len(tasks)


def test_suite_card_reports_native_checkers_the_suites_use_too_little():
    # A report of `ifbench suite-card`, not a rule: registering a checker needs no new tasks.
    def trial(cid: str, languages: frozenset[str] | None) -> Checker:
        return Checker(id=cid, params_model=CountParams, function=lambda r, p, c: None,
                       description="A trial.", languages=languages)

    notes = coverage(TASKS, [*all_checkers(), trial("trial.any", None), trial("trial.en", frozenset({"en"}))])
    assert "trial.any: used by 0 en, 0 zh task(s)" in notes
    assert "trial.en: used by 0 en task(s)" in notes
    assert not any(note.startswith("ifeval:") for note in notes)


def test_every_reply_carries_one_to_four_constraints():
    sizes = {
        f"{task_id(task)} turn {index}": len(turn.constraints)
        for task in TASKS for index, turn in enumerate(task.user_turns())
    }
    assert {where: n for where, n in sizes.items() if not 1 <= n <= 4} == {}


def test_hard_tasks_combine_several_checks_on_one_reply():
    def checks(turn) -> int:
        return sum(len(list(checker_ids(c))) for c in turn.constraints)

    hard = [task for task in TASKS if "hard" in task.tags]
    assert hard
    assert [task_id(t) for t in hard if max(map(checks, t.user_turns())) < 2] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_seed_examples_are_included(language: str):
    assert sum("seed" in task.tags for task in by_language(language)) >= 9


def test_every_task_labels_category_and_pattern_and_id_names_its_language():
    unlabelled = [task_id(t) for t in TASKS if t.category is None or t.pattern is None]
    misnamed = [task_id(t) for t in TASKS if not t.id.startswith(f"{t.language}-")]
    assert (unlabelled, misnamed) == ([], [])


def test_chinese_tasks_are_asked_in_chinese():
    assert [task_id(t) for t in by_language("zh") if not all(has_cjk(turn.prompt) for turn in t.user_turns())] == []


def test_suites_lint_clean():
    assert [problem.describe() for problem in lint(TASKS)] == []


def test_readme_suite_card_is_current():
    readme = (TASKS_DIR / "README.md").read_text(encoding="utf-8")
    assert BEGIN in readme and END in readme
    current = readme.split(BEGIN, 1)[1].split(END, 1)[0]
    assert current.strip() == card(TASKS).strip(), (
        "tasks/README.md is out of date: run `ifbench suite-card tasks/*.yaml --write tasks/README.md`"
    )
