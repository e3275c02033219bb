"""IFBench's word checkers about letters: alphabet chain, vowels, consonant clusters, first letters, palindromes, prime lengths, syllables."""

from __future__ import annotations

import string

from ifbench.checkers.ifbench._common import (
    STRIP,
    NoParams,
    Unscorable,
    drop_punctuation,
    quote,
    scored,
    syllables,
)

from ifbench.checkers.ifbench._revision import instruction
from ifbench.checking.base import Context, Example, Verdict, plural

_ALPHABET = string.ascii_lowercase


@instruction(
    "words:alphabet",
    NoParams,
    examples=[
        Example("Quick rabbits swim, tigers understand.", {}, True),
        Example("Quick rabbits run.", {}, False),
        Example("Yellow zebras amble by.", {}, True),
        Example("42 bears cry.", {}, False),
    ],
)
@scored
def alphabet(response: str, params: NoParams, context: Context) -> Verdict:
    """Each word starts with the letter after the previous word's first letter (after z comes a).

    As in IFBench, ASCII punctuation is removed and words are split on whitespace; the
    first word may start with any letter a-z (not a digit), case is ignored.
    """
    words = drop_punctuation(response).strip(STRIP).split()
    if not words:
        raise Unscorable("no words once punctuation is removed (IFBench's checker fails on it)")
    letter = words[0][0].lower()
    if letter not in _ALPHABET:
        return Verdict(passed=False, reason=f"the first word {quote(words[0], 30)} does not start with a letter a-z")
    for index, word in enumerate(words[1:], 2):
        word = word.strip(STRIP).lower()
        if not word:
            continue
        letter = _ALPHABET[(_ALPHABET.index(letter) + 1) % 26]
        if word[0] != letter:
            return Verdict(
                passed=False,
                reason=f"word {index} ({quote(word, 30)}) starts with {quote(word[0])}; {quote(letter)} required",
            )
    return Verdict(passed=True, reason=f"{plural(len(words), 'word')}, each starting with the next letter")


@instruction(
    "words:vowel",
    NoParams,
    examples=[
        Example("A cat can nap at a cabin and sit on a mat.", {}, True),
        Example("Every owl sings quietly at dusk.", {}, False),
        Example("Bananas are a fun snack.", {}, True),
        Example("A cat sat.\nA rat ran.", {}, False),
    ],
)
def vowel(response: str, params: NoParams, context: Context) -> Verdict:
    """A single line (paragraph) that uses at most 3 of the vowels a, e, i, o, u (any case)."""
    lines = response.strip().split("\n")
    if len(lines) != 1:
        return Verdict(passed=False, reason=f"{plural(len(lines), 'line')}; a single paragraph (one line) required")
    used = sorted(set(lines[0].lower()) & set("aeiou"))
    return Verdict(
        passed=len(used) <= 3,
        reason=f"uses {plural(len(used), 'vowel')} ({', '.join(used) or 'none'}); at most 3 allowed",
    )


_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")


def _has_cluster(word: str) -> bool:
    return any(a in _CONSONANTS and b in _CONSONANTS for a, b in zip(word, word[1:]))


@instruction(
    "words:consonants",
    NoParams,
    examples=[
        Example("Strong crisp sprints.", {}, True),
        Example("Strong is fast.", {}, False),
        Example("Black dwarfs glow.", {}, True),
        Example("A black dwarf.", {}, False),
    ],
)
def consonants(response: str, params: NoParams, context: Context) -> Verdict:
    """Every whitespace-separated word has two consonant letters (b-z without vowels, y included) in a row.

    As in IFBench, punctuation stays part of the word, and a word without Latin letters
    (a number, a Chinese word) fails.
    """
    for index, word in enumerate(response.lower().strip().split(), 1):
        if not _has_cluster(word):
            return Verdict(
                passed=False,
                reason=f"word {index} ({quote(word, 30)}) has no two consonants in a row; every word required to",
            )
    return Verdict(passed=True, reason="every word has two consonants in a row")


@instruction(
    "words:no_consecutive",
    NoParams,
    examples=[
        Example("Owls hunt at night.", {}, True),
        Example("Big bears hunt.", {}, False),
        Example("A cat, a dog.", {}, True),
        Example("Cats can't sleep.", {}, False),
    ],
)
def no_consecutive(response: str, params: NoParams, context: Context) -> Verdict:
    """No two consecutive words start with the same character (lowercased, ASCII punctuation removed)."""
    words = drop_punctuation(response.lower()).split()
    for index in range(len(words) - 1):
        if words[index][0] == words[index + 1][0]:
            return Verdict(
                passed=False,
                reason=f"words {index + 1} and {index + 2} ({quote(words[index], 30)}, "
                f"{quote(words[index + 1], 30)}) both start with {quote(words[index][0])}",
            )
    return Verdict(passed=True, reason="no two consecutive words start with the same character")


@instruction(
    "words:palindrome",
    NoParams,
    examples=[
        Example("level radar civic kayak refer rotor madam stats tenet sagas", {}, True),
        Example("level radar civic kayak", {}, False),
        Example("Level, radar; civic! kayak refer rotor madam stats tenet Sagas.", {}, True),
        Example("wow noon mom dad eye pop tot did sis gag", {}, False),
    ],
)
def palindrome(response: str, params: NoParams, context: Context) -> Verdict:
    """At least 10 words (repeats count) of 5 or more characters that read the same backwards.

    Words are lowercased, split on whitespace, with ASCII punctuation removed.
    """
    found = [w for w in drop_punctuation(response).lower().split() if len(w) >= 5 and w == w[::-1]]
    shown = ", ".join(quote(w, 20) for w in found[:5]) + (", ..." if len(found) > 5 else "")
    return Verdict(
        passed=len(found) >= 10,
        reason=f"{plural(len(found), 'palindrome')} of 5+ characters" + (f" ({shown})" if found else "")
        + "; at least 10 required",
    )


_PRIMES = frozenset([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97])


@instruction(
    "words:prime_lengths",
    NoParams,
    examples=[
        Example("We saw three large hawks.", {}, True),
        Example("We saw four hawks.", {}, False),
        Example("It is: yours!", {}, True),
        Example("A cat.", {}, False),
    ],
)
def prime_lengths(response: str, params: NoParams, context: Context) -> Verdict:
    """Every word's length is a prime number up to 97 (ASCII punctuation removed, split on whitespace).

    As in IFBench, a word of one character (`a`, `I`) or of more than 97 fails.
    """
    for word in drop_punctuation(response).split():
        if len(word) not in _PRIMES:
            return Verdict(
                passed=False,
                reason=f"{quote(word, 30)} has {plural(len(word), 'character')}, not a prime up to 97; "
                "every word required to",
            )
    return Verdict(passed=True, reason="every word has a prime number of characters")


@instruction(
    "words:odd_even_syllables",
    NoParams,
    examples=[
        Example("Cat apple dog window.", {}, True),
        Example("Cat dog apple.", {}, False),
        Example("Beautiful flower sun.", {}, True),
        Example("Happy window.", {}, False),
    ],
)
@scored
def odd_even_syllables(response: str, params: NoParams, context: Context) -> Verdict:
    """Words alternate between odd and even numbers of syllables (as the syllapy package counts them).

    Words are lowercased and split on whitespace with ASCII punctuation removed; syllapy
    gives 0 syllables (even) to a word with a digit.
    """
    words = drop_punctuation(response).lower().split()
    previous = None
    for index, word in enumerate(words):
        count = syllables(word)
        if previous is not None and count % 2 == previous[1] % 2:
            parity = "an even" if count % 2 == 0 else "an odd"
            return Verdict(
                passed=False,
                reason=f"words {index} and {index + 1} ({quote(previous[0], 30)}: {previous[1]}, "
                f"{quote(word, 30)}: {count}) both have {parity} number of syllables; alternating required",
            )
        previous = (word, count)
    return Verdict(passed=True, reason=f"{plural(len(words), 'word')} alternating odd and even syllable counts")
