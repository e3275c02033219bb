"""IFBench's sentence checkers: growing alliteration, growing word counts, a keyword in the N-th sentence."""

from __future__ import annotations

import re

from ifbench.checkers.ifbench._common import (
    STRIP,
    NoParams,
    Unscorable,
    drop_punctuation,
    quote,
    scored,
    sentences,
)
from pydantic import Field

from ifbench.checkers.ifbench._revision import Revision, revised
from ifbench.checking.base import Context, Example, Params, Verdict, plural


def _shown(values: list[int], limit: int = 8) -> str:
    return ", ".join(str(v) for v in values[:limit]) + (", ..." if len(values) > limit else "")


def _alliterative_words(sentence: str) -> int:
    """Words in runs of 2 or more consecutive words sharing their first character."""
    words = [word.lstrip(STRIP) for word in sentence.lower().split()]
    words = [word for word in words if word]
    total = 0
    in_run = False
    for left, right in zip(words, words[1:]):
        if left[0] == right[0]:
            total += 1 if in_run else 2
            in_run = True
        else:
            in_run = False
    return total


@revised(
    "sentence:alliteration_increment",
    NoParams,
    examples=[
        Example("Cats nap. Big bears bite. Silly snakes slide slowly.", {}, True),
        Example("Big bears bite. Cats nap.", {}, False),
        Example("Dogs run. Five fine frogs. Wild wet winds whirl.", {}, True),
        Example("Dogs dig deep. Cats can cope.", {}, False),
    ],
)
@scored
def alliteration_increment(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """Each sentence (IFBench's splitter) has more alliterative words than the one before.

    As IFBench counts them: words are split on whitespace, lowercased and stripped of
    leading ASCII punctuation; each run of 2 or more consecutive words with the same first
    character adds its length. The first sentence may have none.
    """
    counts = [_alliterative_words(sentence) for sentence in sentences(response, revision)]
    for index in range(1, len(counts)):
        if counts[index] <= counts[index - 1]:
            return Verdict(
                passed=False,
                reason=f"alliterative words per sentence: {_shown(counts)}; sentence {index + 1} has "
                f"{counts[index]}, more than {counts[index - 1]} (sentence {index}) required",
            )
    return Verdict(passed=True, reason=f"alliterative words per sentence: {_shown(counts)}; each more than the last")


class IncrementParams(Params):
    small_n: int = Field(ge=0)
    """How many more words each sentence must have than the one before."""


@revised(
    "sentence:increment",
    IncrementParams,
    examples=[
        Example("I ran. I ran far. I ran very far.", {"small_n": 1}, True),
        Example("I ran. I ran far away.", {"small_n": 1}, False),
        Example("Go. Go there now. Go there now and stay.", {"small_n": 2}, True),
        Example("Go now. Go.", {"small_n": 1}, False),
    ],
)
@scored
def increment(response: str, params: IncrementParams, context: Context, revision: Revision) -> Verdict:
    """Each sentence (IFBench's splitter) has exactly small_n more words than the one before.

    Words are whitespace-separated once ASCII punctuation is removed, as in IFBench (so
    `don't` is one word and a lone `-` is none).
    """
    found = sentences(response, revision)
    if not found:
        raise Unscorable("no sentence found")
    counts = [len(drop_punctuation(sentence).split()) for sentence in found]
    for index in range(1, len(counts)):
        if counts[index] != counts[index - 1] + params.small_n:
            return Verdict(
                passed=False,
                reason=f"words per sentence: {_shown(counts)}; sentence {index + 1} has {counts[index]}, "
                f"exactly {counts[index - 1] + params.small_n} required ({params.small_n} more than the one before)",
            )
    return Verdict(
        passed=True,
        reason=f"words per sentence: {_shown(counts)}; each has {params.small_n} more than the one before",
    )


class SentenceKeywordParams(Params):
    word: str = Field(min_length=1)
    """The keyword (case-insensitive; at c94da02 also found inside longer words)."""
    N: int = Field(ge=1)
    """Which sentence (counting from 1) must contain it."""


@revised(
    "sentence:keyword",
    SentenceKeywordParams,
    examples=[
        Example("It rained. The Giraffe stayed dry.", {"word": "giraffe", "N": 2}, True),
        Example("The giraffe stayed dry. It rained.", {"word": "giraffe", "N": 2}, False),
        Example("It rained. A giraffe's picnic.", {"word": "giraffe", "N": 2}, True),
        Example("It rained.", {"word": "giraffe", "N": 2}, False),
    ],
)
@scored
def keyword(response: str, params: SentenceKeywordParams, context: Context, revision: Revision) -> Verdict:
    """Sentence N (IFBench's splitter) contains `word`, case-insensitively (at HEAD as a whole word).

    At HEAD the word must stand between word boundaries (regex `\\b`); at c94da02 it is found
    inside longer words too (`giraffe` in `giraffes'`).
    """
    found = sentences(response, revision)
    if len(found) < params.N:
        return Verdict(
            passed=False,
            reason=f"{plural(len(found), 'sentence')}; sentence {params.N} required to contain {quote(params.word)}",
        )
    sentence = found[params.N - 1]
    if revision is Revision.HEAD:
        present = re.search(rf"\b{re.escape(params.word)}\b", sentence, re.IGNORECASE) is not None
    else:
        present = params.word.lower() in sentence.lower()
    what = f"the word {quote(params.word)}" if revision is Revision.HEAD else quote(params.word)
    if present:
        return Verdict(passed=True, reason=f"sentence {params.N} contains {what}")
    return Verdict(passed=False, reason=f"sentence {params.N} ({quote(sentence, 50)}) does not contain {what}")
