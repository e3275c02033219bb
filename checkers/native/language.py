"""Response language: the language the response is written in, detected deterministically."""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from functools import cache
from itertools import islice

import regex
from pydantic import field_validator

from ifbench.checking.base import (
    Context,
    Demands,
    Example,
    LintHints,
    Params,
    Verdict,
    plural,
)
from ifbench.checking.langid import base_language, language_probabilities, profile_languages
from ifbench.checking.registry import checker
from ifbench.checking.text import CJK_CHAR, WORD, fold, normalize

# The language of a response shows in its first pages; langdetect itself reads 10,000 characters.
MAX_CHARS = 100_000

_FENCE = regex.compile(r"^ {0,3}(?:```|~~~)")
_INLINE_CODE = regex.compile(r"`[^`\n]+`")
# Anchored at the start of a run (lookbehind), so a long run without `@` is scanned once.
_URL_OR_EMAIL = regex.compile(r"\b(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CJK_RUN = regex.compile(rf"(?:{CJK_CHAR.pattern})+", regex.V1)
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}\u30fc]+")
# A word that is evidence of a non-CJK language: it has a letter (digits are not).
_OTHER_WORD = regex.compile(rf"(?!{CJK_CHAR.pattern})[\p{{N}}\p{{M}}]*\p{{L}}", regex.V1)
# The pieces function words are looked up as: `c'est` is `c` and `est`, `don't` is `don` and `t`.
_LETTERS = regex.compile(r"\p{L}[\p{L}\p{M}]*")
# Up to this many words, a text is short: the words themselves are evidence beside langdetect's
# character n-grams, which a handful of words leaves to chance ("Hello, how are you today?"
# comes out Somali, "I love you." Czech). Past it, langdetect alone decides.
SHORT_TEXT_WORDS = 30
# How many of the function words (and letters) found a reason quotes.
_QUOTED_WORDS = 4


@cache
def supported_languages() -> tuple[str, ...]:
    """The ISO 639-1 codes langdetect has a profile for (`zh-cn`/`zh-tw` as `zh`)."""
    return tuple(sorted({base_language(name) for name in profile_languages()}))


@cache
def _function_words() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """From data/function_words.tsv: each frequent function word -> the languages it belongs
    to, and each character that only a few languages write (`ñ`, `ß`, `¿`) -> those languages."""
    table = importlib.resources.files("ifbench.checkers").joinpath("data/function_words.tsv")
    words: dict[str, list[str]] = {}
    chars: dict[str, list[str]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, entries = line.split("\t")
            kind, code = (chars, code.removeprefix("chars:")) if code.startswith("chars:") else (words, code)
            for entry in set(entries.split()):
                kind.setdefault(entry, []).append(code)
    return ({word: tuple(sorted(codes)) for word, codes in words.items()},
            {char: tuple(sorted(codes)) for char, codes in chars.items()})


def _detect(text: str) -> tuple[str | None, str]:
    """The base language code of `text` (no CJK in it) and the confidence, as a note.

    langdetect's probabilities decide. A short text's function words add to them: each word
    that is a frequent function word of k languages adds 1/k to each, so a word of one
    language (`you`, `est`) outweighs langdetect's whole doubt, while `de`, which six languages
    share, barely counts; so does each distinct character that only some languages write
    (`ñ`, `¿`). The confidence is the winner's share of all the scores.
    """
    scores = dict(language_probabilities(text))
    folded = text.casefold()
    pieces = [match.group() for match in islice(_LETTERS.finditer(folded), SHORT_TEXT_WORDS + 1)]
    evidence: dict[str, list[str]] = {}
    if len(pieces) <= SHORT_TEXT_WORDS:
        words, chars = _function_words()
        found = [(piece, words[piece]) for piece in pieces if piece in words]
        found += [(char, chars[char]) for char in sorted(set(folded) & chars.keys())]  # each once
        for piece, codes in found:
            for code in codes:
                scores[code] = scores.get(code, 0.0) + 1 / len(codes)
                evidence.setdefault(code, []).append(piece)
    if not scores:
        return None, ""
    code, score = max(scores.items(), key=lambda item: (item[1], item[0]))
    confidence = f"confidence {score / sum(scores.values()):.2f}"
    quoted = list(dict.fromkeys(evidence.get(code, ())))
    if quoted:
        confidence += "; evidence: " + ", ".join(quoted[:_QUOTED_WORDS]) + (", …" if len(quoted) > _QUOTED_WORDS else "")
    return code, confidence


class LanguageParams(Params):
    lang: str
    """ISO 639-1 code of the required language, e.g. `en`, `zh` (Simplified and Traditional
    Chinese; `zh-cn` and `zh-tw` are taken as `zh`)."""

    @field_validator("lang")
    @classmethod
    def _supported(cls, lang: str) -> str:
        if lang.strip().lower() in ("zh-cn", "zh-tw"):
            return "zh"
        if lang not in supported_languages():
            hint = ""
            if base_language(lang.strip()) in supported_languages():
                hint = f" (did you mean '{base_language(lang.strip())}'?)"
            raise ValueError(
                f"'{lang}' is not a supported ISO 639-1 code{hint}; "
                f"supported: {', '.join(supported_languages())}"
            )
        return lang


def _prose(text: str) -> str:
    """`text` without fenced code blocks, inline code, URLs and e-mail addresses."""
    kept, in_fence = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            kept.append(line)
    return _URL_OR_EMAIL.sub(" ", _INLINE_CODE.sub(" ", "\n".join(kept)))


def identify(text: str) -> tuple[str | None, str]:
    """The base language code of `text` (or None) and a note on how it was decided.

    langdetect alone misreads Chinese that mentions English terms (`Python是一种编程语言`
    comes out as Vietnamese) and short Chinese as Korean, so the script decides first. By
    the word convention (each CJK character is a word), when CJK words are at least as
    many as the other words the text is Japanese if a tenth of them are kana, else
    Chinese; otherwise `_detect` decides on the text with the CJK characters removed.
    """
    cjk = len(text) - len(_CJK_RUN.sub("", text))
    other = sum(1 for word in WORD.finditer(text) if _OTHER_WORD.match(word.group()))
    if cjk == 0 and other == 0:
        return None, ""
    mixed = f"{plural(cjk, 'CJK character')}, {plural(other, 'other word')}"
    if cjk >= other:
        kana = len(text) - len(_KANA.sub("", text))
        return ("ja" if kana * 10 >= cjk else "zh"), f" (by script: {mixed})" if other else " (by script)"
    code, confidence = _detect(_CJK_RUN.sub(" ", text))
    return code, f" ({confidence}; {mixed})" if cjk else f" ({confidence})" if code else ""


# How a prompt names a response language (for the `unrequested` lint rule).
LANGUAGE_NAMES = {
    "en": ("english", "英文", "英语"), "zh": ("chinese", "mandarin", "中文", "汉语", "普通话", "现代汉语"),
    "fr": ("french", "法语", "法文"), "de": ("german", "德语", "德文"), "es": ("spanish", "西班牙语"),
    "ja": ("japanese", "日语", "日文"), "ko": ("korean", "韩语", "韩文"), "ru": ("russian", "俄语"),
    "it": ("italian", "意大利语"), "pt": ("portuguese", "葡萄牙语"), "ar": ("arabic", "阿拉伯语"),
}


def _requested_language(params: LanguageParams, prompt: str) -> Iterator[str]:
    folded = fold(prompt)
    if not any(name in folded for name in LANGUAGE_NAMES.get(params.lang, ())):
        yield f"the prompt never names the language {params.lang!r}"


@checker(
    "language.response",
    LanguageParams,
    examples=[
        Example("The theory of relativity links space and time.", {"lang": "en"}, True),
        Example("La théorie de la relativité relie l'espace et le temps.", {"lang": "en"}, False),
        Example("相对论把时间和空间联系在一起，用Python也能模拟。", {"lang": "zh"}, True),
        Example("相对论把时间和空间联系在一起。", {"lang": "en"}, False),
    ],
    lint=LintHints(demands=lambda params: Demands(language=params.lang), requested=_requested_language),
)
def language_response(response: str, params: LanguageParams, context: Context) -> Verdict:
    """The detected language of the response (code and URLs ignored) is `lang`."""
    text = normalize(response[:MAX_CHARS])
    cut = f" in the first {MAX_CHARS:,} characters" if len(response) > MAX_CHARS else ""
    prose = _prose(text)
    code, how = identify(prose)
    if code is None and prose.strip() != text.strip():
        code, how = identify(text)  # only code: its comments and names are all there is
    if code is None:
        return Verdict(passed=False, reason=f"no language could be detected{cut}; '{params.lang}' required")
    if code == params.lang:
        return Verdict(passed=True, reason=f"detected '{code}'{how}{cut}")
    return Verdict(passed=False, reason=f"detected '{code}'{how}{cut}; '{params.lang}' required")
