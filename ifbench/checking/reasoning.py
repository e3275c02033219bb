"""Separating a reasoning model's thinking from its answer before the answer is checked.

The rule, exactly:

- Blocks are `<think>…</think>`, `<thinking>`, `<reasoning>`, `<thought>` (any letter case),
  `[THINK]…[/THINK]` and `◁think▷…◁/think▷`. Tags pair up in order; nesting is not tracked.
- A block is removed with its tags. A closing tag with no opening one removes everything before
  it (some chat templates open the block in the prompt).
- When something was removed, the answer is what remains with leading and trailing
  whitespace removed (Python's `str.strip()`: every Unicode White_Space character); text
  between blocks is joined as it is. A reply without any tag is left byte for byte.
- An opening tag that never closes (the reply was cut at the token cap, or the model forgot
  the tag) follows `UnclosedPolicy`: `empty` (default) scores the whole reply as an empty
  answer, counted and said so; `answer` removes the tag and keeps the text after it as the
  answer, as if the block had been closed there.

Each result says which case it was (`ReasoningStatus`). Reasoning that a server returns
apart from the content (`reasoning_content`) is never scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import regex

ReasoningStatus = Literal["none", "stripped", "unclosed"]
"""No reasoning tag; blocks removed; a block that never closed."""
UnclosedPolicy = Literal["empty", "answer"]
UNCLOSED_POLICIES: tuple[UnclosedPolicy, ...] = ("empty", "answer")

_TAG = regex.compile(
    r"<(/?)(?:think|thinking|reasoning|thought)>|\[(/?)THINK\]|◁(/?)think▷", regex.IGNORECASE)
_TAG_STARTS = ("<", "[", "◁")


@dataclass(frozen=True)
class Answer:
    """A reply split into the answer that is checked and what happened to its reasoning."""

    text: str
    reasoning: ReasoningStatus


def split_reasoning(text: str, unclosed: UnclosedPolicy = "empty") -> Answer:
    """The answer in `text` by the rule above. One pass over the tags: linear on any input."""
    if not any(start in text for start in _TAG_STARTS):
        return Answer(text, "none")
    kept: list[str] = []
    position, opened_at, found = 0, -1, False
    for tag in _TAG.finditer(text):
        found = True
        closing = "/" in tag.group(0)
        if closing:
            if opened_at < 0:
                kept = []  # the block was opened in the prompt
            opened_at = -1
            position = tag.end()
        elif opened_at < 0:
            kept.append(text[position : tag.start()])
            opened_at, position = tag.start(), tag.end()
    if not found:
        return Answer(text, "none")
    if opened_at >= 0:
        if unclosed == "empty":
            return Answer("", "unclosed")
        kept.append(text[position:])
        return Answer("".join(kept).strip(), "unclosed")
    kept.append(text[position:])
    return Answer("".join(kept).strip(), "stripped")


def strip_reasoning(text: str, unclosed: UnclosedPolicy = "empty") -> str:
    """`text` without its reasoning blocks (see the module's rule)."""
    return split_reasoning(text, unclosed).text
