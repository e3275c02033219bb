"""Instruction phrasings: how each native checker is asked for, in each language.

`data/phrasings-<lang>.yaml` holds, per checker id (or `id/variant` for a parameter form such as
`length.chars/no_spaces`), several templates with slots; `bounds` writes a count bound
(`at most {n}`, `不超过{n}`); `vocab` holds the words the parameter drawer and the reply builder use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ifbench.generate.pool import files_sha256

EN_WORDS = "zero one two three four five six seven eight nine ten".split()
ZH_NUMERALS = "零一两三四五六七八九十"


@dataclass(frozen=True)
class Template:
    text: str
    kinds: tuple[str, ...] | None = None
    """Bound kinds (exact, min, max, range) this template suits; None: any."""


@dataclass(frozen=True)
class Phrasings:
    language: str
    joiner: str
    bounds: dict[str, tuple[str, ...]]
    templates: dict[str, tuple[Template, ...]]
    vocab: dict[str, Any]

    def number(self, n: int, rng: random.Random) -> str:
        """`n` as digits, or (small numbers, sometimes) as a word: `three`, `三`."""
        if n <= 10 and rng.random() < 0.3:
            return EN_WORDS[n] if self.language == "en" else ZH_NUMERALS[n]
        return str(n)

    def bound(self, kind: str, values: dict[str, int], rng: random.Random) -> str:
        """A count bound written out: `at least 3`, `between 40 and 80`, `恰好五`."""
        text = rng.choice(self.bounds[kind])
        return text.format(**{name: self.number(value, rng) for name, value in sorted(values.items())})

    def quoted_list(self, items: list[str]) -> str:
        if self.language == "zh":
            return "、".join(f"“{item}”" for item in items)
        quoted = [f'"{item}"' for item in items]
        return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]

    def phrase(self, key: str, kind: str | None, slots: dict[str, str], rng: random.Random) -> str:
        """One of `key`'s templates that suits `kind`, filled with `slots`."""
        options = [t for t in self.templates[key] if t.kinds is None or kind in t.kinds]
        return rng.choice(options).text.format(**slots)


def phrasings_sha256() -> str:
    return files_sha256("phrasings-")


@cache
def load_phrasings(language: str) -> Phrasings:
    """The phrasings of `language` (`en`, `zh`); FileNotFoundError if there are none."""
    path = resources.files("ifbench.generate") / "data" / f"phrasings-{language}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    templates = {}
    for key, items in doc["checkers"].items():
        templates[key] = tuple(
            Template(item) if isinstance(item, str) else Template(item["text"], tuple(item["kinds"]))
            for item in items
        )
    return Phrasings(
        language=doc["language"], joiner=doc["joiner"],
        bounds={kind: tuple(texts) for kind, texts in doc["bounds"].items()},
        templates=templates, vocab=doc["vocab"],
    )


def languages() -> list[str]:
    folder = resources.files("ifbench.generate") / "data"
    return sorted(e.name[len("phrasings-"):-len(".yaml")] for e in folder.iterdir() if e.name.startswith("phrasings-"))
