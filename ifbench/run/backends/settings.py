"""Generation settings: everything that changes what the model writes, hashed to key resumed replies."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

GenerationMode = Literal["chat", "completion"]


class GenerationSettings(BaseModel):
    """Everything that changes what the model writes; its hash keys resumed responses."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    mode: GenerationMode = "chat"
    """`chat` sends messages through the chat template; `completion` sends the raw prompt."""
    temperature: float = Field(default=0.0, ge=0)
    top_p: float = Field(default=1.0, gt=0, le=1)
    max_tokens: int = Field(default=1024, ge=1)
    seed: int | None = 0
    """Sample k of a task is generated with seed + k, so samples differ when sampling."""
    stop: tuple[str, ...] = ()
    system: str | None = None
    """Replaces the task's system message (or adds one)."""
    extra_body: dict[str, Any] = Field(default_factory=dict)
    """Extra request fields for OpenAI-compatible servers, e.g. `chat_template_kwargs`."""

    def digest(self) -> str:
        """A short stable hash of these settings."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]
