"""IFEval's keywords checkers (existence, frequency, forbidden words, letter frequency) and punctuation:no_comma."""

from __future__ import annotations

import re

from ifbench.checkers.ifeval._common import (
    IFEvalPattern,
    PatternTimeout,
    Relation,
    meets,
    quote,
    requirement,
    too_slow,
    valid_pattern,
)
from pydantic import Field, field_validator

from ifbench.checking.base import Context, Example, Params, Verdict, plural
from ifbench.checking.registry import checker


class ExistenceParams(Params):
    keywords: list[str] = Field(min_length=1)
    """Keywords that must all appear (case-insensitive; IFEval reads each as a regular expression)."""

    @field_validator("keywords")
    @classmethod
    def _patterns_compile(cls, keywords: list[str]) -> list[str]:
        return [valid_pattern(keyword) for keyword in keywords]


@checker(
    "ifeval:keywords:existence",
    ExistenceParams,
    examples=[
        Example("Photosynthesis feeds the plant.", {"keywords": ["plant", "PHOTOSYNTHESIS"]}, True),
        Example("Photosynthesis feeds the tree.", {"keywords": ["plant", "photosynthesis"]}, False),
        Example("光合作用养活了植物。", {"keywords": ["植物"]}, True),
        Example("光合作用养活了树木。", {"keywords": ["植物"]}, False),
    ],
)
def existence(response: str, params: ExistenceParams, context: Context) -> Verdict:
    """Every keyword occurs somewhere in the response, case-insensitively (also inside longer words).

    As in IFEval, a keyword is searched as a regular expression: `plant` is found in
    `plants`, and `a.b` matches `axb`.
    """
    try:
        for keyword in params.keywords:
            if not IFEvalPattern("", keyword, flags=re.IGNORECASE).search(response):
                return Verdict(passed=False, reason=f"keyword {quote(keyword)} not found")
    except PatternTimeout as error:
        return too_slow(error)
    if len(params.keywords) == 1:
        return Verdict(passed=True, reason=f"keyword {quote(params.keywords[0])} found")
    return Verdict(passed=True, reason=f"all {len(params.keywords)} keywords found")


class FrequencyParams(Params):
    keyword: str = Field(min_length=1)
    """The keyword to count (case-insensitive, surrounding spaces ignored; IFEval reads it as a regular expression)."""
    frequency: int = Field(ge=0)
    """The threshold on the number of occurrences."""
    relation: Relation
    """'less than' (strictly fewer occurrences) or 'at least' (that many or more)."""

    @field_validator("keyword")
    @classmethod
    def _pattern_compiles(cls, keyword: str) -> str:
        valid_pattern(keyword.strip())
        return keyword


@checker(
    "ifeval:keywords:frequency",
    FrequencyParams,
    examples=[
        Example("Rain, rain, go away.", {"keyword": "rain", "frequency": 2, "relation": "at least"}, True),
        Example("Rain, rain, go away.", {"keyword": "rain", "frequency": 2, "relation": "less than"}, False),
        Example("下雨了，下雨了。", {"keyword": "下雨", "frequency": 2, "relation": "at least"}, True),
        Example("下雨了。", {"keyword": "下雨", "frequency": 2, "relation": "at least"}, False),
    ],
)
def frequency(response: str, params: FrequencyParams, context: Context) -> Verdict:
    """The keyword occurs 'less than' or 'at least' frequency times, case-insensitively (also inside longer words)."""
    keyword = params.keyword.strip()
    try:
        count = IFEvalPattern("", keyword, flags=re.IGNORECASE).count(response)
    except PatternTimeout as error:
        return too_slow(error)
    return Verdict(
        passed=meets(count, params.relation, params.frequency),
        reason=f"keyword {quote(keyword)} appears {plural(count, 'time')}; "
        f"{requirement(params.relation, params.frequency)}",
    )


class ForbiddenParams(Params):
    forbidden_words: list[str] = Field(min_length=1)
    """Words that must not appear as whole words (case-insensitive; IFEval reads each as a regular expression)."""

    @field_validator("forbidden_words")
    @classmethod
    def _patterns_compile(cls, words: list[str]) -> list[str]:
        return [valid_pattern(word, r"\b", r"\b") for word in words]


@checker(
    "ifeval:keywords:forbidden_words",
    ForbiddenParams,
    examples=[
        Example("The plants grow fast.", {"forbidden_words": ["plant", "tree"]}, True),
        Example("The Tree grows fast.", {"forbidden_words": ["plant", "tree"]}, False),
        Example("植物长得很快。", {"forbidden_words": ["树"]}, True),
        Example("树 长得很快。", {"forbidden_words": ["树"]}, False),
    ],
)
def forbidden_words(response: str, params: ForbiddenParams, context: Context) -> Verdict:
    """None of the forbidden words occurs as a whole word (`\\b` boundaries, case-insensitive).

    As in IFEval the boundaries are regex word boundaries: `plant` is not found in
    `plants`, and a Chinese word inside a run of Chinese characters is not found either.
    """
    try:
        for word in sorted(set(params.forbidden_words)):
            if IFEvalPattern(r"\b", word, r"\b", flags=re.IGNORECASE).search(response):
                return Verdict(passed=False, reason=f"forbidden word {quote(word)} found")
    except PatternTimeout as error:
        return too_slow(error)
    words = sorted(set(params.forbidden_words))
    if len(words) == 1:
        return Verdict(passed=True, reason=f"forbidden word {quote(words[0])} not found")
    return Verdict(passed=True, reason=f"none of the {len(words)} forbidden words found")


class LetterFrequencyParams(Params):
    letter: str = Field(min_length=1, max_length=1)
    """The character to count, case-insensitively (IFEval's letters are a to z)."""
    let_frequency: int = Field(ge=0)
    """The threshold on the number of occurrences."""
    let_relation: Relation
    """'less than' (strictly fewer occurrences) or 'at least' (that many or more)."""


@checker(
    "ifeval:keywords:letter_frequency",
    LetterFrequencyParams,
    examples=[
        Example("Banana bread", {"letter": "a", "let_frequency": 4, "let_relation": "at least"}, True),
        Example("Banana bread", {"letter": "A", "let_frequency": 4, "let_relation": "less than"}, False),
        Example("香蕉 banana", {"letter": "n", "let_frequency": 3, "let_relation": "less than"}, True),
        Example("香蕉面包", {"letter": "香", "let_frequency": 2, "let_relation": "at least"}, False),
    ],
)
def letter_frequency(response: str, params: LetterFrequencyParams, context: Context) -> Verdict:
    """The letter occurs 'less than' or 'at least' let_frequency times, case-insensitively.

    Deliberate difference from IFEval: for a `letter` outside a-z (such as `#` or `!`)
    IFEval checks a randomly drawn letter instead, so its verdict changes from run to run;
    here the given character itself is counted (case-insensitively), which is
    deterministic and agrees with the official GPT-4 results.
    """
    letter = params.letter.lower()
    count = response.lower().count(letter)
    return Verdict(
        passed=meets(count, params.let_relation, params.let_frequency),
        reason=f"letter {quote(letter)} appears {plural(count, 'time')}; "
        f"{requirement(params.let_relation, params.let_frequency)}",
    )


class NoParams(Params):
    """This checker takes no parameters."""


@checker(
    "ifeval:punctuation:no_comma",
    NoParams,
    examples=[
        Example("No commas here at all.", {}, True),
        Example("Well, here is one.", {}, False),
        Example("这里没有逗号。全角逗号不算，因为 IFEval 只看英文逗号。", {}, True),
        Example("中文句子, 带英文逗号。", {}, False),
    ],
)
def no_comma(response: str, params: NoParams, context: Context) -> Verdict:
    """The response contains no ASCII comma `,` (full-width `，` is allowed, as in IFEval)."""
    count = response.count(",")
    if count:
        return Verdict(passed=False, reason=f"{plural(count, 'comma')} found; none allowed")
    return Verdict(passed=True, reason="no commas")
