"""The HTTP reward server behind `ifbench serve-rewards`, in OpenRLHF's remote reward-model convention.

    POST /get_reward  (or /)   {"query": [...], "prompts": [...], "labels": [...]}
                            -> {"rewards": [...], "scores": [...]}
    GET  /health            -> {"status": "ok"}

OpenRLHF (`--remote_rm_url http://HOST:PORT/get_reward`) sends each sample's full text as
`query` (prompt and reply together), its `prompts` and its dataset `labels`. The reply is the
query with the prompt cut off its start (the whole query when it does not start with the
prompt). Each label is read by `constraints_from_label`. `rewards` and `scores` hold the same
values (OpenRLHF reads `rewards`; newer releases also read `scores`).

A body that is not JSON, or not of that shape, or with a label that cannot be read is answered
400 with `{"error": reason}`; a body over the size limit 413. Rewards are computed off the event
loop (in worker processes with `workers`), so the server keeps answering while it scores.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from functools import partial
from typing import Any

from aiohttp import web

from ifbench.checking.evaluate import CheckMode
from ifbench.errors import ConstraintError
from ifbench.rl.api import Credit, check_options
from ifbench.rl.batch import rewards
from ifbench.rl.guards import Guard
from ifbench.rl.labels import constraints_from_label

DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024
PATHS = ("/get_reward", "/")


class BadRequest(Exception):
    """The request body cannot be scored; the message says why."""


def parse_request(body: bytes) -> tuple[list[str], list[str | None], list[list[dict[str, Any]]]]:
    """Replies, prompts and constraint lists of an OpenRLHF request body; BadRequest if malformed."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise BadRequest(f"the body is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise BadRequest(f"the body is a JSON object with 'query' and 'labels', not {type(data).__name__}")
    queries, labels = data.get("query"), data.get("labels")
    prompts = data.get("prompts")
    for name, value in (("query", queries), ("labels", labels)):
        if not isinstance(value, list):
            raise BadRequest(f"'{name}' must be a list, one entry per sample; got {type(value).__name__}")
    if prompts is not None and not isinstance(prompts, list):
        raise BadRequest(f"'prompts' must be a list or absent; got {type(prompts).__name__}")
    prompts = prompts if prompts is not None else [None] * len(queries)
    if not len(queries) == len(labels) == len(prompts):
        raise BadRequest(f"{len(queries)} queries, {len(prompts)} prompts and {len(labels)} labels: "
                         "give one of each per sample")
    if not all(isinstance(q, str) for q in queries):
        raise BadRequest("every query is a string")
    if not all(p is None or isinstance(p, str) for p in prompts):
        raise BadRequest("every prompt is a string or null")
    constraints = []
    for index, label in enumerate(labels):
        try:
            constraints.append(constraints_from_label(label))
        except ConstraintError as error:
            raise BadRequest(f"labels[{index}]: {error}") from None
    replies = [q[len(p):] if p and q.startswith(p) else q for q, p in zip(queries, prompts)]
    return replies, prompts, constraints


def make_app(*, mode: CheckMode = "strict", credit: Credit = "fraction", workers: int | None = None,
             guards: Sequence[Guard] = (),
             max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES) -> web.Application:
    """The aiohttp application; requests larger than `max_request_bytes` get 413."""
    check_options(mode, credit)
    score = partial(rewards, mode=mode, credit=credit, workers=workers, guards=tuple(guards))

    async def get_reward(request: web.Request) -> web.Response:
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"error": f"the body is larger than {max_request_bytes} bytes; "
                                      "send smaller batches or raise --max-request-mb"}, status=413)
        try:
            replies, prompts, constraints = parse_request(body)
            values = await asyncio.get_running_loop().run_in_executor(
                None, partial(score, replies, constraints, prompts=prompts)) if replies else []
        except BadRequest as error:
            return web.json_response({"error": str(error)}, status=400)
        except ConstraintError as error:
            return web.json_response({"error": str(error)}, status=400)
        return web.json_response({"rewards": values, "scores": values})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(client_max_size=max_request_bytes)
    for path in PATHS:
        app.router.add_post(path, get_reward)
    app.router.add_get("/health", health)
    return app
