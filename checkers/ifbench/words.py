"""IFBench's word checkers about positions and repeats: keyword positions, chained sentences and lines, repeats, a verb first."""

from __future__ import annotations

import string
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
    word_tokens,
)
from pydantic import Field

from ifbench.checkers.ifbench._revision import Revision, instruction, revised
from ifbench.checking.base import Context, Example, NonBlankStr, Params, Verdict, plural


class SpecificPositionParams(Params):
    keyword: NonBlankStr
    """The word required (surrounding spaces ignored; any case at HEAD, exact case at c94da02)."""
    n: int = Field(ge=1)
    """Which sentence (counting from 1)."""
    m: int = Field(ge=1)
    """Which word of that sentence (counting from 1)."""


@revised(
    "words:keywords_specific_position",
    SpecificPositionParams,
    examples=[
        Example("It rained. We giggle a lot.", {"keyword": "giggle", "n": 2, "m": 2}, True),
        Example("It rained. We often giggle.", {"keyword": "giggle", "n": 2, "m": 2}, False),
        Example("Hi. Oh, we giggle.", {"keyword": "giggle", "n": 2, "m": 2}, False),
        Example("We giggle.", {"keyword": "giggle", "n": 2, "m": 2}, False),
    ],
)
@scored
def keywords_specific_position(
    response: str, params: SpecificPositionParams, context: Context, revision: Revision
) -> Verdict:
    """Word m of sentence n (IFBench's sentence splitter, NLTK `word_tokenize` tokens) is `keyword`.

    At HEAD the words are the tokens with a letter or digit (so in `Oh, we giggle.` word 3
    is `giggle`) and case is ignored. At c94da02 every token counts, punctuation marks
    included (there `,` is token 2 and `giggle` token 4), and the case must match.
    """
    keyword = params.keyword.strip()
    found = sentences(response, revision)
    if len(found) < params.n:
        return Verdict(passed=False, reason=f"{plural(len(found), 'sentence')}; sentence {params.n} required")
    sentence = found[params.n - 1]
    tokens = word_tokens(sentence) if revision is Revision.HEAD else word_tokenize(sentence)
    unit = "word" if revision is Revision.HEAD else "token"
    if len(tokens) < params.m:
        return Verdict(
            passed=False,
            reason=f"sentence {params.n} has {plural(len(tokens), unit)}; {unit} {params.m} required "
            f"to be {quote(keyword)}",
        )
    token = tokens[params.m - 1]
    same = token.lower() == keyword.lower() if revision is Revision.HEAD else token == keyword
    how = "in any case" if revision is Revision.HEAD else "in this case"
    return Verdict(
        passed=same,
        reason=f"{unit} {params.m} of sentence {params.n} is {quote(token)}; {quote(keyword)} ({how}) required",
    )


class KeywordParams(Params):
    keyword: NonBlankStr
    """The word required second and second to last (any case at HEAD, exact case at c94da02)."""


@revised(
    "words:words_position",
    KeywordParams,
    examples=[
        Example("A vibrant city, vibrant ok", {"keyword": "vibrant"}, True),
        Example("A vibrant city, vibrant now okay", {"keyword": "vibrant"}, False),
        Example("这 vibrant 城市 vibrant 很", {"keyword": "vibrant"}, True),
        Example("Vibrant colours everywhere.", {"keyword": "vibrant"}, False),
    ],
)
@scored
def words_position(response: str, params: KeywordParams, context: Context, revision: Revision) -> Verdict:
    """The second and the second-to-last token (NLTK `word_tokenize`) are both `keyword`.

    Punctuation marks are tokens. At HEAD case is ignored, and a last token that is one
    ASCII punctuation mark (`.`, `!`) is passed over: in `A vibrant day, truly vibrant.`
    the second-to-last word is `truly`. At c94da02 the case must match and the final `.`
    is the last token, so there the second-to-last token is `vibrant`.
    """
    keyword = params.keyword.strip()
    tokens = word_tokenize(response)
    if revision is Revision.HEAD:
        # IFBench tests `token in string.punctuation`: a substring test, true for one ASCII mark
        # (and for the few runs that occur in that string, like `()`)
        back = 3 if tokens and tokens[-1] in string.punctuation else 2
        same = [token.lower() == keyword.lower() for token in tokens]
    else:
        back = 2
        same = [token == keyword for token in tokens]
    if len(tokens) < back:
        return Verdict(passed=False, reason=f"{plural(len(tokens), 'token')}; at least {back} required")
    how = "in any case" if revision is Revision.HEAD else "in this case"
    return Verdict(
        passed=same[1] and same[-back],
        reason=f"second token {quote(tokens[1])}, token {back} from the end {quote(tokens[-back])}; "
        f"both {quote(keyword)} ({how}) required",
    )


@revised(
    "words:last_first",
    NoParams,
    examples=[
        Example("I saw a cat. Cat food is dear. Dear me!", {}, True),
        Example("I saw a cat. Dogs bark.", {}, False),
        Example("We love tea. Tea is hot.", {}, True),
        Example("Tea is hot. We love tea.", {}, False),
    ],
)
@scored
def last_first(response: str, params: NoParams, context: Context, revision: Revision) -> Verdict:
    """The last word of each sentence (IFBench's splitter) is the first word of the next, case-insensitively.

    Words are whitespace-separated; ASCII punctuation at the sentence's end and start is
    ignored, but not inside (`cat,` is not `cat`).
    """
    found = sentences(response, revision)
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


@instruction(
    "words:paragraph_last_first",
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


@instruction(
    "words:repeats",
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


@instruction(
    "words:start_verb",
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

    The same at HEAD and c94da02. IFBench tags with `nltk.pos_tag`, whose English model
    (`averaged_perceptron_tagger_eng`) is only an nltk_data download: neither the nltk
    wheel nor any PyPI, Debian or npm package found ships it, and IFBench's own HEAD could
    not be run offline on these prompts. This checker runs NLTK's own `PerceptronTagger`
    code with the model textblob-aptagger 0.2.0 ships (Honnibal's WSJ model; NLTK's tagger
    is a port of that package, but NLTK's English weights are another training), so a
    first word may be tagged differently than IFBench's scorer tags it. Measured:
    - against NLTK's real outputs that are known: both sentences NLTK documents (the
      `pos_tag` docstring and tag.doctest) get NLTK's tags, 15 of 15 tokens; the 6
      start_verb responses of the c94da02 conformance data, 11 distinct openings among
      their loose variants, give IFBench's verdicts; of the 2 sentences of upstream's
      test, `Does this sentence start with a verb?` differs (`Does`: NLTK VBZ, here NNS);
    - against spaCy's en_core_web_sm 3.8.0 (the other English Penn Treebank tagger that
      runs offline), on the 4,294 sentences (NLTK Punkt) of the 294 conformance
      responses: where both tokenize the first token alike (4,131), the verb-first
      verdict agrees on 4,049 (98.0%); this model says verb where spaCy does not 36
      times (17 of them `*` bullets) and not verb where spaCy does 46 times (mostly
      capitalised imperatives: `Let`, `Cut`, `Imagine` tagged NNP). NLTK shares that
      trait (IFBench's verdicts need `Build resilient ...` tagged NNP), so spaCy is only
      a proxy for NLTK here.
    """
    tokens = first_tokens(response)
    if not tokens:
        return Verdict(passed=False, reason="no tokens; a verb first required")
    tag = first_tag(tokens)
    return Verdict(
        passed="VB" in tag,
        reason=f"the first token {quote(tokens[0], 30)} is tagged {tag}; a verb tag (VB...) required",
    )
