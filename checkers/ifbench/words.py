"""IFBench's word checkers about positions and repeats: keyword positions, chained sentences and lines, repeats, a verb first."""

from __future__ import annotations

from collections import Counter

from ifbench.checkers.ifbench._common import (
    STRIP,
    NoParams,
    Unscorable,
    drop_punctuation,
    first_tag,
    first_tokens,
    quote,
    scored,
    sentences,
    word_tokenize,
)
from pydantic import Field

from ifbench.checking.base import Context, Example, NonBlankStr, Params, Verdict, plural
from ifbench.checking.registry import checker


class SpecificPositionParams(Params):
    keyword: NonBlankStr
    """The token required (exact, case-sensitive; surrounding spaces ignored)."""
    n: int = Field(ge=1)
    """Which sentence (counting from 1)."""
    m: int = Field(ge=1)
    """Which token of that sentence (counting from 1)."""


@checker(
    "ifbench:words:keywords_specific_position",
    SpecificPositionParams,
    examples=[
        Example("It rained. We giggle a lot.", {"keyword": "giggle", "n": 2, "m": 2}, True),
        Example("It rained. We often giggle.", {"keyword": "giggle", "n": 2, "m": 2}, False),
        Example("Hi. We, giggle.", {"keyword": "giggle", "n": 2, "m": 3}, True),
        Example("We giggle.", {"keyword": "giggle", "n": 2, "m": 2}, False),
    ],
)
@scored
def keywords_specific_position(response: str, params: SpecificPositionParams, context: Context) -> Verdict:
    """Token m of sentence n is exactly `keyword` (IFBench's sentence splitter, NLTK `word_tokenize` tokens).

    Punctuation marks are tokens of their own, as in NLTK, so in `We, giggle.` the comma
    is token 2.
    """
    keyword = params.keyword.strip()
    found = sentences(response)
    if len(found) < params.n:
        return Verdict(passed=False, reason=f"{plural(len(found), 'sentence')}; sentence {params.n} required")
    tokens = word_tokenize(found[params.n - 1])
    if len(tokens) < params.m:
        return Verdict(
            passed=False,
            reason=f"sentence {params.n} has {plural(len(tokens), 'token')}; token {params.m} required "
            f"to be {quote(keyword)}",
        )
    token = tokens[params.m - 1]
    return Verdict(
        passed=token == keyword,
        reason=f"token {params.m} of sentence {params.n} is {quote(token)}; {quote(keyword)} required",
    )


class KeywordParams(Params):
    keyword: NonBlankStr
    """The token required second and second to last (exact, case-sensitive)."""


@checker(
    "ifbench:words:words_position",
    KeywordParams,
    examples=[
        Example("A vibrant city, truly vibrant.", {"keyword": "vibrant"}, True),
        Example("A vibrant city, truly vibrant now.", {"keyword": "vibrant"}, False),
        Example("Very vibrant vibrant !", {"keyword": "vibrant"}, True),
        Example("Vibrant colours everywhere.", {"keyword": "vibrant"}, False),
    ],
)
@scored
def words_position(response: str, params: KeywordParams, context: Context) -> Verdict:
    """The second token and the second-to-last token (NLTK `word_tokenize`) are both exactly `keyword`.

    Punctuation marks are tokens, so in `..., truly vibrant now.` the second-to-last token
    is `now`, not `vibrant`.
    """
    keyword = params.keyword.strip()
    tokens = word_tokenize(response)
    if len(tokens) < 2:
        return Verdict(passed=False, reason=f"{plural(len(tokens), 'token')}; at least 2 required")
    return Verdict(
        passed=tokens[1] == tokens[-2] == keyword,
        reason=f"second token {quote(tokens[1])}, second-to-last {quote(tokens[-2])}; "
        f"both {quote(keyword)} required",
    )


@checker(
    "ifbench:words:last_first",
    NoParams,
    examples=[
        Example("I saw a cat. Cat food is dear. Dear me!", {}, True),
        Example("I saw a cat. Dogs bark.", {}, False),
        Example("We love tea. Tea is hot.", {}, True),
        Example("Tea is hot. We love tea.", {}, False),
    ],
)
@scored
def last_first(response: str, params: NoParams, context: Context) -> Verdict:
    """The last word of each sentence (IFBench's splitter) is the first word of the next, case-insensitively.

    Words are whitespace-separated; ASCII punctuation at the sentence's end and start is
    ignored, but not inside (`cat,` is not `cat`).
    """
    found = sentences(response)
    for index in range(len(found) - 1):
        ending = found[index].rstrip(STRIP).split()
        opening = found[index + 1].lstrip(STRIP).split()
        if not ending or not opening:
            blank = index + 1 if not ending else index + 2
            raise Unscorable(f"sentence {blank} is only punctuation (IFBench's checker fails on it)")
        if ending[-1].lower() != opening[0].lower():
            return Verdict(
                passed=False,
                reason=f"sentence {index + 1} ends with {quote(ending[-1], 30)}, sentence {index + 2} "
                f"starts with {quote(opening[0], 30)}; the same word required",
            )
    return Verdict(passed=True, reason=f"{plural(len(found), 'sentence')}, each starting with the last word before it")


@checker(
    "ifbench:words:paragraph_last_first",
    NoParams,
    examples=[
        Example("Time flies, they say, all the time.\nHome is where we go home.", {}, True),
        Example("Time flies.\nHome is where we go home.", {}, False),
        Example("Rain and more Rain!\n\nSun then sun.", {}, True),
        Example("Sun, then sun.", {}, False),
    ],
)
def paragraph_last_first(response: str, params: NoParams, context: Context) -> Verdict:
    """Each non-blank line starts and ends with the same word, case-insensitively.

    As in IFBench, paragraphs are lines, words are whitespace-separated, and ASCII
    punctuation is stripped from the ends of the line only, so `Sun, then sun.` fails
    (`sun,` is not `sun`).
    """
    for number, line in enumerate(response.split("\n"), 1):
        words = line.strip().lower().strip(STRIP).split()
        if words and words[0] != words[-1]:
            return Verdict(
                passed=False,
                reason=f"line {number} starts with {quote(words[0], 30)} and ends with "
                f"{quote(words[-1], 30)}; the same word required",
            )
    return Verdict(passed=True, reason="every line starts and ends with the same word")


class RepeatsParams(Params):
    small_n: int = Field(ge=0)
    """The most times any one word may appear."""


@checker(
    "ifbench:words:repeats",
    RepeatsParams,
    examples=[
        Example("The cat saw the dog.", {"small_n": 2}, True),
        Example("The cat saw the dog; the end.", {"small_n": 2}, False),
        Example("猫 狗 猫", {"small_n": 2}, True),
        Example("猫 猫 猫", {"small_n": 2}, False),
    ],
)
def repeats(response: str, params: RepeatsParams, context: Context) -> Verdict:
    """No word appears more than small_n times (lowercased, ASCII punctuation removed, split on whitespace)."""
    counts = Counter(drop_punctuation(response.lower()).split())
    if not counts:
        return Verdict(passed=True, reason=f"no words; at most {params.small_n} of each allowed")
    word, count = counts.most_common(1)[0]
    return Verdict(
        passed=count <= params.small_n,
        reason=f"the most repeated word, {quote(word, 30)}, appears {plural(count, 'time')}; "
        f"at most {params.small_n} allowed",
    )


@checker(
    "ifbench:words:start_verb",
    NoParams,
    examples=[
        Example("Prove that the sum is even.", {}, True),
        Example("The sum is even.", {}, False),
        Example("Whirring and pulsing, the city woke.", {}, True),
        Example("Build resilient relationships.", {}, False),
    ],
)
@scored
def start_verb(response: str, params: NoParams, context: Context) -> Verdict:
    """The first token (NLTK `word_tokenize`) gets a verb tag (VB, VBD, VBG, VBN, VBP, VBZ) from an averaged perceptron POS tagger.

    IFBench tags with `nltk.pos_tag`, whose English model is an nltk_data download. This
    checker runs NLTK's own `PerceptronTagger` code with the model textblob-aptagger 0.2.0
    ships (Honnibal's WSJ model; NLTK's tagger is a port of that package, but NLTK's
    English weights are another model), so a first word may be tagged differently than
    IFBench's scorer tags it: both read `Prove that ...` and `Whirring and ...` as verbs
    and `Build resilient ...` as not, but in `The quick brown fox jumps over the lazy dog.`
    NLTK tags `jumps` VBZ and this model NNS. On the IFBench conformance data the verdicts are identical:
    6 responses, 11 distinct openings among their loose variants, 0 differences.
    """
    tokens = first_tokens(response)
    if not tokens:
        return Verdict(passed=False, reason="no tokens; a verb first required")
    tag = first_tag(tokens)
    return Verdict(
        passed="VB" in tag,
        reason=f"the first token {quote(tokens[0], 30)} is tagged {tag}; a verb tag (VB...) required",
    )
