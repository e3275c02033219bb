"""Compose a fresh suite: base prompts + drawn constraints, phrased into the prompt, lint-clean, passable.

For task i (languages and constraint counts taken in turn, so every count in MIN-MAX gets a
balanced share per language), the generator takes the next base prompt of that language's
shuffled deck, draws that many distinct supported checkers (one fitting the prompt's pattern
first), draws their parameters and phrasings, and keeps the set only if it is *lint-clean*
(`ifbench lint` finds nothing: no declared conflict, bound clash, text clash, unrequested check)
and *passable* (`satisfy.build_reply` builds a reply that passes every constraint). All
randomness comes from one `random.Random(seed)`, and everything is iterated in a fixed order,
so the same arguments give a byte-identical file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import yaml

from ifbench.checking.text import fold
from ifbench.errors import IfbenchError
from ifbench.generate.params import SUPPORTED, Draw, eligible
from ifbench.generate.phrasing import Phrasings, load_phrasings, phrasings_sha256
from ifbench.generate.pool import BasePrompt, load_pool, pool_sha256
from ifbench.generate.satisfy import Spec, build_reply
from ifbench.tasks.lint import lint_task
from ifbench.tasks.models import Task

GENERATOR_NAME = "ifbench.generate"
GENERATOR_VERSION = "1"
"""Bump when the same seed and arguments would give a different file."""
ATTEMPTS_PER_BASE = 40
BASES_PER_TASK = 8

# A checker that suits the prompt's pattern is drawn first (role prompts: stay in character, ...).
PATTERN_FIRST = {
    "format": ("format.", "steps."),
    "role": ("role.",),
    "constrained": ("length.", "content."),
    "simple": ("",),
}


class GenerateError(IfbenchError):
    """The generator cannot produce what was asked (bad arguments, or no passable set found)."""


@dataclass
class Generated:
    """A generated suite: the tasks (as written to the file), their built replies and the file's text."""

    tasks: list[dict[str, Any]]
    replies: dict[str, str]
    text: str
    header: dict[str, Any] = field(default_factory=dict)


def parse_range(text: str) -> tuple[int, int]:
    """`1-3` -> (1, 3); `2` -> (2, 2); GenerateError naming the problem otherwise."""
    low, _, high = text.partition("-")
    try:
        bounds = (int(low), int(high or low))
    except ValueError:
        raise GenerateError(f"--constraints {text!r}: write MIN-MAX, e.g. 1-3") from None
    if not 1 <= bounds[0] <= bounds[1] <= 6:
        raise GenerateError(f"--constraints {text!r}: need 1 <= MIN <= MAX <= 6")
    return bounds


def generate(seed: int, n_tasks: int, languages: list[str], constraints: tuple[int, int], *,
             suite: str | None = None, references: bool = False) -> Generated:
    """Compose `n_tasks` tasks in `languages` with MIN-MAX constraints each, from `random.Random(seed)`."""
    pool = load_pool()
    unknown = [lang for lang in languages if lang not in pool]
    if unknown or not languages:
        raise GenerateError(f"--languages: unknown {unknown or languages}; the pool has {', '.join(sorted(pool))}")
    if n_tasks < 1:
        raise GenerateError("--tasks must be at least 1")
    low, high = constraints
    rng = random.Random(seed)
    decks: dict[str, list[BasePrompt]] = {lang: [] for lang in languages}
    seen_prompts: set[str] = set()
    tasks: list[dict[str, Any]] = []
    replies: dict[str, str] = {}
    suite = suite or f"generated-s{seed}"
    for index in range(n_tasks):
        language = languages[index % len(languages)]
        count = low + (index // len(languages)) % (high - low + 1)
        ph = load_phrasings(language)
        for _ in range(BASES_PER_TASK):
            if not decks[language]:
                decks[language] = list(pool[language])
                rng.shuffle(decks[language])
            base = decks[language].pop()
            made = _compose(rng, base, ph, count, f"{language}-{base.id}-{index + 1:04d}", suite, seen_prompts)
            if made is not None:
                task, reply = made
                tasks.append(task)
                replies[task["id"]] = reply
                seen_prompts.add(_key(task["prompt"]))
                break
        else:
            raise GenerateError(f"task {index + 1}: no lint-clean, passable set of {count} constraints found "
                                f"in {BASES_PER_TASK} base prompts; ask for fewer constraints")
    header = {
        "name": GENERATOR_NAME, "version": GENERATOR_VERSION, "seed": seed,
        "pool_sha256": pool_sha256(), "phrasings_sha256": phrasings_sha256(),
        "languages": list(languages), "constraints": f"{low}-{high}", "tasks": n_tasks,
    }
    if references:
        tasks = [{**task, "reference": replies[task["id"]]} for task in tasks]
    document = {"suite": suite, "version": 1, "generator": header, "tasks": tasks}
    return Generated(tasks=tasks, replies=replies, text=dump(document), header=header)


def _key(prompt: str) -> str:
    return " ".join(fold(prompt).split())


def _compose(rng: random.Random, base: BasePrompt, ph: Phrasings, count: int, task_id: str, suite: str,
             seen: set[str]) -> tuple[dict[str, Any], str] | None:
    """One lint-clean, passable task on `base` with `count` constraints, or None after some attempts."""
    pool = eligible(base)
    if len(pool) < count:
        return None
    for _ in range(ATTEMPTS_PER_BASE):
        first = [cid for cid in pool if any(cid.startswith(prefix) for prefix in PATTERN_FIRST[base.pattern])]
        chosen = [rng.choice(first)]
        chosen += rng.sample([cid for cid in pool if cid != chosen[0]], count - 1)
        draws = [SUPPORTED[cid](rng, base, ph) for cid in chosen]
        prompt = _prompt(rng, base, ph, draws)
        if _key(prompt) in seen:
            continue
        task = {
            "id": task_id, "language": base.language, "category": base.category, "pattern": base.pattern,
            "tags": ["generated"], "prompt": prompt,
            "constraints": [{"id": draw.id, **draw.params} for draw in draws],
        }
        model = Task.model_validate({"suite": suite, **task})
        try:
            for constraint in model.constraints:
                constraint.bind()
        except IfbenchError:
            continue
        if lint_task(model):
            continue
        reply = build_reply(Spec({draw.id: draw.params for draw in draws}, prompt), ph)
        if reply is not None:
            return task, reply
    return None


def _prompt(rng: random.Random, base: BasePrompt, ph: Phrasings, draws: list[Draw]) -> str:
    parts = [base.prompt]
    for draw in draws:
        text = ph.phrase(draw.key, draw.kind, draw.slots, rng)
        if ph.language == "en" and not text.rstrip().endswith((".", "!", "?", '"', ")")):
            text += "."
        parts.append(text)
    return ph.joiner.join(parts)


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors or aliases (task files refuse them), insertion order kept."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(document: dict[str, Any]) -> str:
    head = "# Generated by `ifbench generate`; do not edit by hand (regenerate with the seed below).\n"
    return head + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                            default_flow_style=None, width=100_000)
