"""The backend protocol: a Request in, a Reply out, and the two failures a backend may raise.

    Backend (protocol)             generate(Request) -> Reply, async; label; describe()
    ├── OpenAIBackend              openai:MODEL@URL[,URL...]  HTTP, any OpenAI-compatible server
    ├── LlamaCppBackend            llamacpp:PATH (and the embedded default model), in a child process
    └── BatchedBackend             a synchronous generate_batch() run in a worker thread
        ├── HFBackend              hf:PATH_OR_NAME
        └── VLLMBackend            vllm:PATH_OR_NAME

A backend raises TransientError for failures worth retrying (429, 5xx, dropped connections,
timeouts) and RequestFailed for the others (EngineDied, when an engine's process dies, stops the run); RetryPolicy (retry.py), the same for every backend,
decides when to try again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ifbench.errors import BackendError
from ifbench.run.backends.settings import GenerationSettings


@dataclass(frozen=True)
class Request:
    """One generation: the conversation so far (ending with a user message) and the settings."""

    messages: tuple[dict[str, str], ...]
    settings: GenerationSettings
    seed: int | None = None
    """This request's seed (the settings' seed plus the sample index)."""

    @property
    def prompt(self) -> str:
        """The raw text sent in completion mode: the messages' contents, one blank line apart."""
        return "\n\n".join(message["content"] for message in self.messages)


@dataclass(frozen=True)
class Reply:
    text: str
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    reasoning: str | None = None
    """Reasoning the server returned apart from the content (`reasoning_content`)."""


class TransientError(Exception):
    """A failure worth retrying; `retry_after` is the server's requested wait in seconds."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class RequestFailed(Exception):
    """A request that failed for good (bad request, malformed answer, ...)."""


class EngineDied(BackendError):
    """An engine's own process died: the run stops (no retry, no per-task error)."""


class Backend(Protocol):
    label: str
    """The model name written to every record, without secrets."""
    default_concurrency: int

    async def generate(self, request: Request) -> Reply: ...

    def describe(self) -> dict[str, Any]:
        """How the backend was set up, for run.json; never contains secrets."""
        ...

    async def aclose(self) -> None: ...
