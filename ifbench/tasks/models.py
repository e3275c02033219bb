"""What a task file holds, as models: Task, its Turns, Messages and Constraints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ifbench.checking.evaluate import BoundConstraint, bind

Category = Literal["basic", "creative", "reasoning", "multi_step"]
Pattern = Literal["simple", "constrained", "role", "format"]


class Constraint(BaseModel):
    """One constraint as written in a task file: `{id: length.words, max: 100}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    """The checker id, e.g. `length.words` or `ifeval:keywords:existence`."""
    params: dict[str, Any] = Field(default_factory=dict)
    """The checker's parameters, exactly as written."""

    @model_validator(mode="before")
    @classmethod
    def _from_flat_mapping(cls, data: Any) -> Any:
        if isinstance(data, dict) and "params" not in data:
            fields = dict(data)
            return {"id": fields.pop("id", None), "params": fields}
        return data

    def bind(self) -> BoundConstraint:
        """Resolve the checker and validate the parameters (ConstraintError if bad)."""
        return bind({"id": self.id, **self.params})


class Message(BaseModel):
    """One chat message in OpenAI's format."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class NearMiss(BaseModel):
    """An answer that fails exactly one named constraint: proof that the checkers discriminate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    response: str
    fails: str
    """The id of the one constraint this answer must fail."""


class Turn(BaseModel):
    """One user turn of a multi-turn task and the constraints on the reply to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: str = Field(min_length=1)
    constraints: list[Constraint] = Field(default_factory=list)
    reference: str | None = None
    """A hand-checked reply to this turn that meets all of its constraints."""
    near_miss: NearMiss | None = None


class Task(BaseModel):
    """One benchmark task: a prompt (or messages, or turns) and the constraints on the reply."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    """Unique within the suite (for IFEval/IFBench data: the `key`)."""
    suite: str = Field(min_length=1)
    language: str = Field(default="en", pattern=r"^[a-z]{2}$")
    """ISO 639-1 code of the prompt's language."""
    category: Category | None = None
    pattern: Pattern | None = None
    tags: list[str] = Field(default_factory=list)
    prompt: str | None = None
    """A single user prompt."""
    messages: list[Message] | None = None
    """Chat messages sent as given (a `system` message included); the last one is the user's."""
    turns: list[Turn] | None = None
    """A conversation played turn by turn with the model's own earlier replies."""
    constraints: list[Constraint] = Field(default_factory=list)
    """Constraints on the reply (for `prompt` and `messages` tasks)."""
    reference: str | None = None
    """A hand-checked reply that meets every constraint (proves the task satisfiable)."""
    near_miss: NearMiss | None = None
    """A reply that fails exactly one constraint."""

    @model_validator(mode="after")
    def _one_kind_of_input(self) -> Task:
        given = [name for name in ("prompt", "messages", "turns") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'prompt', 'messages', 'turns'"
                + (f" (found {', '.join(given)})" if given else "")
            )
        if self.turns is not None:
            if not self.turns:
                raise ValueError("'turns' is empty")
            if self.constraints:
                raise ValueError("a 'turns' task puts its constraints inside each turn")
        if self.messages is not None and (not self.messages or self.messages[-1].role != "user"):
            raise ValueError("'messages' must end with a user message")
        if self.turns is not None and (self.reference is not None or self.near_miss is not None):
            raise ValueError("a 'turns' task puts 'reference' and 'near_miss' inside each turn")
        if self.prompt is not None and not self.prompt.strip():
            raise ValueError("'prompt' is empty")
        return self

    def user_turns(self) -> list[Turn]:
        """The turns whose replies are checked, in order (one for prompt/messages tasks)."""
        if self.turns is not None:
            return list(self.turns)
        prompt = self.prompt if self.prompt is not None else self.messages[-1].content  # type: ignore[index]
        return [
            Turn(
                prompt=prompt,
                constraints=self.constraints,
                reference=self.reference,
                near_miss=self.near_miss,
            )
        ]

    def all_constraints(self) -> list[Constraint]:
        return [constraint for turn in self.user_turns() for constraint in turn.constraints]
