"""The `unrequested` lint rule: does the prompt ask, in its own words, for what a constraint checks?

A constraint's key parameters must appear in the prompt the model sees (system message and
earlier turns included): numbers as digits, English words (`three`, `a hundred`,
`twenty-one`) or Chinese numerals (`三`, `两`, `一百`); keywords, phrases, markers, table
headers and required JSON fields as text; the response language by name. A checker with no
such parameter needs one of the cue words its registration declares (`lowercase`, `JSON`,
`逗号`, ...); a checker's own `requested` hook adds what only it knows (step markers, schema
fields, language names).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import regex

from ifbench.checking.nested import Node, walk
from ifbench.checking.text import fold

# Parameters read the same way for every checker: counts the prompt must state, texts it must quote.
COUNT_PARAMS = ("exact", "min", "max", "rows", "min_rows", "max_rows", "columns", "min_count")
TEXT_PARAMS = ("keyword", "phrase", "text", "marker", "separator", "language")
NEGATIONS = ("no ", "not", "n't", "never", "without", "zero", "none", "drop", "remove", "不", "没", "无", "零", "别", "去掉")


def unrequested(cid: str, params: dict[str, Any], prompt: str) -> Iterator[str]:
    """Why `prompt` does not ask for the constraint `{id: cid, **params}` or those nested in it."""
    for node in walk(cid, params):
        yield from _unrequested(node, prompt)


def _unrequested(node: Node, prompt: str) -> Iterator[str]:
    cid, params = node.id, node.params
    folded = fold(prompt)
    numbers = prompt_numbers(prompt)
    for name in COUNT_PARAMS:
        value = params.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value in numbers:
            continue
        if (value == 1 and name in ("min", "min_rows", "min_count")) or (value == 0 and any(n in folded for n in NEGATIONS)):
            continue
        yield f"{cid}: {name} {value} does not appear in the prompt (as digits or in words)"
    texts: list[tuple[str, str]] = [(f"keyword {k!r}", k) for k in params.get("keywords", [])]
    texts += [(f"{name} {params[name]!r}", params[name]) for name in TEXT_PARAMS if isinstance(params.get(name), str)]
    texts += [(f"header {h!r}", h) for h in params.get("headers", [])]
    for what, text in texts:
        if fold(text).strip() not in folded:
            yield f"{cid}: {what} does not appear in the prompt"
    hints = node.checker.lint if node.checker is not None else None
    if hints is None:
        return
    if hints.cues and not texts and not any(_has_cue(folded, cue) for cue in hints.cues):
        yield f"{cid}: the prompt never asks for it (no word like {', '.join(map(repr, hints.cues[:3]))})"
    if hints.requested is not None and node.parsed is not None:
        yield from (f"{cid}: {why}" for why in hints.requested(node.parsed, prompt))


def _has_cue(folded: str, cue: str) -> bool:
    """Whether a cue occurs; a cue that starts with a letter must start a word ("plain" is not in "explain")."""
    if cue[:1].isascii() and cue[:1].isalpha():
        return regex.search(rf"(?<![a-z]){regex.escape(cue)}", folded) is not None
    return cue in folded


EN_NUMBERS = dict(zip(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split(), range(20)))
EN_NUMBERS |= {word: 10 * n for n, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
EN_WORDS = {"single": 1, "once": 1, "twice": 2, "both": 2, "pair": 2, "couple": 2, "thrice": 3, "dozen": 12}
EN_WORDS |= {word: n for n, word in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def prompt_numbers(text: str) -> set[int]:
    """Every number `text` writes: digits (`100`, `1,000`), English words, Chinese numerals."""
    text = unicodedata.normalize("NFKC", text)
    found = {int(match.replace(",", "")) for match in regex.findall(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+", text)}
    current = total = 0
    in_number = False
    # Spaces, hyphens and "and" join number words ("two hundred and fifty", "twenty-one"); anything else ends one.
    for word in regex.findall(r"[a-z]+|[^a-z\s-]", text.lower()) + [""]:
        if word in EN_NUMBERS:
            current, in_number = current + EN_NUMBERS[word], True
        elif word == "hundred":
            current, in_number = max(current, 1) * 100, True
        elif word == "thousand":
            total, current, in_number = total + max(current, 1) * 1000, 0, True
        elif word == "and" and in_number:
            continue
        else:
            if in_number:
                found.add(total + current)
            current = total = 0
            in_number = False
        found.update({EN_NUMBERS[word]} if word in EN_NUMBERS else set())
        if word in EN_WORDS:
            found.add(EN_WORDS[word])
    for run in regex.findall(r"[零〇一二两三四五六七八九十百千万]+", text):
        found.add(_chinese_number(run))
        found.update(CN_DIGITS[ch] for ch in run if ch in CN_DIGITS)
    return found


def _chinese_number(run: str) -> int:
    total = section = digit = 0
    for ch in run:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (digit or 1) * CN_UNITS[ch]
            digit = 0
        else:  # 万
            total += (section + digit or 1) * 10_000
            section = digit = 0
    return total + section + digit
