"""`ifbench lint`: each rule flags its example and passes a clean one; numbers in prompts are read
as digits, English words and Chinese numerals; the command prints `path:line` problems."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from ifbench.cli.lint import add_parser, cmd_lint
from ifbench.tasks.lint import RULES, lint, lint_paths, lint_task
from ifbench.tasks.models import Task
from ifbench.tasks.requested import prompt_numbers


def make(prompt: str = "Write about cats.", constraints: list[dict[str, Any]] | None = None, **fields: Any) -> Task:
    data: dict[str, Any] = {"id": fields.pop("id", "t1"), "suite": "s", "prompt": prompt, **fields}
    if "turns" in fields or "messages" in fields:
        data.pop("prompt")
    if "turns" not in fields:
        data["constraints"] = constraints if constraints is not None else [{"id": "content.include", "keywords": ["cats"]}]
    return Task.model_validate(data)


def rules(task: Task) -> list[str]:
    return [problem.rule for problem in lint_task(task)]


# --- contradictions ------------------------------------------------------------------------------

CONTRADICTIONS = [
    ("case-conflict", "Answer in lowercase, then in uppercase.",
     [{"id": "content.lowercase"}, {"id": "content.uppercase"}]),
    ("bounds-conflict", "Write at least 50 words and at most 40 words.",
     [{"id": "length.words", "min": 50}, {"id": "length.words", "max": 40}]),
    ("bounds-conflict", "Write exactly 3 sentences, at most 2 sentences.",
     [{"id": "length.sentences", "exact": 3}, {"id": "length.sentences", "max": 2}]),
    ("bounds-conflict", "Use 'AI' exactly 2 times and exactly 3 times.",
     [{"id": "content.frequency", "keyword": "AI", "exact": 2}, {"id": "content.frequency", "keyword": "ai", "exact": 3}]),
    ("bounds-conflict", "Write at least 30 words in 20 characters.",
     [{"id": "length.words", "min": 30}, {"id": "length.chars", "max": 20}]),
    ("bounds-conflict", "Ask 4 questions in at most 3 sentences.",
     [{"id": "content.questions", "exact": 4}, {"id": "length.sentences", "max": 3}]),
    ("format-conflict", "Reply in JSON and as a table.", [{"id": "format.json"}, {"id": "format.table"}]),
    ("format-conflict", "Reply in JSON with 3 bullet points.", [{"id": "format.json"}, {"id": "format.bullets", "exact": 3}]),
    ("text-conflict", "Mention 'cloud' but never say 'cloud'.",
     [{"id": "content.include", "keywords": ["cloud"]}, {"id": "content.exclude", "keywords": ["cloud"]}]),
    ("text-conflict", "提到“人工智能”，但不要出现“人工”。",
     [{"id": "content.include", "keywords": ["人工智能"]}, {"id": "content.exclude", "keywords": ["人工"]}]),
    ("text-conflict", "Start with 'Yes, sir' and use no commas.",
     [{"id": "content.start", "phrase": "Yes, sir"}, {"id": "content.no_commas"}]),
    ("text-conflict", "Start with 'Dear Ann' and start with 'Hello'.",
     [{"id": "content.start", "phrase": "Dear Ann"}, {"id": "content.start", "phrase": "Hello"}]),
    ("text-conflict", "Wrap it in quotes and start with 'Dear Ann'.",
     [{"id": "format.quoted"}, {"id": "content.start", "phrase": "Dear Ann"}]),
    ("language-keyword", "请用中文回答，并包含 machine learning 这个词。",
     [{"id": "language.response", "lang": "zh"}, {"id": "content.include", "keywords": ["machine learning"]}]),
    ("language-keyword", "Answer in English and include 人工智能.",
     [{"id": "language.response", "lang": "en"}, {"id": "content.include", "keywords": ["人工智能"]}]),
    ("reading-level-language", "用中文回答，写得简单一点。",
     [{"id": "language.response", "lang": "zh"}, {"id": "role.reading_level", "max_grade": 5}]),
]


@pytest.mark.parametrize("rule, prompt, constraints", CONTRADICTIONS, ids=[c[0] + "-" + str(i) for i, c in enumerate(CONTRADICTIONS)])
def test_contradiction_is_flagged(rule: str, prompt: str, constraints: list[dict[str, Any]]):
    assert rule in rules(make(prompt, constraints))


CLEAN = [
    ("Answer in lowercase and in at most 40 words.", [{"id": "content.lowercase"}, {"id": "length.words", "max": 40}]),
    ("Write between 40 and 50 words.", [{"id": "length.words", "min": 40}, {"id": "length.words", "max": 50}]),
    ("Exactly 3 sentences, at least 2 of them.", [{"id": "length.sentences", "exact": 3}, {"id": "length.sentences", "min": 2}]),
    ("Use 'AI' at least 2 times and 'ML' at most 1 time.",
     [{"id": "content.frequency", "keyword": "AI", "min": 2}, {"id": "content.frequency", "keyword": "ML", "max": 1}]),
    ("Reply in JSON inside a json code block.", [{"id": "format.json", "fence": "require"}, {"id": "format.code_block", "language": "json"}]),
    ("Mention 'cloud' and avoid 'server'.",
     [{"id": "content.include", "keywords": ["cloud"]}, {"id": "content.exclude", "keywords": ["server"]}]),
    ("Start with 'Dear Ann' and begin with 'Dear'.",
     [{"id": "content.start", "phrase": "Dear Ann"}, {"id": "content.start", "phrase": "dear"}]),
    ("Wrap it in quotes; start with '\"Yes'.", [{"id": "format.quoted"}, {"id": "content.start", "phrase": '"Yes'}]),
    ("请用中文解释 AI 和 Python 这两个词。",
     [{"id": "language.response", "lang": "zh"}, {"id": "content.include", "keywords": ["AI", "Python"]}]),
    ("Answer in English for a child.", [{"id": "language.response", "lang": "en"}, {"id": "role.reading_level", "max_grade": 5}]),
]


@pytest.mark.parametrize("prompt, constraints", CLEAN)
def test_consistent_constraints_pass(prompt: str, constraints: list[dict[str, Any]]):
    assert rules(make(prompt, constraints)) == []


def test_reading_level_on_a_chinese_task_is_flagged():
    task = make("写得简单一点，适合小学生。", [{"id": "role.reading_level", "max_grade": 5}], language="zh")
    assert rules(task) == ["reading-level-language"]


def test_contradictions_are_judged_per_turn():
    task = make(turns=[
        {"prompt": "Answer in lowercase.", "constraints": [{"id": "content.lowercase"}]},
        {"prompt": "Now in uppercase.", "constraints": [{"id": "content.uppercase"}]},
    ])
    assert rules(task) == []


# --- unrequested constraints -----------------------------------------------------------------------

REQUESTED = [
    ("Explain relativity in 100 words or fewer.", {"id": "length.words", "max": 100}),
    ("用一百字以内解释相对论。", {"id": "length.words", "max": 100}),
    ("用100字以内解释相对论。", {"id": "length.words", "max": 100}),
    ("用三句话解释。", {"id": "length.sentences", "exact": 3}),
    ("用3句话解释。", {"id": "length.sentences", "exact": 3}),
    ("列出两个例子。", {"id": "format.bullets", "exact": 2}),
    ("写一百五十字。", {"id": "length.words", "exact": 150}),
    ("Write three paragraphs.", {"id": "length.paragraphs", "exact": 3}),
    ("Write a two-hundred-and-fifty word essay.", {"id": "length.words", "max": 250}),
    ("Write twenty-five words.", {"id": "length.words", "exact": 25}),
    ("Keep it to 1,000 characters.", {"id": "length.chars", "max": 1000}),
    ("Use a single sentence.", {"id": "length.sentences", "exact": 1}),
    ("Drop the numbering.", {"id": "format.numbered", "max": 0}),
    ("Include at least one code block.", {"id": "format.code_block", "min": 1, "language": None}),
    ("Mention Python and pandas.", {"id": "content.include", "keywords": ["python", "Pandas"]}),
    ("End with 'Thanks!'", {"id": "content.end", "phrase": "Thanks!"}),
    ("Add a P.S. at the end.", {"id": "format.postscript"}),
    ("Separate the two answers with ******.", {"id": "format.two_responses"}),
    ("请用中文回答。", {"id": "language.response", "lang": "zh"}),
    ("Translate this into Spanish.", {"id": "language.response", "lang": "es"}),
    ("Give a title like <<this>>.", {"id": "format.title"}),
    ("Use a table with columns Name and Age.", {"id": "format.table", "headers": ["Name", "Age"]}),
    ("Return JSON with the fields name and height_m.",
     {"id": "format.json", "schema": {"type": "array", "items": {"required": ["name", "height_m"]}}}),
    ("First summarize, then ask questions.", {"id": "steps.ordered", "steps": [{"marker": "summar"}, {"marker": "(?m)^questions?"}]}),
    ("Write an acrostic for HOPE.", {"id": "steps.ordered", "steps": [{"marker": f"(?m)^{c}"} for c in "HOPE"]}),
    ("You are a pirate; stay in character.", {"id": "role.no_ai_disclaimer"}),
    ("Explain it to a ten-year-old.", {"id": "role.reading_level", "max_grade": 5}),
]


@pytest.mark.parametrize("prompt, constraint", REQUESTED)
def test_requested_constraint_passes(prompt: str, constraint: dict[str, Any]):
    constraint = {k: v for k, v in constraint.items() if v is not None}
    assert rules(make(prompt, [constraint])) == []


UNREQUESTED = [
    ("Explain relativity briefly.", {"id": "length.words", "max": 100}),
    ("用一百字以内解释相对论。", {"id": "length.words", "max": 99}),
    ("Write three paragraphs.", {"id": "length.paragraphs", "exact": 4}),
    ("Mention Python.", {"id": "content.include", "keywords": ["pandas"]}),
    ("Write a letter.", {"id": "content.end", "phrase": "Thanks!"}),
    ("Write a letter.", {"id": "format.postscript"}),
    ("Answer the question.", {"id": "language.response", "lang": "zh"}),
    ("Write about dogs.", {"id": "format.title"}),
    ("Use a table with columns Name and Age.", {"id": "format.table", "headers": ["Name", "Email"]}),
    ("Return JSON with a name field.", {"id": "format.json", "schema": {"required": ["name", "height_m"]}}),
    ("First summarize, then ask questions.", {"id": "steps.ordered", "steps": [{"marker": "summar"}, {"marker": "critique"}]}),
    ("Tell me about pirates.", {"id": "role.no_ai_disclaimer"}),
    ("Explain photosynthesis.", {"id": "role.reading_level", "max_grade": 5}),
    ("Explain photosynthesis.", {"id": "content.lowercase"}),
    ("Describe the weather.", {"id": "length.sentences", "max": 0}),
]


@pytest.mark.parametrize("prompt, constraint", UNREQUESTED)
def test_unrequested_constraint_is_flagged(prompt: str, constraint: dict[str, Any]):
    assert "unrequested" in rules(make(prompt, [constraint]))


def test_nested_step_constraints_must_be_requested_too():
    step = {"marker": "questions", "constraints": [{"id": "content.questions", "exact": 3}]}
    asked = make("List the questions: exactly three.", [{"id": "steps.ordered", "steps": [step]}])
    unasked = make("List the questions.", [{"id": "steps.ordered", "steps": [step]}])
    assert (rules(asked), rules(unasked)) == ([], ["unrequested"])


def test_a_system_prompt_and_earlier_turns_count_as_asking():
    messages = make(messages=[
        {"role": "system", "content": "Always answer in 50 words or fewer."},
        {"role": "user", "content": "What is DNS?"},
    ], constraints=[{"id": "length.words", "max": 50}])
    turns = make(turns=[
        {"prompt": "Write in all lowercase.", "constraints": [{"id": "content.lowercase"}]},
        {"prompt": "Now shorter.", "constraints": [{"id": "content.lowercase"}]},
    ])
    assert (rules(messages), rules(turns)) == ([], [])


def test_prompt_numbers_reads_digits_words_and_chinese_numerals():
    assert {3, 100, 1000, 250, 21} <= prompt_numbers("3 items, 100 words, 1,000 chars, two hundred fifty, twenty-one")
    assert {100, 3, 2, 15, 120, 10000} <= prompt_numbers("一百字，三句话，两段，十五个，一百二十，一万")
    assert {5} <= prompt_numbers("５个")  # full-width digits
    assert 7 not in prompt_numbers("three words")


# --- other rules -----------------------------------------------------------------------------------


def test_duplicate_prompts_are_flagged_across_tasks():
    first = make("Write about  cats.", id="a")
    second = make("write about cats.", id="b")
    other = make("Write about cats and dogs.", [{"id": "content.include", "keywords": ["cats"]}], id="c")
    problems = lint([first, second, other])
    assert [(p.task_id, p.rule) for p in problems] == [("b", "duplicate-prompt")]


def test_a_turn_without_constraints_is_flagged():
    assert rules(make("Say hi.", [])) == ["no-constraints"]


def test_a_near_miss_must_name_one_constraint_of_its_turn():
    constraints = [{"id": "content.include", "keywords": ["cats"]}, {"id": "length.words", "max": 5}]
    good = make("Mention cats in 5 words or fewer.", constraints, near_miss={"response": "dogs", "fails": "content.include"})
    bad = make("Mention cats in 5 words or fewer.", constraints, near_miss={"response": "dogs", "fails": "format.json"})
    assert (rules(good), rules(bad)) == ([], ["near-miss-target"])


def test_a_lint_ignore_tag_silences_one_rule():
    task = make("Write about dogs.", [{"id": "format.title"}], tags=["lint-ignore:unrequested"])
    assert rules(task) == []


def test_every_rule_is_documented():
    tested = {rule for rule, _, _ in CONTRADICTIONS} | {"unrequested", "duplicate-prompt", "no-constraints",
                                                         "near-miss-target"}
    assert tested == set(RULES)


# --- the command -----------------------------------------------------------------------------------

TASK_FILE = """\
suite: demo
version: 1
tasks:
  - id: fine
    prompt: Explain DNS in 50 words or fewer.
    constraints:
      - {id: length.words, max: 50}
  - id: broken
    prompt: Explain DNS.
    constraints:
      - {id: content.lowercase}
      - {id: content.uppercase}
"""


def test_lint_paths_reports_path_line_task_and_rule(tmp_path: Path):
    path = tmp_path / "demo.yaml"
    path.write_text(TASK_FILE, encoding="utf-8")
    n_tasks, problems = lint_paths([path])
    assert n_tasks == 2
    assert problems[0].startswith(f"{path}:8: task 'broken': [case-conflict]")
    assert any("[unrequested]" in line for line in problems)


def test_the_command_exits_non_zero_on_problems_and_zero_when_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bad, good = tmp_path / "bad.yaml", tmp_path / "good.yaml"
    bad.write_text(TASK_FILE, encoding="utf-8")
    good.write_text(TASK_FILE.split("  - id: broken")[0].replace("suite: demo", "suite: good"), encoding="utf-8")
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["lint", str(bad)])
    assert args.handler is cmd_lint
    assert args.handler(args) == 1
    args = parser.parse_args(["lint", str(good)])
    assert args.handler(args) == 0
    assert "OK: 1 tasks lint clean." in capsys.readouterr().out
