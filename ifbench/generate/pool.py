"""The base-prompt pool: ifbench's own prompts, written natively in English and in Chinese.

Each language has one file, `data/pool-<lang>.yaml`; an entry is a `BasePrompt`. The pool's
sha256 (every pool file's name and bytes, in name order) is written into each generated suite.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import get_args

import yaml

from ifbench.tasks.models import Category, Pattern

CATEGORIES: tuple[str, ...] = get_args(Category)
PATTERNS: tuple[str, ...] = get_args(Pattern)


@dataclass(frozen=True)
class BasePrompt:
    """One request a generated task starts from, before any constraint is phrased into it."""

    id: str
    language: str
    category: str
    pattern: str
    prompt: str
    keywords: tuple[str, ...]
    """Topic words a good reply uses: content.include and content.frequency draw from them."""
    steps: tuple[str, ...] = ()
    """Words the prompt names in the order it asks for them: markers for steps.ordered."""
    code: bool = False
    """Whether a fenced code block fits the request (format.code_block is drawn only then)."""


def _data_files(prefix: str) -> list[tuple[str, bytes]]:
    folder = resources.files("ifbench.generate") / "data"
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.startswith(prefix) and entry.name.endswith(".yaml"))
    return [(name, (folder / name).read_bytes()) for name in names]


def files_sha256(prefix: str) -> str:
    """sha256 over the name and bytes of every `data/<prefix>*.yaml` file, in name order."""
    digest = hashlib.sha256()
    for name, data in _data_files(prefix):
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def pool_sha256() -> str:
    return files_sha256("pool-")


@cache
def load_pool() -> dict[str, tuple[BasePrompt, ...]]:
    """Language -> its base prompts, in file order; ValueError naming the entry if one is malformed."""
    pool: dict[str, tuple[BasePrompt, ...]] = {}
    for name, data in _data_files("pool-"):
        doc = yaml.safe_load(data.decode("utf-8"))
        language = doc["language"]
        entries = []
        for raw in doc["prompts"]:
            entry = BasePrompt(
                id=raw["id"], language=language, category=raw["category"], pattern=raw["pattern"],
                prompt=raw["prompt"], keywords=tuple(raw["keywords"]), steps=tuple(raw.get("steps", ())),
                code=bool(raw.get("code", False)),
            )
            if entry.category not in CATEGORIES or entry.pattern not in PATTERNS:
                raise ValueError(f"{name}: prompt '{entry.id}': category/pattern must be one of "
                                 f"{CATEGORIES} / {PATTERNS}")
            entries.append(entry)
        ids = [entry.id for entry in entries]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{name}: prompt ids must be unique")
        pool[language] = tuple(entries)
    return pool
