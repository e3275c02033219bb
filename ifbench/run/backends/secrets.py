"""Keeping secrets (API keys, credential headers) out of everything a run writes or prints.

A server may quote the key back in an error body, in the reply text, even in `finish_reason`;
an error snippet cut at a length limit may hold most of it. `Scrubber` replaces the whole
secret and any piece of it that could identify it: every prefix or suffix of at least
`MIN_PIECE` characters (what a cut leaves) is replaced too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_PIECE = 8
"""Pieces shorter than this are too common to redact and too short to be of use to anyone."""
MASK = "***"


class Scrubber:
    """Replaces the given secrets, and their prefixes and suffixes of MIN_PIECE+ characters, with `***`."""

    def __init__(self, secrets: Iterable[str | None]):
        self._secrets = sorted({s for s in secrets if s and len(s) >= MIN_PIECE})
        # One scan finds where any secret's first or last MIN_PIECE characters occur.
        anchors = {piece for s in self._secrets for piece in (s[:MIN_PIECE], s[-MIN_PIECE:])}
        self._anchor = re.compile("|".join(map(re.escape, sorted(anchors)))) if anchors else None

    def __bool__(self) -> bool:
        return self._anchor is not None

    def __call__(self, text: str) -> str:
        if self._anchor is None or self._anchor.search(text) is None:
            return text
        spans = sorted(span for secret in self._secrets for span in _pieces_of(secret, text))
        kept, end = [], 0
        for start, stop in spans:
            if start < end:  # overlaps the piece before: widen it
                end = max(end, stop)
                continue
            kept += [text[end:start], MASK]
            end = stop
        kept.append(text[end:])
        return "".join(kept)

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)


def _pieces_of(secret: str, text: str) -> Iterable[tuple[int, int]]:
    """(start, stop) of each longest prefix or suffix of `secret` (MIN_PIECE+ long) in `text`."""
    head, tail = secret[:MIN_PIECE], secret[-MIN_PIECE:]
    start = text.find(head)
    while start >= 0:  # extend each prefix forwards as far as it follows the secret
        stop = start + MIN_PIECE
        while stop < len(text) and stop - start < len(secret) and text[stop] == secret[stop - start]:
            stop += 1
        yield start, stop
        start = text.find(head, start + 1)
    stop = text.find(tail)
    while stop >= 0:  # and each suffix backwards
        end = stop + MIN_PIECE
        start = stop
        while start > 0 and end - start < len(secret) and text[start - 1] == secret[len(secret) - (end - start) - 1]:
            start -= 1
        yield start, end
        stop = text.find(tail, stop + 1)
