"""Reward-hacking guards: what each one catches and what it lets through, in English and Chinese."""

from __future__ import annotations

import pytest

import ifbench
from ifbench.rl import (
    DEFAULT_GUARDS,
    MinContentWords,
    NoConstraintEcho,
    NoEmptySections,
    NoPromptCopy,
    PromptLanguage,
)

EN_PROMPT = "Write a short note to a friend about the weekend trip to the lake."
ZH_PROMPT = "给朋友写一段短信，讲讲周末去湖边旅行的事情。"


def factor(guard, answer, prompt=None, constraints=()):
    return guard(answer, prompt, list(constraints)).factor


@pytest.mark.parametrize("answer, expected", [
    ("The the the of and a an.", 0.0),                           # only stopwords
    ("Lake trip was calm, sunny and full of birds.", 1.0),
    ("的了是在和。", 0.0),                                        # only particles
    ("周末湖边很安静。", 1.0),
])
def test_min_content_words(answer, expected):
    assert factor(MinContentWords(min=4), answer) == expected


@pytest.mark.parametrize("answer, prompt, expected", [
    (EN_PROMPT, EN_PROMPT, 0.0),
    ("Hi Sam, the lake was calm and we swam every morning before breakfast.", EN_PROMPT, 1.0),
    (ZH_PROMPT, ZH_PROMPT, 0.0),
    ("小王，周末的湖水很清，我们每天早上都去划船。", ZH_PROMPT, 1.0),
])
def test_no_prompt_copy(answer, prompt, expected):
    assert factor(NoPromptCopy(), answer, prompt) == expected


def test_no_prompt_copy_spares_a_requested_repeat():
    answer = EN_PROMPT + " Hi Sam, the lake was calm."
    assert factor(NoPromptCopy(), answer, EN_PROMPT) == 0.0  # mostly a copy
    assert factor(NoPromptCopy(), answer, EN_PROMPT, [{"id": "content.repeat_prompt"}]) == 1.0
    zh = ZH_PROMPT + "湖水很清。"
    assert factor(NoPromptCopy(), zh, ZH_PROMPT) == 0.0
    assert factor(NoPromptCopy(), zh, ZH_PROMPT, [{"id": "content.repeat_prompt"}]) == 1.0


@pytest.mark.parametrize("answer, prompt, expected", [
    ("Hi Sam, the lake was calm and lovely this weekend.", EN_PROMPT, 1.0),
    ("小王，周末的湖水很清，我们玩得很开心。", EN_PROMPT, 0.0),
    ("小王，周末的湖水很清，我们玩得很开心。", ZH_PROMPT, 1.0),
    ("Hi Sam, the lake was calm and lovely this weekend.", ZH_PROMPT, 0.0),
])
def test_prompt_language(answer, prompt, expected):
    assert factor(PromptLanguage(), answer, prompt) == expected


def test_prompt_language_defers_to_a_language_constraint():
    english = [{"id": "language.response", "lang": "en"}]
    assert factor(PromptLanguage(), "Hi Sam, the lake was lovely.", ZH_PROMPT, english) == 1.0


@pytest.mark.parametrize("answer, constraints, expected", [
    ("lake lake lake boat boat", [{"id": "content.include", "keywords": ["lake", "boat"]}], 0.0),
    ("We rowed a boat across the lake at dawn.", [{"id": "content.include", "keywords": ["lake", "boat"]}], 1.0),
    ("湖湖湖船船", [{"id": "content.include", "keywords": ["湖", "船"]}], 0.0),
    ("清晨我们划船穿过了安静的湖面。", [{"id": "content.include", "keywords": ["湖", "船"]}], 1.0),
])
def test_no_constraint_echo(answer, constraints, expected):
    assert factor(NoConstraintEcho(), answer, None, constraints) == expected


@pytest.mark.parametrize("answer, expected", [
    ("# Plan\n# Packing\n# Travel\n", 0.0),
    ("# Plan\nLeave at eight.\n# Packing\n# Travel\nTake the bus.", pytest.approx(2 / 3)),
    ("Section 1\nLeave at eight.\nSection 2\nTake the bus.", 1.0),
    ("第1部分\n第2部分\n", 0.0),
    ("第一部分\n八点出发。\n第二部分\n坐大巴去湖边。", 1.0),
    ("No sections at all, just a note.", 1.0),
])
def test_no_empty_sections(answer, expected):
    assert factor(NoEmptySections(), answer) == expected


def test_guards_scale_the_reward_and_say_why():
    constraints = [{"id": "format.headings", "min": 3}]
    hacked, honest = "# A\n# B\n# C", "# 出发\n八点出发。\n# 路上\n坐大巴。\n# 湖边\n划船看鸟。"
    assert ifbench.reward(hacked, constraints) == 1.0  # the checker alone is fooled
    assert ifbench.reward(hacked, constraints, guards=[NoEmptySections()]) == 0.0
    assert ifbench.reward(honest, constraints, prompt=ZH_PROMPT, guards=DEFAULT_GUARDS) == 1.0
    details = ifbench.reward_details(hacked, constraints, guards=[NoEmptySections()])
    assert details.guards[0].reason == "0 of 3 sections have text"


def test_guards_work_in_batches_and_worker_processes():
    replies = ["# A\n# B\n# C", "# 出发\n八点出发。\n# 路上\n坐大巴。\n# 湖边\n划船看鸟。"] * 4
    constraints = [{"id": "format.headings", "min": 3}]
    one = ifbench.rewards(replies, constraints, prompts=[ZH_PROMPT] * 8, guards=DEFAULT_GUARDS)
    assert one == [0.0, 1.0] * 4
    assert ifbench.rewards(replies, constraints, prompts=[ZH_PROMPT] * 8, guards=DEFAULT_GUARDS,
                           workers=2) == one


def test_a_guard_past_the_check_budget_zeroes_the_reward(monkeypatch):
    from ifbench.rl import guards

    monkeypatch.setattr(guards, "CHECK_BUDGET_S", 0.05)

    class Stuck:
        def __call__(self, answer, prompt, constraints):
            while True:
                pass

    details = ifbench.reward_details("Hello my friend.", [{"id": "length.words", "max": 5}], guards=[Stuck()])
    assert details.reward() == 0.0
    assert details.guards[0].reason.startswith("gave up after 0.05 s")


@pytest.mark.parametrize("answer", ["\x00\ufffd" * 200_000, "湖" * 300_000, "# h\n" * 50_000])
def test_hostile_answers_get_a_reward_from_every_guard(answer):
    value = ifbench.reward(answer, [{"id": "length.words", "min": 1}], prompt=ZH_PROMPT, guards=DEFAULT_GUARDS)
    assert 0.0 <= value <= 1.0
