"""BatchedBackend: the base of in-process engines, which answer requests in batches in a worker thread."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from ifbench.run.backends.protocol import Reply, Request


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
