"""RetryPolicy: bounded retries of transient failures with backoff and jitter, the same for every backend."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any

from ifbench.run.backends.protocol import (
    EngineDied,
    Backend,
    Reply,
    Request,
    RequestFailed,
    TransientError,
)


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
