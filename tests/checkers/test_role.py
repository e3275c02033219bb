"""role.no_ai_disclaimer and role.reading_level."""

from __future__ import annotations

import socket

import pytest

import ifbench
from ifbench.checking.registry import get_checker


def disclaimer(response: str, **params) -> ifbench.Verdict:
    return ifbench.check(response, {"id": "role.no_ai_disclaimer", **params})


@pytest.mark.parametrize(
    "text",
    [
        "As an AI, I don't have feelings.",
        "As an AI language model, it is not appropriate to speculate.",
        "as an  AI\nlanguage model I cannot browse.",
        "As an A.I. I can't say.",
        "As an artificial intelligence, I lack a body.",
        "As a large language model, I cannot taste food.",
        "Well, as an AI, I must decline.",
        "I, as an AI, cannot do that.",
        "Being an AI, I lack a body.",
        "Sadly I cannot sail as an AI model, but I can describe it.",
        "I am an AI.",
        "I'm an AI assistant created by OpenAI.",
        "I’m just a language model, so I can't.",
        "I am a large language model trained by Google.",
        "I'm only an AI, matey.",
        "As of my knowledge cutoff, the answer is 42.",
        "Arr! **As an AI**, I have no ship.",
        "As an **AI** language model, I cannot sail.",
        "As your AI assistant, I recommend a harbour.",
        "Language models like me cannot taste rum.",
        "AIs like me never sleep.",
        "I am ChatGPT, made by OpenAI.",
        "Hi! I'm GPT-4.",
        "I'm Claude, an AI assistant.",
        "I was developed by Anthropic to help people.",
    ],
)
def test_english_self_references_fail(text):
    verdict = disclaimer(text)
    assert not verdict.passed, text


@pytest.mark.parametrize(
    "text",
    [
        "Arr, the sea be my home!",
        "As an AI researcher, I think this is promising.",
        "I'm an AI enthusiast and love robots.",
        "I am a language model engineer at a startup.",
        "You can use ChatGPT as an AI assistant for coding.",
        "As an AI model learns, its weights change.",
        "As AI continues to evolve, I believe we must adapt.",
        "Air travel is safe. I am a pilot.",
        "The plan was said to be a bit naive.",
        "I don't have personal opinions on sailing.",  # not built in; see the `phrases` test
        "Said the captain: I am aiming for the island.",
        "AI is changing medicine.",
        "Language models like GPT-4 are large.",
        "I am a ChatGPT user.",
        "I'm ChatGPT's biggest fan.",
        "I'm Claude, a baker from Lyon.",
        "I am sure, an AI would say no.",
        "I am Bob, an AI engineer.",
        "My phone was made by Google.",
    ],
)
def test_english_near_misses_pass(text):
    verdict = disclaimer(text)
    assert verdict.passed, verdict.reason


@pytest.mark.parametrize(
    "text",
    [
        "作为一个AI，我没有家。",
        "作为一个 AI 语言模型，我无法回答。",
        "作为人工智能，我不能这样做。",
        "作为AI语言模型，无法提供个人意见。",
        "作为一个人工智能语言模型，我……",
        "作为一个大型语言模型，我没有感情。",
        "我是一个语言模型。",
        "我只是一个AI，不能航海。",
        "我是人工智能。",
        "我是一个AI助手。",
        "我是由OpenAI开发的人工智能助手。",
        "作为一个由OpenAI训练的大型语言模型，我不能。",
        "我作为一个ＡＩ，不能回答。",  # full-width letters
        "船长说：不过，作为AI，我没有船。",
        "作為一個人工智慧語言模型，我無法回答。",  # Traditional Chinese
        "我只是一個AI助理。",
        "身为人工智能，我不能这样做。",
        "身為AI，我沒有船。",
        "作为你的AI助手，我建议你休息。",
        "像我这样的语言模型没有感情。",
        "我是ChatGPT，由OpenAI开发。",
        "我是通义千问。",
        "我是阿里云开发的超大规模语言模型。",
    ],
)
def test_chinese_self_references_fail(text):
    assert not disclaimer(text).passed, text


@pytest.mark.parametrize(
    "text",
    [
        "我是一名老船长，大海就是我的家。",
        "作为人工智能领域的专家，我认为这很重要。",
        "作为AI研究员，我每天读论文。",
        "我们可以把ChatGPT作为AI助手来使用。",
        "我是人工智能专业的学生。",
        "作为AIGC从业者，我很忙。",
        "人工智能的发展很快，语言模型也越来越强。",
        "作为人工智能的一个分支，机器学习很重要。",
        "作為人工智慧領域的專家，我認為這很重要。",
        "身为人工智能研究员，我很忙。",
        "我是ChatGPT的用户。",
        "人工智能正在改变医学。",
    ],
)
def test_chinese_near_misses_pass(text):
    verdict = disclaimer(text)
    assert verdict.passed, verdict.reason


def test_reason_quotes_the_phrase_in_context():
    verdict = disclaimer("Ahoy! As an AI language model, I have never sailed. As an AI, I can't.")
    assert verdict.reason == (
        "found first of 2: 'As an AI language model' in 'Ahoy! As an AI language model, I have never sailed. As an A'; "
        "no self-reference as an AI allowed"
    )
    assert disclaimer("Ahoy!").reason == "no self-reference as an AI or language model found"


def test_extra_phrases_are_literal_case_insensitive_and_whitespace_tolerant():
    phrases = ["I don't have personal opinions", "没有个人观点", "a.b"]
    assert not disclaimer("Well, I DON’T have\npersonal  opinions.", phrases=phrases).passed
    assert not disclaimer("我没有个人观点。", phrases=phrases).passed
    assert disclaimer("I don't have personal opinionsx", phrases=phrases).passed  # whole words
    assert disclaimer("axb", phrases=phrases).passed  # `.` is literal
    assert not disclaimer("a.b", phrases=phrases).passed


def test_a_given_phrase_is_reported_as_that_not_as_a_self_reference():
    phrases = ["personal opinions"]
    assert disclaimer("I have no personal opinions.", phrases=phrases).reason == (
        "found the forbidden phrase 'personal opinions' in 'I have no personal opinions.'"
    )
    assert disclaimer("我没有个人观点。", phrases=["个人观点"]).reason == (
        "found the forbidden phrase '个人观点' in '我没有个人观点。'"
    )
    assert disclaimer("Hi there.", phrases=phrases).reason == (
        "no self-reference as an AI or language model found, nor the given phrase"
    )


def test_blank_extra_phrase_is_refused():
    with pytest.raises(ifbench.ConstraintError, match="phrase"):
        disclaimer("x", phrases=["ok", " "])


def test_many_mentions_that_are_not_self_references_stay_fast_and_pass():
    verdict = disclaimer("Use it as an AI assistant. " * 20_000)
    assert verdict.passed
    assert "only the first 10,000" in verdict.reason


def grade(response: str, **params) -> ifbench.Verdict:
    return ifbench.check(response, {"id": "role.reading_level", **params})


SIMPLE = "The cat sat on the mat. It was warm. The cat was glad."
HARD = (
    "Photosynthetic organisms convert electromagnetic radiation into chemical energy "
    "through complicated biochemical processes involving chlorophyll molecules."
)


@pytest.mark.parametrize(
    "text, params, expected",
    [
        (SIMPLE, {"max_grade": 4}, True),
        (SIMPLE, {"min_grade": 4}, False),
        (HARD, {"max_grade": 8}, False),
        (HARD, {"min_grade": 12}, True),
        (HARD, {"min_grade": 6, "max_grade": 40}, True),
        # Bounds are inclusive and compared with the grade rounded to one decimal.
        (SIMPLE, {"max_grade": -2.1}, True),
        (SIMPLE, {"max_grade": -2.2}, False),
        (SIMPLE, {"min_grade": -2.1}, True),
        (SIMPLE, {"min_grade": -2.0}, False),
        ("Say 你好 to a friend. It means hi. It is a kind word.", {"max_grade": 4}, True),
    ],
)
def test_reading_level(text, params, expected):
    assert grade(text, **params).passed is expected


def test_reading_level_reason():
    assert grade(SIMPLE, max_grade=8).reason == "Flesch-Kincaid grade -2.1; at most 8 allowed"
    assert grade(HARD, min_grade=6.5, max_grade=8).reason.endswith("; between 6.5 and 8 required")


@pytest.mark.parametrize("text", ["光合作用把光能转化为化学能。", "123 456.", "😀 !!!"])
def test_text_without_english_words_fails(text):
    verdict = grade(text, max_grade=8)
    assert not verdict.passed
    assert verdict.reason == "no English words to measure; grade at most 8 allowed"


def test_very_long_text_is_measured_on_its_first_100000_characters():
    verdict = grade(SIMPLE + " " + "The dog ran. " * 20_000, max_grade=8)
    assert verdict.passed
    assert "(first 100,000 characters measured)" in verdict.reason


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "at least one of 'max_grade', 'min_grade'"),
        ({"min_grade": 9, "max_grade": 8}, "greater than"),
        ({"max_grade": float("nan")}, "max_grade"),
        ({"max_grade": "eight"}, "max_grade"),
    ],
)
def test_reading_level_refuses_bad_bounds(params, message):
    with pytest.raises(ifbench.ConstraintError, match=message):
        grade("text", **params)


def test_reading_level_is_registered_for_english_tasks_only():
    assert get_checker("role.reading_level").languages == frozenset({"en"})


def test_reading_level_works_offline(monkeypatch):
    """textstat must not try to download anything (NLTK's cmudict) while scoring."""

    def no_network(*args, **kwargs):
        raise AssertionError("role.reading_level tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    verdict = grade("A completely new sentence about unusual words like quixotic.", max_grade=30)
    assert verdict.reason.startswith("Flesch-Kincaid grade"), verdict.reason


@pytest.mark.parametrize(
    "text",
    [
        ("Hello, World? 你好，世界？ As an AI, I think.\n" * 250_000)[:10_000_000],
        "As an AI, " * 500_000,
        "我" * 2_000_000,
        "abc\x00\ud800 你好\udfff? As an\x00 AI, I",
        "**bold *it ```py\n[link](http://x" + "`" * 1000 + "\n```\n~~~",
        "|" + "a|" * 10_000 + "\n|" + "-|" * 10_000 + "\n|" + "1|" * 10_000,
        "supercalifragilistic" * 50_000,
    ],
    ids=["10MB", "as an AI x500k", "CJK x2M", "NUL and surrogates", "markdown", "wide table", "one huge word"],
)
@pytest.mark.parametrize(
    "constraint",
    [{"id": "role.no_ai_disclaimer", "phrases": ["as a human"]}, {"id": "role.reading_level", "max_grade": 8}],
    ids=lambda c: c["id"],
)
def test_any_text_gets_a_verdict(text, constraint):
    verdict = ifbench.check(text, constraint)
    assert verdict.reason.strip()
    assert "failed on this response" not in verdict.reason
