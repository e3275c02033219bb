"""IFEval's loose variants of a response.

A constraint passes loosely if it passes on any of: the response as is, without its first
line, without its last line, without both; and each of those with every `*` removed.
"""

from __future__ import annotations

VARIANT_NAMES = (
    "as is",
    "without '*'",
    "without its first line",
    "without its last line",
    "without its first and last lines",
    "without its first line and '*'",
    "without its last line and '*'",
    "without its first and last lines and '*'",
)


def loose_variants(response: str) -> list[tuple[str, str]]:
    """(name, text) for each of the 8 variants, in IFEval's order."""
    lines = response.split("\n")
    without_first = "\n".join(lines[1:]).strip()
    without_last = "\n".join(lines[:-1]).strip()
    without_both = "\n".join(lines[1:-1]).strip()
    texts = (
        response,
        response.replace("*", ""),
        without_first,
        without_last,
        without_both,
        without_first.replace("*", ""),
        without_last.replace("*", ""),
        without_both.replace("*", ""),
    )
    return list(zip(VARIANT_NAMES, texts))
