"""Response language: the language the response is written in, detected deterministically."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache

import regex
from langdetect.detector_factory import PROFILES_DIRECTORY
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
from ifbench.checking.langid import base_language, detect_language
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


@cache
def supported_languages() -> tuple[str, ...]:
    """The ISO 639-1 codes langdetect has a profile for (`zh-cn`/`zh-tw` as `zh`)."""
    return tuple(sorted({base_language(name) for name in os.listdir(PROFILES_DIRECTORY)}))


class LanguageParams(Params):
    lang: str
    """ISO 639-1 code of the required language, e.g. `en`, `zh` (Simplified and Traditional Chinese)."""

    @field_validator("lang")
    @classmethod
    def _supported(cls, lang: str) -> str:
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
    Chinese; otherwise langdetect decides on the text with the CJK characters removed.
    """
    cjk = len(text) - len(_CJK_RUN.sub("", text))
    other = sum(1 for word in WORD.finditer(text) if _OTHER_WORD.match(word.group()))
    if cjk == 0 and other == 0:
        return None, ""
    mixed = f" ({plural(cjk, 'CJK character')}, {plural(other, 'other word')})" if cjk and other else ""
    if cjk >= other:
        kana = len(text) - len(_KANA.sub("", text))
        return ("ja" if kana * 10 >= cjk else "zh"), mixed
    code = detect_language(_CJK_RUN.sub(" ", text))
    return (base_language(code) if code else None), mixed


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
