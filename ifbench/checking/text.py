"""Counting conventions shared by every native checker (words, sentences, paragraphs, keywords).

- word: each CJK ideograph, hiragana or katakana character is one word (as Chinese readers
  count 字); elsewhere a word is a maximal run of letters, digits and combining marks that
  starts with a letter or digit, and an apostrophe or hyphen between two letters joins
  (`don't`, `state-of-the-art`). Emoji are not words, with their variation selectors,
  keycaps (`1️⃣`), skin tones, ZWJ sequences and flags: `I ❤️ you` is 2 words.
- sentence: ends at `. ! ? 。 ！ ？ …` (not after common abbreviations, not inside numbers);
  half-width `! ? .` end one before a Chinese character too (`你好!我很好!` is 2);
  a non-empty line without such an ending (a heading, a list item) is one sentence too.
- paragraph: blocks separated by blank lines or by a `***` / `---` / `* * *` line.
- keyword: case-insensitive; whole-word in space-delimited scripts, substring for CJK.
- emphasis: markdown emphasis markers (`**`, `__`, `*`, `_`) are not text when phrases and
  keywords are matched (`**Hello**` starts with `Hello`, `**P.S.**` is a postscript marker);
  see `strip_emphasis`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

from ifbench.checking.markup import LIST_ITEM

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\u30fc"
# Emoji are not words. Their parts that Unicode files under letters, digits or marks are the
# variation selectors (U+FE0F in `❤️`), the keycap's U+20E3 (`1️⃣`) and a letter or digit that
# such a selector turns into an emoji (`ℹ️`, the `1` of `1️⃣`). Skin tones, ZWJ, flags' regional
# indicators and tag characters are symbols or format characters, never word characters.
_EMOJI_PART = r"\p{Variation_Selector}\u20e3"
_MARK = rf"(?![{_EMOJI_PART}])\p{{M}}"
_LETTER_OR_DIGIT = rf"(?![{_CJK}])[\p{{L}}\p{{N}}](?![{_EMOJI_PART}])"
_IN_WORD = rf"(?:{_LETTER_OR_DIGIT}|{_MARK})"
# The same as set operations (regex.V1), which `WORD` runs faster: a word starts with a
# letter or digit; a combining mark only continues one.
_V1_LETTER_OR_DIGIT = rf"[[\p{{L}}\p{{N}}]--[{_CJK}]](?![{_EMOJI_PART}])"
_V1_MARK = rf"[\p{{M}}--[{_EMOJI_PART}]]"
_RUN = rf"{_V1_LETTER_OR_DIGIT}(?:{_V1_LETTER_OR_DIGIT}|{_V1_MARK})*+"
_JOINER = r"['\u2019\-]"
_APOSTROPHE = regex.compile(r"['\u2019]")
# Keyword boundaries as `words()` sees them: "don" is not inside "don't", and a CJK
# neighbour is a boundary ("GDP" is a word in "GDP是国内生产总值").
_WORD_START = (
    rf"(?:(?<!{_IN_WORD})|(?<=[{_CJK}]))"
    rf"(?:(?<!\p{{L}}{_JOINER})|(?<=[{_CJK}]{_JOINER}))"
)
_WORD_END = (
    rf"(?:(?!{_IN_WORD})|(?=[{_CJK}]))"
    rf"(?:(?!{_JOINER}\p{{L}})|(?={_JOINER}[{_CJK}]))"
)
WORD = regex.compile(
    rf"[{_CJK}]|{_RUN}(?:(?<=\p{{L}}{_V1_MARK}*){_JOINER}(?=\p{{L}}){_RUN})*",
    regex.V1,
)
CJK_CHAR = regex.compile(rf"[{_CJK}]", regex.V1)
# `WORD` on ASCII-only text, where a letter is [A-Za-z], a digit [0-9] and there are no marks,
# CJK or emoji parts: the same words, found by the stdlib engine about 10x faster.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:(?<=[A-Za-z])['\-](?=[A-Za-z])[A-Za-z0-9]+)*")

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt vs etc e.g i.e cf al approx dept est fig inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec no vol pp ph.d u.s u.k a.m p.m".split()
)
# A terminator run, then closing quotes/brackets. `.`/`!`/`?`/`…` end a sentence when
# followed by whitespace or the end of the line (so 3.14, example.com and 0.999…，stay
# whole); half-width `!`/`?` and a single `.` also end one right before a CJK character
# (`你好!我很好!`, as Chinese text typed with half-width punctuation has it), but an ellipsis
# (`…`, `...`) there does not (`等一下…好的`). Full-width 。！？ end a sentence wherever they
# stand, and so does `…` before a closing quote.
_CLOSERS = "\"'\u201d\u2019)\\]"
_SENTENCE_END = regex.compile(
    rf"(?:[.!?…]+[{_CLOSERS}]*(?=\s|$)"
    rf"|(?:[!?][!?.]*|(?<![.…])\.(?![.…]))[{_CLOSERS}]*(?=[{_CJK}])"
    rf"|[。！？]+[…{_CLOSERS}）」』]*|…+[{_CLOSERS}）」』]+)"
)
# Searched backwards (`(?r)`) from the dot: a forward search tries every start in the window.
_TOKEN_BEFORE = regex.compile(rf"(?r)(?:(?![{_CJK}])[\p{{L}}.])+$")
_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")
# Possessive quantifiers: on a long `- - - … x` line, backtracking was quadratic.
_THEMATIC_BREAK_LINE = regex.compile(r"^[ \t]*+(?:(?:\*[ \t]*+){3,}+|(?:-[ \t]*+){3,}+)$")


def normalize(text: str) -> str:
    """NFC-normalised text, the form every native checker measures."""
    return unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """The words of `text`, by the conventions above."""
    return _word_pattern(text).findall(text)


def count_words(text: str) -> int:
    return sum(1 for _ in _word_pattern(text).finditer(text))


def _word_pattern(text: str) -> regex.Pattern[str] | re.Pattern[str]:
    return _ASCII_WORD if text.isascii() else WORD


def has_cjk(text: str) -> bool:
    return CJK_CHAR.search(text) is not None


def sentences(text: str) -> list[str]:
    """The sentences of `text`, each with its closing punctuation."""
    found: list[str] = []
    for line in text.splitlines():
        line = LIST_ITEM.sub("", line, count=1)  # "1." opens an item; it ends no sentence
        start = 0
        for end in _SENTENCE_END.finditer(line):
            # Abbreviations are short: the 40 characters before the dot decide.
            if end.group()[0] == "." and _is_abbreviation(line, end.start()):
                continue
            _keep(found, line[start : end.end()])
            start = end.end()
        _keep(found, line[start:])
    return found


def _is_abbreviation(line: str, dot: int) -> bool:
    token = _TOKEN_BEFORE.search(line, max(0, dot - 40), dot)
    return token is not None and token.group().lower() in ABBREVIATIONS


def _keep(found: list[str], segment: str) -> None:
    segment = segment.strip()
    if _HAS_WORD.search(segment):
        found.append(segment)


_BLANK_LINE = regex.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[str]:
    """Non-empty blocks separated by blank lines or thematic-break lines (`***`, `---`)."""
    lines = ["" if _THEMATIC_BREAK_LINE.match(line) else line for line in text.splitlines()]
    blocks = _BLANK_LINE.split("\n".join(lines))
    return [block.strip() for block in blocks if block.strip()]


# An emphasis delimiter: a run of up to three `*` or `_` that opens a span (a non-space follows)
# or closes one (a non-space precedes). `_` is only a delimiter at a word's edge, so `snake_case`
# keeps it; a `*` or `_` between spaces (`2 * 3`) or starting a bullet (`* item`) is no delimiter.
_EMPHASIS = regex.compile(
    r"\*{1,3}(?=\S)|(?<=\S)\*{1,3}"
    r"|(?<![\p{L}\p{N}_])_{1,3}(?=\S)|(?<=\S)(?<!_)_{1,3}(?![\p{L}\p{N}_])"
)


def strip_emphasis(text: str) -> str:
    """`text` without markdown emphasis markers, as phrases and keywords are matched in it:
    `**Hello**, *world*` -> `Hello, world`. Line breaks and every other character stay."""
    if "*" not in text and "_" not in text:
        return text
    return _EMPHASIS.sub("", text)


def count_keyword(text: str, keyword: str) -> int:
    """Occurrences of `keyword`: case-insensitive; whole words unless it contains CJK;
    emphasis markers ignored in both (`machine **learning**` holds `machine learning`)."""
    keyword = strip_emphasis(normalize(keyword.strip()))
    if not keyword:
        return 0
    text = strip_emphasis(text)
    if has_cjk(keyword):
        return text.casefold().count(keyword.casefold())
    # Straight and curly apostrophes are one: `don't` finds `don’t`.
    return len(_keyword_pattern(keyword).findall(text))


@lru_cache(maxsize=1024)
def _keyword_pattern(keyword: str) -> regex.Pattern[str]:
    body = _APOSTROPHE.pattern.join(regex.escape(part) for part in _APOSTROPHE.split(keyword))
    return regex.compile(rf"{_WORD_START}{body}{_WORD_END}", regex.IGNORECASE)


_UNPRINTABLE = regex.compile(r"[\p{Cc}\p{Cs}]")


def truncate(text: str, limit: int = 60) -> str:
    """`text` shortened for a verdict's reason: one line, printable (control characters and
    lone surrogates become U+FFFD, so a reason can always be printed and written)."""
    text = " ".join(text[: limit * 4].split())
    text = _UNPRINTABLE.sub("\ufffd", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fold(text: str) -> str:
    """`text` compared loosely: NFKC (full-width digits become ASCII) and casefolded."""
    return unicodedata.normalize("NFKC", text).casefold()
