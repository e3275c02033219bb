"""Helpers shared by the `ifbench:` checkers: IFBench's tokenisation, word lists, emoji, syllables, POS.

IFBench (AllenAI, arXiv:2507.02833) scores with NLTK (Punkt sentences, `word_tokenize`,
the English stopword list, the averaged perceptron POS tagger), `emoji` and `syllapy`.
Here Punkt and `word_tokenize` come from `ifbench.punkt` (offline), the stopwords from
`data/nltk_english_stopwords.txt`, and the POS model from the `textblob-aptagger` package
(see `first_tag`); nothing is downloaded.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import importlib.util
import io
import pickle
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ifbench import punkt
from ifbench.checker import Context, P, Verdict
from ifbench.checkers._ifeval_common import quote

__all__ = [
    "STRIP", "Unscorable", "count_words", "drop_punctuation", "first_tag", "is_emoji",
    "quote", "scored", "sentences", "stopwords", "syllables", "word_tokenize",
]

STRIP = string.punctuation + " "
"""What IFBench strips from the ends of a word: ASCII punctuation and spaces."""

_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)
_WORD = re.compile(r"\w+")  # NLTK's RegexpTokenizer(r"\w+"), as IFBench counts words


def drop_punctuation(text: str) -> str:
    """`text` without any ASCII punctuation character (IFBench's `translate` step)."""
    return text.translate(_NO_PUNCTUATION)


def count_words(text: str) -> int:
    """Runs of `\\w` characters (so a Chinese sentence without spaces is one word)."""
    return sum(1 for _ in _WORD.finditer(text))


class Unscorable(Exception):
    """This text cannot be scored as IFBench would; the message says why (it becomes the reason)."""


def scored(function: Callable[[str, P, Context], Verdict]) -> Callable[[str, P, Context], Verdict]:
    """Turn an `Unscorable` raised by a checker into a failing verdict with its message."""

    @functools.wraps(function)
    def run(response: str, params: P, context: Context) -> Verdict:
        try:
            return function(response, params, context)
        except Unscorable as error:
            return Verdict(passed=False, reason=str(error))

    return run


def _punkt_guard(text: str) -> None:
    if len(text) > punkt.MAX_CHARS:
        raise Unscorable(
            f"the text has {len(text):,} characters; NLTK's Punkt tokenizer, which IFBench "
            f"uses here, is run on at most {punkt.MAX_CHARS:,}"
        )


def sentences(text: str) -> list[str]:
    """`nltk.sent_tokenize(text)` (English Punkt), IFBench's `split_into_sentences`."""
    _punkt_guard(text)
    try:
        return punkt.sentences(text)
    except TimeoutError as error:
        raise Unscorable(f"NLTK's Punkt tokenizer timed out on this text: {str(error)[:80]}") from None


def word_tokenize(text: str) -> list[str]:
    """`nltk.word_tokenize(text)` (English)."""
    _punkt_guard(text)
    try:
        return punkt.word_tokenize(text)
    except TimeoutError as error:
        raise Unscorable(f"NLTK's word tokenizer timed out on this text: {str(error)[:80]}") from None


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """NLTK's English stopword list (198 words), shipped as package data."""
    text = importlib.resources.files("ifbench.checkers").joinpath("data/nltk_english_stopwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _needs(package: str, pin: str) -> Unscorable:
    return Unscorable(f"this check needs the '{package}' package, as IFBench does: pip install {pin}")


def is_emoji(char: str) -> bool:
    """`emoji.is_emoji(char)`: a single emoji recommended for general interchange."""
    try:
        import emoji
    except ImportError:
        raise _needs("emoji", "emoji==2.16.0") from None
    return bool(emoji.is_emoji(char))


def syllables(word: str) -> int:
    """`syllapy.count(word)`: its word list, else its vowel-group rule."""
    try:
        import syllapy
    except ImportError:
        raise _needs("syllapy", "syllapy==0.8.0") from None
    return int(syllapy.count(word))


# The POS model: Matthew Honnibal's averaged perceptron trained on the WSJ, as shipped by
# textblob-aptagger 0.2.0 (MIT). NLTK's `pos_tag` runs the same algorithm with the same
# features (NLTK's `PerceptronTagger` is a port of it), but its English weights were
# trained again later and are only distributed as an nltk_data download; the two models
# agree on most words, not all (in "The quick brown fox jumps over the lazy dog." NLTK
# tags "jumps" VBZ, this model NNS).
POS_MODEL_FILE = "trontagger-0.1.0.pickle"
POS_MODEL_SHA256 = "1109164b3d28dce58f96b763128bab2fd8754c3921fd3330de2724ac6d1ada7c"


class _PlainData(pickle.Unpickler):
    """The model file holds only dicts, lists, strings, floats and one set: refuse anything else."""

    def find_class(self, module: str, name: str) -> Any:
        if module in ("__builtin__", "builtins") and name == "set":
            return set
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in {POS_MODEL_FILE}")


@functools.lru_cache(maxsize=1)
def _tagger() -> Any:
    spec = importlib.util.find_spec("textblob_aptagger")  # locates it without importing it
    if spec is None or not spec.submodule_search_locations:
        raise _needs("textblob-aptagger", "textblob-aptagger==0.2.0")
    data = (Path(next(iter(spec.submodule_search_locations))) / POS_MODEL_FILE).read_bytes()
    if hashlib.sha256(data).hexdigest() != POS_MODEL_SHA256:
        raise Unscorable(f"{POS_MODEL_FILE} of textblob-aptagger is not the expected file (SHA-256 differs)")
    from nltk.tag.perceptron import PerceptronTagger

    weights, tagdict, classes = _PlainData(io.BytesIO(data), encoding="latin1").load()
    tagger = PerceptronTagger(load=False)
    tagger.model.weights = weights
    tagger.tagdict = tagdict
    tagger.classes = tagger.model.classes = set(classes)
    return tagger


def first_tag(tokens: list[str]) -> str:
    """The Penn Treebank tag `nltk.pos_tag(tokens)` gives the first token ('' for no tokens).

    The perceptron sees two tokens to the right and the tags to the left, so the first
    three tokens decide the first tag.
    """
    if not tokens:
        return ""
    return str(_tagger().tag(tokens[:3])[0][1])
