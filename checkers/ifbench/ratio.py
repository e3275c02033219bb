"""IFBench's ratio checkers: stop words, sentence types, sentence lengths, trigram overlap."""

from __future__ import annotations

import re

import numpy as np
from ifbench.checkers.ifbench._common import (
    NoParams,
    Unscorable,
    scored,
    sentences,
    stopwords,
)
from pydantic import Field

from ifbench.checkers.ifbench._revision import Revision, instruction, revised
from ifbench.checking.base import Context, Example, Params, Verdict, plural

_WORD = re.compile(r"\w+")


class PercentageParams(Params):
    percentage: float = Field(ge=0)
    """The largest share of stop words allowed, in percent."""


@instruction(
    "ratio:stop_words",
    PercentageParams,
    examples=[
        Example("Quantum tunnelling enables modern flash memory.", {"percentage": 20}, True),
        Example("It is what it is and that is that.", {"percentage": 50}, False),
        Example("量子 隧穿 and 闪存", {"percentage": 25}, True),
        Example("量子 隧穿 and the 闪存", {"percentage": 25}, False),
    ],
)
@scored
def stop_words(response: str, params: PercentageParams, context: Context) -> Verdict:
    """Stop words (NLTK's English list) are at most `percentage` percent of the words (runs of \\w characters).

    Words are compared lowercased; a response without any word fails (IFBench c94da02
    divides by zero there, HEAD returns False).
    """
    words = _WORD.findall(response)
    if not words:
        raise Unscorable("no words to take a share of (IFBench's checker divides by zero here at c94da02, fails at HEAD)")
    listed = stopwords()
    count = sum(1 for word in words if word.lower() in listed)
    share = count / len(words) * 100
    return Verdict(
        passed=share <= params.percentage,
        reason=f"{count} of {plural(len(words), 'word')} are stop words ({share:.2f}%); "
        f"at most {params.percentage:g}% allowed",
    )


def _ending_counts(response: str, revision: Revision) -> tuple[int, int, int, int]:
    found = sentences(response, revision)
    return (
        len(found),
        sum(1 for s in found if s.endswith(".")),
        sum(1 for s in found if s.endswith("?")),
        sum(1 for s in found if s.endswith("!")),
    )


@revised(
    "ratio:sentence_type",
    NoParams,
    examples=[
        Example("It rained. We stayed in. Why not?", {}, True),
        Example("It rained. Why? Why not?", {}, False),
        Example("Dr. Lee came. She sang. Did you hear?", {}, True),
        Example("It rained. We stayed in.", {}, False),
    ],
)
@scored
def sentence_type(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """Twice as many sentences end with `.` as with `?` (IFBench's sentence splitter).

    As in IFBench, sentences ending otherwise are ignored, so a text with neither passes,
    and Chinese `。` and `？` do not end a sentence. With c94da02's splitter a closing quote
    after the mark does not hide it (`"Yes."` ends with `.`); with HEAD's (NLTK's Punkt) it
    does.
    """
    total, periods, questions, _ = _ending_counts(response, revision)
    return Verdict(
        passed=periods == 2 * questions,
        reason=f"of {plural(total, 'sentence')}, {periods} end with '.' and {questions} with '?'; "
        "exactly twice as many '.' as '?' required",
    )


@revised(
    "ratio:sentence_balance",
    NoParams,
    examples=[
        Example("It rained. Why? Wow!", {}, True),
        Example("It rained. It poured. Why? Wow!", {}, False),
        Example("Hi. Who? Oh! Bye. Where? Yes!", {}, True),
        Example("It rained. Why?", {}, False),
    ],
)
@scored
def sentence_balance(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """As many sentences end with `.` as with `?` and as with `!` (IFBench's sentence splitter).

    As in IFBench, sentences ending otherwise are ignored.
    """
    total, periods, questions, exclamations = _ending_counts(response, revision)
    return Verdict(
        passed=periods == questions == exclamations,
        reason=f"of {plural(total, 'sentence')}, {periods} end with '.', {questions} with '?' "
        f"and {exclamations} with '!'; equal numbers required",
    )


@revised(
    "ratio:sentence_words",
    NoParams,
    examples=[
        Example("Cats nap. Dogs run. Owls fly.", {}, True),
        Example("Cats nap. Dogs run fast. Owls fly.", {}, False),
        Example("Owls hoot! Cats purr? Dogs bark.", {}, True),
        Example("Cats nap. Dogs run.", {}, False),
    ],
)
@scored
def sentence_words(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """Exactly 3 sentences (IFBench's splitter), all with the same number of characters.

    IFBench's instruction also asks for all different words, but its checker does not
    check that, and neither does this one.
    """
    found = sentences(response, revision)
    lengths = [len(sentence.strip()) for sentence in found]
    shown = ", ".join(str(n) for n in lengths[:5]) + (", ..." if len(lengths) > 5 else "")
    return Verdict(
        passed=len(found) == 3 and len(set(lengths)) == 1,
        reason=f"{plural(len(found), 'sentence')} of {shown or 'no'} characters; "
        "3 sentences of equal length required",
    )


class OverlapParams(Params):
    reference_text: str
    """The text whose character trigrams the response must share."""
    percentage: float = Field(ge=0)
    """The required overlap in percent; within 2 points either side passes."""


def _trigrams(text: str) -> np.ndarray:
    """The distinct character trigrams of `text`, each packed into one integer (21 bits a code point)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)
    if len(points) < 3:
        return np.empty(0, dtype=np.int64)
    return np.unique((points[:-2] << 42) | (points[1:-1] << 21) | points[2:])


@instruction(
    "ratio:overlap",
    OverlapParams,
    examples=[
        Example("the cat sat", {"reference_text": "the cat sat on the mat", "percentage": 100}, True),
        Example("a dog ran off", {"reference_text": "the cat sat on the mat", "percentage": 100}, False),
        Example("猫坐在垫子上", {"reference_text": "猫坐在垫子上面", "percentage": 100}, True),
        Example("狗跑开了", {"reference_text": "猫坐在垫子上面", "percentage": 50}, False),
    ],
)
@scored
def overlap(response: str, params: OverlapParams, context: Context) -> Verdict:
    """The share of the response's distinct character trigrams found in reference_text is percentage ± 2 points.

    As IFBench computes it: trigrams of characters (not words), case and spaces included;
    a response under 3 characters has no trigrams and fails.
    """
    own = _trigrams(response)
    if not len(own):
        raise Unscorable("under 3 characters, so no trigrams (IFBench's checker divides by zero here at c94da02, fails at HEAD)")
    shared = int(np.isin(own, _trigrams(params.reference_text), assume_unique=True).sum())
    share = shared / len(own)
    return Verdict(
        passed=params.percentage - 2 <= share * 100 <= params.percentage + 2,
        reason=f"{shared} of {plural(len(own), 'distinct trigram')} are in the reference text "
        f"({share * 100:.2f}%); {params.percentage:g}% ± 2 required",
    )
