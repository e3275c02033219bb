"""Helpers shared by the `ifbench` checkers (both revisions): IFBench's tokenisation, word lists, emoji, syllables, POS.

IFBench (AllenAI, arXiv:2507.02833) splits sentences with NLTK's Punkt at HEAD and with
IFEval's rule-based splitter (`split_sentences`) at c94da02 (see `sentences`), and scores
with NLTK (`word_tokenize`, the English stopword list, the averaged perceptron POS
tagger), `emoji` and `syllapy`. Here `word_tokenize` comes from
`ifbench.checking.punkt` (offline), the stopwords from `data/nltk_english_stopwords.txt`, and the
POS model from the `textblob-aptagger` package (see `first_tag`); nothing is downloaded.
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
from typing import Any, TypeVar, cast

from ifbench.checkers.ifbench._revision import Revision
from ifbench.checkers.ifeval._common import quote

from ifbench.checking import punkt
from ifbench.checking.base import Params, Verdict

__all__ = [
    "STRIP", "NoParams", "Unscorable", "count_word_runs", "drop_punctuation", "first_tag", "first_tokens",
    "is_emoji", "quote", "scored", "sentences", "split_sentences", "stopwords", "syllables", "word_tokenize",
    "word_tokens",
]

STRIP = string.punctuation + " "
"""What IFBench strips from the ends of a word: ASCII punctuation and spaces."""

_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)
_PUNCTUATION_RUN = re.compile("[" + re.escape(string.punctuation) + "]+")
_WORD = re.compile(r"\w+")  # NLTK's RegexpTokenizer(r"\w+"), as IFBench counts words


def drop_punctuation(text: str) -> str:
    """`text` without any ASCII punctuation character (IFBench's `translate` step)."""
    # str.translate is fastest on ASCII text, a regex on the rest (same result)
    return text.translate(_NO_PUNCTUATION) if text.isascii() else _PUNCTUATION_RUN.sub("", text)


def count_word_runs(text: str) -> int:
    """Runs of `\\w` characters (so a Chinese sentence without spaces is one word)."""
    return sum(1 for _ in _WORD.finditer(text))


class NoParams(Params):
    """This instruction has no parameters."""


class Unscorable(Exception):
    """This text cannot be scored as IFBench would; the message says why (it becomes the reason)."""


F = TypeVar("F", bound=Callable[..., Verdict])


def scored(function: F) -> F:
    """Turn an `Unscorable` raised by a checker (revised or not) into a failing verdict with its message."""

    @functools.wraps(function)
    def run(*args: Any) -> Verdict:
        try:
            return function(*args)
        except Unscorable as error:
            return Verdict(passed=False, reason=str(error))

    return cast(F, run)


MAX_SPLIT_CHARS = 1_000_000
"""Longest text whose sentences are split (IFBench's splitter makes a dozen regex passes over it)."""


def _punkt_guard(text: str, tool: str = "word") -> None:
    if len(text) > punkt.MAX_CHARS:
        raise Unscorable(
            f"the text has {len(text):,} characters; NLTK's {tool} tokenizer, which IFBench "
            f"uses here, is run on at most {punkt.MAX_CHARS:,}"
        )


# IFBench's `split_into_sentences` at the commit that produced its committed verdicts
# (c94da02) is IFEval's rule-based splitter, not NLTK's Punkt: periods that do not end a
# sentence are first disguised as <prd>, then every . ? ! gets a <stop> after it. (HEAD
# calls nltk.sent_tokenize instead; on the conformance data that changes one verdict, key
# 163.) The markers are the same strings as IFBench's, so a response that contains "<prd>"
# or "<stop>" itself is split as IFBench splits it.
_TITLES = re.compile(r"(Mr|St|Mrs|Ms|Dr)[.]")
_DOMAIN = re.compile(r"[.](com|net|org|io|gov|edu|me)")
_DECIMAL = re.compile(r"([0-9])[.]([0-9])")
_DOTS = re.compile(r"\.{2,}")
_INITIAL = re.compile(r"\s([A-Za-z])[.] ")
_STARTER = (
    r"(Mr|Mrs|Ms|Dr|Prof|Capt|Cpt|Lt|He\s|She\s|It\s|They\s|Their\s|Our\s|We\s|But\s|However\s"
    r"|That\s|This\s|Wherever)"
)
_ACRONYM_THEN_STARTER = re.compile(r"([A-Z][.][A-Z][.](?:[A-Z][.])?) " + _STARTER)
_THREE_LETTERS = re.compile(r"([A-Za-z])[.]([A-Za-z])[.]([A-Za-z])[.]")
_TWO_LETTERS = re.compile(r"([A-Za-z])[.]([A-Za-z])[.]")
_COMPANY_THEN_STARTER = re.compile(r" (Inc|Ltd|Jr|Sr|Co)[.] " + _STARTER)
_COMPANY = re.compile(r" (Inc|Ltd|Jr|Sr|Co)[.]")
_LETTER = re.compile(r" ([A-Za-z])[.]")


def split_sentences(text: str) -> list[str]:
    """IFBench's (and IFEval's) rule-based sentence splitter: line breaks are spaces; a
    sentence ends after every . ? ! except in titles (Dr.), initials, acronyms (U.S.),
    company suffixes (Inc.), decimals, domains (.com) and inside runs of dots; a closing
    quote after the mark stays with its sentence."""
    if not any(mark in text for mark in ".?!<"):  # nothing to split at: skip the passes
        whole = text.replace("\n", " ").strip()
        return [whole] if whole else []
    text = (" " + text + "  ").replace("\n", " ")
    text = _TITLES.sub("\\1<prd>", text)
    text = _DOMAIN.sub("<prd>\\1", text)
    text = _DECIMAL.sub("\\1<prd>\\2", text)
    text = _DOTS.sub(lambda run: "<prd>" * len(run.group()) + "<stop>", text)
    text = text.replace("Ph.D.", "Ph<prd>D<prd>")
    text = _INITIAL.sub(" \\1<prd> ", text)
    text = _ACRONYM_THEN_STARTER.sub("\\1<stop> \\2", text)
    text = _THREE_LETTERS.sub("\\1<prd>\\2<prd>\\3<prd>", text)
    text = _TWO_LETTERS.sub("\\1<prd>\\2<prd>", text)
    text = _COMPANY_THEN_STARTER.sub(" \\1<stop> \\2", text)
    text = _COMPANY.sub(" \\1<prd>", text)
    text = _LETTER.sub(" \\1<prd>", text)
    # the mark goes after a closing quote, so the quote stays in the sentence it closes
    for before, after in ((".\u201d", "\u201d."), ('."', '".'), ('!"', '"!'), ('?"', '"?')):
        text = text.replace(before, after)
    for mark in ".?!":
        text = text.replace(mark, mark + "<stop>")
    pieces = [piece.strip() for piece in text.replace("<prd>", ".").split("<stop>")]
    return pieces[:-1] if pieces and not pieces[-1] else pieces


def sentences(text: str, revision: Revision) -> list[str]:
    """IFBench's `split_into_sentences` at `revision`: NLTK's Punkt (`nltk.sent_tokenize`) at
    HEAD, on texts up to punkt.MAX_CHARS; the rule-based `split_sentences` at c94da02, on
    texts up to MAX_SPLIT_CHARS."""
    if revision is Revision.HEAD:
        _punkt_guard(text, "sentence")
        try:
            return punkt.sentences(text)
        except TimeoutError as error:
            raise Unscorable(f"NLTK's sentence tokenizer timed out on this text: {str(error)[:80]}") from None
    if len(text) > MAX_SPLIT_CHARS:
        raise Unscorable(
            f"the text has {len(text):,} characters; sentences are split in texts of at most {MAX_SPLIT_CHARS:,}"
        )
    return split_sentences(text)


def word_tokenize(text: str) -> list[str]:
    """`nltk.word_tokenize(text)` (English)."""
    _punkt_guard(text)
    try:
        return punkt.word_tokenize(text)
    except TimeoutError as error:
        raise Unscorable(f"NLTK's word tokenizer timed out on this text: {str(error)[:80]}") from None


def word_tokens(text: str) -> list[str]:
    """The tokens of `nltk.word_tokenize(text)` with a letter or digit in them: IFBench HEAD's
    words (`_word_tokens_without_punctuation`), so `,` and `''` are not words but `U.S.` is."""
    return [token for token in word_tokenize(text) if any(char.isalnum() for char in token)]


@functools.lru_cache(maxsize=1)
def _treebank() -> Any:
    from nltk.tokenize.destructive import NLTKWordTokenizer

    return NLTKWordTokenizer()


def first_tokens(text: str, count: int = 3) -> list[str]:
    """`nltk.word_tokenize(text)[:count]`, tokenizing only the first sentences it needs."""
    _punkt_guard(text)
    tokens: list[str] = []
    try:
        for start, end in punkt.sentence_tokenizer().span_tokenize(text):
            tokens.extend(_treebank().tokenize(text[start:end]))
            if len(tokens) >= count:
                break
    except TimeoutError as error:
        raise Unscorable(f"NLTK's word tokenizer timed out on this text: {str(error)[:80]}") from None
    return tokens[:count]


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
# features (NLTK's `PerceptronTagger` is a port of that package), but its English weights
# are another model, distributed only as an nltk_data download. The two agree on most
# words, not all: in "The quick brown fox jumps over the lazy dog." NLTK tags "jumps"
# VBZ, this model NNS. It runs here in NLTK's own `PerceptronTagger` code. (No package on
# PyPI, Debian or npm ships NLTK's English weights; words:start_verb's docstring gives the
# measured agreement.)
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
    try:
        data = (Path(next(iter(spec.submodule_search_locations))) / POS_MODEL_FILE).read_bytes()
    except OSError as error:
        raise Unscorable(f"cannot read {POS_MODEL_FILE} of textblob-aptagger: {error}") from None
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
