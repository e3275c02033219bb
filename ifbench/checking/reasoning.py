"""Removing a reasoning model's thinking from its reply before the reply is checked."""

from __future__ import annotations

import regex

_TAG = regex.compile(r"<(/?)(?:think|thinking|reasoning|thought)>", regex.IGNORECASE)


def strip_reasoning(text: str) -> str:
    """`text` without `<think>…</think>` (and `<thinking>`, `<reasoning>`, `<thought>`) blocks.

    A closing tag with no opening one drops everything before it (some chat templates open
    the block in the prompt); an opening tag never closed drops everything after it.
    One pass over the tags, so any input takes linear time.
    """
    if "<" not in text:
        return text
    kept: list[str] = []
    position = 0
    inside = False
    for tag in _TAG.finditer(text):
        closing = tag.group(1) == "/"
        if not inside and not closing:
            kept.append(text[position : tag.start()])
            inside = True
        elif closing:
            if not inside:
                kept = []
            inside = False
            position = tag.end()
    if not inside:
        kept.append(text[position:])
    return "".join(kept).strip() if kept != [text] else text
