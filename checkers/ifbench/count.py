"""IFBench's count checkers: words, unique words, conjunctions, names, numbers, pronouns, punctuation, keywords, Japanese words."""

from __future__ import annotations

import re

from ifbench.checkers.ifbench._common import (
    STRIP,
    NoParams,
    count_word_runs,
    drop_punctuation,
    quote,
    scored,
    word_tokenize,
)
from pydantic import Field, model_validator

from ifbench.checkers.ifbench._revision import Revision, instruction, revised
from ifbench.checking.base import Context, Example, NonBlankStr, Params, Verdict, plural


class WordCountRangeParams(Params):
    min_words: int = Field(ge=0)
    """The fewest words allowed."""
    max_words: int = Field(ge=0)
    """The most words allowed."""

    @model_validator(mode="after")
    def _ordered(self) -> WordCountRangeParams:
        if self.min_words > self.max_words:
            raise ValueError(f"'min_words' ({self.min_words}) is greater than 'max_words' ({self.max_words})")
        return self


@instruction(
    "count:word_count_range",
    WordCountRangeParams,
    examples=[
        Example("Light bends near heavy stars.", {"min_words": 4, "max_words": 5}, True),
        Example("Light bends.", {"min_words": 4, "max_words": 5}, False),
        Example("光 在 恒星 附近 弯曲", {"min_words": 4, "max_words": 5}, True),
        Example("光在恒星附近弯曲。", {"min_words": 4, "max_words": 5}, False),
    ],
)
def word_count_range(response: str, params: WordCountRangeParams, context: Context) -> Verdict:
    """The number of words (runs of \\w characters) is between min_words and max_words.

    A run of letters and digits is one word, so Chinese without spaces counts as one word.
    """
    count = count_word_runs(response)
    return Verdict(
        passed=params.min_words <= count <= params.max_words,
        reason=f"{plural(count, 'word')}; between {params.min_words} and {params.max_words} required",
    )


class AtLeastNParams(Params):
    N: int = Field(ge=0)
    """The smallest count that passes."""


@instruction(
    "count:unique_word_count",
    AtLeastNParams,
    examples=[
        Example("Cats nap, dogs run, birds sing.", {"N": 6}, True),
        Example("Cats nap, cats nap, cats nap.", {"N": 3}, False),
        Example("猫 睡觉 狗 跑步", {"N": 4}, True),
        Example("猫睡觉，狗跑步。", {"N": 2}, False),
    ],
)
def unique_word_count(response: str, params: AtLeastNParams, context: Context) -> Verdict:
    """At least N different words: whitespace-separated, lowercased, ASCII punctuation stripped from the ends.

    As in IFBench, a token made only of punctuation (like `-`) adds the empty word once.
    """
    unique = {token.strip(STRIP) for token in response.lower().split()}
    return Verdict(
        passed=len(unique) >= params.N,
        reason=f"{plural(len(unique), 'different word')}; at least {params.N} required",
    )


class SmallNParams(Params):
    small_n: int = Field(ge=0)
    """The smallest number of different coordinating conjunctions that passes."""


_CONJUNCTIONS = frozenset(["and", "but", "for", "nor", "or", "so", "yet"])


@instruction(
    "count:conjunctions",
    SmallNParams,
    examples=[
        Example("Tired but happy, we ate and slept, for it was late.", {"small_n": 3}, True),
        Example("We ate and slept and rested.", {"small_n": 2}, False),
        Example("Cold, so we stayed in or read.", {"small_n": 2}, True),
        Example("Nothing joins these words.", {"small_n": 1}, False),
    ],
)
def conjunctions(response: str, params: SmallNParams, context: Context) -> Verdict:
    """At least small_n different coordinating conjunctions (and, but, for, nor, or, so, yet).

    As in IFBench, a whitespace-separated token is a conjunction if it is one once ASCII
    punctuation is stripped and it is lowercased, but different spellings of the same
    conjunction (`and`, `And`, `and,`) count as different conjunctions.
    """
    found = {token for token in response.split() if token.strip(STRIP).lower() in _CONJUNCTIONS}
    shown = ", ".join(quote(token, 20) for token in sorted(found)[:8])
    return Verdict(
        passed=len(found) >= params.small_n,
        reason=f"{plural(len(found), 'different conjunction')}"
        + (f" ({shown})" if found else "")
        + f"; at least {params.small_n} required",
    )


PERSON_NAMES = (
    "Emma Liam Sophia Jackson Olivia Noah Ava Lucas Isabella Mason Mia Ethan Charlotte Alexander "
    "Amelia Benjamin Harper Leo Zoe Daniel Chloe Samuel Lily Matthew Grace Owen Abigail Gabriel "
    "Ella Jacob Scarlett Nathan Victoria Elijah Layla Nicholas Audrey David Hannah Christopher "
    "Penelope Thomas Nora Andrew Aria Joseph Claire Ryan Stella Jonathan"
).split()
"""The 50 names IFBench's prompt lists; only these count."""
_WHOLE_NAME = re.compile(rf"\b(?:{'|'.join(PERSON_NAMES)})\b")
"""Any of them as a whole word: one pass over the text finds what IFBench's 50 `\bname\b` searches
find (the names are single words, so no two whole-word matches overlap)."""


@revised(
    "count:person_names",
    AtLeastNParams,
    examples=[
        Example("Emma met Liam and Noah.", {"N": 3}, True),
        Example("Emma met Bob.", {"N": 2}, False),
        Example("Emma 和 Liam 是朋友。", {"N": 2}, True),
        Example("小明和小红是朋友。", {"N": 1}, False),
    ],
)
def person_names(response: str, params: AtLeastNParams, context: Context, revision: Revision) -> Verdict:
    """At least N different names from IFBench's list of 50 (Emma, Liam, Sophia, ...) appear.

    A name counts in its exact spelling (`emma` does not count). At HEAD it must be a whole
    word (regex `\\b`); at c94da02 it counts inside a longer word too (`Emma` in `Emmanuel`).
    """
    if revision is Revision.HEAD:
        present = set(_WHOLE_NAME.findall(response))
        found = [name for name in PERSON_NAMES if name in present]
    else:
        found = [name for name in PERSON_NAMES if name in response]
    shown = ", ".join(found[:8]) + (", ..." if len(found) > 8 else "")
    return Verdict(
        passed=len(found) >= params.N,
        reason=f"{plural(len(found), 'listed name')}" + (f" ({shown})" if found else "")
        + f"; at least {params.N} required",
    )


class ExactNParams(Params):
    N: int = Field(ge=0)
    """The exact count required."""


_DIGITS = re.compile(r"\d+")


@instruction(
    "count:numbers",
    ExactNParams,
    examples=[
        Example("We saw 3 owls and 12 bats, 1.5 hours in.", {"N": 3}, True),
        Example("We saw 3 owls and 12 bats.", {"N": 3}, False),
        Example("第1章有25页。", {"N": 2}, True),
        Example("第一章有二十五页。", {"N": 2}, False),
    ],
)
def numbers(response: str, params: ExactNParams, context: Context) -> Verdict:
    """Exactly N numbers: runs of digits once ASCII punctuation is removed.

    As in IFBench, punctuation is removed first, so `1.5` and `1,000` are one number each
    and `3-4` is one number (`34`).
    """
    count = sum(1 for _ in _DIGITS.finditer(drop_punctuation(response)))
    return Verdict(passed=count == params.N, reason=f"{plural(count, 'number')}; exactly {params.N} required")


_MARKS = (".", ",", "!", "?", ";", ":")


@instruction(
    "count:punctuation",
    NoParams,
    examples=[
        Example("Wait, what?! Yes: it works; really. Wow! Sure?", {}, True),
        Example("Wait, what? Yes: it works; really. Wow!", {}, False),
        Example("Really‽ Yes, it works; see: fine. Wow! Sure?", {}, True),
        Example("Wait?! No punctuation else", {}, False),
    ],
)
def punctuation(response: str, params: NoParams, context: Context) -> Verdict:
    """An interrobang (`?!`, `!?` or `‽`) and, besides it, each of `. , ! ? ; :` at least once.

    As in IFBench, one `?!` (or else one `!?`) is taken out before the six marks are looked
    for, so it cannot stand for the `?` and `!` as well.
    """
    if not ("?!" in response or "!?" in response or "\u203d" in response):
        return Verdict(passed=False, reason="no interrobang (?!, !? or ‽); one required besides . , ! ? ; :")
    rest = response.replace("?!", "", 1)
    if len(rest) == len(response):
        rest = response.replace("!?", "", 1)
    missing = [mark for mark in _MARKS if mark not in rest]
    if missing:
        return Verdict(
            passed=False,
            reason=f"interrobang found, but no {' '.join(missing)} besides it; each of . , ! ? ; : required",
        )
    return Verdict(passed=True, reason="interrobang and each of . , ! ? ; : found")


_PERSONAL_PRONOUNS = frozenset(
    "i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves".split()
)
_PRONOUNS = {
    Revision.PUBLISHED: _PERSONAL_PRONOUNS,
    # HEAD adds demonstrative, interrogative, relative and indefinite pronouns
    Revision.HEAD: _PERSONAL_PRONOUNS | frozenset(
        "this that these those who whom whose which what whoever whomever whatever whichever "
        "anybody anyone anything everybody everyone everything nobody nothing somebody someone "
        "something each either neither both all some any none".split()
    ),
}


@revised(
    "count:pronouns",
    AtLeastNParams,
    examples=[
        Example("I told her that they saw us.", {"N": 4}, True),
        Example("The cat saw the dog.", {"N": 1}, False),
        Example("Pronouns: she/her/hers.", {"N": 3}, True),
        Example("I think so.", {"N": 2}, False),
    ],
)
@scored
def pronouns(response: str, params: AtLeastNParams, context: Context, revision: Revision) -> Verdict:
    """At least N English pronouns, counted with repeats, in the lowercased text with `/` read as a space.

    At HEAD the words are NLTK `word_tokenize` tokens (`it's` is `it` and `'s`) and the
    pronouns are 63: personal (I, me, my, ..., themselves), demonstrative (this, that, ...),
    interrogative and relative (who, which, whatever, ...) and indefinite (anyone, each,
    all, none, ...). At c94da02 the words are whitespace-separated once ASCII punctuation is
    removed (`it's` becomes `its`, a pronoun) and only the 31 personal pronouns count.
    """
    text = response.replace("/", " ").lower()
    if revision is Revision.HEAD:
        words = word_tokenize(text)
    else:
        words = drop_punctuation(text).split()
    count = sum(1 for word in words if word in _PRONOUNS[revision])
    return Verdict(passed=count >= params.N, reason=f"{plural(count, 'pronoun')}; at least {params.N} required")


class KeywordsMultipleParams(Params):
    keyword1: NonBlankStr
    """Must appear exactly once."""
    keyword2: NonBlankStr
    """Must appear exactly twice."""
    keyword3: NonBlankStr
    """Must appear exactly 3 times."""
    keyword4: NonBlankStr
    """Must appear exactly 5 times."""
    keyword5: NonBlankStr
    """Must appear exactly 7 times."""


_TIMES = {"keyword1": 1, "keyword2": 2, "keyword3": 3, "keyword4": 5, "keyword5": 7}


@instruction(
    "count:keywords_multiple",
    KeywordsMultipleParams,
    examples=[
        Example("a b b c c c d d d d d e e e e e e e",
                {"keyword1": "a", "keyword2": "b", "keyword3": "c", "keyword4": "d", "keyword5": "e"}, True),
        Example("a b c d e",
                {"keyword1": "a", "keyword2": "b", "keyword3": "c", "keyword4": "d", "keyword5": "e"}, False),
        Example("甲乙乙丙丙丙丁丁丁丁丁戊戊戊戊戊戊戊",
                {"keyword1": "甲", "keyword2": "乙", "keyword3": "丙", "keyword4": "丁", "keyword5": "戊"}, True),
        Example("甲甲乙乙丙丙丙丁丁丁丁丁戊戊戊戊戊戊戊",
                {"keyword1": "甲", "keyword2": "乙", "keyword3": "丙", "keyword4": "丁", "keyword5": "戊"}, False),
    ],
)
def keywords_multiple(response: str, params: KeywordsMultipleParams, context: Context) -> Verdict:
    """keyword1 occurs exactly once, keyword2 twice, keyword3 3 times, keyword4 5 times, keyword5 7 times.

    As in IFBench, occurrences are counted case-insensitively as substrings (`cat` in
    `concatenate`), without overlaps, with surrounding spaces of each keyword ignored.
    """
    text = response.lower()
    for name, times in _TIMES.items():
        keyword = getattr(params, name).strip()
        count = text.count(keyword.lower())
        if count != times:
            return Verdict(
                passed=False,
                reason=f"{quote(keyword)} appears {plural(count, 'time')}; exactly {times} required",
            )
    return Verdict(passed=True, reason="each keyword appears exactly 1, 2, 3, 5 and 7 times")


class EveryNthParams(Params):
    N: int = Field(ge=1)
    """Every N-th whitespace-separated word must be Japanese."""


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@instruction(
    "count:words_japanese",
    EveryNthParams,
    examples=[
        Example("one 二 three 四 five", {"N": 2}, True),
        Example("one two three four", {"N": 2}, False),
        Example("我们 学习 日本語 です", {"N": 1}, True),
        Example("我们 study 日本語 hard", {"N": 2}, False),
    ],
)
def words_japanese(response: str, params: EveryNthParams, context: Context) -> Verdict:
    """Every N-th whitespace-separated word contains a kana or CJK ideograph (U+3040–U+30FF, U+4E00–U+9FFF).

    As in IFBench, the ends of each word are stripped of ASCII punctuation, and a word that
    is then empty or all digits is not checked. Chinese characters count as Japanese.
    """
    checked = 0
    for index, token in enumerate(response.split(), 1):
        word = token.strip(STRIP)
        if index % params.N or not word or word.isdigit():
            continue
        checked += 1
        if not _JAPANESE.search(word):
            return Verdict(
                passed=False,
                reason=f"word {index} ({quote(word, 30)}) has no Japanese character; "
                f"every word at a multiple of {params.N} required to be Japanese",
            )
    return Verdict(
        passed=True,
        reason=f"every word at a multiple of {params.N} is Japanese ({plural(checked, 'word')} checked)",
    )
