"""Inline markup constraints: title, highlights, placeholders, postscript, quotes, two responses."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator

import regex
from pydantic import Field

from ifbench.checking import markup
from ifbench.checking.base import (
    Context,
    CountParams,
    Demands,
    Example,
    LintHints,
    NonBlankStr,
    Params,
    Verdict,
)
from ifbench.checking.registry import checker
from ifbench.checking.text import fold, normalize, strip_emphasis, truncate

# Full-width ＜＜标题＞＞ counts too; the book-title marks 《》 do not (they cite works).
_TITLE = regex.compile(r"[<＜]{2}([^\n<>＜＞]*)[>＞]{2}")


def _fold(text: str) -> str:
    """Compatibility-folded, case-folded text: `：`→`:`, `Ｐ.Ｓ.`→`p.s.`."""
    return unicodedata.normalize("NFKC", text).casefold()


def _fail(reason: str) -> Verdict:
    return Verdict(passed=False, reason=reason)


@checker(
    "format.title",
    Params,
    examples=[
        Example("<<Ode to Tea>>\nSteam rises slowly.", {}, True),
        Example("Ode to Tea\nSteam rises slowly.", {}, False),
        Example("<<茶之歌>>\n热气慢慢升起。", {}, True),
        Example("《茶之歌》\n热气慢慢升起。", {}, False),
    ],
    lint=LintHints(cues=("<<",)),
)
def format_title(response: str, params: Params, context: Context) -> Verdict:
    """The response contains a title wrapped in double angular brackets, `<<like this>>`."""
    empty = False
    for match in _TITLE.finditer(response):
        title = match.group(1).strip()
        if title:
            opening, closing = match.group()[:2], match.group()[-2:]  # as written: << or ＜＜
            return Verdict(passed=True, reason=f"title {opening}{truncate(title)}{closing} found")
        empty = True
    if empty:
        return _fail("only an empty <<>> found; a title wrapped in <<…>> required")
    return _fail("no title found; a title wrapped in <<…>> required")


class MinParams(Params):
    min: int = Field(default=1, ge=1)
    """At least this many."""


# `*x*`, `**x**` or `***x***` on one line, not starting or ending with a space (`2 * 3 * 4`).
_HIGHLIGHT = regex.compile(r"(?<!\*)(\*{1,3})(?![\s*])([^*\n]+?)(?<!\s)\1(?!\*)")


@checker(
    "format.highlights",
    MinParams,
    examples=[
        Example("Tea is *calming* and **cheap**.", {"min": 2}, True),
        Example("Tea is **calming**, ** ** and * *.", {"min": 2}, False),
        Example("茶能让人**平静**，而且*便宜*。", {"min": 2}, True),
        Example("茶能让人平静，而且便宜。", {"min": 1}, False),
    ],
    lint=LintHints(cues=("highlight", "bold", "emphas", "*", "加粗", "突出", "强调", "高亮")),
)
def format_highlights(response: str, params: MinParams, context: Context) -> Verdict:
    """At least `min` non-empty `*x*` / `**x**` spans (outside code)."""
    count = len(_HIGHLIGHT.findall(markup.prose_text(normalize(response))))
    return CountParams(min=params.min).judge(count, "highlighted section")


_CHECKBOX = regex.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[[xX]\]", regex.MULTILINE)
# [name] with some text, not a link [text](url) nor a citation [1] / [^1]; 【name】.
_PLACEHOLDER = regex.compile(
    r"\[(?![^\S\n]*\^?\d+[^\S\n]*\])[^\S\n]*[^\s\[\]][^\[\]\n]*\](?!\()"
    r"|【[^\S\n]*[^\s【】][^【】\n]*】"
)


@checker(
    "format.placeholders",
    MinParams,
    examples=[
        Example("Dear [name], we will visit [address] soon.", {"min": 2}, True),
        Example("Dear [name], see [the docs](https://example.com) and [1].", {"min": 2}, False),
        Example("尊敬的【姓名】：我们将于[日期]拜访。", {"min": 2}, True),
        Example("尊敬的客户：我们将于明天拜访。", {"min": 1}, False),
    ],
    lint=LintHints(cues=("placeholder", "[", "【", "占位")),
)
def format_placeholders(response: str, params: MinParams, context: Context) -> Verdict:
    """At least `min` placeholders `[name]` or `【name】` (not links, checkboxes or citations).

    Markdown links `[text](url)`, task-list boxes `- [x]`, numeric citations `[1]` / `[^1]`
    and anything in code are not placeholders (IFEval's own checker, `ifeval:`, counts every
    `[...]`).
    """
    text = _CHECKBOX.sub(r"\1", markup.prose_text(normalize(response)))
    found = _PLACEHOLDER.findall(text)
    verdict = CountParams(min=params.min).judge(len(found), "placeholder")
    if not found:
        return verdict
    shown = truncate(" ".join(found[:5]))
    return Verdict(passed=verdict.passed, reason=f"{verdict.reason} (found {shown})")


class PostscriptParams(Params):
    marker: NonBlankStr = "P.S."
    """What the postscript line starts with (case-insensitive), e.g. `P.S.`, `P.P.S` or `附言：`."""


def _marker_pattern(marker: str) -> regex.Pattern[str]:
    """A line start (a blockquote `>` allowed), then the folded marker: `P.S.` also matches
    `p. s.` and `P.S:` (emphasis markers are stripped from the text before: `**P.S.**`).

    A marker ending in a letter or digit (not a CJK one) must end a word: `PS` is not `PSA`.
    """
    marker = _fold(marker.strip())
    parts = []
    for i, char in enumerate(marker):
        if char == "." and i == len(marker) - 1 and i > 0:
            parts.append(r"(?:\.|(?![\p{L}\p{N}]))")
        elif char == ".":
            parts.append(r"\.[^\S\n]*")
        elif char.isspace():
            parts.append(r"[^\S\n]+")
        else:
            parts.append(regex.escape(char))
    word_end = regex.match(r"[[\p{L}\p{N}]--\p{Han}]", marker[-1], regex.V1)
    end = r"(?![\p{L}\p{N}])" if word_end else ""
    return regex.compile(r"^(?:[^\S\n]|>)*" + "".join(parts) + end, regex.MULTILINE)


def _requested_postscript(params: PostscriptParams, prompt: str) -> Iterator[str]:
    """The default marker must be asked for (a given one is checked as text)."""
    if "marker" not in params.model_fields_set and "p.s." not in fold(prompt):
        yield "the prompt never asks for a 'P.S.'"


@checker(
    "format.postscript",
    PostscriptParams,
    examples=[
        Example("Thanks for reading.\n\nP.S. Drink more tea.", {}, True),
        Example("P.S. Drink more tea.", {}, False),
        Example("感谢阅读。\n\n附言：多喝茶。", {"marker": "附言："}, True),
        Example("感谢阅读。多喝茶。", {"marker": "附言"}, False),
    ],
    lint=LintHints(requested=_requested_postscript),
)
def format_postscript(response: str, params: PostscriptParams, context: Context) -> Verdict:
    """A line after the main text begins with the marker (default `P.S.`, case-insensitive)."""
    # Folding and stripping emphasis keep every line break, so positions in `text` still fall on
    # the same lines.
    document = markup.parse(normalize(response))
    text = strip_emphasis(_fold(document.prose))
    text_starts = len(text) - len(text.lstrip())
    text_ends = len(text.rstrip())
    marker = truncate(params.marker, 20)
    required = f"a line starting with '{marker}' after the main text required"
    problem = f"no line starts with '{marker}'"
    for match in _marker_pattern(params.marker).finditer(text):
        if match.start() <= text_starts:
            problem = f"'{marker}' starts the first line, before any main text"
            continue
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        if not text[match.end() : line_end].strip(" \t:-") and line_end >= text_ends:
            problem = f"nothing follows '{marker}'"
            continue
        line = document.lines[text.count("\n", 0, match.start())]
        found = truncate(line.strip(), 40)
        return Verdict(passed=True, reason=f"postscript '{found}' after the main text, as required")
    return _fail(f"{problem}; {required}")


_QUOTE_PAIRS = {'"': '"', "\u201c": "\u201d", "\u300c": "\u300d"}


def _closes_early(inner: str, opening: str, closing: str) -> bool:
    """Whether the opening quote closes inside `inner` (as in “a” and “b”)."""
    if opening == closing:
        return False  # straight quotes cannot tell nesting from closing
    depth = {opening: 1, closing: -1}
    marks = regex.findall(f"[{opening}{closing}]", inner)
    return bool(marks) and min(itertools.accumulate(map(depth.__getitem__, marks))) < 0


@checker(
    "format.quoted",
    Params,
    examples=[
        Example('"Tea is good."', {}, True),
        Example('"Tea" is good.', {}, False),
        Example("“茶很好。”", {}, True),
        Example("「茶」很好。", {}, False),
    ],
    lint=LintHints(cues=("quot", "\"", "\u201c", "\u300c", "引号"), demands=lambda params: Demands(quoted=True)),
)
def format_quoted(response: str, params: Params, context: Context) -> Verdict:
    """The whole trimmed response is wrapped in `"…"`, `“…”` or `「…」`."""
    text = response.strip()
    required = 'the whole response must be wrapped in "…", “…” or 「…」'
    closing = _QUOTE_PAIRS.get(text[:1])
    if closing is None or len(text) < 2 or text[-1] != closing:
        return _fail(f"starts with '{text[:1]}' and ends with '{text[-1:]}'; {required}")
    inner = text[1:-1]
    if not inner.strip():
        return _fail(f"nothing inside the quotes; {required}")
    if _closes_early(inner, text[0], closing):
        return _fail(f"the opening {text[0]} closes before the end; {required}")
    return Verdict(passed=True, reason=f"the whole response is wrapped in {text[0]}…{closing}, as required")


class TwoResponsesParams(Params):
    separator: NonBlankStr = "******"
    """What separates the two responses."""


def _requested_separator(params: TwoResponsesParams, prompt: str) -> Iterator[str]:
    """The default separator must be written in the prompt (a given one is checked as text)."""
    if "separator" not in params.model_fields_set and "******" not in fold(prompt):
        yield "the separator '******' does not appear in the prompt"


@checker(
    "format.two_responses",
    TwoResponsesParams,
    examples=[
        Example("Tea is calming.\n******\nTea is cheap.", {}, True),
        Example("Tea is calming.\n******\nTea is calming.", {}, False),
        Example("茶让人平静。\n******\n茶很便宜。", {}, True),
        Example("茶让人平静。\n***\n茶很便宜。", {}, False),
    ],
    lint=LintHints(requested=_requested_separator),
)
def format_two_responses(response: str, params: TwoResponsesParams, context: Context) -> Verdict:
    """Exactly two non-empty, different responses separated by the separator (default `******`)."""
    separator = params.separator
    required = f"2 different non-empty responses separated by '{truncate(separator, 20)}' required"
    separators = response.count(separator)
    if separators != 1:
        found = "no separator found" if not separators else f"{separators + 1} responses"
        return _fail(f"{found}; {required}")
    parts = [" ".join(part.split()) for part in response.split(separator)]
    if not all(parts):
        which = "both responses are" if not any(parts) else f"response {parts.index('') + 1} is"
        return _fail(f"{which} empty; {required}")
    if parts[0] == parts[1]:
        return _fail(f"the 2 responses are identical; {required}")
    return Verdict(passed=True, reason=f"2 different responses separated by '{truncate(separator, 20)}', as required")
