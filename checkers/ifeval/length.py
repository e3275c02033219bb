"""IFEval's length_constraints checkers: words, sentences, `***` paragraphs, nth paragraph's first word."""

from __future__ import annotations

import re

from ifbench.checkers.ifeval._common import (
    Relation,
    judge,
    punkt_refusal,
    punkt_timeout,
    quote,
)
from pydantic import Field, model_validator

from ifbench.checking import punkt
from ifbench.checking.base import Context, Example, Params, Verdict, plural
from ifbench.checking.registry import checker

_WORD = re.compile(r"\w+")  # IFEval's RegexpTokenizer(r"\w+"), with re's Unicode \w


class NumberWordsParams(Params):
    num_words: int = Field(ge=0)
    """The threshold on the number of words."""
    relation: Relation
    """'less than' (strictly fewer words) or 'at least' (that many or more)."""


@checker(
    "ifeval:length_constraints:number_words",
    NumberWordsParams,
    examples=[
        Example("Relativity links space and time.", {"num_words": 5, "relation": "at least"}, True),
        Example("Relativity links space and time.", {"num_words": 5, "relation": "less than"}, False),
        Example("相对论 links 时空", {"num_words": 4, "relation": "less than"}, True),
        Example("相对论把时间和空间联系在一起。", {"num_words": 2, "relation": "at least"}, False),
    ],
)
def number_words(response: str, params: NumberWordsParams, context: Context) -> Verdict:
    """The number of words (runs of \\w characters, as IFEval counts them) is 'less than' or 'at least' num_words.

    A run of letters and digits is one word, so a Chinese sentence without spaces counts as
    one word, as it does in IFEval.
    """
    count = len(_WORD.findall(response))
    return judge(count, "word", params.relation, params.num_words)


class NumberSentencesParams(Params):
    num_sentences: int = Field(ge=0)
    """The threshold on the number of sentences."""
    relation: Relation
    """'less than' (strictly fewer sentences) or 'at least' (that many or more)."""


@checker(
    "ifeval:length_constraints:number_sentences",
    NumberSentencesParams,
    examples=[
        Example("Dr. Smith left. He was tired.", {"num_sentences": 3, "relation": "less than"}, True),
        Example("It rained. It poured. It stopped.", {"num_sentences": 3, "relation": "less than"}, False),
        Example("第一句. 第二句! 第三句?", {"num_sentences": 3, "relation": "at least"}, True),
        Example("今天下雨。明天晴天。", {"num_sentences": 2, "relation": "at least"}, False),
    ],
)
def number_sentences(response: str, params: NumberSentencesParams, context: Context) -> Verdict:
    """The number of sentences found by NLTK's English Punkt model is 'less than' or 'at least' num_sentences.

    Punkt ends sentences only at `.`, `?` and `!` followed by a space, so Chinese `。` does
    not end one, as in IFEval.
    """
    refusal = punkt_refusal(response)
    if refusal is not None:
        return refusal
    try:
        count = len(punkt.sentences(response))
    except TimeoutError as error:
        return punkt_timeout(error)
    return judge(count, "sentence", params.relation, params.num_sentences)


class NumberParagraphsParams(Params):
    num_paragraphs: int = Field(ge=0)
    """The exact number of paragraphs, separated by the markdown divider `***`."""


_DIVIDER = re.compile(r"\s?\*\*\*\s?")


@checker(
    "ifeval:length_constraints:number_paragraphs",
    NumberParagraphsParams,
    examples=[
        Example("First part.\n***\nSecond part.", {"num_paragraphs": 2}, True),
        Example("First part.\n\nSecond part.", {"num_paragraphs": 2}, False),
        Example("第一段。\n***\n第二段。\n***\n第三段。", {"num_paragraphs": 3}, True),
        Example("第一段。\n***\n***\n第二段。", {"num_paragraphs": 2}, False),
    ],
)
def number_paragraphs(response: str, params: NumberParagraphsParams, context: Context) -> Verdict:
    """There are exactly num_paragraphs paragraphs separated by `***` dividers, none of them empty.

    An empty piece before the first or after the last divider is ignored; an empty piece
    between two dividers fails, as in IFEval.
    """
    pieces = _DIVIDER.split(response)
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if not piece.strip() and 0 < index < last:
            return Verdict(
                passed=False,
                reason=f"paragraph {index + 1} between two *** dividers is empty; "
                f"exactly {params.num_paragraphs} non-empty paragraphs required",
            )
    count = sum(1 for piece in pieces if piece.strip())
    return Verdict(
        passed=count == params.num_paragraphs,
        reason=f"{plural(count, 'paragraph')} separated by ***; exactly {params.num_paragraphs} required",
    )


class NthParagraphParams(Params):
    num_paragraphs: int = Field(ge=1)
    """The exact number of paragraphs, separated by blank lines (`\\n\\n`)."""
    nth_paragraph: int = Field(ge=1)
    """Which paragraph (counting from 1) must start with `first_word`."""
    first_word: str
    """The word that paragraph must start with (case-insensitive)."""

    @model_validator(mode="after")
    def _nth_within_count(self) -> NthParagraphParams:
        if self.nth_paragraph > self.num_paragraphs:
            raise ValueError(
                f"'nth_paragraph' ({self.nth_paragraph}) is greater than "
                f"'num_paragraphs' ({self.num_paragraphs})"
            )
        return self


_WORD_START = re.compile(r"[^.,?!'\"]*")


def _first_word(paragraph: str) -> str:
    """IFEval's normalisation: first token, leading quotes dropped, cut at punctuation, lowercased."""
    word = paragraph.split(None, 1)[0].lstrip("'").lstrip('"')
    kept = _WORD_START.match(word).group()  # type: ignore[union-attr]
    # IFEval lowercases character by character; str.lower differs from that only by
    # turning a word-final capital sigma into final sigma, so map that one first.
    return kept.replace("\u03a3", "\u03c3").lower()


@checker(
    "ifeval:length_constraints:nth_paragraph_first_word",
    NthParagraphParams,
    examples=[
        Example("Intro.\n\nSummary, all good.", {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "summary"}, True),
        Example("Intro.\n\nIn short, all good.", {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "summary"}, False),
        Example("开头。\n\n总结 全部完成。", {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "总结"}, True),
        Example("开头。\n\n总结全部完成。", {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "总结"}, False),
    ],
)
def nth_paragraph_first_word(response: str, params: NthParagraphParams, context: Context) -> Verdict:
    """There are exactly num_paragraphs paragraphs (split on `\\n\\n`) and paragraph nth_paragraph starts with first_word.

    The first word is the paragraph's first whitespace-separated token, with leading quotes
    removed and cut at the first `. , ? ! ' "`, compared case-insensitively. As in IFEval,
    blank pieces do not count as paragraphs, but `nth_paragraph` indexes the pieces as split.
    """
    pieces = response.split("\n\n")
    count = sum(1 for piece in pieces if piece.strip())
    required = params.first_word.lower()
    count_reason = f"{plural(count, 'paragraph')}; exactly {params.num_paragraphs} required"
    nth = params.nth_paragraph
    paragraph = pieces[nth - 1].strip() if nth <= count else ""
    if not paragraph:
        problem = "does not exist" if nth > count else "is blank"
        return Verdict(passed=False, reason=f"{count_reason}; paragraph {nth} {problem}")
    word = _first_word(paragraph)
    word_ok = word == required
    word_reason = f"paragraph {nth} starts with {quote(word)}" + (
        "" if word_ok else f"; {quote(required)} required"
    )
    return Verdict(passed=word_ok and count == params.num_paragraphs, reason=f"{count_reason}; {word_reason}")
