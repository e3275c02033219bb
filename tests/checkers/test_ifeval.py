"""The `ifeval:` compatibility checkers: IFEval's semantics, quirks included, on small examples."""

from __future__ import annotations

import itertools
import os
import re

import pytest
from ifbench.checkers.ifeval import _common as common
from ifbench.checkers.ifeval.case import LANGDETECT_CODES

import ifbench
from ifbench.checking import punkt

LT, AL = "less than", "at least"


def check(text: str, iid: str, mode: str = "strict", **params) -> ifbench.Verdict:
    return ifbench.check(text, {"id": "ifeval:" + iid, **params}, mode=mode)


CASES = [
    # length_constraints:number_words — \w+ runs; 'less than' is strict
    ("one two three", "length_constraints:number_words", {"num_words": 4, "relation": LT}, True),
    ("one two three four", "length_constraints:number_words", {"num_words": 4, "relation": LT}, False),
    ("one two three four", "length_constraints:number_words", {"num_words": 4, "relation": AL}, True),
    ("one two three", "length_constraints:number_words", {"num_words": 4, "relation": AL}, False),
    ("don't stop-now", "length_constraints:number_words", {"num_words": 4, "relation": AL}, True),
    ("我们 爱 Python3", "length_constraints:number_words", {"num_words": 3, "relation": AL}, True),
    ("我们爱学习编程语言", "length_constraints:number_words", {"num_words": 2, "relation": AL}, False),
    # length_constraints:number_sentences — NLTK Punkt (English)
    ("Dr. Smith left. He was tired.", "length_constraints:number_sentences", {"num_sentences": 2, "relation": AL}, True),
    ("Dr. Smith left early.", "length_constraints:number_sentences", {"num_sentences": 2, "relation": AL}, False),
    ("One. Two. Three.", "length_constraints:number_sentences", {"num_sentences": 3, "relation": LT}, False),
    ("One. Two.", "length_constraints:number_sentences", {"num_sentences": 3, "relation": LT}, True),
    ("第一句。第二句。第三句。", "length_constraints:number_sentences", {"num_sentences": 2, "relation": LT}, True),
    ("第一句. 第二句! 第三句?", "length_constraints:number_sentences", {"num_sentences": 3, "relation": AL}, True),
    # length_constraints:number_paragraphs — *** dividers, empty ends ignored
    ("A\n***\nB\n***\nC", "length_constraints:number_paragraphs", {"num_paragraphs": 3}, True),
    ("***\nA\n***\nB\n***", "length_constraints:number_paragraphs", {"num_paragraphs": 2}, True),
    ("A\n***\nB", "length_constraints:number_paragraphs", {"num_paragraphs": 3}, False),
    ("A\n***\nB\n***\nC\n***\nD", "length_constraints:number_paragraphs", {"num_paragraphs": 3}, False),
    ("A\n***\n \n***\nB", "length_constraints:number_paragraphs", {"num_paragraphs": 2}, False),
    ("甲\n***\n乙", "length_constraints:number_paragraphs", {"num_paragraphs": 2}, True),
    ("甲\n\n乙", "length_constraints:number_paragraphs", {"num_paragraphs": 2}, False),
    # length_constraints:nth_paragraph_first_word
    ("a\n\n\"Bob's\" here", "length_constraints:nth_paragraph_first_word",
     {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "bob"}, True),
    ("a\n\nBob: here", "length_constraints:nth_paragraph_first_word",
     {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "bob"}, False),
    ("a\n\nBob here\n\nc", "length_constraints:nth_paragraph_first_word",
     {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "bob"}, False),
    ("a\n\nBob here", "length_constraints:nth_paragraph_first_word",
     {"num_paragraphs": 3, "nth_paragraph": 2, "first_word": "bob"}, False),
    # blank pieces are not counted, but nth indexes the pieces as split (IFEval quirk)
    ("\n\na\n\nBob", "length_constraints:nth_paragraph_first_word",
     {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "bob"}, False),
    ("ΟΔΟΣ one\n\nb", "length_constraints:nth_paragraph_first_word",
     {"num_paragraphs": 2, "nth_paragraph": 1, "first_word": "οδοσ"}, True),
    ("开头\n\n总结 如下", "length_constraints:nth_paragraph_first_word",
     {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "总结"}, True),
    # keywords:existence — regex search, case-insensitive, substrings count
    ("The Plants grow.", "keywords:existence", {"keywords": ["plant", "GROW"]}, True),
    ("The trees grow.", "keywords:existence", {"keywords": ["plant", "grow"]}, False),
    ("axb", "keywords:existence", {"keywords": ["a.b"]}, True),
    ("我爱北京", "keywords:existence", {"keywords": ["北京"]}, True),
    ("我爱上海", "keywords:existence", {"keywords": ["北京"]}, False),
    # keywords:frequency
    ("cat Cat CAT", "keywords:frequency", {"keyword": "cat", "frequency": 3, "relation": AL}, True),
    ("cat Cat", "keywords:frequency", {"keyword": "cat", "frequency": 3, "relation": AL}, False),
    ("cat Cat", "keywords:frequency", {"keyword": " cat ", "frequency": 3, "relation": LT}, True),
    ("cat Cat concatenate", "keywords:frequency", {"keyword": "cat", "frequency": 3, "relation": LT}, False),
    ("猫猫猫", "keywords:frequency", {"keyword": "猫", "frequency": 3, "relation": AL}, True),
    ("猫猫", "keywords:frequency", {"keyword": "猫", "frequency": 3, "relation": AL}, False),
    # keywords:forbidden_words — \b boundaries
    ("plants only", "keywords:forbidden_words", {"forbidden_words": ["plant"]}, True),
    ("a Plant!", "keywords:forbidden_words", {"forbidden_words": ["tree", "plant"]}, False),
    ("树 很高", "keywords:forbidden_words", {"forbidden_words": ["树"]}, False),
    ("大树很高", "keywords:forbidden_words", {"forbidden_words": ["树"]}, True),
    # keywords:letter_frequency — literal character, case-insensitive
    ("aAbA", "keywords:letter_frequency", {"letter": "a", "let_frequency": 3, "let_relation": AL}, True),
    ("aAb", "keywords:letter_frequency", {"letter": "A", "let_frequency": 3, "let_relation": AL}, False),
    ("aAb", "keywords:letter_frequency", {"letter": "a", "let_frequency": 3, "let_relation": LT}, True),
    ("## #!", "keywords:letter_frequency", {"letter": "#", "let_frequency": 3, "let_relation": AL}, True),
    ("## !", "keywords:letter_frequency", {"letter": "#", "let_frequency": 3, "let_relation": AL}, False),
    ("好好好", "keywords:letter_frequency", {"letter": "好", "let_frequency": 3, "let_relation": AL}, True),
    # punctuation:no_comma
    ("no commas", "punctuation:no_comma", {}, True),
    ("a, b", "punctuation:no_comma", {}, False),
    ("中文逗号，可以", "punctuation:no_comma", {}, True),
    # detectable_format:number_bullet_lists — `*` (not `**`) and any `-` line
    ("* a\n* b", "detectable_format:number_bullet_lists", {"num_bullets": 2}, True),
    ("  * a\n- b\n---", "detectable_format:number_bullet_lists", {"num_bullets": 3}, True),
    ("* a\n**b**", "detectable_format:number_bullet_lists", {"num_bullets": 2}, False),
    ("* a\n* b\n* c", "detectable_format:number_bullet_lists", {"num_bullets": 2}, False),
    ("* 甲\n- 乙", "detectable_format:number_bullet_lists", {"num_bullets": 2}, True),
    ("• 甲\n• 乙", "detectable_format:number_bullet_lists", {"num_bullets": 2}, False),
    # detectable_format:constrained_response
    ("Well. My answer is no.", "detectable_format:constrained_response", {}, True),
    ("My answer is no", "detectable_format:constrained_response", {}, False),
    # detectable_format:number_highlighted_sections — `*x*` and `**x**`, non-blank
    ("**bold**", "detectable_format:number_highlighted_sections", {"num_highlights": 1}, True),
    ("**bold**", "detectable_format:number_highlighted_sections", {"num_highlights": 2}, False),
    ("*a* and **b**", "detectable_format:number_highlighted_sections", {"num_highlights": 2}, True),
    ("*one* text", "detectable_format:number_highlighted_sections", {"num_highlights": 2}, False),
    ("*a\nb*", "detectable_format:number_highlighted_sections", {"num_highlights": 1}, False),
    ("*甲* *乙*", "detectable_format:number_highlighted_sections", {"num_highlights": 2}, True),
    # detectable_format:multiple_sections — case-sensitive, needs a number
    ("Section 1 a Section 2 b", "detectable_format:multiple_sections", {"section_spliter": "Section", "num_sections": 2}, True),
    ("Section 1 a Section two", "detectable_format:multiple_sections", {"section_spliter": "Section", "num_sections": 2}, False),
    ("SECTION 1\n甲\nSECTION 2\n乙", "detectable_format:multiple_sections", {"section_spliter": " SECTION ", "num_sections": 2}, True),
    ("Day 1 a Day 2", "detectable_format:multiple_sections", {"section_spliter": "(Day)", "num_sections": 4}, True),
    # detectable_format:json_format
    ("```JSON\n[1, 2]\n```", "detectable_format:json_format", {}, True),
    ("NaN", "detectable_format:json_format", {}, True),
    ("{'a': 1}", "detectable_format:json_format", {}, False),
    ('{"名字": "小明"}', "detectable_format:json_format", {}, True),
    ("[" * 100_000 + "]" * 100_000, "detectable_format:json_format", {}, False),
    # detectable_format:title
    ("<<A Title>> text", "detectable_format:title", {}, True),
    ("<< >> text", "detectable_format:title", {}, False),
    ("<<A\nTitle>>", "detectable_format:title", {}, False),
    ("<<标题>>", "detectable_format:title", {}, True),
    # detectable_content:number_placeholders
    ("[a] [b] []", "detectable_content:number_placeholders", {"num_placeholders": 3}, True),
    ("[a] [b\n]", "detectable_content:number_placeholders", {"num_placeholders": 2}, False),
    ("[姓名] [地址]", "detectable_content:number_placeholders", {"num_placeholders": 2}, True),
    # detectable_content:postscript — anywhere, spaces allowed between letters
    ("Bye.\np. s. later", "detectable_content:postscript", {"postscript_marker": "P.S."}, True),
    ("Bye. P.S. later", "detectable_content:postscript", {"postscript_marker": "P.S."}, True),
    ("Bye.\nPS later", "detectable_content:postscript", {"postscript_marker": "P.S."}, False),
    ("Bye.\nP.P.S later", "detectable_content:postscript", {"postscript_marker": "P.P.S"}, True),
    ("Bye.\nP.S. later", "detectable_content:postscript", {"postscript_marker": "P.P.S"}, False),
    ("再见。\nNOTE: 明天", "detectable_content:postscript", {"postscript_marker": "Note:"}, True),
    # startend:end_checker — trailing spaces and double quotes ignored
    ('"Is that all?"  ', "startend:end_checker", {"end_phrase": "is that all?"}, True),
    ("Is that all? Yes", "startend:end_checker", {"end_phrase": "Is that all?"}, False),
    ("就这样吧。", "startend:end_checker", {"end_phrase": "就这样吧。"}, True),
    # startend:quotation
    ('  "quoted"\n', "startend:quotation", {}, True),
    ('"', "startend:quotation", {}, False),
    ("'single'", "startend:quotation", {}, False),
    ('"引用"', "startend:quotation", {}, True),
    # combination:repeat_prompt
    ("  WRITE A POEM. Roses...", "combination:repeat_prompt", {"prompt_to_repeat": "Write a poem. "}, True),
    ("Write a poem", "combination:repeat_prompt", {"prompt_to_repeat": "Write a poem."}, False),
    ("写诗。玫瑰……", "combination:repeat_prompt", {"prompt_to_repeat": "写诗。"}, True),
    # combination:two_responses
    ("A\n******\nB", "combination:two_responses", {}, True),
    ("******\nA\n******\nB\n******", "combination:two_responses", {}, True),
    ("A\n******\nB\n******\nC", "combination:two_responses", {}, False),
    ("A\n******\n A ", "combination:two_responses", {}, False),
    ("甲\n******\n乙", "combination:two_responses", {}, True),
    # change_case:capital_word_frequency — word_tokenize tokens that are isupper()
    ("THE U.S. ARMY", "change_case:capital_word_frequency", {"capital_frequency": 3, "capital_relation": AL}, True),
    ("THE Army", "change_case:capital_word_frequency", {"capital_frequency": 2, "capital_relation": AL}, False),
    ("GONNA do it", "change_case:capital_word_frequency", {"capital_frequency": 2, "capital_relation": LT}, False),
    ("用 AI 写作", "change_case:capital_word_frequency", {"capital_frequency": 2, "capital_relation": LT}, True),
    # change_case:english_capital / english_lowercase — case and langdetect 'en'
    ("THIS IS A SHORT ANSWER IN ENGLISH ABOUT THE WEATHER TODAY.", "change_case:english_capital", {}, True),
    ("THIS IS A SHORT ANSWEr.", "change_case:english_capital", {}, False),
    ("ЭТО КОРОТКИЙ ОТВЕТ НА РУССКОМ ЯЗЫКЕ О ПОГОДЕ.", "change_case:english_capital", {}, False),
    ("这是中文 OK", "change_case:english_capital", {}, False),
    ("\u216b", "change_case:english_capital", {}, True),  # uppercase, but no language: a pass
    ("this is a short answer in english about the weather today.", "change_case:english_lowercase", {}, True),
    ("this is a short answer, Bob.", "change_case:english_lowercase", {}, False),
    ("这是中文。", "change_case:english_lowercase", {}, False),
    # language:response_language — exact langdetect code; undetectable passes
    ("Dies ist eine kurze Antwort auf Deutsch über das Wetter heute.", "language:response_language", {"language": "de"}, True),
    ("This is a short answer in English about the weather today.", "language:response_language", {"language": "de"}, False),
    ("这是一个关于今天天气的简短中文回答。", "language:response_language", {"language": "zh-cn"}, True),
    ("12345 !!!", "language:response_language", {"language": "de"}, True),
]


@pytest.mark.parametrize(("text", "iid", "params", "expected"), CASES)
def test_verdict(text, iid, params, expected):
    verdict = check(text, iid, **params)
    assert verdict.passed is expected, verdict.reason
    assert verdict.reason.strip()


@pytest.mark.parametrize(
    ("iid", "params", "text", "fragment"),
    [
        ("length_constraints:number_words", {"num_words": 4, "relation": LT}, "a b c d", "4 words; fewer than 4 required"),
        ("length_constraints:number_sentences", {"num_sentences": 3, "relation": AL}, "One. Two.", "2 sentences; at least 3 required"),
        ("keywords:frequency", {"keyword": "cat", "frequency": 2, "relation": AL}, "cat", "'cat' appears 1 time; at least 2"),
        ("keywords:letter_frequency", {"letter": "#", "let_frequency": 4, "let_relation": AL}, "##", "'#' appears 2 times"),
        ("detectable_format:number_bullet_lists", {"num_bullets": 3}, "* a", "1 bullet point"),
        ("combination:repeat_prompt", {"prompt_to_repeat": "Write a poem."}, "Write a song.", "character 9"),
        ("startend:end_checker", {"end_phrase": "Bye."}, "So long.", "'bye.' required"),
        ("language:response_language", {"language": "fr"}, "This is plainly an English sentence about tea.", "detected language 'en'; 'fr' required"),
        ("change_case:english_capital", {}, "\u216b", "IFEval counts as a pass"),
        ("change_case:english_lowercase", {}, "all lower but One", "contains 'O'"),
    ],
)
def test_reasons_say_measured_and_required(iid, params, text, fragment):
    assert fragment in check(text, iid, **params).reason


@pytest.mark.parametrize(
    ("iid", "params", "message"),
    [
        ("length_constraints:number_words", {"num_words": 5, "relation": "at most"}, "relation"),
        ("length_constraints:number_words", {"num_words": 5}, "missing required parameter 'relation'"),
        ("length_constraints:number_words", {"num_words": -1, "relation": LT}, "num_words"),
        ("keywords:letter_frequency", {"letter": "ab", "let_frequency": 1, "let_relation": LT}, "letter"),
        ("keywords:existence", {"keywords": []}, "keywords"),
        ("keywords:existence", {"keywords": ["(unclosed"]}, "regular expression"),
        ("keywords:forbidden_words", {"forbidden_words": ["(?i)x"]}, "regular expression"),
        ("length_constraints:nth_paragraph_first_word", {"num_paragraphs": 2, "nth_paragraph": 3, "first_word": "a"}, "greater than"),
        ("language:response_language", {"language": "zh"}, "zh-cn"),
        ("combination:repeat_prompt", {"prompt_to_repeat": ""}, "prompt_to_repeat"),
        ("punctuation:no_comma", {"relation": LT}, "unknown parameter"),
    ],
)
def test_bad_parameters_are_refused(iid, params, message):
    with pytest.raises(ifbench.ConstraintError, match=re.escape(message)):
        check("text", iid, **params)


def test_loose_mode_tries_ifeval_variants():
    text = "Sure, here it is:\n\"quoted answer\""
    assert not check(text, "startend:quotation").passed
    verdict = check(text, "startend:quotation", mode="loose")
    assert verdict.passed and "first line" in verdict.reason
    assert check("**A** *B*\nbye", "keywords:existence", mode="loose", keywords=["a b"]).passed


def test_empty_or_blank_response_fails_even_where_ifeval_checks_would_pass():
    for mode in ("strict", "loose"):
        assert not check("  \n", "punctuation:no_comma", mode=mode).passed


def test_a_regex_keyword_that_backtracks_badly_gets_a_failing_verdict(monkeypatch):
    monkeypatch.setattr(common, "PATTERN_TIMEOUT_S", 0.1)
    verdict = check("a" * 30 + "!", "keywords:existence", keywords=["(a|a)*$"])
    assert not verdict.passed and "ran over" in verdict.reason


# Long enough that IFEval's regexes, run as written, would not finish (quadratic).
HUGE = ["\n" * 2_000_000, " \n" * 1_000_000, "[" * 2_000_000, "<<" * 1_000_000, "*" * 2_000_000, "a. " * 700_000]


@pytest.mark.parametrize("iid", [
    "detectable_format:number_bullet_lists", "detectable_content:number_placeholders",
    "detectable_format:title", "detectable_format:number_highlighted_sections",
    "length_constraints:number_sentences", "change_case:capital_word_frequency",
])
def test_huge_texts_give_a_verdict(iid):
    params = {
        "detectable_format:number_bullet_lists": {"num_bullets": 1},
        "detectable_content:number_placeholders": {"num_placeholders": 1},
        "detectable_format:number_highlighted_sections": {"num_highlights": 1},
        "length_constraints:number_sentences": {"num_sentences": 1, "relation": AL},
        "change_case:capital_word_frequency": {"capital_frequency": 1, "capital_relation": AL},
    }.get(iid, {})
    for text in HUGE:
        assert check(text, iid, **params).reason


def test_texts_over_the_punkt_limit_are_refused_with_a_reason():
    verdict = check("Yes. " * 30_000, "length_constraints:number_sentences", num_sentences=1, relation=AL)
    assert not verdict.passed and "100,000" in verdict.reason


# Oracles: IFEval's own regexes, which the linear-time helpers must match on every string.
def _bullets(text):
    return len(re.findall(r"^\s*\*[^\*].*$", text, re.M)) + len(re.findall(r"^\s*-.*$", text, re.M))


def _placeholders(text):
    return len(re.findall(r"\[.*?\]", text))


def _title(text):
    return any(t.lstrip("<").rstrip(">").strip() for t in re.findall(r"<<[^\n]+>>", text))


@pytest.mark.parametrize(
    ("helper", "oracle", "alphabet", "length"),
    [
        (common.count_bullets, _bullets, "* -\na", 7),
        (common.count_placeholders, _placeholders, "[]\na", 8),
        (lambda text: common.find_title(text) is not None, _title, "<>\na ", 7),
    ],
)
def test_linear_helpers_agree_with_ifeval_regexes_on_all_short_strings(helper, oracle, alphabet, length):
    for n in range(length + 1):
        for chars in itertools.product(alphabet, repeat=n):
            text = "".join(chars)
            assert helper(text) == oracle(text), repr(text)


def test_punkt_tables_equal_nltk_punkt_tab_english():
    assert punkt.table_digests() == punkt.TABLE_SHA256


def test_punkt_splits_like_nltk():
    assert punkt.sentences("Mr. Smith went to Washington. He arrived at 3 p.m. on Monday.") == [
        "Mr. Smith went to Washington.", "He arrived at 3 p.m. on Monday."]
    assert punkt.word_tokenize("I can't go -- 'bad' idea.") == [
        "I", "ca", "n't", "go", "--", "'", "bad", "'", "idea", "."]


def test_langdetect_code_list_is_complete():
    from langdetect.detector_factory import PROFILES_DIRECTORY

    assert set(os.listdir(PROFILES_DIRECTORY)) == LANGDETECT_CODES


def _capital_tokens_by_tokenizing_everything(text):
    return sum(1 for token in punkt.word_tokenize(text) if token.isupper())


CONTRACTION_HALVES = ["Can", "CAN", "not", "NOT", "Gim", "GIM", "me", "Gon", "na", "Got", "ta", "Lem",
                      "Wan", "'T", "'t", "is", "was", "n't", "N'T", "D", "'ye", "More", "'n", "'s"]


def test_capital_tokens_equals_counting_every_token_on_contractions_and_short_strings():
    # Glued halves are where NLTK's tokenizer splits between two letters ("CANnot" -> "CAN", "not").
    for first, second in itertools.product(CONTRACTION_HALVES, repeat=2):
        for text in (f"{first}{second} it.", f"Oh {first}{second}", f"'{first}{second} now"):
            assert punkt.capital_tokens(text) == _capital_tokens_by_tokenizing_everything(text), repr(text)
    for n in range(6):
        for chars in itertools.product("Aa. 'n", repeat=n):
            text = "".join(chars)
            assert punkt.capital_tokens(text) == _capital_tokens_by_tokenizing_everything(text), repr(text)


def test_capital_tokens_counts_acronyms_in_english_and_chinese_text():
    assert punkt.capital_tokens("The NASA team met ESA. I agreed.") == 3  # NASA, ESA, I
    assert punkt.capital_tokens("Paris is lovely. The end.") == 0
    # "SDK。Ärger" is one token (NLTK does not split at 。), and not all capitals.
    assert punkt.capital_tokens("我们使用 API 和 SDK。Ärger ÜBER alles.") == 2  # API, ÜBER
