"""Helpers shared by the `ifeval:` checkers: relations, IFEval's user-built regexes, counts."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import regex

from ifbench.checking import punkt
from ifbench.checking.base import Verdict, plural
from ifbench.checking.patterns import PATTERN_TIMEOUT_S
from ifbench.checking.text import truncate

Relation = Literal["less than", "at least"]
"""IFEval's two comparisons: 'less than' is strictly fewer, 'at least' is that many or more."""

# Characters that make a parameter more than plain text once IFEval pastes it into a regex.
_REGEX_META = frozenset(".^$*+?{}[]\\|()")


def meets(count: int, relation: Relation, threshold: int) -> bool:
    return count < threshold if relation == "less than" else count >= threshold


def requirement(relation: Relation, threshold: int) -> str:
    return f"fewer than {threshold} required" if relation == "less than" else f"at least {threshold} required"


def judge(count: int, unit: str, relation: Relation, threshold: int) -> Verdict:
    """`12 words; fewer than 10 required`."""
    return Verdict(
        passed=meets(count, relation, threshold),
        reason=f"{plural(count, unit)}; {requirement(relation, threshold)}",
    )


def quote(text: str, limit: int = 60) -> str:
    """`text` for a reason: quoted, on one line, shortened."""
    return repr(truncate(text, limit))


class PatternTimeout(Exception):
    """A regular expression taken from a parameter ran longer than PATTERN_TIMEOUT_S."""


@lru_cache(maxsize=1024)
def _compile(source: str, flags: int, plain: bool) -> re.Pattern[str] | regex.Pattern[str]:
    if plain:
        return re.compile(source, flags)
    return regex.compile(source, flags | regex.VERSION0)


class IFEvalPattern:
    """A regex IFEval builds by pasting a parameter between fixed parts, unescaped.

    Plain-text parameters (all of IFEval's data) compile with `re`, as IFEval does, and
    run in linear time. One that holds regex syntax compiles with `regex` in its
    re-compatible mode and runs under a time limit (PatternTimeout past it), so no
    parameter can hang a run.
    """

    def __init__(self, prefix: str, user: str, suffix: str = "", flags: int = 0):
        self.source = prefix + user + suffix
        self._plain = _REGEX_META.isdisjoint(user)
        self._pattern = _compile(self.source, flags, self._plain)
        self.groups: int = self._pattern.groups

    def search(self, text: str) -> bool:
        if self._plain:
            return self._pattern.search(text) is not None
        try:
            return self._pattern.search(text, timeout=PATTERN_TIMEOUT_S) is not None  # type: ignore[call-overload]
        except TimeoutError:
            raise PatternTimeout(self.source) from None

    def count(self, text: str) -> int:
        """Non-overlapping matches, as `len(re.findall(...))` counts them."""
        if self._plain:
            return len(self._pattern.findall(text))
        try:
            return len(self._pattern.findall(text, timeout=PATTERN_TIMEOUT_S))  # type: ignore[call-overload]
        except TimeoutError:
            raise PatternTimeout(self.source) from None


def too_slow(error: PatternTimeout) -> Verdict:
    return Verdict(
        passed=False,
        reason=f"the regular expression {quote(str(error))} ran over {PATTERN_TIMEOUT_S:g} s "
        "on this response (IFEval reads this parameter as a regular expression)",
    )


def valid_pattern(value: str, prefix: str = "", suffix: str = "") -> str:
    """`value` if IFEval's regex built from it compiles; ValueError otherwise (IFEval would crash)."""
    try:
        re.compile(prefix + value + suffix)
    except re.error as error:
        raise ValueError(
            f"{value!r} does not make a valid regular expression ({error}); "
            "IFEval reads this parameter as one"
        ) from None
    return value


def punkt_refusal(response: str) -> Verdict | None:
    """A failing verdict when `response` is too long to run NLTK's Punkt on, else None."""
    if len(response) <= punkt.MAX_CHARS:
        return None
    return Verdict(
        passed=False,
        reason=f"the response has {len(response):,} characters; NLTK's Punkt tokenizer is run "
        f"on at most {punkt.MAX_CHARS:,} (IFEval's NLTK would take too long or time out)",
    )


def punkt_timeout(error: TimeoutError) -> Verdict:
    return Verdict(passed=False, reason=f"NLTK's Punkt tokenizer timed out on this response: {str(error)[:80]}")


def undetectable_note() -> str:
    return "language undetectable, which IFEval counts as a pass"


# Bullet lines as IFEval counts them: `^\s*\*[^\*].*$` and `^\s*-.*$` (multiline). Its
# leading `\s*` can run across blank lines, so retrying it from every line start of a long
# blank run is quadratic; starting from the last line start before the marker instead
# finds the same matches with the same ends, so the count is the same.
_STAR_BULLET = re.compile(r"^[^\S\n]*\*[^\*].*$", re.MULTILINE)
_DASH_BULLET = re.compile(r"^[^\S\n]*-.*$", re.MULTILINE)


def count_bullets(text: str) -> int:
    return len(_STAR_BULLET.findall(text)) + len(_DASH_BULLET.findall(text))


# Placeholders as IFEval counts them: `\[.*?\]`. A `[` with no `]` later on its line makes
# that regex rescan the line from every following `[`; this one consumes the line instead
# and only counts matches that close, which gives the same count in linear time.
_BRACKET = re.compile(r"\[[^\]\n]*(\])?")


def count_placeholders(text: str) -> int:
    closed = _BRACKET.findall(text)  # "]" for a placeholder, "" for an unclosed "["
    return len(closed) - closed.count("")


# Titles as IFEval finds them: `<<[^\n]+>>`, greedy, so each line yields at most one
# candidate, from its first `<<` to its last `>>` (at least one character between).
_TITLE_START = re.compile(r"<<([^\n]*)")


def find_title(text: str) -> str | None:
    """The first non-blank `<<title>>` IFEval's title check would accept, else None."""
    for match in _TITLE_START.finditer(text):
        rest = match.group(1)
        end = rest.rfind(">>")
        if end >= 1:
            candidate = "<<" + rest[: end + 2]
            if candidate.lstrip("<").rstrip(">").strip():
                return candidate
    return None
