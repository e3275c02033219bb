"""Regular expressions from parameters, run on replies with a time limit.

A parameter's pattern can backtrack exponentially (`^(a|a)+$` on thirty `a`s and a `!`), and
one `re` match is a single C call that no Python-level budget can interrupt (see budget.py);
the `regex` module's `timeout` stops it.
"""

from __future__ import annotations

from functools import lru_cache

import regex

PATTERN_TIMEOUT_S = 1.0
"""How long a regular expression written into a parameter may run on one string."""


class PatternTimeout(Exception):
    """A parameter's regular expression ran over PATTERN_TIMEOUT_S on one string."""

    def __init__(self, pattern: str, length: int):
        super().__init__(
            f"{pattern!r} took over {PATTERN_TIMEOUT_S:g} s on a {length}-character string"
        )
        self.pattern = pattern
        self.length = length


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, regex.VERSION0)  # VERSION0: `re`'s syntax and semantics


def search(pattern: str, text: str) -> bool:
    """Whether `pattern` matches somewhere in `text`, as `re.search`; PatternTimeout if too slow."""
    try:
        return _compile(pattern).search(text, timeout=PATTERN_TIMEOUT_S) is not None
    except TimeoutError:
        raise PatternTimeout(pattern, len(text)) from None
