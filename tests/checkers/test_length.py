"""length.*: words (字 for Chinese), characters, sentences, paragraphs, with a near miss on each side."""

from __future__ import annotations

import pytest

import ifbench


def check(response: str, id: str, **params) -> ifbench.Verdict:
    return ifbench.check(response, {"id": id, **params})


@pytest.mark.parametrize(
    "response, params, passed, reason",
    [
        ("Gravity pulls masses together.", {"max": 4}, True, "4 words; at most 4 allowed"),
        ("Gravity pulls all masses together.", {"max": 4}, False, "5 words; at most 4 allowed"),
        ("Don't stop: state-of-the-art results.", {"exact": 4}, True, "4 words; exactly 4 required"),
        ("Pi is 3.14, roughly.", {"min": 5}, True, "5 words; at least 5 required"),
        ("- **Bold** item\n- # heading 🙂", {"exact": 3}, True, "3 words; exactly 3 required"),
        ("用一百字以内解释相对论。", {"max": 11}, True, "11 words; at most 11 allowed"),
        ("用一百字以内解释相对论吧。", {"max": 11}, False, "12 words; at most 11 allowed"),
        ("相对论(relativity)很重要", {"exact": 7}, True, "7 words; exactly 7 required"),
        ("“引号”、逗号，句号。", {"min": 6, "max": 6}, True,
         "6 words; between 6 and 6 required"),
        ("I ❤️ you 👍🏽", {"exact": 2}, True, "2 words; exactly 2 required"),
        ("I ❤️ you so much", {"max": 3}, False, "4 words; at most 3 allowed"),
        ("我❤️你 1️⃣", {"exact": 2}, True, "2 words; exactly 2 required"),
        ("我❤️你们", {"max": 2}, False, "3 words; at most 2 allowed"),
    ],
)
def test_words(response, params, passed, reason):
    verdict = check(response, "length.words", **params)
    assert (verdict.passed, verdict.reason) == (passed, reason)


@pytest.mark.parametrize(
    "response, params, passed, reason",
    [
        ("Hello, world!", {"max": 13}, True, "13 characters; at most 13 allowed"),
        ("Hello, world!!", {"max": 13}, False, "14 characters; at most 13 allowed"),
        ("a b\tc\n", {"exact": 3, "spaces": False}, True, "3 non-space characters; exactly 3 required"),
        ("你好，世界！", {"exact": 6}, True, "6 characters; exactly 6 required"),
        ("你好， 世界！", {"exact": 6}, False, "7 characters; exactly 6 required"),
        ("e\u0301", {"exact": 1}, True, "1 character; exactly 1 required"),  # NFC: é
    ],
)
def test_chars(response, params, passed, reason):
    verdict = check(response, "length.chars", **params)
    assert (verdict.passed, verdict.reason) == (passed, reason)


@pytest.mark.parametrize(
    "response, params, passed",
    [
        ("Dr. Smith measured 3.14 twice. Then he stopped!", {"exact": 2}, True),
        ("Dr. Smith measured 3.14 twice. Then he stopped! Why?", {"exact": 2}, False),
        ("# Title\nOne sentence here.", {"exact": 2}, True),
        ("今天下雨。明天晴天！", {"max": 2}, True),
        ("今天下雨。明天晴天！后天呢？", {"max": 2}, False),
        ("一、背景\n二、方法\n三、结论", {"exact": 3}, True),
        ("你好!我很好!", {"exact": 2}, True),
        ("你好!我很好!你呢?", {"exact": 2}, False),
        ("Hi! I am fine. Pi is 3.14.", {"exact": 3}, True),
    ],
)
def test_sentences(response, params, passed):
    assert check(response, "length.sentences", **params).passed is passed


@pytest.mark.parametrize(
    "response, params, passed",
    [
        ("One.\n\nTwo.\n\nThree.", {"exact": 3}, True),
        ("One.\n\nTwo.\nStill two.", {"exact": 3}, False),
        ("One.\n* * *\nTwo.", {"exact": 2}, True),
        ("第一段。\n\n第二段。", {"min": 2}, True),
        ("第一段。\n第二段？不，还是第一段。", {"min": 2}, False),
    ],
)
def test_paragraphs(response, params, passed):
    assert check(response, "length.paragraphs", **params).passed is passed
