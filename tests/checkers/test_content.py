"""content.*: keywords, start/end phrases, repeated prompt, letter case, commas, questions."""

from __future__ import annotations

import pytest

import ifbench
from ifbench.checking.base import Context
from ifbench.checking.registry import get_checker

# Cases that need the change to `ifbench.checking.text.count_keyword` proposed to the lead: `'` and
# `’` are one apostrophe (models write `don’t` where the task says `don't`).


def check(response: str, id: str, prompt: str | None = None, **params) -> ifbench.Verdict:
    return ifbench.check(response, {"id": id, **params}, prompt=prompt)


@pytest.mark.parametrize(
    "text, params, expected",
    [
        ("AI is here. AI is there.", {"keywords": ["AI"], "min_count": 2}, True),
        ("AI is here. AI is there.", {"keywords": ["AI"], "min_count": 3}, False),
        ("PYTHON rocks", {"keywords": ["python"]}, True),
        ("Pythonic code", {"keywords": ["python"]}, False),
        ("a database row", {"keywords": ["data"]}, False),
        # Whole words as the word count sees them: an apostrophe or hyphen between letters joins.
        ("the AI's answer", {"keywords": ["AI"]}, False),
        ("an AI-powered tool", {"keywords": ["AI"]}, False),
        ("an AI-powered tool", {"keywords": ["AI-powered"]}, True),
        ("the AI, the answer", {"keywords": ["AI"]}, True),
        ("AIs everywhere", {"keywords": ["AI"]}, False),
        ("we use C++ daily", {"keywords": ["C++"]}, True),
        ("we use C daily", {"keywords": ["C++"]}, False),
        ("the a.b field", {"keywords": ["a.b"]}, True),
        ("the axb field", {"keywords": ["a.b"]}, False),
        ("rain and sun", {"keywords": ["rain", "sun"]}, True),
        ("rain and moon", {"keywords": ["rain", "sun"]}, False),
        ("state of the art", {"keywords": ["state of the art"]}, True),
        ("café au lait", {"keywords": ["cafe\u0301"]}, True),  # NFC on both sides
        ("I don't know", {"keywords": ["don't"]}, True),
        ("I don’t know", {"keywords": ["don't"]}, True),
        ("I don't know", {"keywords": ["don"]}, False),
        ("I don't know", {"keywords": ["t"]}, False),
        ("人工智能改变世界，人工智能无处不在。", {"keywords": ["人工智能"], "min_count": 2}, True),
        ("人工智能改变世界，人工智能无处不在。", {"keywords": ["人工智能"], "min_count": 3}, False),
        ("人工智能化的时代", {"keywords": ["人工智能"]}, True),  # CJK keywords match as substrings
        ("人工的智能", {"keywords": ["人工智能"]}, False),
        ("我们使用 AI 技术。", {"keywords": ["ai"]}, True),
        ("我们使用AI技术。", {"keywords": ["AI"]}, True),
        ("GDP是国内生产总值", {"keywords": ["gdp"]}, True),
        ("我们使用MAIL技术。", {"keywords": ["AI"]}, False),
        # Emphasis markers are not text: a phrase may be partly bold.
        ("we study machine **learning**", {"keywords": ["machine learning"]}, True),
        ("we study machine-**learning**", {"keywords": ["machine learning"]}, False),
        ("call __init__ first", {"keywords": ["init"]}, True),
        ("a snake_case name", {"keywords": ["snakecase"]}, False),  # `_` inside a word is no emphasis
        ("人工**智能**改变世界", {"keywords": ["人工智能"]}, True),
        ("人工的**智能**", {"keywords": ["人工智能"]}, False),
    ],
)
def test_include(text, params, expected):
    assert check(text, "content.include", **params).passed is expected


def test_include_reason_names_each_keyword_that_falls_short_with_its_count():
    reason = check("rain, rain and sun", "content.include", keywords=["rain", "sun", "moon"], min_count=2).reason
    assert reason == "2 of 3 keywords fall short: 'sun' 1 time, 'moon' 0 times; at least 2 times each required"
    single = check("sun", "content.include", keywords=["moon"]).reason
    assert single == "keyword 'moon' appears 0 times; at least 1 time required"


@pytest.mark.parametrize(
    "params",
    [{"keywords": []}, {"keywords": [""]}, {"keywords": ["ok", "  "]}, {"keywords": ["x"], "min_count": 0}, {"keyword": ["x"]}],
)
def test_include_refuses_bad_parameters(params):
    with pytest.raises(ifbench.ConstraintError, match="content.include"):
        check("text", "content.include", **params)


@pytest.mark.parametrize(
    "text, keywords, expected",
    [
        ("The results look promising.", ["very", "really"], True),
        ("The results look REALLY promising.", ["very", "really"], False),
        ("Every delivery arrived.", ["very"], True),  # whole words only
        ("Visit Bern.", ["C++"], True),
        ("I like C++.", ["C++"], False),
        ("结果看起来很有希望。", ["非常", "特别"], True),
        ("结果看起来特别有希望。", ["非常", "特别"], False),
        ("这是AI生成的。", ["ai"], False),
    ],
)
def test_exclude(text, keywords, expected):
    assert check(text, "content.exclude", keywords=keywords).passed is expected


def test_exclude_reason_lists_the_keywords_found_with_counts():
    reason = check("very very good, really", "content.exclude", keywords=["very", "really", "so"]).reason
    assert reason == "found 'very' 2 times, 'really' 1 time; none of the keywords allowed"


@pytest.mark.parametrize(
    "text, params, expected",
    [
        ("data, data, data", {"exact": 3}, True),
        ("data, data", {"exact": 3}, False),
        ("data, data, data, data", {"exact": 3}, False),
        ("data, data", {"max": 2}, True),
        ("data, data, DATA", {"max": 2}, False),
        ("data", {"min": 1, "max": 2}, True),
        ("metadata", {"min": 1}, False),
        ("数据、数据、数据", {"exact": 3}, True),
        ("数据、数据", {"exact": 3}, False),
        ("大数据数据库", {"min": 2}, True),  # substring for CJK
        ("大数据", {"min": 2}, False),
    ],
)
def test_frequency(text, params, expected):
    keyword = "数据" if "数据" in text else "data"
    assert check(text, "content.frequency", keyword=keyword, **params).passed is expected


def test_frequency_reason_names_the_keyword():
    reason = check("data, data, data", "content.frequency", keyword="data", max=2).reason
    assert reason == "keyword 'data': 3 occurrences; at most 2 allowed"


@pytest.mark.parametrize(
    "text, keyword, params, expected",
    [
        ("**Data** beats opinions; collect _data_.", "data", {"exact": 2}, True),
        ("**Data** beats opinions; collect database rows.", "data", {"exact": 2}, False),
        ("**数据**胜于观点，先收集*数据*。", "数据", {"exact": 2}, True),
        ("**数据**胜于观点。", "数据", {"exact": 2}, False),
    ],
)
def test_frequency_ignores_emphasis_markers(text, keyword, params, expected):
    assert check(text, "content.frequency", keyword=keyword, **params).passed is expected


def test_frequency_needs_a_keyword_and_a_bound():
    with pytest.raises(ifbench.ConstraintError, match="keyword"):
        check("x", "content.frequency", min=1)
    with pytest.raises(ifbench.ConstraintError, match="at least one"):
        check("x", "content.frequency", keyword="x")


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("Dear Ms. Lee, thanks.", "Dear Ms. Lee", True),
        ("\n  dear ms. lee, thanks.", "  DEAR MS. LEE ", True),
        ("Dear  Ms.\nLee, thanks.", "Dear Ms. Lee", True),  # whitespace runs are one space
        ("Dear Ms Lee, thanks.", "Dear Ms. Lee", False),
        ("Hi! Dear Ms. Lee, thanks.", "Dear Ms. Lee", False),
        ("**Dear Ms. Lee**, thanks.", "Dear Ms. Lee", True),  # emphasis markers are not text
        ("__Dear__ Ms. Lee, thanks.", "Dear Ms. Lee", True),
        ("**Dear** Mr. Lee, thanks.", "Dear Ms. Lee", False),
        ("**尊敬的李女士**：您好。", "尊敬的李女士", True),
        ("**您好**，尊敬的李女士。", "尊敬的李女士", False),
        ("Dear", "Dear Ms. Lee", False),
        ("STRASSE ist lang.", "straße", True),  # casefold
        ("尊敬的李女士：您好。", "尊敬的李女士", True),
        ("尊敬的李先生：您好。", "尊敬的李女士", False),
        ("您好，尊敬的李女士。", "尊敬的李女士", False),
    ],
)
def test_start(text, phrase, expected):
    assert check(text, "content.start", phrase=phrase).passed is expected


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("That is all. Any other questions?", "Any other questions?", True),
        ("That is all. any other QUESTIONS?  \n\n", " any other questions? ", True),
        ("That is all. Any other questions", "Any other questions?", False),
        ("That is all. Any other questions?!", "Any other questions?", False),
        ("That is all. **Any other questions?**", "Any other questions?", True),
        ("That is all. *Any other questions?*\n\n**Thanks!**", "Any other questions?", False),
        ('He said "Any other questions?"', "Any other questions?", False),
        ("以上。还有其他问题吗？", "还有其他问题吗？", True),
        ("以上。还有其他问题吗?", "还有其他问题吗？", False),  # half-width ? is not ？
        ("以上。「还有其他问题吗？」", "还有其他问题吗？", False),
        ("以上。**还有其他问题吗？**", "还有其他问题吗？", True),
        ("**还有其他问题吗？**以上。", "还有其他问题吗？", False),
    ],
)
def test_end(text, phrase, expected):
    assert check(text, "content.end", phrase=phrase).passed is expected


def test_end_reason_shows_the_actual_end():
    verdict = check("That is all. Any other questions?\n**Thanks!**", "content.end", phrase="Any other questions?")
    assert verdict.reason == "ends with '…Any other questions? **Thanks!**'; 'Any other questions?' required"


def test_start_and_end_reasons_say_when_emphasis_was_ignored():
    end = check("That is all. **Any other questions?**", "content.end", phrase="Any other questions?")
    assert end.reason == "ends with 'Any other questions?' ('…is all. **Any other questions?**', emphasis ignored)"
    start = check("**你好**，世界", "content.start", phrase="你好")
    assert start.reason == "starts with '你好' ('**你好**，世界', emphasis ignored)"
    assert check("Hello, world", "content.start", phrase="hello").reason == "starts with 'hello'"


def test_start_reason_shows_the_actual_start():
    reason = check("Hello there, dear Ms. Lee. How are you?", "content.start", phrase="Dear").reason
    assert reason == "starts with 'Hello there, de…'; 'Dear' required"


@pytest.mark.parametrize("phrase", ["", "   "])
def test_start_and_end_refuse_a_blank_phrase(phrase):
    for id in ("content.start", "content.end"):
        with pytest.raises(ifbench.ConstraintError, match="phrase"):
            check("x", id, phrase=phrase)


PROMPT = "Write a haiku about rain.\nUse simple words."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Write a haiku about rain.\nUse simple words.\n\nSoft rain on the roof", True),
        ("  write a HAIKU about rain. use simple words. Soft rain", True),
        ("Write a haiku about rain.\n\nSoft rain on the roof", False),
        ("Sure! Write a haiku about rain.\nUse simple words.", False),
        ("Soft rain on the roof", False),
        ("**Write a haiku about rain.**\nUse simple words.\n\nSoft rain", True),  # emphasis is not text
        ("*Write a haiku about snow.*\nUse simple words.", False),
    ],
)
def test_repeat_prompt_uses_the_task_prompt(text, expected):
    assert check(text, "content.repeat_prompt", prompt=PROMPT).passed is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("用三句话描述春天。春天来了，花开了。", True),
        ("用三句话描述春天 。春天来了。", False),
        ("好的。用三句话描述春天。春天来了。", False),
        ("**用三句话描述春天。**春天来了。", True),
        ("**好的**。用三句话描述春天。", False),
    ],
)
def test_repeat_prompt_in_chinese(text, expected):
    assert check(text, "content.repeat_prompt", prompt="用三句话描述春天。").passed is expected


def test_repeat_prompt_text_overrides_the_prompt():
    assert check("Repeat me. Done.", "content.repeat_prompt", prompt="Other prompt", text="Repeat me.").passed
    assert not check("Other prompt. Done.", "content.repeat_prompt", prompt="Other prompt", text="Repeat me.").passed


def test_repeat_prompt_reason_says_where_the_repetition_stops():
    reason = check("Write a poem about rain.", "content.repeat_prompt", prompt="Write a haiku about rain.").reason
    assert reason == "matches the first 8 characters, then has 'poem about rain.'; must start with the prompt 'Write a haiku about rain.'"


def test_repeat_prompt_without_text_or_prompt_is_a_usage_error():
    spec = get_checker("content.repeat_prompt")
    params = spec.params_model.model_validate({})
    with pytest.raises(ifbench.ConstraintError, match="'text'"):
        spec("Some response.", params, Context(prompt=None))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("all lowercase, even paris and λόγος and москва.", True),
        ("all lowercase except Paris.", False),
        ("all lowercase except λΌγος.", False),
        ("all lowercase except Москва.", False),
        ("titlecase ǅ is not lowercase", False),
        ("numbers 123 and symbols #$% are fine", True),
        ("全部是中文，没有大小写。", True),
        ("中文里有一个英文单词：python。", True),
        ("中文里有一个英文单词：Python。", False),
    ],
)
def test_lowercase(text, expected):
    assert check(text, "content.lowercase").passed is expected


def test_lowercase_reason_counts_and_quotes_the_uppercase_letters():
    reason = check("hello World, hello PARIS", "content.lowercase").reason
    assert reason == "6 uppercase letters ('W' in 'World', 'P' in 'PARIS'); none allowed"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ALL CAPS, EVEN ΛΌΓΟΣ AND МОСКВА!", True),
        ("ALL CAPS EXCEPT iPhone.", False),
        ("ALL CAPS EXCEPT ΛόΓΟΣ.", False),
        ("ALL CAPS 123 #$%", True),
        ("中文没有大小写。", True),
        ("中文和 API、JSON。", True),
        ("中文和 Json。", False),
    ],
)
def test_uppercase(text, expected):
    assert check(text, "content.uppercase").passed is expected


def test_uppercase_reason_counts_the_lowercase_letters():
    assert check("ABC dEF", "content.uppercase").reason == "1 lowercase letter ('d' in 'dEF'); none allowed"


@pytest.mark.parametrize(
    "text, params, expected",
    [
        ("No commas here.", {}, True),
        ("One, here.", {}, False),
        ("全角逗号，在这里。", {}, False),
        ("顿号、在这里。", {}, False),
        ("全角逗号，顿号、都可以。", {"fullwidth": False}, True),
        ("全角可以，半角不行, 对吧。", {"fullwidth": False}, False),
        ("句号。分号；冒号：都不是逗号。", {}, True),
    ],
)
def test_no_commas(text, params, expected):
    assert check(text, "content.no_commas", **params).passed is expected


def test_no_commas_reason_counts_each_kind():
    reason = check("a, b, c，d、e", "content.no_commas").reason
    assert reason == "4 commas (2 ',', 1 '，', 1 '、'); none allowed"


@pytest.mark.parametrize(
    "text, params, expected",
    [
        ("Why? Because. How?", {"exact": 2}, True),
        ("Why? Because. How.", {"exact": 2}, False),
        ("Why? What? How?", {"max": 2}, False),
        ('He asked, "Why?" Then he left.', {"exact": 1}, True),
        ("**Why does it rain?**\nClouds cool.", {"exact": 1}, True),
        ("Really?! Yes.", {"exact": 1}, True),
        ("Is 3.5 > 3? Yes, it is.", {"exact": 1}, True),
        ("1. What is rain?\n2. Why does it fall?", {"exact": 2}, True),
        ("为什么下雨？因为云。怎么办？", {"exact": 2}, True),
        ("为什么下雨？因为云。怎么办。", {"exact": 2}, False),
        ("他问：“为什么？”然后走了。", {"exact": 1}, True),
        ("第一问？第二问？第三问？", {"min": 4}, False),
        ("你去吗?他去吗?", {"exact": 2}, True),  # half-width ? before Chinese ends a question
        ("你去吗?他去。", {"exact": 2}, False),
        ("Is pi 3.14? Yes.", {"exact": 1}, True),
    ],
)
def test_questions(text, params, expected):
    assert check(text, "content.questions", **params).passed is expected


def test_questions_reason():
    assert check("Why? How?", "content.questions", exact=3).reason == "2 questions; exactly 3 required"


HOSTILE = {
    "10 MB of lines": ("Hello, World? 你好，世界？ As an AI, I think.\n" * 250_000)[:10_000_000],
    "1 MB on one line": ("word, Word? 词，语？ " * 70_000)[:1_000_000],
    "NUL bytes and lone surrogates": "abc\x00\ud800 你好\udfff? As an\x00 AI, I",
    "unbalanced markdown": "**bold *it ```py\n[link](http://x" + "`" * 1000 + "\n```\n~~~",
    "a table with 10,000 columns": "|" + "a|" * 10_000 + "\n|" + "-|" * 10_000 + "\n|" + "1|" * 10_000,
}
PARAMS = {
    "content.include": {"keywords": ["world", "世界"]},
    "content.exclude": {"keywords": ["world", "世界"]},
    "content.frequency": {"keyword": "world", "max": 3},
    "content.start": {"phrase": "Hello"},
    "content.end": {"phrase": "think."},
    "content.lowercase": {},
    "content.uppercase": {},
    "content.no_commas": {},
    "content.questions": {"min": 1},
    "content.repeat_prompt": {"text": "Hello, World?"},
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("id", PARAMS)
def test_any_text_gets_a_verdict(id, name):
    verdict = check(HOSTILE[name], id, **PARAMS[id])
    assert verdict.reason.strip()
    assert "failed on this response" not in verdict.reason
