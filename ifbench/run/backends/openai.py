"""OpenAI-compatible HTTP backend (vLLM, SGLang, llama.cpp, Ollama, TGI, hosted APIs).

`openai:MODEL@URL1,URL2` spreads requests over several replicas: each request goes to the
replica with the fewest requests in flight (ties: round robin), a retry to another one.
The API key is read from an environment variable and only ever sent in the Authorization
header: it is kept out of reprs and run.json, and scrubbed (secrets.py) from every reply and
error message the backend hands on, even when a server echoes it.

aiohttp rather than httpx: on this project's 2-core benchmark machine httpx spent 2-8 ms of
CPU per request (its connection pool scans every connection per request), aiohttp 0.4-0.5 ms.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import re
import time
import urllib.request
from itertools import count
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from ifbench.errors import BackendError
from ifbench.run.backends.protocol import Reply, Request, RequestFailed, TransientError
from ifbench.run.backends.secrets import Scrubber

DEFAULT_BASE_URL = "https://api.openai.com/v1"
COOLDOWN_S = 2.0
RETRY_STATUS = frozenset({408, 409, 425, 429}) | frozenset(range(500, 600))
MAX_RESPONSE_BYTES = 16 * 2**20
"""A chat answer is kilobytes (a 32k-token reasoning trace, a few hundred); past this, a
misbehaving server or a compression bomb, not a reply."""
CREDENTIAL_HEADER = re.compile(r"auth|key|token|secret|cookie", re.IGNORECASE)


class OpenAIBackend:
    """Chat completions (`/chat/completions`) or text completions (`/completions`)."""

    default_concurrency = 32

    def __init__(
        self,
        model: str,
        base_urls: list[str],
        *,
        name: str | None = None,
        api_key: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        headers: dict[str, str] | None = None,
        timeout: float = 600.0,
        concurrency: int | None = None,
        max_response_bytes: int | None = None,
    ):
        if not model:
            raise BackendError("openai: model name is empty (openai:MODEL@BASE_URL)")
        self.model = model
        self.label = name or f"openai:{model}"
        self.base_urls = [_normalize_url(url) for url in base_urls]
        self.api_key_env = api_key_env
        self._secret = api_key or None
        self._header_names = sorted(headers or {})
        self._headers = {"Content-Type": "application/json", **(headers or {})}
        if self._secret:
            self._headers["Authorization"] = f"Bearer {self._secret}"
        # The token of a credential header (`Authorization: Bearer tok-…` -> `tok-…`) is a secret too.
        self._scrub = Scrubber([self._secret] + [
            value.split()[-1] for name, value in (headers or {}).items()
            if CREDENTIAL_HEADER.search(name) and value.split()])
        self.max_response_bytes = max_response_bytes or MAX_RESPONSE_BYTES
        self._limit = max(concurrency or self.default_concurrency, 1)
        self._session: aiohttp.ClientSession | None = None  # made in the event loop that uses it
        self.timeout = timeout
        # proxies from the environment, looked up once (aiohttp's trust_env costs 2 thread hops a request)
        self._proxies = [_env_proxy(url) for url in self.base_urls]
        self._in_flight = [0] * len(self.base_urls)
        self._cooling_until = [0.0] * len(self.base_urls)
        self._turn = count()

    @classmethod
    def from_spec(cls, rest: str, **options: Any) -> OpenAIBackend:
        """`MODEL@URL1,URL2` (or `MODEL`: then $OPENAI_BASE_URL or OpenAI's API)."""
        at = max(rest.find("@http://"), rest.find("@https://"))
        if at >= 0:
            model, urls = rest[:at], [u.strip() for u in rest[at + 1 :].split(",") if u.strip()]
        elif "@" in rest:
            raise BackendError(
                f"openai:{_redact_url(rest)}: the base URL after '@' must start with http:// or https://"
            )
        else:
            model, urls = rest, [os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL]
        env = options.get("api_key_env") or "OPENAI_API_KEY"
        return cls(model, urls, api_key=os.environ.get(env), **options)

    def __repr__(self) -> str:
        return f"OpenAIBackend(model={self.model!r}, base_urls={[_redact_url(u) for u in self.base_urls]!r})"

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "openai",
            "model": self.model,
            "base_urls": [_redact_url(url) for url in self.base_urls],
            "api_key_env": self.api_key_env,
            "api_key_set": bool(self._secret),
            "headers": self._header_names,
            "timeout_s": self.timeout,
            "max_response_bytes": self.max_response_bytes,
        }

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers=self._headers,
                connector=aiohttp.TCPConnector(limit=self._limit, limit_per_host=0),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    def _pick(self) -> int:
        """The replica with the fewest requests in flight, skipping ones that just failed."""
        turn = next(self._turn)
        n = len(self.base_urls)
        now = time.monotonic()
        order = [(turn + i) % n for i in range(n)]
        return min(order, key=lambda i: (self._cooling_until[i] > now, self._in_flight[i]))

    async def generate(self, request: Request) -> Reply:
        settings = request.settings
        chat = settings.mode == "chat"
        body: dict[str, Any] = {"model": self.model}
        if chat:
            body["messages"] = list(request.messages)
        else:
            body["prompt"] = request.prompt
        body["max_tokens"] = settings.max_tokens
        body["temperature"] = settings.temperature
        body["top_p"] = settings.top_p
        if request.seed is not None:
            body["seed"] = request.seed
        if settings.stop:
            body["stop"] = list(settings.stop)
        body.update(settings.extra_body)
        index = self._pick()
        url = _join(self.base_urls[index], "chat/completions" if chat else "completions")
        payload = json.dumps(body).encode()  # ASCII escapes: valid even for lone surrogates
        self._in_flight[index] += 1
        try:
            async with self._open().post(url, data=payload, allow_redirects=False,
                                         proxy=self._proxies[index]) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After")
                content = await self._read(response, url)
        except asyncio.TimeoutError:
            self._cool(index)
            raise TransientError(f"no answer within {self.timeout:g} s from {_redact_url(url)}") from None
        except aiohttp.ClientError as error:  # refused, dropped, reset, truncated
            self._cool(index)
            detail = self._scrub(str(error)) or "connection failed"
            raise TransientError(f"{type(error).__name__} from {_redact_url(url)}: {detail}") from None
        finally:
            self._in_flight[index] -= 1
        if status != 200:
            text = _snippet(self._scrub(content.decode("utf-8", "replace")))
            message = f"HTTP {status} from {_redact_url(url)}: {text}"
            if status in RETRY_STATUS:
                self._cool(index)
                raise TransientError(message, _retry_after(retry_after))
            raise RequestFailed(message)
        return self._parse(content, chat)

    async def _read(self, response: aiohttp.ClientResponse, url: str) -> bytes:
        """The decoded body, refused past max_response_bytes (decoded, so a gzip bomb stops early)."""
        limit, size, chunks = self.max_response_bytes, 0, []
        too_big = RequestFailed(
            f"the answer from {_redact_url(url)} is over {limit:,} bytes (--max-response-bytes); "
            "not read further")
        if (response.content_length or 0) > limit:
            raise too_big
        async for chunk in response.content.iter_chunked(1 << 16):
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    def _cool(self, index: int) -> None:
        """Prefer the other replicas for a moment after this one failed."""
        self._cooling_until[index] = time.monotonic() + COOLDOWN_S

    def _parse(self, content: bytes, chat: bool) -> Reply:
        try:
            data = json.loads(content)
        except (ValueError, RecursionError) as error:  # bad JSON or UTF-8, huge ints, deep nesting
            # Most often a body cut short (a proxy, a dropped stream): worth asking again.
            text = _snippet(self._scrub(content.decode("utf-8", "replace")))
            raise TransientError(f"the server's answer is not JSON ({error}): {text}") from None
        if not isinstance(data, dict):
            raise RequestFailed("the server's answer is not a JSON object")
        if "error" in data and not data.get("choices"):
            text = _snippet(self._scrub(json.dumps(data["error"], ensure_ascii=False)))
            raise RequestFailed(f"the server returned an error: {text}")
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise RequestFailed("the server's answer has no choices")
        choice = choices[0]
        reasoning = None
        if chat:
            message = choice.get("message") or {}
            text = message.get("content") if isinstance(message, dict) else None
            if isinstance(message, dict):
                reasoning = message.get("reasoning_content") or message.get("reasoning")
        else:
            text = choice.get("text")
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        finish = choice.get("finish_reason")
        return Reply(
            text=self._scrub(text) if isinstance(text, str) else "",
            finish_reason=self._scrub(finish) if isinstance(finish, str) else None,
            prompt_tokens=_int_or_none(usage.get("prompt_tokens")),
            completion_tokens=_int_or_none(usage.get("completion_tokens")),
            reasoning=self._scrub(reasoning) if isinstance(reasoning, str) and reasoning else None,
        )


def _normalize_url(url: str) -> str:
    """`http://host:8000` -> `http://host:8000/v1`; a URL with a path is used as given."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise BackendError(f"base URL {_redact_url(url)!r} is not an http(s) URL")
    path = parts.path.rstrip("/") or "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _join(base_url: str, endpoint: str) -> str:
    """`endpoint` under the base URL's path, keeping its query (`/v1?api-version=1`, as Azure has)."""
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme, parts.netloc, f"{parts.path.rstrip('/')}/{endpoint}", parts.query, ""))


def _env_proxy(url: str) -> str | None:
    """The proxy that HTTP(S)_PROXY / NO_PROXY choose for this URL, as curl would."""
    parts = urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)


def _redact_url(url: str) -> str:
    """The URL without user:password@ and without query values (they may hold tokens)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = "&".join(p.split("=", 1)[0] + "=***" if "=" in p else p for p in parts.query.split("&") if p)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _snippet(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
