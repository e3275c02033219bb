"""Content constraints on form: letter case, commas, and the number of questions."""

from __future__ import annotations

import regex

from ifbench.checking.base import (
    Conflict,
    Context,
    CountParams,
    Demands,
    Example,
    LintHints,
    Params,
    Verdict,
    plural,
)
from ifbench.checking.registry import checker
from ifbench.checking.text import has_cjk, normalize, sentences, truncate

# Letters with case, by Unicode general category, in any script that has case
# (Latin, Greek, Cyrillic, Armenian, ...); Chinese characters have no case.
_UPPER = regex.compile(r"[\p{Lu}\p{Lt}]+")
_LOWER = regex.compile(r"\p{Ll}+")
# How many offending letters a reason quotes.
_QUOTED = 3


def _word_at(text: str, index: int) -> tuple[int, str]:
    """The end and text of the (non-CJK) word around text[index], at most ~30 characters each side."""
    def inside(char: str) -> bool:
        return (char.isalnum() or char in "'’-_") and not has_cjk(char)

    start = index
    while start > 0 and index - start < 30 and inside(text[start - 1]):
        start -= 1
    end = index + 1
    while end < len(text) and end - index < 30 and inside(text[end]):
        end += 1
    return end, text[start:end]


def _offenders(text: str, pattern: regex.Pattern[str]) -> tuple[int, str]:
    """How many letters match `pattern`, and the first few words that have one, quoted."""
    count = len(text) - len(pattern.sub("", text))
    quoted: list[str] = []
    after = 0
    for match in pattern.finditer(text):
        if match.start() < after:
            continue  # in the word just quoted
        after, word = _word_at(text, match.start())
        quoted.append(f"'{match.group()[0]}' in '{truncate(word, 20)}'")
        if len(quoted) == _QUOTED:
            break
    return count, ", ".join(quoted)


class NoParams(Params):
    """This checker takes no parameters."""


@checker(
    "content.lowercase",
    NoParams,
    examples=[
        Example("all lowercase, even the names: paris and λόγος.", {}, True),
        Example("all lowercase except Paris.", {}, False),
        Example("全部小写：python 和 json 都是小写。", {}, True),
        Example("这里有大写字母：Python。", {}, False),
    ],
    lint=LintHints(
        cues=("lowercase", "lower case", "lower-case", "小写"),
        conflicts=(Conflict("content.uppercase", "case-conflict",
                            "content.lowercase and content.uppercase cannot both hold for a reply with letters"),),
    ),
)
def content_lowercase(response: str, params: NoParams, context: Context) -> Verdict:
    """No uppercase letter anywhere (in any script with case; Chinese has none)."""
    count, quoted = _offenders(normalize(response), _UPPER)
    if count == 0:
        return Verdict(passed=True, reason="no uppercase letters")
    return Verdict(
        passed=False, reason=f"{plural(count, 'uppercase letter')} ({quoted}); none allowed"
    )


@checker(
    "content.uppercase",
    NoParams,
    examples=[
        Example("ALL CAPS, EVEN ΛΌΓΟΣ!", {}, True),
        Example("ALL CAPS EXCEPT iPhone.", {}, False),
        Example("全部大写：API 和 JSON。", {}, True),
        Example("这里有小写字母：Json。", {}, False),
    ],
    lint=LintHints(cues=("uppercase", "upper case", "capital", "all caps", "大写")),
)
def content_uppercase(response: str, params: NoParams, context: Context) -> Verdict:
    """No lowercase letter anywhere (in any script with case; Chinese has none)."""
    count, quoted = _offenders(normalize(response), _LOWER)
    if count == 0:
        return Verdict(passed=True, reason="no lowercase letters")
    return Verdict(
        passed=False, reason=f"{plural(count, 'lowercase letter')} ({quoted}); none allowed"
    )


class CommasParams(Params):
    fullwidth: bool = True
    """Also forbid the full-width comma `，` and the enumeration comma `、`."""


def _commas_demands(params: CommasParams) -> Demands:
    return Demands(forbidden_chars=",，、" if params.fullwidth else ",")


@checker(
    "content.no_commas",
    CommasParams,
    examples=[
        Example("No commas here. None at all.", {}, True),
        Example("Apples, pears and plums.", {}, False),
        Example("这里没有逗号。一个也没有。", {}, True),
        Example("苹果、梨和李子，都很好吃。", {}, False),
        Example("苹果、梨和李子，都很好吃。", {"fullwidth": False}, True),
    ],
    lint=LintHints(cues=("comma", "逗号"), demands=_commas_demands),
)
def content_no_commas(response: str, params: CommasParams, context: Context) -> Verdict:
    """No `,` in the response; with `fullwidth` (default) also no `，` or `、`."""
    marks = (",", "，", "、") if params.fullwidth else (",",)
    counts = [(mark, response.count(mark)) for mark in marks]
    total = sum(n for _, n in counts)
    if total == 0:
        allowed = "" if params.fullwidth else " (full-width commas allowed)"
        return Verdict(passed=True, reason=f"no commas{allowed}")
    detail = ", ".join(f"{n} '{mark}'" for mark, n in counts if n)
    return Verdict(passed=False, reason=f"{plural(total, 'comma')} ({detail}); none allowed")


# What may follow the question mark at the end of a question: `!` (`Really?!`), closing
# quotes and brackets (`“Why?”`) and markdown emphasis (`**Why?**`).
_AFTER_QUESTION_MARK = "\"'”’)]）」』》*_"


def _is_question(sentence: str) -> bool:
    return sentence.rstrip(_AFTER_QUESTION_MARK).rstrip("!！").endswith(("?", "？"))


@checker(
    "content.questions",
    CountParams,
    examples=[
        Example("Why does it rain? Clouds cool. Where does it go?", {"exact": 2}, True),
        Example("Why does it rain? Clouds cool down.", {"min": 2}, False),
        Example("为什么下雨？云变冷了。雨水去哪儿了？", {"exact": 2}, True),
        Example("为什么下雨？云变冷了。", {"min": 2}, False),
    ],
    lint=LintHints(
        at_most=(("length.sentences", "a question is a sentence"),),
        cues=("question", "?", "？", "problem", "quiz", "ask", "问", "题"),
    ),
)
def content_questions(response: str, params: CountParams, context: Context) -> Verdict:
    """The number of sentences ending in `?` or `？` is within bounds."""
    count = sum(1 for sentence in sentences(normalize(response)) if _is_question(sentence))
    return params.judge(count, "question")
