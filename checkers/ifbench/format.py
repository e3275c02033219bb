"""IFBench's format checkers about layout: custom bullets, one word a line, indented stairs, bullets, options, templates, title case."""

from __future__ import annotations

import re
from collections import Counter

from ifbench.checkers.ifbench._common import (
    STRIP,
    NoParams,
    Unscorable,
    drop_punctuation,
    quote,
    scored,
    sentences,
    word_tokenize,
)
from pydantic import Field

from ifbench.checkers.ifbench._revision import Revision, instruction, revised
from ifbench.checking.base import Context, Example, Params, Verdict, plural


class SeparatorParams(Params):
    sep: str = Field(min_length=1)
    """The marker used instead of bullet points, e.g. `SEPARATOR` or `!?!?`."""


@instruction(
    "format:list",
    SeparatorParams,
    examples=[
        Example("SEPARATOR apples\nSEPARATOR pears", {"sep": "SEPARATOR"}, True),
        Example("- apples\n- pears", {"sep": "SEPARATOR"}, False),
        Example("!?!? 苹果\n!?!? 梨", {"sep": "!?!?"}, True),
        Example("!?!? 苹果", {"sep": "!?!?"}, False),
    ],
)
def list_(response: str, params: SeparatorParams, context: Context) -> Verdict:
    """The marker `sep` occurs at least twice, anywhere (IFBench does not check that it starts lines)."""
    count = response.count(params.sep)  # non-overlapping, as re.findall counts
    return Verdict(passed=count >= 2, reason=f"{quote(params.sep)} appears {plural(count, 'time')}; at least 2 required")


@instruction(
    "format:newline",
    NoParams,
    examples=[
        Example("Each\nword\nalone.", {}, True),
        Example("Each word\nalone.", {}, False),
        Example("每个\n词\n一行", {}, True),
        Example("每个 词\n一行", {}, False),
    ],
)
def newline(response: str, params: NoParams, context: Context) -> Verdict:
    """As many non-empty lines as whitespace-separated words, once ASCII punctuation is removed.

    As in IFBench, a line of only spaces still counts as a line (and fails the count).
    """
    text = drop_punctuation(response).strip()
    lines = [line for line in text.split("\n") if line != ""]
    words = text.split()
    return Verdict(
        passed=len(lines) == len(words),
        reason=f"{plural(len(lines), 'non-empty line')} for {plural(len(words), 'word')}; one word a line required",
    )


def _kept_lines(lines: list[str]) -> list[str]:
    """The lines IFBench keeps when it drops blank lines from a list while iterating over it.

    Each blank line it meets removes the first remaining copy of itself and makes the loop
    skip the line after it; so a blank line right after another one may survive. The
    copies removed of each blank string are always its earliest ones.
    """
    removals: Counter[str] = Counter()
    index = 0
    while index < len(lines):
        if lines[index].strip():
            index += 1
        else:
            removals[lines[index]] += 1
            index += 2
    kept = []
    for line in lines:
        if removals[line]:
            removals[line] -= 1
        else:
            kept.append(line)
    return kept


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@instruction(
    "format:line_indent",
    NoParams,
    examples=[
        Example("Step one\n  Step two\n    Step three", {}, True),
        Example("Step one\n  Step two\n  Step three", {}, False),
        Example("第一步\n 第二步\n  第三步", {}, True),
        Example("  第一步\n第二步", {}, False),
    ],
)
def line_indent(response: str, params: NoParams, context: Context) -> Verdict:
    """Each line is indented by more spaces than the line before (blank lines mostly ignored).

    Only spaces count, not tabs. IFBench drops blank lines while iterating over the same
    list, so of two blank lines in a row the second stays, as a line with its own indent.
    """
    lines = _kept_lines(response.split("\n"))
    for index in range(len(lines) - 1):
        before, after = _indent(lines[index]), _indent(lines[index + 1])
        if after <= before:
            return Verdict(
                passed=False,
                reason=f"line {quote(lines[index + 1].strip() or lines[index + 1], 30)} is indented "
                f"{plural(after, 'space')} after one indented {before}; more than the line before required",
            )
    return Verdict(passed=True, reason=f"{plural(len(lines), 'line')}, each indented more than the one before")


@instruction(
    "format:sub-bullets",
    NoParams,
    examples=[
        Example("* Fruit\n  - apple\n* Nuts\n  - almond", {}, True),
        Example("* Fruit\n  - apple\n* Nuts", {}, False),
        Example("* 水果\n  - 苹果\n* 坚果\n  - 杏仁", {}, True),
        Example("* **水果**\n  - 苹果", {}, False),
    ],
)
def sub_bullets(response: str, params: NoParams, context: Context) -> Verdict:
    """After every `*`, a `-` comes before the next `*` (or the end).

    That is IFBench's test for "each * bullet has a - sub-bullet": it looks at characters,
    not lines, so a response without any `*` passes and `**bold**` fails.
    """
    pieces = response.split("*")
    if len(pieces) == 1:
        return Verdict(passed=True, reason="no '*' at all, which IFBench counts as a pass")
    for number, piece in enumerate(pieces[1:], 1):
        if "-" not in piece:
            return Verdict(
                passed=False,
                reason=f"no '-' between '*' number {number} and the next '*' or the end "
                f"({quote(piece, 30)}); a '-' sub-bullet after each '*' required",
            )
    return Verdict(passed=True, reason=f"a '-' follows each of the {len(pieces) - 1} '*'")


_MAX_LINEWISE_CHARS = 100_000


@revised(
    "format:no_bullets_bullets",
    NoParams,
    examples=[
        Example("Fruit is good. It is sweet.\n* apples\n* pears", {}, True),
        Example("Fruit is good.\n* apples\n* pears", {}, False),
        Example("Fruit is good. It is sweet.\n\n* apples\n* pears", {}, True),
        Example("Fruit is good. It is sweet.\n* apples\n* pears\nEnjoy!", {}, False),
    ],
)
@scored
def no_bullets_bullets(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """At least 2 sentences (IFBench's splitter, line by line), then at least 2 lines starting with `*`, and nothing else.

    As in IFBench, any line after the first bullet must be a bullet (a blank one too), and
    before the bullets, a text line right after a blank line fails.
    """
    if len(response) > _MAX_LINEWISE_CHARS:
        raise Unscorable(
            f"the text has {len(response):,} characters; this check splits each line into "
            f"sentences, in texts of at most {_MAX_LINEWISE_CHARS:,}"
        )
    before_bullets: object = True  # IFBench's flag: True, then the last line's sentences, False in the bullets
    count = bullets = 0
    for number, line in enumerate(response.split("\n"), 1):
        if line.strip().startswith("*"):
            before_bullets = False
            if count < 2:
                return Verdict(
                    passed=False,
                    reason=f"the first bullet (line {number}) follows {plural(count, 'sentence')}; at least 2 required",
                )
            bullets += 1
        elif before_bullets:
            found = sentences(line.strip(), revision)
            before_bullets = found
            count += len(found)
        else:
            where = "after the bullets began" if before_bullets is False else "right after a blank line"
            return Verdict(
                passed=False,
                reason=f"line {number} ({quote(line, 30)}) is text {where}; IFBench allows only bullets there",
            )
    return Verdict(
        passed=bullets >= 2,
        reason=f"{plural(count, 'sentence')}, then {plural(bullets, 'bullet')}; at least 2 bullets required",
    )


@instruction(
    "format:no_whitespace",
    NoParams,
    examples=[
        Example("NoSpacesAtAll.", {}, True),
        Example("Two words", {}, False),
        Example("没有空格的回答", {}, True),
        Example("有\u3000空格", {}, False),
    ],
)
def no_whitespace(response: str, params: NoParams, context: Context) -> Verdict:
    """No whitespace character at all (any Unicode space, tab or line break)."""
    for position, char in enumerate(response):
        if char.isspace():
            return Verdict(passed=False, reason=f"whitespace {char!r} at character {position + 1}; none allowed")
    return Verdict(passed=True, reason="no whitespace")


_TEMPLATE = ("My Answer:", "My Conclusion:", "Future Outlook:")


@instruction(
    "format:output_template",
    NoParams,
    examples=[
        Example("My Answer: yes My Conclusion: good Future Outlook: bright", {}, True),
        Example("My Answer: yes My Conclusion: good", {}, False),
        Example("My Answer: 是 My Conclusion: 好 Future Outlook: 光明", {}, True),
        Example("我的回答：是 我的结论：好 未来展望：光明", {}, False),
    ],
)
def output_template(response: str, params: NoParams, context: Context) -> Verdict:
    """The labels `My Answer:`, `My Conclusion:` and `Future Outlook:` all appear (exact case, any order)."""
    missing = [label for label in _TEMPLATE if label not in response]
    if missing:
        return Verdict(passed=False, reason=f"missing {', '.join(map(quote, missing))}; all three labels required")
    return Verdict(passed=True, reason="all three labels found")


class OptionsParams(Params):
    options: str = Field(min_length=1)
    """The allowed answers in one string, e.g. `yes/no/maybe`, `I know or I don't know`, `a), b), c), d)`."""


_LETTERS = re.compile(r"\W*[aA]\W*[bB]\W*[cC]\W*")


@instruction(
    "format:options",
    OptionsParams,
    examples=[
        Example("Maybe.", {"options": "yes/no/maybe"}, True),
        Example("Maybe, it depends.", {"options": "yes/no/maybe"}, False),
        Example("b)", {"options": "a), b), c), d)"}, True),
        Example("b) 是对的", {"options": "a), b), c), d)"}, False),
    ],
)
def options(response: str, params: OptionsParams, context: Context) -> Verdict:
    """The whole response is one of the options (split on `/`, else on `or`, else on `,`).

    As in IFBench: letter options (`a), b), c)...`) must match exactly, with no added
    space; other options are compared lowercased with ASCII punctuation and spaces
    stripped from the ends. `or` splits even inside a word.
    """
    exact = _LETTERS.match(params.options) is not None
    separator = "/" if "/" in params.options else "or" if "or" in params.options else ","
    choices = [choice.strip() for choice in params.options.split(separator)]
    listed = ", ".join(quote(choice, 30) for choice in choices)
    if exact:
        passed = response in choices
    else:
        answer = response.strip(STRIP).lower()
        passed = any(choice.strip(STRIP).lower() == answer for choice in choices)
    how = "exactly" if exact else "ignoring case and end punctuation"
    return Verdict(
        passed=passed,
        reason=f"the response {quote(response, 40)} {'is' if passed else 'is not'} one of {listed} ({how})",
    )


@revised(
    "format:title_case",
    NoParams,
    examples=[
        Example("The Cat Sat On The Mat.", {}, True),
        Example("The Cat sat On The Mat.", {}, False),
        Example("A Tale Of NASA, 2024.", {}, True),
        Example("The cAT.", {}, False),
    ],
)
@scored
def title_case(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """No token (NLTK `word_tokenize`) starts with a lowercase letter followed by all-lowercase or all-uppercase letters.

    That is IFBench's test: tokens like `NASA`, `iPhone`, `2024` or `,` pass; minor words
    such as `of` must be capitalised too. At HEAD a one-letter lowercase word (`a`, `i`)
    fails and a token not starting with a letter is skipped; at c94da02 a one-letter `a`
    passes.
    """
    head_revision = revision is Revision.HEAD
    for token in word_tokenize(response):
        head, tail = token[:1], token[1:]
        if head_revision and not head.isalpha():
            continue
        if head.islower() and (tail.isupper() or tail.islower() or (head_revision and not tail)):
            return Verdict(passed=False, reason=f"the word {quote(token, 30)} is not capitalised; every word must be")
    return Verdict(passed=True, reason="every word is capitalised")
