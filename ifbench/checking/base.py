"""What a checker is: a pure function (response, params, context) -> Verdict, and what it declares.

Parameters are a pydantic model per checker (`Params` subclasses, `extra="forbid"`,
one docstring per field); its JSON schema is what `ifbench checkers` prints. Everything else
known about a checker is declared with it: the languages it applies to, its lint hints
(`LintHints`: prompt cues, conflicts, text demands) and the constraints nested in it (`children`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


class Verdict(BaseModel):
    """The outcome of one constraint on one response."""

    model_config = ConfigDict(frozen=True)

    passed: bool
    """Whether the response meets the constraint."""
    reason: str
    """What was measured and what was required, e.g. `312 words; at most 300 allowed`."""


@dataclass(frozen=True)
class Context:
    """What a checker may know besides the response: the task it belongs to."""

    prompt: str | None = None
    """The text of the prompt (the last user turn) the response answers."""
    language: str | None = None
    """ISO 639-1 code of the task's prompt language."""


class Params(BaseModel):
    """Base of every checker's parameter model: strict, immutable, self-documenting."""

    # The docstring under each field is its description in the JSON schema. It is read when a
    # schema is first asked for (`documented`), not when the class is made: reading it means
    # parsing the module's source, which every start-up would pay for every checker.
    model_config = ConfigDict(extra="forbid", frozen=True)


_documented: set[type[BaseModel]] = set()
_from_docs: set[tuple[type[BaseModel], str]] = set()
"""(class, field) whose description is a docstring, not an explicit `description=`."""


def documented(model: type[BaseModel]) -> type[BaseModel]:
    """`model`, after every Params class has its fields' docstrings as descriptions (as pydantic's
    `use_attribute_docstrings` gives them; an explicit `description=` wins)."""
    models: list[type[Params]] = []
    pending = [Params]
    while pending:
        cls = pending.pop(0)
        models.append(cls)
        pending += [sub for sub in cls.__subclasses__() if sub not in models and sub not in pending]
    if not _documented.issuperset(models):  # the first schema asked for, or a plugin's new class
        from pydantic._internal._docs_extraction import extract_docstrings_from_cls

        _documented.update(models)
        for cls in models:  # parents before children, so a field's own class has the last word
            for parent in reversed(cls.__mro__):
                if not (isinstance(parent, type) and issubclass(parent, Params)):
                    continue
                docs = extract_docstrings_from_cls(parent, use_inspect=True)
                for name, field in cls.model_fields.items():
                    if name in docs and name in vars(parent).get("__annotations__", {}) and (
                            field.description is None or _doc_inherited(cls, name, field.description)):
                        field.description = docs[name]
                        _from_docs.add((cls, name))
        for _ in range(2):  # twice: a model's schema embeds those of the models in its fields
            for cls in models:
                cls.model_rebuild(force=True)
    return model


def _doc_inherited(cls: type[BaseModel], name: str, description: str) -> bool:
    if (cls, name) in _from_docs:
        return True
    return any((base, name) in _from_docs and base.model_fields[name].description == description
               for base in cls.__mro__[1:] if isinstance(base, type) and issubclass(base, Params)
               and name in base.model_fields)


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank (empty or only whitespace)")
    return value


NonBlankStr = Annotated[str, AfterValidator(_non_blank)]
"""A text parameter (keyword, phrase, marker...) that must hold more than whitespace."""


def plural(n: int, unit: str) -> str:
    """`1 word`, `2 words`; `unit` is singular, ending in `|plural` when irregular."""
    singular, _, plural_form = unit.partition("|")
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


class CountParams(Params):
    """Bounds on a count: `exact`, `min`, `max` (inclusive); at least one is required."""

    exact: int | None = Field(default=None, ge=0)
    """The count must equal this."""
    min: int | None = Field(default=None, ge=0)
    """The count must be at least this."""
    max: int | None = Field(default=None, ge=0)
    """The count must be at most this."""

    @model_validator(mode="after")
    def _bounds_make_sense(self) -> CountParams:
        if self.exact is None and self.min is None and self.max is None:
            raise ValueError("give at least one of 'exact', 'min', 'max'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min}) is greater than 'max' ({self.max})")
        if self.exact is not None:
            for name in ("min", "max"):
                bound = getattr(self, name)
                if bound is not None and not (
                    self.exact >= bound if name == "min" else self.exact <= bound
                ):
                    raise ValueError(f"'exact' ({self.exact}) contradicts '{name}' ({bound})")
        return self

    def contains(self, n: int) -> bool:
        if self.exact is not None and n != self.exact:
            return False
        if self.min is not None and n < self.min:
            return False
        return self.max is None or n <= self.max

    def requirement(self) -> str:
        if self.exact is not None:
            return f"exactly {self.exact} required"
        if self.min is not None and self.max is not None:
            return f"between {self.min} and {self.max} required"
        if self.min is not None:
            return f"at least {self.min} required"
        return f"at most {self.max} allowed"

    def judge(self, n: int, unit: str) -> Verdict:
        """The verdict for a measured count, e.g. `312 words; at most 300 allowed`."""
        return Verdict(passed=self.contains(n), reason=f"{plural(n, unit)}; {self.requirement()}")


P = TypeVar("P", bound=Params)
CheckFunction = Callable[[str, P, Context], Verdict]


@dataclass(frozen=True)
class Example:
    """A documented, tested use of a checker: this response with these params gives `passes`."""

    response: str
    params: dict[str, Any]
    passes: bool


@dataclass(frozen=True)
class Conflict:
    """Another checker that no reply can satisfy together with this one; lint reports the pair."""

    other: str
    """The other checker's id."""
    rule: str
    """The lint rule that reports it (`case-conflict`, `format-conflict`, ...)."""
    why: str


@dataclass(frozen=True)
class Demands:
    """What one constraint requires of the reply's text, as lint's text and language rules read it."""

    starts: tuple[str, ...] = ()
    """Text the reply must start with."""
    ends: tuple[str, ...] = ()
    """Text the reply must end with."""
    contains: tuple[str, ...] = ()
    """Text the reply must contain."""
    forbids: tuple[str, ...] = ()
    """Keywords the reply must not contain."""
    forbidden_chars: str = ""
    """Characters the reply must not contain."""
    quoted: bool = False
    """The whole reply is wrapped in quote marks."""
    language: str | None = None
    """The language the reply must be written in."""


@dataclass(frozen=True)
class LintHints:
    """What `ifbench lint` knows of a checker, declared with it at registration."""

    cues: tuple[str, ...] = ()
    """Words (English and Chinese) a prompt uses when it asks for this check, for a checker whose
    parameters are not written out in the prompt; a cue starting with a letter must start a word."""
    conflicts: tuple[Conflict, ...] = ()
    distinct_by: str | None = None
    """For a count checker: the parameter that tells two constraints of this id apart (`level`)."""
    at_most: tuple[tuple[str, str], ...] = ()
    """(other checker id, why): on one reply this count never exceeds the other checker's count."""
    demands: Callable[[Any], Demands] | None = None
    """Validated params -> what they require of the reply's text."""
    requested: Callable[[Any, str], Iterable[str]] | None = None
    """(validated params, prompt) -> why the prompt does not ask for this constraint, beyond what
    the generic rule checks (numbers, keywords, phrases, markers written in the prompt)."""


@dataclass(frozen=True)
class Checker(Generic[P]):
    """A registered checker: its id, parameter model, function and documentation."""

    id: str
    params_model: type[P]
    function: CheckFunction[P]
    description: str
    examples: tuple[Example, ...] = ()
    languages: frozenset[str] | None = None
    """Prompt languages the checker applies to; None means any (task validation refuses others)."""
    lint: LintHints = LintHints()
    children: Callable[[P], Iterable[Mapping[str, Any]]] | None = None
    """Validated params -> the constraints nested inside this one (`{"id": ..., **params}`)."""

    def __call__(self, response: str, params: P, context: Context) -> Verdict:
        return self.function(response, params, context)

    @property
    def family(self) -> str:
        """`length` for `length.words`, `ifeval` for `ifeval:keywords:existence`."""
        return self.id.split(":", 1)[0] if ":" in self.id else self.id.split(".", 1)[0]

    @property
    def bounded(self) -> bool:
        """Whether its parameters are count bounds (exact, min, max), which lint compares."""
        return issubclass(self.params_model, CountParams)

    def params_schema(self) -> dict[str, Any]:
        return documented(self.params_model).model_json_schema()
