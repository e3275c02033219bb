"""IFBench's custom checkers with a fixed answer: reversed text, an alphabet story, sorted capitals and countries, multiples of 7."""

from __future__ import annotations

import re
import unicodedata

from ifbench.checkers.ifbench._common import (
    STRIP,
    NoParams,
    Unscorable,
    drop_punctuation,
    quote,
    scored,
    sentences,
)

from ifbench.checkers.ifbench._revision import Revision, instruction, revised
from ifbench.checking.base import Context, Example, Verdict, plural


def ascii_fold(text: str) -> str:
    """`São Tomé` -> `Sao Tome`: NFKD, then every non-ASCII character dropped (IFBench's normalisation)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@instruction(
    "custom:character_reverse",
    NoParams,
    examples=[
        Example("Elgae dlab eht.", {}, True),
        Example("The bald eagle.", {}, False),
        Example("elgae dlab 白头海雕", {}, True),
        Example("白头海雕", {}, False),
    ],
)
def character_reverse(response: str, params: NoParams, context: Context) -> Verdict:
    """The answer "bald eagle" is written backwards letter by letter: `elgae dlab` appears, any case."""
    if "elgae dlab" in response.lower():
        return Verdict(passed=True, reason="'elgae dlab' (bald eagle reversed) found")
    return Verdict(passed=False, reason="'elgae dlab' (bald eagle reversed by letter) not found")


@revised(
    "custom:word_reverse",
    NoParams,
    examples=[
        Example("Eagle bald the is symbol national the.", {}, True),
        Example("The bald eagle is the national symbol.", {}, False),
        Example("eagle bald, 白头海雕", {}, True),
        Example("白头海雕", {}, False),
    ],
)
@scored
def word_reverse(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """Read word by word backwards (lowercased, ASCII punctuation removed), the response contains "bald eagle".

    IFBench also requires the reversed text to be a single sentence (its splitter at the
    revision), which it always is once ASCII punctuation is removed.
    """
    words = drop_punctuation(response.lower().strip()).split()
    backwards = " ".join(reversed(words))
    if "bald eagle" not in backwards:
        return Verdict(passed=False, reason="read backwards by word, the response has no 'bald eagle'")
    if backwards not in sentences(backwards, revision):
        return Verdict(passed=False, reason="read backwards by word, the response is not a single sentence")
    return Verdict(passed=True, reason="read backwards by word, the response says 'bald eagle'")


@revised(
    "custom:sentence_alphabet",
    NoParams,
    examples=[
        Example(" ".join(f"{chr(65 + i)}x went home." for i in range(26)), {}, True),
        Example(" ".join(f"{chr(65 + i)}x went home." for i in range(25)), {}, False),
        Example(" ".join(f"{chr(97 + i)}x 回家了." for i in range(26)), {}, True),
        Example(" ".join(f"{chr(65 + (i + 1) % 26)}x went home." for i in range(26)), {}, False),
    ],
)
@scored
def sentence_alphabet(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """Exactly 26 sentences (IFBench's splitter) whose first words start with a, b, c, ... z in order (any case)."""
    found = sentences(response, revision)
    if len(found) != 26:
        return Verdict(passed=False, reason=f"{plural(len(found), 'sentence')}; exactly 26 required")
    for index, sentence in enumerate(found):
        words = sentence.split()
        if not words:
            raise Unscorable(f"sentence {index + 1} is empty (IFBench's checker fails on it)")
        first = words[0]
        if first.lower()[0] != chr(97 + index):
            return Verdict(
                passed=False,
                reason=f"sentence {index + 1} starts with {quote(first, 30)}; a word starting with "
                f"{chr(97 + index)!r} required",
            )
    return Verdict(passed=True, reason="26 sentences starting with a to z in order")


CAPITALS = (
    "Reykjavik Helsinki Oslo Tallinn Stockholm Riga Moscow Copenhagen Vilnius Minsk Dublin Berlin "
    "Amsterdam Warsaw London Brussels Prague Luxembourg Paris Vienna Bratislava Budapest Vaduz "
    "Chisinau Bern Ljubljana Zagreb"
).split()
"""IFBench's answer: European capitals north of 45°, from north to south."""


@instruction(
    "custom:european_capitals_sort",
    NoParams,
    examples=[
        Example(", ".join(CAPITALS), {}, True),
        Example(", ".join(CAPITALS[:-1]), {}, False),
        Example(", ".join(CAPITALS).replace("Reykjavik", "Reykjavík"), {}, True),
        Example(", ".join(reversed(CAPITALS)), {}, False),
    ],
)
def european_capitals_sort(response: str, params: NoParams, context: Context) -> Verdict:
    """Exactly IFBench's 27 capitals north of 45° (Reykjavik, Helsinki, Oslo, ... Zagreb), comma-separated, in that order.

    Accents are ignored (`Reykjavík` is `Reykjavik`), nothing but spaces may surround a
    name, and blank items between commas are skipped.
    """
    items = [item.strip() for item in ascii_fold(response).split(",") if item.strip()]
    if len(items) != len(CAPITALS):
        return Verdict(passed=False, reason=f"{plural(len(items), 'comma-separated item')}; exactly 27 capitals required")
    for index, (item, capital) in enumerate(zip(items, CAPITALS), 1):
        if item != capital:
            return Verdict(passed=False, reason=f"item {index} is {quote(item, 30)}; {quote(capital)} required")
    return Verdict(passed=True, reason="the 27 capitals in order")


_NUMBER = re.compile(r"\d+")
_MULTIPLES = ["14", "21", "28", "35", "42", "49"]


@instruction(
    "custom:multiples",
    NoParams,
    examples=[
        Example("14, 21, 28, 35, 42, 49", {}, True),
        Example("From 10 to 50: 14, 21, 28, 35, 42, 49", {}, False),
        Example("14、21、28、35、42、49", {}, True),
        Example("十四、二十一、二十八、三十五、四十二、四十九", {}, False),
    ],
)
def multiples(response: str, params: NoParams, context: Context) -> Verdict:
    """The numbers in the response are exactly 14, 21, 28, 35, 42, 49, in that order, and no others."""
    found = _NUMBER.findall(response)
    shown = ", ".join(found[:10]) + (", ..." if len(found) > 10 else "")
    return Verdict(
        passed=found == _MULTIPLES,
        reason=f"numbers found: {shown or 'none'}; exactly 14, 21, 28, 35, 42, 49 required",
    )


_COUNTRIES = "\n".join(["Zimbabwe", *(f"Country {n:02d}" for n in range(51, 0, -1))])


@instruction(
    "custom:reverse_newline",
    NoParams,
    examples=[
        Example(_COUNTRIES, {}, True),
        Example("Zimbabwe\nZambia\nUganda", {}, False),
        Example("非洲国家：\n" + _COUNTRIES, {}, True),
        Example("非洲国家：津巴布韦、赞比亚", {}, False),
    ],
)
def reverse_newline(response: str, params: NoParams, context: Context) -> Verdict:
    """From the first line mentioning Zimbabwe, at least 52 non-blank lines in reverse alphabetical order.

    As IFBench checks it: lines are stripped of ASCII punctuation and spaces, compared by
    code point with accents and other non-ASCII characters dropped; which countries are
    listed is not checked.
    """
    lines = [line.strip(STRIP) for line in response.split("\n")]
    lines = [line for line in lines if line]
    start = next((index for index, line in enumerate(lines) if "Zimbabwe" in line), None)
    if start is None:
        return Verdict(passed=False, reason="no line mentions 'Zimbabwe'; the list must start there")
    folded = [ascii_fold(line) for line in lines[start:]]
    if len(folded) < 52:
        return Verdict(
            passed=False,
            reason=f"{plural(len(folded), 'line')} from the Zimbabwe line on; at least 52 required",
        )
    for index in range(len(folded) - 1):
        if folded[index] < folded[index + 1]:
            return Verdict(
                passed=False,
                reason=f"{quote(folded[index], 30)} comes before {quote(folded[index + 1], 30)}; "
                "reverse alphabetical order required",
            )
    return Verdict(passed=True, reason=f"{len(folded)} lines in reverse alphabetical order from Zimbabwe")
