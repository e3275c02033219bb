"""Length constraints: words (CJK characters count as words), characters, sentences, paragraphs."""

from __future__ import annotations

import regex

from ifbench.checking.base import Context, CountParams, Example, LintHints, Verdict
from ifbench.checking.registry import checker
from ifbench.checking.text import count_words, normalize, paragraphs, sentences


@checker(
    "length.words",
    CountParams,
    examples=[
        Example("Relativity links space and time.", {"max": 5}, True),
        Example("Relativity links space, time and gravity.", {"max": 5}, False),
        Example("相对论把时间和空间联系在一起。", {"max": 14}, True),
        Example("相对论把时间和空间联系在一起了。", {"max": 14}, False),
    ],
    lint=LintHints(at_most=(("length.chars", "a word is at least one character"),)),
)
def length_words(response: str, params: CountParams, context: Context) -> Verdict:
    """The word count is within bounds; each CJK character (字) counts as one word."""
    return params.judge(count_words(normalize(response)), "word")


class CharsParams(CountParams):
    spaces: bool = True
    """Count whitespace characters too."""


_WHITESPACE = regex.compile(r"\s+")


@checker(
    "length.chars",
    CharsParams,
    examples=[
        Example("Hello, world!", {"max": 13}, True),
        Example("Hello, world!", {"max": 12, "spaces": True}, False),
        Example("你好， 世界！", {"exact": 6, "spaces": False}, True),
        Example("你好， 世界！", {"exact": 6}, False),
    ],
    lint=LintHints(distinct_by="spaces"),
)
def length_chars(response: str, params: CharsParams, context: Context) -> Verdict:
    """The number of characters (code points after NFC; whitespace only if `spaces`) is within bounds."""
    text = normalize(response)
    if not params.spaces:
        text = _WHITESPACE.sub("", text)
    unit = "character" if params.spaces else "non-space character"
    return params.judge(len(text), unit)


@checker(
    "length.sentences",
    CountParams,
    examples=[
        Example("Dr. Smith measured 3.14 twice. Then he stopped!", {"exact": 2}, True),
        Example("It rained. It poured. It stopped.", {"max": 2}, False),
        Example("今天下雨。明天晴天！后天呢？", {"exact": 3}, True),
        Example("今天下雨。明天晴天！", {"min": 3}, False),
    ],
)
def length_sentences(response: str, params: CountParams, context: Context) -> Verdict:
    """The sentence count is within bounds (a line without end punctuation counts as one)."""
    return params.judge(len(sentences(normalize(response))), "sentence")


@checker(
    "length.paragraphs",
    CountParams,
    examples=[
        Example("First paragraph.\n\nSecond paragraph.", {"exact": 2}, True),
        Example("First.\n***\nSecond.\n***\nThird.", {"exact": 2}, False),
        Example("第一段。\n\n第二段。\n\n第三段。", {"min": 3}, True),
        Example("第一段。\n第二行仍属第一段。", {"min": 2}, False),
    ],
)
def length_paragraphs(response: str, params: CountParams, context: Context) -> Verdict:
    """The paragraph count is within bounds (blank lines or `***`/`---` lines separate)."""
    return params.judge(len(paragraphs(normalize(response))), "paragraph")

