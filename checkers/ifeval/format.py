"""IFEval's detectable_format checkers: bullets, constrained answer, highlights, sections, JSON, title."""

from __future__ import annotations

import json
import re

from ifbench.checkers.ifeval._common import (
    IFEvalPattern,
    PatternTimeout,
    count_bullets,
    find_title,
    quote,
    too_slow,
    valid_pattern,
)
from pydantic import Field, field_validator

from ifbench.checking.base import Context, Example, Params, Verdict, plural
from ifbench.checking.registry import checker


class NoParams(Params):
    """This checker takes no parameters."""


class BulletsParams(Params):
    num_bullets: int = Field(ge=0)
    """The exact number of bullet points (lines starting with `*` or `-`)."""


@checker(
    "ifeval:detectable_format:number_bullet_lists",
    BulletsParams,
    examples=[
        Example("* one\n* two\n- three", {"num_bullets": 3}, True),
        Example("* one\n* two\n**bold** line", {"num_bullets": 3}, False),
        Example("* 第一点\n* 第二点", {"num_bullets": 2}, True),
        Example("1. 第一点\n2. 第二点", {"num_bullets": 2}, False),
    ],
)
def number_bullet_lists(response: str, params: BulletsParams, context: Context) -> Verdict:
    """There are exactly num_bullets markdown bullet points: lines starting with `*` (not `**`) or `-`.

    As in IFEval, any line starting with `-` counts (so does a `---` rule), and numbered
    items do not.
    """
    count = count_bullets(response)
    return Verdict(
        passed=count == params.num_bullets,
        reason=f"{plural(count, 'bullet point')} (lines starting with * or -); "
        f"exactly {params.num_bullets} required",
    )


_CONSTRAINED_ANSWERS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


@checker(
    "ifeval:detectable_format:constrained_response",
    NoParams,
    examples=[
        Example("My answer is yes.", {}, True),
        Example("My answer is Yes.", {}, False),
        Example("我的看法如下。My answer is maybe.", {}, True),
        Example("我的回答是：是。", {}, False),
    ],
)
def constrained_response(response: str, params: NoParams, context: Context) -> Verdict:
    """The response contains 'My answer is yes.', 'My answer is no.' or 'My answer is maybe.' (case-sensitive)."""
    for answer in _CONSTRAINED_ANSWERS:
        if answer in response:
            return Verdict(passed=True, reason=f"contains {answer!r}")
    options = ", ".join(repr(answer) for answer in _CONSTRAINED_ANSWERS)
    return Verdict(passed=False, reason=f"none of {options} found")


class HighlightsParams(Params):
    num_highlights: int = Field(ge=0)
    """The minimum number of highlighted sections, `*like this*` or `**like this**`."""


# IFEval's two regexes, with the text between the stars captured.
_SINGLE = re.compile(r"\*([^\n\*]*)\*")
_DOUBLE = re.compile(r"\*\*([^\n\*]*)\*\*")


@checker(
    "ifeval:detectable_format:number_highlighted_sections",
    HighlightsParams,
    examples=[
        Example("*Intro* and *Summary*", {"num_highlights": 2}, True),
        Example("*Intro* and ** ** here", {"num_highlights": 2}, False),
        Example("*重点一* 和 *重点二*", {"num_highlights": 2}, True),
        Example("只有 *一处* 重点", {"num_highlights": 2}, False),
    ],
)
def number_highlighted_sections(response: str, params: HighlightsParams, context: Context) -> Verdict:
    """At least num_highlights non-blank `*highlighted*` spans on one line, counted as IFEval counts them.

    IFEval counts the non-blank matches of `*...*` and, separately, of `**...**`; the
    stars of `**bold**` pair up as two blank `**` for the first, so it counts once.
    """
    count = sum(map(bool, map(str.strip, _SINGLE.findall(response))))
    count += sum(map(bool, map(str.strip, _DOUBLE.findall(response))))
    return Verdict(
        passed=count >= params.num_highlights,
        reason=f"{plural(count, 'highlighted section')}; at least {params.num_highlights} required",
    )


class SectionsParams(Params):
    section_spliter: str
    """The word that starts each section, followed by its number, e.g. `Section` for `Section 1` (case-sensitive; IFEval reads it as a regular expression)."""
    num_sections: int = Field(ge=0)
    """The minimum number of sections."""

    @field_validator("section_spliter")
    @classmethod
    def _pattern_compiles(cls, spliter: str) -> str:
        valid_pattern(spliter.strip(), r"\s?", r"\s?\d+\s?")
        return spliter


@checker(
    "ifeval:detectable_format:multiple_sections",
    SectionsParams,
    examples=[
        Example("Section 1\nIntro\nSection 2\nBody", {"section_spliter": "Section", "num_sections": 2}, True),
        Example("SECTION 1\nIntro\nSECTION 2\nBody", {"section_spliter": "Section", "num_sections": 2}, False),
        Example("Section 1\n简介\nSection 2\n正文", {"section_spliter": "Section", "num_sections": 2}, True),
        Example("第1节\n简介\n第2节\n正文", {"section_spliter": "Section", "num_sections": 2}, False),
    ],
)
def multiple_sections(response: str, params: SectionsParams, context: Context) -> Verdict:
    """At least num_sections section markers: section_spliter followed by a number (`Section 1`), case-sensitive."""
    spliter = params.section_spliter.strip()
    try:
        pattern = IFEvalPattern(r"\s?", spliter, r"\s?\d+\s?")
        # IFEval counts the pieces of re.split minus one, and re.split also returns
        # what each group of a regex spliter captured
        count = pattern.count(response) * (1 + pattern.groups)
    except PatternTimeout as error:
        return too_slow(error)
    return Verdict(
        passed=count >= params.num_sections,
        reason=f"{plural(count, 'section')} marked {quote(spliter + ' N')}; "
        f"at least {params.num_sections} required",
    )


def _without_fence(response: str) -> str:
    """IFEval's fence removal: each prefix is tried in turn, then one trailing fence."""
    text = response.strip()
    for prefix in ("```json", "```Json", "```JSON", "```"):
        text = text.removeprefix(prefix)
    return text.removesuffix("```").strip()


@checker(
    "ifeval:detectable_format:json_format",
    NoParams,
    examples=[
        Example('```json\n{"answer": 42}\n```', {}, True),
        Example('Here it is: {"answer": 42}', {}, False),
        Example('{"答案": "四十二"}', {}, True),
        Example("答案：四十二", {}, False),
    ],
)
def json_format(response: str, params: NoParams, context: Context) -> Verdict:
    """The whole response, without a surrounding ``` or ```json fence, parses as JSON (Python's json module)."""
    text = _without_fence(response)
    try:
        json.loads(text)
    except ValueError as error:
        return Verdict(passed=False, reason=f"not valid JSON: {error}")
    except RecursionError:
        return Verdict(passed=False, reason="not parsed as JSON: nested too deeply for Python's json module")
    return Verdict(passed=True, reason="the response (fences removed) parses as JSON")


@checker(
    "ifeval:detectable_format:title",
    NoParams,
    examples=[
        Example("<<Ode to Joy>>\nA poem.", {}, True),
        Example("# Ode to Joy\nA poem.", {}, False),
        Example("<<欢乐颂>>\n一首诗。", {}, True),
        Example("《欢乐颂》\n一首诗。", {}, False),
    ],
)
def title(response: str, params: NoParams, context: Context) -> Verdict:
    """The response contains a non-blank title in double angular brackets on one line, `<<like this>>`."""
    found = find_title(response)
    if found is None:
        return Verdict(passed=False, reason="no title like <<title>> found")
    return Verdict(passed=True, reason=f"title {quote(found)} found")
