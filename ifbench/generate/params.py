"""Parameters for each supported native checker, drawn from the generator's `random.Random(seed)`.

A drawer gets the rng, the base prompt and the language's phrasings and returns a `Draw`: the
constraint's parameters, the template key (`length.chars` or `length.chars/no_spaces`), the bound
kind and the slot values its phrasing needs. `SUPPORTED` lists every checker the generator composes;
`UNSUPPORTED` says why the others are left out.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ifbench.generate.phrasing import Phrasings
from ifbench.generate.pool import BasePrompt


@dataclass(frozen=True)
class Draw:
    id: str
    params: dict[str, Any]
    key: str
    """The phrasing template key: the id, or `id/variant`."""
    kind: str | None = None
    """The bound kind for count checkers (exact, min, max, range)."""
    slots: dict[str, str] = field(default_factory=dict)


# (kind -> how to draw its values) per count checker and language: ranges as (start, stop, step).
Ranges = dict[str, tuple[int, int, int]]
COUNTS: dict[str, dict[str, Ranges]] = {
    "length.words": {
        "en": {"min": (30, 151, 10), "max": (60, 301, 10), "range_lo": (40, 151, 10), "range_width": (40, 121, 10)},
        "zh": {"min": (50, 201, 10), "max": (80, 401, 20), "range_lo": (60, 201, 10), "range_width": (60, 161, 20)},
    },
    "length.chars": {
        "en": {"min": (150, 601, 50), "max": (300, 1501, 50), "range_lo": (200, 601, 50), "range_width": (200, 601, 50)},
        "zh": {"min": (60, 201, 10), "max": (100, 501, 20), "range_lo": (80, 201, 10), "range_width": (80, 201, 20)},
    },
    "length.sentences": {"*": {"exact": (3, 9, 1), "min": (2, 7, 1), "max": (4, 13, 1), "range_lo": (2, 6, 1), "range_width": (2, 6, 1)}},
    "length.paragraphs": {"*": {"exact": (2, 6, 1), "min": (2, 5, 1), "max": (2, 7, 1), "range_lo": (2, 4, 1), "range_width": (1, 4, 1)}},
    "format.bullets": {"*": {"exact": (2, 7, 1), "min": (2, 6, 1), "max": (3, 9, 1), "range_lo": (2, 4, 1), "range_width": (1, 4, 1)}},
    "format.numbered": {"*": {"exact": (2, 7, 1), "min": (2, 6, 1), "max": (3, 9, 1), "range_lo": (2, 4, 1), "range_width": (1, 4, 1)}},
    "format.headings": {"*": {"exact": (1, 5, 1), "min": (1, 4, 1), "max": (2, 6, 1)}},
    "format.code_block": {"*": {"exact": (1, 3, 1), "min": (1, 3, 1)}},
    "format.highlights": {"*": {"min": (1, 5, 1)}},
    "format.placeholders": {"*": {"min": (1, 4, 1)}},
    "content.questions": {"*": {"exact": (1, 4, 1), "min": (1, 4, 1), "max": (1, 4, 1), "range_lo": (1, 3, 1), "range_width": (1, 3, 1)}},
    "content.frequency": {"*": {"exact": (2, 5, 1), "min": (2, 4, 1), "max": (2, 5, 1), "range_lo": (1, 3, 1), "range_width": (1, 3, 1)}},
}


def _ranges(cid: str, language: str) -> Ranges:
    table = COUNTS[cid]
    return table.get(language, table.get("*", {}))


def _bound(rng: random.Random, cid: str, language: str) -> tuple[str, dict[str, int], dict[str, int]]:
    """(kind, checker params, slot values) for a count bound of `cid`."""
    ranges = _ranges(cid, language)
    kinds = sorted({name.split("_")[0] for name in ranges})
    kind = rng.choice(kinds)
    if kind == "range":
        low = rng.randrange(*ranges["range_lo"])
        high = low + rng.randrange(*ranges["range_width"])
        return kind, {"min": low, "max": high}, {"lo": low, "hi": high}
    value = rng.randrange(*ranges[kind])
    return kind, {kind: value}, {"n": value}


def _count(cid: str, variant: Callable[[random.Random, Phrasings], tuple[str, dict[str, Any]]] | None = None):
    def draw(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
        kind, params, values = _bound(rng, cid, ph.language)
        key, extra, slots = cid, {}, {}
        if variant is not None:
            suffix, extra = variant(rng, ph)
            key = f"{cid}/{suffix}" if suffix else cid
            slots = {name: str(value) for name, value in sorted(extra.items())}
        return Draw(cid, {**params, **extra}, key, kind, {"bound": ph.bound(kind, values, rng), **slots})
    return draw


def _no_spaces(rng: random.Random, ph: Phrasings) -> tuple[str, dict[str, Any]]:
    return ("no_spaces", {"spaces": False}) if rng.random() < 0.3 else ("", {})


def _level(rng: random.Random, ph: Phrasings) -> tuple[str, dict[str, Any]]:
    return ("level", {"level": 2}) if rng.random() < 0.4 else ("", {})


def _table(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    rows = rng.randrange(2, 6)
    headers = list(rng.choice(ph.vocab["table_headers"]))
    return Draw("format.table", {"rows": rows, "headers": headers}, "format.table", None,
                {"rows": ph.number(rows, rng), "headers": ph.quoted_list(headers)})


def _json(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    fields = list(rng.choice(ph.vocab["json_fields"]))
    schema = {"type": "object", "required": fields, "properties": {name: {"type": "string"} for name in fields}}
    return Draw("format.json", {"schema": schema}, "format.json", None, {"fields": ph.quoted_list(fields)})


def _plain(cid: str) -> Callable[[random.Random, BasePrompt, Phrasings], Draw]:
    return lambda rng, base, ph: Draw(cid, {}, cid)


def _postscript(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    markers = ph.vocab.get("postscript_markers")
    if not markers:  # the default marker, P.S.: the phrasing writes it out
        return Draw("format.postscript", {}, "format.postscript", None, {"marker": ph.vocab["postscript_marker"]})
    marker = rng.choice(markers)
    return Draw("format.postscript", {"marker": marker}, "format.postscript", None, {"marker": marker})


def _include(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    keywords = rng.sample(list(base.keywords), rng.choice([1, 2]))
    if rng.random() < 0.25:
        return Draw("content.include", {"keywords": keywords, "min_count": 2}, "content.include/min_count", None,
                    {"keywords": ph.quoted_list(keywords)})
    return Draw("content.include", {"keywords": keywords}, "content.include", None, {"keywords": ph.quoted_list(keywords)})


def _exclude(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    keywords = rng.sample(list(ph.vocab["exclude_words"]), 2)
    return Draw("content.exclude", {"keywords": keywords}, "content.exclude", None, {"keywords": ph.quoted_list(keywords)})


def _frequency(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    keyword = rng.choice(list(base.keywords))
    kind, params, values = _bound(rng, "content.frequency", ph.language)
    return Draw("content.frequency", {"keyword": keyword, **params}, "content.frequency", kind,
                {"keyword": keyword, "bound": ph.bound(kind, values, rng)})


def _phrase(cid: str, vocab: str) -> Callable[[random.Random, BasePrompt, Phrasings], Draw]:
    def draw(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
        phrase = rng.choice(list(ph.vocab[vocab]))
        return Draw(cid, {"phrase": phrase}, cid, None, {"phrase": phrase})
    return draw


def _repeat(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    return Draw("content.repeat_prompt", {"text": base.prompt}, "content.repeat_prompt")


def _language(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    return Draw("language.response", {"lang": ph.language}, "language.response")


def _reading(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    grade = rng.choice(list(ph.vocab["grades"]))
    return Draw("role.reading_level", {"max_grade": grade}, "role.reading_level", None, {"grade": str(grade)})


def _steps(rng: random.Random, base: BasePrompt, ph: Phrasings) -> Draw:
    return Draw("steps.ordered", {"steps": [{"marker": marker} for marker in base.steps]}, "steps.ordered")


Drawer = Callable[[random.Random, BasePrompt, Phrasings], Draw]
SUPPORTED: dict[str, Drawer] = {
    "content.end": _phrase("content.end", "end_phrases"),
    "content.exclude": _exclude,
    "content.frequency": _frequency,
    "content.include": _include,
    "content.lowercase": _plain("content.lowercase"),
    "content.no_commas": _plain("content.no_commas"),
    "content.questions": _count("content.questions"),
    "content.repeat_prompt": _repeat,
    "content.start": _phrase("content.start", "start_phrases"),
    "content.uppercase": _plain("content.uppercase"),
    "format.bullets": _count("format.bullets"),
    "format.code_block": _count("format.code_block"),
    "format.headings": _count("format.headings", _level),
    "format.highlights": _count("format.highlights"),
    "format.json": _json,
    "format.numbered": _count("format.numbered"),
    "format.placeholders": _count("format.placeholders"),
    "format.postscript": _postscript,
    "format.quoted": _plain("format.quoted"),
    "format.table": _table,
    "format.title": _plain("format.title"),
    "format.two_responses": _plain("format.two_responses"),
    "language.response": _language,
    "length.chars": _count("length.chars", _no_spaces),
    "length.paragraphs": _count("length.paragraphs"),
    "length.sentences": _count("length.sentences"),
    "length.words": _count("length.words"),
    "role.no_ai_disclaimer": _plain("role.no_ai_disclaimer"),
    "role.reading_level": _reading,
    "steps.ordered": _steps,
}
"""Every native checker the generator composes, by id (sorted)."""

UNSUPPORTED: dict[str, str] = {}
"""Native checkers left out, with the reason (every native id is either here or in SUPPORTED)."""


def eligible(base: BasePrompt) -> list[str]:
    """The supported checkers that fit `base` (in id order): some need data only some prompts have."""
    out = []
    for cid in sorted(SUPPORTED):
        if cid == "steps.ordered" and not base.steps:
            continue
        if cid == "format.code_block" and not base.code:
            continue
        if cid == "role.reading_level" and base.language != "en":
            continue
        if cid == "role.no_ai_disclaimer" and base.pattern != "role":
            continue
        out.append(cid)
    return out
