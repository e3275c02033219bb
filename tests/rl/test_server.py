"""`ifbench serve-rewards`: a real server process, a real HTTP client over loopback, OpenRLHF's request shape."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess

import aiohttp
import pytest

import ifbench

LABEL = str([{"instruction_id": ["punctuation:no_comma", "length_constraints:number_words"],
              "kwargs": [None, {"num_words": 4, "relation": "at least"}]}])
ZH_LABEL = json.dumps([{"id": "language.response", "lang": "zh"}])
MAX_MB = 0.05


@pytest.fixture(scope="module")
def server(ifbench_script):
    """The server as a trainer would start it, on a free port; yields its base URL."""
    process = subprocess.Popen(
        [ifbench_script, "serve-rewards", "--host", "127.0.0.1", "--port", "0",
         "--max-request-mb", str(MAX_MB)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/get_reward", line)
    assert match, f"no address in {line!r}; stderr: {process.stderr.read() if process.poll() is not None else ''}"
    yield f"http://127.0.0.1:{match.group(1)}"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0


def post(url: str, body: bytes) -> tuple[int, dict]:
    async def go() -> tuple[int, dict]:
        async with aiohttp.ClientSession() as session:
            async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as response:
                return response.status, json.loads(await response.text() or "{}")
    return asyncio.run(go())


def test_rewards_for_an_openrlhf_batch(server):
    prompts = ["Describe the sea.", "描述大海。", "Describe the sea."]
    replies = ["The sea is wide and deep.", "大海很蓝。", "Wide, deep."]
    body = {"query": [p + r for p, r in zip(prompts, replies)], "prompts": prompts,
            "labels": [LABEL, ZH_LABEL, LABEL]}
    status, answer = post(server + "/get_reward", json.dumps(body).encode())
    assert status == 200
    assert answer["rewards"] == [1.0, 1.0, 0.0]
    assert answer["scores"] == answer["rewards"]
    from ifbench.rl import constraints_from_label
    assert answer["rewards"] == ifbench.rewards(replies, [constraints_from_label(x) for x in body["labels"]])


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "not JSON"),
    (b"[1, 2]", "JSON object"),
    (json.dumps({"query": "one", "labels": [LABEL]}).encode(), "'query' must be a list"),
    (json.dumps({"query": ["a", "b"], "labels": [LABEL]}).encode(), "2 queries"),
    (json.dumps({"query": ["a"], "labels": ["[{'instruction_id': ['copy:repeat_phrase'], 'kwargs': [{}]}]"]}).encode(),
     "labels\\[0\\]: instruction id 'copy:repeat_phrase'"),
    (json.dumps({"query": ["a"], "labels": [json.dumps([{"id": "length.words", "max": -3}])]}).encode(),
     "length.words"),
])
def test_a_bad_request_is_400_with_a_reason(server, body, reason):
    status, answer = post(server + "/get_reward", body)
    assert status == 400
    assert re.search(reason, answer["error"])


def test_a_request_over_the_limit_is_413_and_the_server_lives_on(server):
    huge = json.dumps({"query": ["x" * int(MAX_MB * 1024 * 1024 * 2)], "labels": [LABEL]}).encode()
    status, answer = post(server + "/get_reward", huge)
    assert status == 413
    assert "larger than" in answer["error"]
    status, answer = post(server + "/", json.dumps({"query": ["no commas here at all"], "labels": [LABEL]}).encode())
    assert (status, answer["rewards"]) == (200, [1.0])


def test_health(server):
    async def go() -> tuple[int, dict]:
        async with aiohttp.ClientSession() as session:
            async with session.get(server + "/health") as response:
                return response.status, await response.json()
    assert asyncio.run(go()) == (200, {"status": "ok"})


def test_a_port_in_use_is_an_error_message(ifbench_script):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run([ifbench_script, "serve-rewards", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
