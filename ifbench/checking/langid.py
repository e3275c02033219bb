"""Deterministic language identification (langdetect with a fixed seed, no global state).

langdetect-rs is langdetect 1.0.9 with a Rust core: the same probabilities bit for bit
(tests/test_langid.py compares them on the conformance replies), about 40x faster per text
and 15x faster to load its profiles.
"""

from __future__ import annotations

from functools import lru_cache

from langdetect_rs import PROFILES_DIRECTORY, DetectorFactory, LangDetectException

# langdetect reads at most 10,000 characters after removing URLs and e-mail addresses;
# cutting far above that keeps its regexes linear on huge inputs without changing answers.
_MAX_INPUT = 100_000


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory


@lru_cache(maxsize=256)
def detect_language(text: str) -> str | None:
    """langdetect's code for `text` (`en`, `zh-cn`, ...), or None when it finds no features.

    Cached: strict and loose scoring and several
    checkers of one task ask about the same texts.
    """
    detector = _factory().create()
    detector.append(text[:_MAX_INPUT])
    try:
        return detector.detect()
    except LangDetectException:
        return None


def profile_languages() -> list[str]:
    """The codes langdetect has a profile for (`en`, `zh-cn`, `zh-tw`, ...)."""
    return list(_factory().get_lang_list())


@lru_cache(maxsize=256)
def language_probabilities(text: str) -> tuple[tuple[str, float], ...]:
    """langdetect's candidates for `text` with their probabilities, likeliest first (codes as
    `base_language` gives them); empty when it finds no features."""
    detector = _factory().create()
    detector.append(text[:_MAX_INPUT])
    try:
        found = detector.get_probabilities()
    except LangDetectException:
        return ()
    merged: dict[str, float] = {}
    for language in found:
        code = base_language(language.lang)
        merged[code] = merged.get(code, 0.0) + language.prob
    return tuple(sorted(merged.items(), key=lambda item: (-item[1], item[0])))


def clear_caches() -> None:
    """Forget every text seen (for benchmarks that measure the work, not the memo)."""
    detect_language.cache_clear()
    language_probabilities.cache_clear()


def base_language(code: str) -> str:
    """`zh` for `zh-cn` / `zh-tw`; other codes unchanged."""
    return code.split("-", 1)[0].lower()
