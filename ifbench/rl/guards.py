"""Reward-hacking guards: opt-in checks that zero or scale the reward of a reply that games the checkers.

A policy trained on checker rewards finds replies that pass the constraints and say nothing:
three empty headings for "use 3 sections", the prompt copied back, the keywords listed for
"mention X and Y". Each guard looks at the answer (reasoning removed), the prompt and the
constraints, and gives a factor the reward is multiplied by (1.0 lets the reply through) with
a reason. Pass them as `guards=[...]` to `reward`, `rewards`, `reward_details` and the adapters;
`DEFAULT_GUARDS` is all five with their default settings.

- `MinContentWords(min=5)`: fewer content words (words that are not stopwords; in Chinese,
  characters that are not particles) than `min` -> 0.
- `NoPromptCopy(max_share=0.5)`: more than `max_share` of the answer's 4-word runs (4-character
  runs in Chinese) appear in the prompt -> 0. Text a repeat-the-prompt constraint asks for at
  the start is not counted.
- `PromptLanguage()`: the answer's detected language differs from the prompt's -> 0 (unless a
  constraint sets the reply's language; then that constraint decides).
- `NoConstraintEcho(max_share=0.5)`: more than `max_share` of the answer's words are words of
  the constraints' own parameters (keywords, phrases, markers) -> 0.
- `NoEmptySections()`: sections (markdown headings, `Section N`, `第N部分` lines) with no text
  before the next one scale the reward by the share of filled sections.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import regex

from ifbench.checking import budget
from ifbench.checking.evaluate import CHECK_BUDGET_S
from ifbench.checking.langid import base_language, detect_language
from ifbench.checking.text import count_words, words

Constraint = Mapping[str, Any]

ZH_PARTICLES = frozenset("的了是在和与及或也就都而着过吗呢吧啊呀嘛之其这那个把被让给对从向")
"""Chinese function characters that carry no content on their own."""
NGRAM = 4
"""Run length (words; characters in Chinese) compared by NoPromptCopy."""
REPEAT_IDS = {"content.repeat_prompt": "text", "ifeval:combination:repeat_prompt": "prompt_to_repeat"}
"""Constraints that ask the reply to start with the prompt (or a text), and the parameter that holds it."""
LANGUAGE_IDS = frozenset({"language.response", "ifeval:language:response_language"})
_SECTION_START = regex.compile(
    r"^[ \t]*(?:\#{1,6}[ \t]+\S|(?:section|part|chapter)[ \t]+\w|第[0-9一二三四五六七八九十百]+(?:部分|节|章|段))",
    regex.IGNORECASE | regex.MULTILINE,
)


@dataclass(frozen=True)
class GuardOutcome:
    """What one guard found: the factor the reward is multiplied by, and why."""

    name: str
    factor: float
    reason: str


class Guard(Protocol):
    """A guard: (answer, prompt, constraints) -> GuardOutcome. Guards are plain picklable data."""

    def __call__(self, answer: str, prompt: str | None, constraints: Sequence[Constraint]) -> GuardOutcome: ...


def apply_guards(guards: Iterable[Guard], answer: str, prompt: str | None,
                 constraints: Sequence[Constraint]) -> tuple[GuardOutcome, ...]:
    """Each guard's outcome; a guard that runs past the check budget zeroes the reward, saying so."""
    return tuple(_within_budget(guard, answer, prompt, constraints) for guard in guards)


def _within_budget(guard: Guard, answer: str, prompt: str | None,
                   constraints: Sequence[Constraint]) -> GuardOutcome:
    try:
        return budget.within(CHECK_BUDGET_S, guard, answer, prompt, constraints)
    except budget.OverBudget as over:
        return GuardOutcome(type(guard).__name__, 0.0,
                            f"gave up after {over.seconds:g} s on this answer ({len(answer)} characters)")


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    path = importlib.resources.files("ifbench.checkers").joinpath("data/nltk_english_stopwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def content_words(text: str) -> list[str]:
    """The words of `text` (text.py's conventions) that are neither stopwords nor particles."""
    stop = _stopwords()
    return [w for w in words(text) if w.lower() not in stop and w not in ZH_PARTICLES]


@dataclass(frozen=True)
class MinContentWords:
    min: int = 5

    def __call__(self, answer: str, prompt: str | None, constraints: Sequence[Constraint]) -> GuardOutcome:
        found = len(content_words(answer))
        ok = found >= self.min
        return GuardOutcome("min_content_words", 1.0 if ok else 0.0,
                            f"{found} content words; at least {self.min} required")


def _ngrams(tokens: list[str]) -> list[tuple[str, ...]]:
    size = min(NGRAM, len(tokens))
    return [tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)] if size else []


def _without_requested_repeat(answer: str, prompt: str | None, constraints: Sequence[Constraint]) -> str:
    for constraint in constraints:
        key = REPEAT_IDS.get(str(constraint.get("id")))
        text = constraint.get(key) if key else None
        text = text if isinstance(text, str) else (prompt if key else None)
        if text and answer.strip().lower().startswith(text.strip().lower()):
            return answer.strip()[len(text.strip()):]
    return answer


@dataclass(frozen=True)
class NoPromptCopy:
    max_share: float = 0.5

    def __call__(self, answer: str, prompt: str | None, constraints: Sequence[Constraint]) -> GuardOutcome:
        if not prompt:
            return GuardOutcome("no_prompt_copy", 1.0, "no prompt to compare with")
        own = _ngrams([w.lower() for w in words(_without_requested_repeat(answer, prompt, constraints))])
        if not own:
            return GuardOutcome("no_prompt_copy", 1.0, "no words besides a requested repeat of the prompt")
        theirs = set(_ngrams([w.lower() for w in words(prompt)]))
        share = sum(gram in theirs for gram in own) / len(own)
        return GuardOutcome("no_prompt_copy", 1.0 if share <= self.max_share else 0.0,
                            f"{share:.0%} of the answer's {NGRAM}-word runs are in the prompt; "
                            f"at most {self.max_share:.0%} allowed")


@dataclass(frozen=True)
class PromptLanguage:
    def __call__(self, answer: str, prompt: str | None, constraints: Sequence[Constraint]) -> GuardOutcome:
        if any(constraint.get("id") in LANGUAGE_IDS for constraint in constraints):
            return GuardOutcome("prompt_language", 1.0, "a constraint sets the answer's language")
        if not prompt:
            return GuardOutcome("prompt_language", 1.0, "no prompt to compare with")
        theirs, ours = detect_language(prompt), detect_language(answer)
        if theirs is None or ours is None:
            return GuardOutcome("prompt_language", 1.0, "the language of the prompt or answer is unclear")
        same = base_language(theirs) == base_language(ours)
        return GuardOutcome("prompt_language", 1.0 if same else 0.0,
                            f"answer in {base_language(ours)}, prompt in {base_language(theirs)}")


def _parameter_words(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield from (w.lower() for w in words(value))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _parameter_words(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _parameter_words(item)


@dataclass(frozen=True)
class NoConstraintEcho:
    max_share: float = 0.5

    def __call__(self, answer: str, prompt: str | None, constraints: Sequence[Constraint]) -> GuardOutcome:
        echoed = {w for c in constraints for k, v in c.items() if k != "id" for w in _parameter_words(v)}
        own = [w.lower() for w in words(answer)]
        if not own or not echoed:
            return GuardOutcome("no_constraint_echo", 1.0, "no constraint words to echo")
        share = sum(w in echoed for w in own) / len(own)
        return GuardOutcome("no_constraint_echo", 1.0 if share <= self.max_share else 0.0,
                            f"{share:.0%} of the answer's words come from the constraints' parameters; "
                            f"at most {self.max_share:.0%} allowed")


@dataclass(frozen=True)
class NoEmptySections:
    def __call__(self, answer: str, prompt: str | None, constraints: Sequence[Constraint]) -> GuardOutcome:
        starts = [match.start() for match in _SECTION_START.finditer(answer)]
        if not starts:
            return GuardOutcome("no_empty_sections", 1.0, "no sections")
        bodies = []
        for start, end in zip(starts, starts[1:] + [len(answer)]):
            line_end = answer.find("\n", start, end)
            bodies.append(answer[line_end:end] if line_end >= 0 else "")
        filled = sum(count_words(body) > 0 for body in bodies)
        return GuardOutcome("no_empty_sections", filled / len(bodies),
                            f"{filled} of {len(bodies)} sections have text")


DEFAULT_GUARDS: tuple[Guard, ...] = (
    MinContentWords(), NoPromptCopy(), PromptLanguage(), NoConstraintEcho(), NoEmptySections(),
)
