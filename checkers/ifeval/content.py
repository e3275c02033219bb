"""IFEval's detectable_content, startend and combination checkers."""

from __future__ import annotations

import re

from ifbench.checkers.ifeval._common import (
    IFEvalPattern,
    PatternTimeout,
    count_placeholders,
    quote,
    too_slow,
    valid_pattern,
)
from pydantic import Field, field_validator

from ifbench.checking.base import Context, Example, Params, Verdict, plural
from ifbench.checking.registry import checker


class NoParams(Params):
    """This checker takes no parameters."""


class PlaceholdersParams(Params):
    num_placeholders: int = Field(ge=0)
    """The minimum number of placeholders in square brackets, such as `[address]`."""


@checker(
    "ifeval:detectable_content:number_placeholders",
    PlaceholdersParams,
    examples=[
        Example("Dear [name], see you at [place].", {"num_placeholders": 2}, True),
        Example("Dear [name], see you soon.", {"num_placeholders": 2}, False),
        Example("亲爱的[姓名]，我们在[地点]见。", {"num_placeholders": 2}, True),
        Example("亲爱的【姓名】，我们在【地点】见。", {"num_placeholders": 2}, False),
    ],
)
def number_placeholders(response: str, params: PlaceholdersParams, context: Context) -> Verdict:
    """At least num_placeholders square-bracket spans `[...]` on one line (`[]` counts too, as in IFEval)."""
    count = count_placeholders(response)
    return Verdict(
        passed=count >= params.num_placeholders,
        reason=f"{plural(count, 'placeholder')} like [name]; at least {params.num_placeholders} required",
    )


class PostscriptParams(Params):
    postscript_marker: str
    """The marker the postscript starts with, e.g. `P.S.` or `P.P.S` (case-insensitive; other markers are read as regular expressions, as IFEval does)."""

    @field_validator("postscript_marker")
    @classmethod
    def _pattern_compiles(cls, marker: str) -> str:
        valid_pattern(marker.strip().lower())
        return marker


# IFEval's own patterns for its two markers (spaces allowed between the letters); its
# pattern is `\s*MARKER.*$` in multiline mode, which matches exactly where MARKER does.
_MARKERS = {"P.S.": re.compile(r"p\.\s?s\."), "P.P.S": re.compile(r"p\.\s?p\.\s?s")}


@checker(
    "ifeval:detectable_content:postscript",
    PostscriptParams,
    examples=[
        Example("Thanks!\n\nP.S. See you soon.", {"postscript_marker": "P.S."}, True),
        Example("Thanks!\n\nPS See you soon.", {"postscript_marker": "P.S."}, False),
        Example("谢谢！\n\nP.P.S 明天见。", {"postscript_marker": "P.P.S"}, True),
        Example("谢谢！\n\n附言：明天见。", {"postscript_marker": "P.S."}, False),
    ],
)
def postscript(response: str, params: PostscriptParams, context: Context) -> Verdict:
    """The postscript marker occurs in the response, case-insensitively (IFEval does not require it at a line start).

    For `P.S.` and `P.P.S` a space may follow each period (`p. s.`), as in IFEval.
    """
    marker = params.postscript_marker.strip()
    text = response.lower()
    try:
        if marker in _MARKERS:
            found = _MARKERS[marker].search(text) is not None
        else:
            found = IFEvalPattern("", marker.lower(), flags=re.MULTILINE).search(text)
    except PatternTimeout as error:
        return too_slow(error)
    if found:
        return Verdict(passed=True, reason=f"postscript marker {quote(marker)} found")
    return Verdict(passed=False, reason=f"no postscript marker {quote(marker)} found")


def _tail(text: str, length: int) -> str:
    """The end of `text` for a reason, at least `length` characters when there are that many."""
    keep = max(length + 10, 20)
    return quote(text if len(text) <= keep else "…" + text[-keep:], keep + 1)


class EndParams(Params):
    end_phrase: str
    """The phrase the response must end with (case-insensitive; surrounding spaces and double quotes ignored)."""


@checker(
    "ifeval:startend:end_checker",
    EndParams,
    examples=[
        Example("Here is the plan. Any other questions?", {"end_phrase": "Any other questions?"}, True),
        Example("Any other questions? Bye.", {"end_phrase": "Any other questions?"}, False),
        Example("计划如下。还有其他问题吗？", {"end_phrase": "还有其他问题吗？"}, True),
        Example("还有其他问题吗？再见。", {"end_phrase": "还有其他问题吗？"}, False),
    ],
)
def end_checker(response: str, params: EndParams, context: Context) -> Verdict:
    """The response, trimmed of spaces and then of double quotes, ends with end_phrase (case-insensitive)."""
    text = response.strip().strip('"').lower()
    phrase = params.end_phrase.strip().lower()
    if text.endswith(phrase):
        return Verdict(passed=True, reason=f"ends with {quote(phrase)}")
    return Verdict(
        passed=False, reason=f"ends with {_tail(text, len(phrase))}; {quote(phrase)} required"
    )


@checker(
    "ifeval:startend:quotation",
    NoParams,
    examples=[
        Example('"The whole answer is quoted."', {}, True),
        Example('"Quoted" but then more.', {}, False),
        Example('"整个回答都在引号里。"', {}, True),
        Example("“中文引号不算。”", {}, False),
    ],
)
def quotation(response: str, params: NoParams, context: Context) -> Verdict:
    """The trimmed response starts and ends with an ASCII double quote `"` (curly quotes do not count, as in IFEval)."""
    text = response.strip()
    if len(text) > 1 and text[0] == '"' and text[-1] == '"':
        return Verdict(passed=True, reason="wrapped in double quotation marks")
    return Verdict(
        passed=False,
        reason=f"starts with {quote(text[:1])} and ends with {quote(text[-1:])}; "
        'must start and end with "',
    )


class RepeatPromptParams(Params):
    prompt_to_repeat: str = Field(min_length=1)
    """The text the response must start with (case-insensitive; surrounding spaces ignored)."""


@checker(
    "ifeval:combination:repeat_prompt",
    RepeatPromptParams,
    examples=[
        Example("Write a haiku. Autumn moon rises...", {"prompt_to_repeat": "Write a haiku."}, True),
        Example("Sure! Write a haiku. Autumn moon...", {"prompt_to_repeat": "Write a haiku."}, False),
        Example("写一首俳句。秋月升起……", {"prompt_to_repeat": "写一首俳句。"}, True),
        Example("好的！写一首俳句。", {"prompt_to_repeat": "写一首俳句。"}, False),
    ],
)
def repeat_prompt(response: str, params: RepeatPromptParams, context: Context) -> Verdict:
    """The trimmed response starts with prompt_to_repeat, trimmed, compared case-insensitively."""
    text = response.strip().lower()
    wanted = params.prompt_to_repeat.strip().lower()
    if text.startswith(wanted):
        return Verdict(passed=True, reason="starts with the prompt to repeat")
    at = next((i for i, (a, b) in enumerate(zip(text, wanted)) if a != b), min(len(text), len(wanted)))
    got = quote(text[at : at + 30]) if at < len(text) else "the end of the response"
    return Verdict(
        passed=False,
        reason=f"differs from the prompt to repeat at character {at + 1}: "
        f"{got} where {quote(wanted[at : at + 30])} is required",
    )


_SEPARATOR = "******"


@checker(
    "ifeval:combination:two_responses",
    NoParams,
    examples=[
        Example("Answer one.\n******\nAnswer two.", {}, True),
        Example("Answer one.\n******\nAnswer one.", {}, False),
        Example("第一个回答。\n******\n第二个回答。", {}, True),
        Example("第一个回答。\n******\n\n******\n第二个回答。", {}, False),
    ],
)
def two_responses(response: str, params: NoParams, context: Context) -> Verdict:
    """Exactly two different non-empty responses separated by `******` (empty pieces only at either end)."""
    pieces = response.split(_SEPARATOR)
    last = len(pieces) - 1
    kept = []
    for index, piece in enumerate(pieces):
        if piece.strip():
            kept.append(piece.strip())
        elif 0 < index < last:
            return Verdict(passed=False, reason=f"an empty response between two {_SEPARATOR} separators")
    if len(kept) != 2:
        return Verdict(
            passed=False,
            reason=f"{plural(len(kept), 'response')} separated by {_SEPARATOR}; exactly 2 required",
        )
    if kept[0] == kept[1]:
        return Verdict(passed=False, reason="the two responses are identical; they must differ")
    return Verdict(passed=True, reason=f"2 different responses separated by {_SEPARATOR}")
