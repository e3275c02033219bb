"""Client-side speed of `ifbench run` against an OpenAI-compatible server that answers at once.

Baseline measured in the same run: the same requests sent one after another with the
standard library's blocking `urllib` (what a simple script would do). Prints requests per
second for each concurrency level and the ratio to the baseline.

    python bench/bench_runner.py [--requests 2000] [--concurrency 1,32,256]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from ifbench.run.backends import parse_model_spec
from ifbench.run.runner import RunConfig, run
from ifbench.tasks.models import Task


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int) -> None:
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit("the no-op server did not start")


def baseline(url: str, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        body = json.dumps({"model": "noop", "messages": [{"role": "user", "content": f"prompt {i}"}]})
        request = urllib.request.Request(url + "/chat/completions", body.encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as reply:
            json.loads(reply.read())
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,32,256")
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("noop_openai_server.py")), str(port)])
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_listening(port)
        tasks = [Task(id=f"t{i}", suite="bench", prompt=f"prompt {i}",
                      constraints=[{"id": "length.words", "max": 5}]) for i in range(args.requests)]
        base = baseline(url, args.requests)
        print(f"baseline (sequential urllib): {base:,.0f} requests/s")
        for level in map(int, args.concurrency.split(",")):
            backend = parse_model_spec(f"openai:noop@{url}", concurrency=level)
            with tempfile.TemporaryDirectory() as out:
                outcome = run(tasks, backend, RunConfig(out=Path(out), concurrency=level, progress=False))
            rate = args.requests / outcome.stats.wall_s
            print(f"ifbench run, concurrency {level:>4}: {rate:,.0f} requests/s "
                  f"({rate / base:.1f}x baseline; generation, scoring and files included), "
                  f"errors {outcome.stats.errors}")
    finally:
        server.kill()


if __name__ == "__main__":
    main()
