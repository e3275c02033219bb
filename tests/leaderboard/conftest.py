"""Hand-made results.jsonl files for the leaderboard tests."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest


def record(
    model: str,
    task: str,
    verdicts: list[tuple[bool, bool]] | list[tuple[bool, bool, str]],
    *,
    sample: int = 0,
    suite: str = "s",
    sha: str = "h1",
    language: str = "en",
    category: str | None = "basic",
    pattern: str | None = "simple",
    error: str | None = None,
    turns: list[int] | None = None,
) -> dict[str, Any]:
    """A results.jsonl line; verdicts are (strict, loose[, checker id]), default id length.words."""
    constraints = []
    for i, verdict in enumerate(verdicts):
        strict, loose = verdict[0], verdict[1]
        constraints.append({
            "id": verdict[2] if len(verdict) > 2 else "length.words",  # type: ignore[misc]
            "params": {"max": 100},
            "strict": strict,
            "loose": loose,
            "reason": "12 words; at most 100 allowed" if strict else "120 words; at most 100 allowed",
            "loose_reason": None,
            "turn": turns[i] if turns else 0,
        })
    return {
        "task_id": task, "suite": suite, "model": model, "sample": sample, "language": language,
        "category": category, "pattern": pattern,
        "prompt_strict": error is None and all(c["strict"] for c in constraints),
        "prompt_loose": error is None and all(c["loose"] for c in constraints),
        "constraints": constraints, "error": error, "suite_sha256": sha, "version": 1,
    }


def write_run(directory: Path, records: list[dict[str, Any]], *, run: dict[str, Any] | None = None,
              responses: list[dict[str, Any]] | None = None) -> Path:
    """A run directory with results.jsonl (and run.json / responses.jsonl when given)."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "results.jsonl").open("w", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if run is not None:
        (directory / "run.json").write_text(json.dumps(run), encoding="utf-8")
    if responses is not None:
        with (directory / "responses.jsonl").open("w", encoding="utf-8") as out:
            for rec in responses:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return directory


def hand_made() -> list[dict[str, Any]]:
    """Model A: 3 tasks, 2 samples each, one errored sample; model B: 1 sample; B also on s2.

    A: t1 strict (1, 0) -> 0.5, loose 1; t2 1, 1; t3 (error, pass) -> 0.5, 0.5.
       prompt_strict 2/3, prompt_loose 2.5/3, inst_strict (1.5+1+1.5)/6, inst_loose (2+1+1.5)/6.
    B: t1 pass, t2 fail, t3 fail (one of 3) -> prompt 1/3; inst_strict (2+0+2)/6; s2: 1/1.
    """
    return [
        record("A", "t1", [(True, True), (True, True)], sample=0, language="en", category="basic"),
        record("A", "t1", [(True, True), (False, True)], sample=1, language="en", category="basic"),
        record("A", "t2", [(True, True)], sample=0, language="zh", category="creative"),
        record("A", "t2", [(True, True)], sample=1, language="zh", category="creative"),
        record("A", "t3", [(False, False)] * 3, sample=0, language="zh", category="basic",
               error="turn 0: timed out"),
        record("A", "t3", [(True, True)] * 3, sample=1, language="zh", category="basic"),
        record("B", "t1", [(True, True), (True, True)], language="en", category="basic"),
        record("B", "t2", [(False, False)], language="zh", category="creative"),
        record("B", "t3", [(True, True), (False, False), (True, True)], language="zh", category="basic"),
        record("B", "u1", [(True, True)], suite="s2", sha="h2", language="en", category="basic"),
    ]


@pytest.fixture
def hand_made_dir(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", hand_made(), run={
        "ifbench_version": "9.9.9", "started_at": "2026-04-01T12:00:00Z",
        "settings": {"temperature": 0.0, "top_p": 1.0, "max_tokens": 256, "seed": 7, "samples": 2,
                     "mode": "chat"},
    })


@pytest.fixture
def lb() -> SimpleNamespace:
    """The helpers above, for tests (conftest modules are not imported by name)."""
    return SimpleNamespace(record=record, write_run=write_run, hand_made=hand_made)


# A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (fd 3: commands to the
# browser, fd 4: replies and events, NUL-terminated JSON), so the browser test needs no
# websocket library and no free port.


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageResult:
    value: Any
    """What the expression evaluated to (it should return a JSON string)."""
    errors: list[str]
    """Uncaught exceptions, console.error calls and error log entries (CSP violations...)."""


class _DevTools:
    def __init__(self, write_fd: int, read_fd: int, deadline: float):
        self.write_fd, self.read_fd, self.deadline = write_fd, read_fd, deadline
        self.buffer = b""
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.read_fd], [], [], remaining)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self.read_fd, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, event: str) -> None:
        while not any(e["method"] == event for e in self.events):
            reply = self._read()
            if "method" in reply:
                self.events.append(reply)

    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                found.append(details.get("exception", {}).get("description") or details.get("text", "?"))
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
            elif event["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(params["entry"].get("text", "?"))
        return found


def open_page(path: Path, profile: Path, expression: str, timeout: float = 90,
              fragment: str = "") -> PageResult:
    """Load `path` (with `#fragment` when given) in headless Chromium, evaluate `expression`
    (awaited when it is a promise), report its value and every page error."""
    to_browser, from_browser = os.pipe(), os.pipe()

    def wire() -> None:  # in the child: the pipe ends become fds 3 and 4
        commands = fcntl.fcntl(to_browser[0], fcntl.F_DUPFD, 10)
        replies = fcntl.fcntl(from_browser[1], fcntl.F_DUPFD, 10)
        os.dup2(commands, 3)
        os.dup2(replies, 4)

    process = subprocess.Popen(
        [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-extensions", "--remote-debugging-pipe",
         f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=wire, pass_fds=(3, 4),
    )
    os.close(to_browser[0])
    os.close(from_browser[1])
    try:
        tools = _DevTools(to_browser[1], from_browser[0], time.monotonic() + timeout)
        target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            tools.call(f"{domain}.enable", session=session)
        url = path.resolve().as_uri() + (f"#{fragment}" if fragment else "")
        tools.call("Page.navigate", {"url": url}, session=session)
        tools.wait_for("Page.loadEventFired")
        result = tools.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True},
                            session=session)
        errors = tools.errors()
        if "exceptionDetails" in result:
            errors.append(f"evaluating the test expression: {result['exceptionDetails']}")
        value = result.get("result", {}).get("value")
        with contextlib.suppress(EOFError, RuntimeError, TimeoutError):
            tools.call("Browser.close")
        return PageResult(json.loads(value) if isinstance(value, str) else value, errors)
    finally:
        os.close(to_browser[1])
        os.close(from_browser[0])
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def browser() -> SimpleNamespace:
    return SimpleNamespace(chromium_path=chromium_path, open_page=open_page)
