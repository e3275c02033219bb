"""Model backends: one small protocol (a request in, a reply out) and `parse_model_spec`.

    Backend (protocol)             generate(Request) -> Reply, async; label; describe()
    ├── OpenAIBackend              openai:MODEL@URL[,URL...]  HTTP, any OpenAI-compatible server
    ├── LlamaCppBackend            llamacpp:PATH (and the embedded default model), in a child process
    └── BatchedBackend             a synchronous generate_batch() run in a worker thread
        ├── HFBackend              hf:PATH_OR_NAME
        └── VLLMBackend            vllm:PATH_OR_NAME

A backend raises TransientError for failures worth retrying (429, 5xx, dropped connections,
timeouts) and RequestFailed for the others; RetryPolicy, the same for every backend, decides
when to try again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from ifbench.errors import BackendError, did_you_mean

Mode = Literal["chat", "completion"]
KINDS = ("openai", "llamacpp", "hf", "vllm")


class GenerationSettings(BaseModel):
    """Everything that changes what the model writes; its hash keys resumed responses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Mode = "chat"
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
    """An in-process engine's process died: the run stops (no retry, no per-task error)."""


class Backend(Protocol):
    label: str
    """The model name written to every record, without secrets."""
    default_concurrency: int

    async def generate(self, request: Request) -> Reply: ...

    def describe(self) -> dict[str, Any]:
        """How the backend was set up, for run.json; never contains secrets."""
        ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class Call:
    """How a request ended: a reply, or an error saying why there is none."""

    reply: Reply | None
    error: str | None
    attempts: int
    latency_s: float
    """Duration of the last attempt."""


class RetryPolicy:
    """Bounded retries of transient failures, exponential backoff with jitter, an optional pace.

    The wait before retry k is backoff_s * 2**(k-1) (at most max_backoff_s) times a jitter in
    [0.5, 1], and never shorter than the server's Retry-After (itself capped at 10 minutes).
    """

    MAX_RETRY_AFTER_S = 600.0

    def __init__(self, retries: int = 5, backoff_s: float = 1.0, max_backoff_s: float = 60.0,
                 rps: float | None = None):
        self.retries, self.backoff_s, self.max_backoff_s = retries, backoff_s, max_backoff_s
        self.interval = 1.0 / rps if rps else 0.0
        self._next_start = 0.0

    async def call(self, backend: Backend, request: Request, on_retry: Any = None) -> Call:
        attempts = 0
        while True:
            await self._pace()
            attempts += 1
            started = time.perf_counter()
            try:
                reply = await backend.generate(request)
                return Call(reply, None, attempts, time.perf_counter() - started)
            except TransientError as failure:
                if attempts > self.retries:
                    error = f"{failure} (gave up after {attempts} attempts)"
                    return Call(None, error, attempts, time.perf_counter() - started)
                if on_retry is not None:
                    on_retry()
                await asyncio.sleep(self.wait(attempts, failure.retry_after))
            except RequestFailed as failure:
                return Call(None, str(failure), attempts, time.perf_counter() - started)
            except EngineDied:
                raise
            except Exception as failure:  # a backend bug must not stop the run: record it
                error = f"{type(failure).__name__}: {failure}"
                return Call(None, error, attempts, time.perf_counter() - started)

    def wait(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `attempt`."""
        wait = min(self.backoff_s * 2 ** (attempt - 1), self.max_backoff_s) * random.uniform(0.5, 1.0)
        return wait if retry_after is None else max(wait, min(retry_after, self.MAX_RETRY_AFTER_S))

    async def _pace(self) -> None:
        """Space request starts 1/rps apart."""
        if not self.interval:
            return
        now = time.monotonic()
        start = max(now, self._next_start)
        self._next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


class BatchedBackend:
    """Base for in-process engines: requests that arrive while a batch runs form the next batch.

    Subclasses implement `generate_batch(requests) -> list[Reply | Exception]`, called in a
    worker thread, never twice at the same time.
    """

    label = ""
    default_concurrency = 1
    max_batch = 1

    def __init__(self) -> None:
        self._pending: list[tuple[Request, asyncio.Future[Reply]]] = []
        self._draining = False

    def generate_batch(self, requests: Sequence[Request]) -> list[Reply | Exception]:
        raise NotImplementedError

    async def generate(self, request: Request) -> Reply:
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                await asyncio.sleep(0)  # let requests issued in the same tick join the batch
                batch = self._pending[: self.max_batch]
                del self._pending[: self.max_batch]
                try:
                    replies = await asyncio.to_thread(self.generate_batch, [r for r, _ in batch])
                except Exception as error:  # the whole batch failed: each request says why
                    replies = [error] * len(batch)
                for (_, future), reply in zip(batch, replies):
                    if future.done():
                        continue
                    if isinstance(reply, Exception):
                        future.set_exception(reply)
                    else:
                        future.set_result(reply)
        finally:
            self._draining = False

    def describe(self) -> dict[str, Any]:
        return {"backend": self.label.split(":", 1)[0]}

    async def aclose(self) -> None:
        return None


def parse_engine_args(items: Sequence[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings -> a dict; values are read as JSON when they parse (2, true, null)."""
    args: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BackendError(f"engine argument {item!r} is not KEY=VALUE")
        try:
            args[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            args[key.strip()] = value
    return args


def parse_headers(items: Sequence[str]) -> dict[str, str]:
    """`Name: value` strings -> a dict of extra HTTP headers."""
    headers: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        name, sep, value = item.partition(":")
        if not sep or not name.strip():  # the text is not echoed: it may be a token
            raise BackendError(f"--header number {number} is not 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers


def parse_extra_body(text: str | None) -> dict[str, Any]:
    """A JSON object (or `@file.json`) of extra request fields."""
    if not text:
        return {}
    source = text
    if text.startswith("@"):
        try:
            source = open(text[1:], encoding="utf-8").read()
        except OSError as error:
            raise BackendError(f"--extra-body: cannot read {text[1:]!r}: {error}") from None
    try:
        body = json.loads(source)
    except json.JSONDecodeError as error:
        raise BackendError(f"--extra-body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise BackendError("--extra-body must be a JSON object, e.g. '{\"chat_template_kwargs\": {}}'")
    return body


def parse_model_spec(
    spec: str | None,
    *,
    name: str | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    headers: dict[str, str] | None = None,
    timeout: float = 600.0,
    concurrency: int | None = None,
    engine_args: dict[str, Any] | None = None,
) -> Backend:
    """The backend for a `--model` spec; None is the embedded default (SmolLM2 via llama.cpp).

    Heavy libraries are imported here, only for the backend asked for.
    """
    engine_args = dict(engine_args or {})
    if spec is None:
        from ifbench.backends.llamacpp import LlamaCppBackend

        return LlamaCppBackend(None, name=name, engine_args=engine_args)
    kind, sep, rest = spec.partition(":")
    if not sep or kind not in KINDS or not rest:
        raise BackendError(
            f"model spec {spec!r} is not one of openai:MODEL@BASE_URL, vllm:PATH_OR_NAME, "
            f"hf:PATH_OR_NAME, llamacpp:PATH" + (did_you_mean(kind, KINDS) if sep else "")
        )
    if kind == "openai":
        from ifbench.backends.openai import OpenAIBackend

        return OpenAIBackend.from_spec(
            rest, name=name, api_key_env=api_key_env, headers=headers or {}, timeout=timeout,
            concurrency=concurrency,
        )
    if kind == "llamacpp":
        from ifbench.backends.llamacpp import LlamaCppBackend

        return LlamaCppBackend(rest, name=name, engine_args=engine_args)
    if kind == "hf":
        from ifbench.backends.hf import HFBackend

        return HFBackend(rest, name=name, engine_args=engine_args, batch_size=concurrency)
    from ifbench.backends.vllm import VLLMBackend

    return VLLMBackend(rest, name=name, engine_args=engine_args)


__all__ = [
    "Backend",
    "BatchedBackend",
    "Call",
    "EngineDied",
    "GenerationSettings",
    "Reply",
    "Request",
    "RequestFailed",
    "RetryPolicy",
    "TransientError",
    "parse_engine_args",
    "parse_extra_body",
    "parse_headers",
    "parse_model_spec",
]
