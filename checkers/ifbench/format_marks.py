"""IFBench's format checkers about marks: emoji endings, nested brackets, nested quotes, quotes with explanations, an italic thesis."""

from __future__ import annotations

import re
import string

from ifbench.checkers.ifbench._common import (
    NoParams,
    Unscorable,
    drop_punctuation,
    is_emoji,
    quote,
    scored,
    sentences,
)

from ifbench.checkers.ifbench._revision import Revision, instruction, revised
from ifbench.checking.base import Context, Example, Verdict


@revised(
    "format:emoji",
    NoParams,
    examples=[
        Example("I love tea 🍵. Rain is nice ☔!", {}, True),
        Example("I love tea. Rain is nice ☔!", {}, False),
        Example("I love tea. 🍵 Rain is nice ☔", {}, True),
        Example("我爱喝茶 🍵。 下雨了", {}, False),
    ],
)
@scored
def emoji(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """Every sentence (IFBench's splitter) ends with an emoji, before any final ASCII punctuation.

    As in IFBench: with ASCII punctuation removed and spaces trimmed, one of the last two
    characters of the sentence must be an emoji (per the `emoji` package), or else the
    next sentence must start with one. Chinese `。` does not end a sentence.
    """
    found = sentences(response, revision)
    for index, sentence in enumerate(found):
        bare = drop_punctuation(sentence).strip()
        if not bare:
            raise Unscorable(f"sentence {index + 1} is only punctuation (IFBench's checker fails on it)")
        if is_emoji(bare[-1]) or is_emoji(bare[-2] if len(bare) > 1 else bare[-1]):
            continue
        if index == len(found) - 1:
            return Verdict(passed=False, reason=f"the last sentence ({quote(sentence, 40)}) does not end with an emoji")
        following = drop_punctuation(found[index + 1]).strip()
        if not following or not is_emoji(following[0]):
            return Verdict(
                passed=False,
                reason=f"sentence {index + 1} ({quote(sentence, 40)}) does not end with an emoji, "
                "nor does the next one start with one",
            )
    return Verdict(passed=True, reason=f"all {len(found)} sentences end with an emoji")


_BRACKET = re.compile(r"[()\[\]{}]")
_PAIRS = {")": "(", "]": "[", "}": "{"}


@instruction(
    "format:parentheses",
    NoParams,
    examples=[
        Example("a (b [c {d (e [f])}])", {}, True),
        Example("a (b [c {d}])", {}, False),
        Example("甲（乙 (丙 [丁 {戊 (己 [庚])}]))", {}, True),
        Example("甲 (乙 [丙 {丁 (戊 [己 })])", {}, False),
    ],
)
def parentheses(response: str, params: NoParams, context: Context) -> Verdict:
    """Some correctly closed group of `()`, `[]` or `{}` is nested at least 5 levels deep.

    As IFBench scans: a closing bracket that does not match the innermost open one starts
    the count over; the check passes at the first matching close once 5 levels were open.
    """
    open_brackets: list[str] = []
    depth = deepest = 0
    for match in _BRACKET.finditer(response):
        char = match.group()
        if char in "([{":
            open_brackets.append(char)
            depth = max(depth, len(open_brackets))
            deepest = max(deepest, depth)
        elif open_brackets and open_brackets[-1] == _PAIRS[char]:
            open_brackets.pop()
            if depth >= 5:
                return Verdict(passed=True, reason=f"brackets nested {depth} levels deep, correctly closed")
        else:
            open_brackets, depth = [], 0
    return Verdict(
        passed=False,
        reason=f"brackets open at most {deepest} deep with a correct close after; at least 5 levels required",
    )


_QUOTE_MARK = re.compile(r"[\"']")


@instruction(
    "format:quotes",
    NoParams,
    examples=[
        Example("He said \"she said 'they said \"go\"' loudly\" twice.", {}, True),
        Example("He said \"she said 'go' loudly\".", {}, False),
        Example("他说\"她说'他们说\"走\"'了\"。", {}, True),
        Example("他说\"走\"。", {}, False),
    ],
)
def quotes(response: str, params: NoParams, context: Context) -> Verdict:
    """Quotes nest at least 3 levels deep, pairing `"` and `'` as IFBench does.

    A mark closes the innermost open quote if it is the same mark, and otherwise opens a
    new one; the check passes once a closing mark ends 3 or more levels below the deepest
    point reached. An apostrophe (`don't`) counts as a quote mark.
    """
    open_marks: list[str] = []
    reached = 0
    for match in _QUOTE_MARK.finditer(response):
        char = match.group()
        if open_marks and char == open_marks[-1]:
            open_marks.pop()
            if reached - len(open_marks) >= 3:
                return Verdict(passed=True, reason=f"quotes nested {reached} levels deep")
        else:
            open_marks.append(char)
            reached = max(reached, len(open_marks))
    return Verdict(passed=False, reason=f"quotes nested at most {reached} levels deep (as paired); 3 required")


_TRAILING = string.digits + string.punctuation.replace('"', "")


@revised(
    "format:quote_unquote",
    NoParams,
    examples=[
        Example('"To be" is a verb phrase. "Or not" adds a choice.', {}, True),
        Example('He said "to be" "or not".', {}, False),
        Example('"学而时习之"意思是要常复习。', {}, True),
        Example('孔子说："学而时习之"', {}, False),
    ],
)
@scored
def quote_unquote(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """No quotation directly follows another, and the response does not end with one.

    As IFBench checks it: whitespace is ignored, `""` anywhere fails (two quotations
    touching, or an empty one), and the last `"` must be followed by something other than
    digits and ASCII punctuation. A response of only digits and ASCII punctuation passes at
    HEAD and fails at c94da02 (whose checker crashes on it). At c94da02 curly double quotes
    count as `"`; HEAD's code lost the curly marks from that replacement (it replaces `"`
    by `"`), so there they are ordinary characters.
    """
    text = response
    if revision is Revision.PUBLISHED:
        text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = "".join(text.replace("'\"'", "").split())
    if '""' in text:
        return Verdict(passed=False, reason="two quotations touch (or one is empty); an explanation after each required")
    tail = text.strip(_TRAILING)
    if not tail:
        if revision is Revision.HEAD:
            return Verdict(passed=True, reason="no quotation: only digits and punctuation, if anything")
        raise Unscorable("only digits and punctuation (IFBench's checker fails on it)")
    if tail.endswith('"'):
        return Verdict(passed=False, reason="the response ends with a quotation; an unquoted explanation after it required")
    return Verdict(passed=True, reason="every quotation is followed by unquoted text")


@instruction(
    "format:thesis",
    NoParams,
    examples=[
        Example("<i>Cats rule.</i>\nThey sleep all day.", {}, True),
        Example("*Cats rule.*\nThey sleep all day.", {}, False),
        Example("<em>猫是主人。</em>\n它们整天睡觉。", {}, True),
        Example("<i>猫是主人。</i>", {}, False),
    ],
)
def thesis(response: str, params: NoParams, context: Context) -> Verdict:
    """An HTML-italic thesis (`<i>...</i>` or `<em>...</em>`) with text after it.

    As in IFBench, only the first `<i>` (else the first `<em>`) is looked at, the closing
    tag may be either `</i>` or `</em>`, and one such section is enough.
    """
    start = response.find("<i>")
    if start == -1:
        start = response.find("<em>")
        if start == -1:
            return Verdict(passed=False, reason="no <i> or <em> tag; an italic thesis statement required")
    rest = response[start:]
    end = rest.find("</i>")
    if end == -1:
        end = rest.find("</em>")
        if end == -1:
            return Verdict(passed=False, reason="the italic tag is never closed with </i> or </em>")
    statement = rest[3:end]
    if not statement.strip():
        return Verdict(passed=False, reason="the italic thesis is empty")
    if not rest[end + 4 :].strip():
        return Verdict(passed=False, reason=f"nothing follows the italic thesis {quote(statement.strip(), 40)}")
    return Verdict(passed=True, reason=f"italic thesis {quote(statement.strip(), 40)} followed by text")
