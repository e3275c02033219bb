"""The runner's logic, with a fake in-process backend: concurrency, retries, errors, resume, turns."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ifbench.errors import IfbenchError, ResponsesError
from ifbench.run.backends import (
    GenerationSettings,
    Reply,
    Request,
    RequestFailed,
    TransientError,
)
from ifbench.run.runner import RunConfig, run, select_tasks
from ifbench.tasks.models import Task

RESPONSE_COLUMNS = ["task_id", "suite", "model", "sample", "turn", "prompt", "response",
                    "finish_reason", "latency_s", "prompt_tokens", "completion_tokens", "error"]


class FakeBackend:
    """Answers with `respond(request, call_number)`; records every request it was sent."""

    default_concurrency = 4

    def __init__(self, respond: Callable[[Request, int], Reply] | None = None, *,
                 label: str = "fake:echo", delay: float = 0.0):
        self.label = label
        self.respond = respond or (lambda request, n: Reply(text="ok " + request.messages[-1]["content"],
                                                            finish_reason="stop", prompt_tokens=3,
                                                            completion_tokens=2))
        self.delay = delay
        self.requests: list[Request] = []
        self.times: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def generate(self, request: Request) -> Reply:
        self.requests.append(request)
        self.times.append(time.monotonic())
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            return self.respond(request, len(self.requests))
        finally:
            self.in_flight -= 1

    def describe(self) -> dict[str, Any]:
        return {"backend": "fake"}

    async def aclose(self) -> None:
        return None


def task(id: str, prompt: str = "Say hi.", suite: str = "s", **fields: Any) -> Task:
    fields.setdefault("constraints", [{"id": "length.words", "max": 5}])
    if "turns" in fields or "messages" in fields:
        fields.pop("constraints") if "turns" in fields else None
        return Task(id=id, suite=suite, **fields)
    return Task(id=id, suite=suite, prompt=prompt, **fields)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def config(tmp_path: Path, **options: Any) -> RunConfig:
    options.setdefault("backoff_s", 0.001)
    return RunConfig(out=tmp_path / "out", progress=False, **options)


def test_writes_the_three_files_with_the_contract_columns(tmp_path):
    tasks = [task("a", "Say hi."), task("b", "Write a very long answer please.")]
    outcome = run(tasks, FakeBackend(), config(tmp_path))
    responses = lines(outcome.paths["responses"])
    assert [r["task_id"] for r in responses] == ["a", "b"]
    assert list(responses[0])[: len(RESPONSE_COLUMNS)] == RESPONSE_COLUMNS
    assert responses[0]["response"] == "ok Say hi." and responses[0]["error"] is None
    results = lines(outcome.paths["results"])
    assert [(r["task_id"], r["prompt_strict"]) for r in results] == [("a", True), ("b", False)]
    info = json.loads(outcome.paths["run"].read_text())
    assert info["model"] == "fake:echo" and info["settings"]["max_tokens"] == 1024
    assert set(info["suites"]) == {"s"} and info["ifbench_version"]
    assert info["all_responses"]["completion_tokens"] == 4
    assert outcome.summary.prompt_strict == 0.5


def test_requests_in_flight_never_exceed_the_concurrency(tmp_path):
    backend = FakeBackend(delay=0.01)
    run([task(f"t{i}") for i in range(20)], backend, config(tmp_path, concurrency=3))
    assert backend.max_in_flight == 3
    assert len(backend.requests) == 20


def test_the_backend_default_concurrency_applies_without_an_option(tmp_path):
    backend = FakeBackend(delay=0.01)
    run([task(f"t{i}") for i in range(10)], backend, config(tmp_path))
    assert backend.max_in_flight == FakeBackend.default_concurrency


def test_transient_failures_are_retried_until_success(tmp_path):
    def respond(request: Request, n: int) -> Reply:
        if n <= 2:
            raise TransientError("HTTP 503 from server")
        return Reply(text="fine")

    backend = FakeBackend(respond)
    outcome = run([task("a")], backend, config(tmp_path))
    (record,) = lines(outcome.paths["responses"])
    assert record["error"] is None and record["response"] == "fine" and record["attempts"] == 3
    assert outcome.stats.retries == 2 and outcome.stats.errors == 0


def test_exhausted_retries_record_an_error_and_the_run_goes_on(tmp_path):
    def respond(request: Request, n: int) -> Reply:
        if request.messages[-1]["content"] == "doomed":
            raise TransientError("HTTP 500 from server: boom")
        return Reply(text="fine")

    outcome = run([task("a", "doomed"), task("b", "fine")], FakeBackend(respond), config(tmp_path, retries=2))
    records = {r["task_id"]: r for r in lines(outcome.paths["responses"])}
    assert records["a"]["error"] == "HTTP 500 from server: boom (gave up after 3 attempts)"
    assert records["a"]["attempts"] == 3 and records["b"]["error"] is None
    results = {r["task_id"]: r for r in lines(outcome.paths["results"])}
    assert results["a"]["prompt_strict"] is False and "boom" in results["a"]["error"]
    assert results["a"]["constraints"][0]["reason"].startswith("not checked: turn 0: HTTP 500")
    assert outcome.summary.errors == 1 and outcome.stats.errors == 1


def test_retry_after_is_waited_for_even_with_a_tiny_backoff(tmp_path):
    def respond(request: Request, n: int) -> Reply:
        if n == 1:
            raise TransientError("HTTP 429", retry_after=0.3)
        return Reply(text="fine")

    backend = FakeBackend(respond)
    run([task("a")], backend, config(tmp_path, backoff_s=0.001))
    assert backend.times[1] - backend.times[0] >= 0.3


def test_backoff_grows_exponentially(tmp_path):
    def respond(request: Request, n: int) -> Reply:
        raise TransientError("down")

    backend = FakeBackend(respond)
    run([task("a")], backend, config(tmp_path, backoff_s=0.05, retries=3))
    gaps = [b - a for a, b in zip(backend.times, backend.times[1:])]
    # waits are 0.05, 0.1, 0.2 times a jitter in [0.5, 1]
    assert gaps[0] >= 0.025 and gaps[1] >= 0.05 and gaps[2] >= 0.1
    assert len(backend.requests) == 4


@pytest.mark.parametrize("failure, expected", [
    (RequestFailed("HTTP 400: bad request"), "HTTP 400: bad request"),
    (ValueError("prompt too long"), "ValueError: prompt too long"),
])
def test_permanent_failures_and_backend_bugs_are_recorded_without_retry(tmp_path, failure, expected):
    def respond(request: Request, n: int) -> Reply:
        raise failure

    backend = FakeBackend(respond)
    outcome = run([task("a")], backend, config(tmp_path))
    assert lines(outcome.paths["responses"])[0]["error"] == expected
    assert len(backend.requests) == 1


def test_empty_content_truncation_and_missing_usage_are_recorded_as_is(tmp_path):
    outcome = run([task("a")], FakeBackend(lambda r, n: Reply(text="", finish_reason="length")),
                  config(tmp_path))
    (record,) = lines(outcome.paths["responses"])
    assert record["response"] == "" and record["error"] is None
    assert record["finish_reason"] == "length" and record["completion_tokens"] is None
    assert outcome.stats.cut_at_max_tokens == 1
    (result,) = lines(outcome.paths["results"])
    assert result["prompt_strict"] is False and result["error"] is None


def test_resume_after_a_torn_file_sends_only_what_is_missing(tmp_path):
    tasks = [task(f"t{i}") for i in range(6)]
    first = run(tasks, FakeBackend(), config(tmp_path, concurrency=1))
    path = first.paths["responses"]
    kept = path.read_text().splitlines(keepends=True)[:2]
    path.write_text("".join(kept) + '{"task_id": "t2", "suite": "s", "mod')  # killed mid-write
    backend = FakeBackend()
    second = run(tasks, backend, config(tmp_path, concurrency=1))
    assert [r.messages[-1]["content"] for r in backend.requests] == ["Say hi."] * 4
    records = lines(path)
    assert [r["task_id"] for r in records] == [f"t{i}" for i in range(6)]
    assert path.read_text().startswith("".join(kept))
    assert second.stats.resumed == 2 and second.stats.sent == 4
    assert len(lines(second.paths["results"])) == 6


def test_a_complete_run_resumed_sends_nothing(tmp_path):
    tasks = [task("a"), task("b")]
    run(tasks, FakeBackend(), config(tmp_path))
    backend = FakeBackend()
    outcome = run(tasks, backend, config(tmp_path))
    assert backend.requests == [] and outcome.stats.resumed == 2
    assert len(lines(outcome.paths["responses"])) == 2


def test_an_edited_task_is_asked_again_with_its_later_turns(tmp_path):
    run([multi_turn_task(), task("a")], FakeBackend(), config(tmp_path))
    edited = task("mt", turns=[{"prompt": "First question, edited?"}, {"prompt": "Second question?"}])
    backend = FakeBackend()
    outcome = run([edited, task("a")], backend, config(tmp_path))
    assert [r.messages[-1]["content"] for r in backend.requests] == ["First question, edited?",
                                                                     "Second question?"]
    records = lines(outcome.paths["responses"])
    assert len(records) == 3 and records[0]["response"] == "ok First question, edited?"
    assert outcome.stats.resumed == 1


def test_errored_responses_are_asked_again_and_replaced(tmp_path):
    tasks = [task("a"), task("b")]
    def respond(request: Request, n: int) -> Reply:
        if n == 1:
            raise RequestFailed("HTTP 400")
        return Reply(text="x")

    failing = FakeBackend(respond)
    first = run(tasks, failing, config(tmp_path, concurrency=1))
    assert first.stats.errors == 1
    backend = FakeBackend()
    second = run(tasks, backend, config(tmp_path, concurrency=1))
    assert len(backend.requests) == 1
    records = lines(second.paths["responses"])
    assert sorted(r["task_id"] for r in records) == ["a", "b"]  # no duplicate line left
    assert all(r["error"] is None for r in records) and second.summary.errors == 0


@pytest.mark.parametrize("change, message", [
    ({"settings": GenerationSettings(temperature=0.7)}, "temperature: 0.0 -> 0.7"),
    ({"samples": 1, "settings": GenerationSettings(max_tokens=5)}, "max_tokens: 1024 -> 5"),
])
def test_changed_settings_are_refused_not_mixed(tmp_path, change, message):
    run([task("a")], FakeBackend(), config(tmp_path))
    with pytest.raises(ResponsesError, match="other generation settings") as error:
        run([task("a")], FakeBackend(), config(tmp_path, **change))
    assert message in str(error.value)
    assert len(lines(tmp_path / "out" / "responses.jsonl")) == 1


def test_another_model_in_the_same_directory_is_refused(tmp_path):
    run([task("a")], FakeBackend(), config(tmp_path))
    with pytest.raises(ResponsesError, match="another model"):
        run([task("a")], FakeBackend(label="fake:other"), config(tmp_path))


def test_more_samples_later_reuse_the_first_ones(tmp_path):
    run([task("a")], FakeBackend(), config(tmp_path, samples=1))
    backend = FakeBackend()
    outcome = run([task("a")], backend, config(tmp_path, samples=3))
    assert [r.seed for r in backend.requests] == [1, 2]
    assert sorted(r["sample"] for r in lines(outcome.paths["responses"])) == [0, 1, 2]


def test_samples_get_their_own_seed_and_result_rows(tmp_path):
    settings = GenerationSettings(temperature=0.7, seed=5)
    backend = FakeBackend()
    outcome = run([task("a"), task("b")], backend, config(tmp_path, samples=3, settings=settings))
    assert sorted({(r.messages[-1]["content"], r.seed) for r in backend.requests}) == [
        ("Say hi.", 5), ("Say hi.", 6), ("Say hi.", 7)]
    results = lines(outcome.paths["results"])
    assert sorted((r["task_id"], r["sample"]) for r in results) == [
        ("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("b", 2)]
    assert outcome.summary.n_prompts == 6


def multi_turn_task() -> Task:
    return task("mt", turns=[
        {"prompt": "First question?", "constraints": [{"id": "length.words", "max": 3}]},
        {"prompt": "Second question?", "constraints": [{"id": "length.words", "min": 10}]},
    ])


def test_multi_turn_plays_the_models_own_replies_and_checks_each_turn(tmp_path):
    backend = FakeBackend(lambda r, n: Reply(text=f"<think>hmm</think>reply {n}"))
    outcome = run([multi_turn_task()], backend, config(tmp_path))
    assert [m["content"] for m in backend.requests[1].messages] == [
        "First question?", "reply 1", "Second question?"]
    assert [m["role"] for m in backend.requests[1].messages] == ["user", "assistant", "user"]
    records = lines(outcome.paths["responses"])
    assert [(r["turn"], r["prompt"], r["response"]) for r in records] == [
        (0, "First question?", "<think>hmm</think>reply 1"),
        (1, "Second question?", "<think>hmm</think>reply 2")]
    (result,) = lines(outcome.paths["results"])
    assert [(c["turn"], c["strict"]) for c in result["constraints"]] == [(0, True), (1, False)]


def test_a_failed_turn_stops_the_conversation_and_says_which_turn(tmp_path):
    def respond(request: Request, n: int) -> Reply:
        raise RequestFailed("HTTP 400: context too long")

    backend = FakeBackend(respond)
    outcome = run([multi_turn_task()], backend, config(tmp_path))
    assert len(backend.requests) == 1
    (result,) = lines(outcome.paths["results"])
    assert result["error"] == "turn 0: HTTP 400: context too long"
    assert all(not c["strict"] for c in result["constraints"])


def test_multi_turn_resume_continues_from_the_stored_reply(tmp_path):
    def respond(request: Request, n: int) -> Reply:
        if n > 1:
            raise RequestFailed("x")
        return Reply(text="stored reply")

    first = FakeBackend(respond)
    run([multi_turn_task()], first, config(tmp_path))
    backend = FakeBackend()
    run([multi_turn_task()], backend, config(tmp_path))
    (request,) = backend.requests
    assert [m["content"] for m in request.messages] == ["First question?", "stored reply", "Second question?"]


def test_messages_tasks_are_sent_as_given_and_system_can_be_replaced(tmp_path):
    messages = [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi?"}]
    backend = FakeBackend()
    run([task("m", messages=messages)], backend, config(tmp_path / "1"))
    assert list(backend.requests[0].messages) == messages
    backend = FakeBackend()
    run([task("m", messages=messages)], backend,
        config(tmp_path / "2", settings=GenerationSettings(system="Be kind.")))
    assert list(backend.requests[0].messages) == [{"role": "system", "content": "Be kind."},
                                                  {"role": "user", "content": "Hi?"}]


def test_completion_mode_sends_the_raw_prompt(tmp_path):
    backend = FakeBackend(lambda r, n: Reply(text=r.prompt))
    settings = GenerationSettings(mode="completion", system="Answer briefly.")
    outcome = run([task("a", "Say hi.")], backend, config(tmp_path, settings=settings))
    assert lines(outcome.paths["responses"])[0]["response"] == "Answer briefly.\n\nSay hi."


@pytest.mark.parametrize("keep, passed", [(False, True), (True, False)])
def test_reasoning_is_kept_in_responses_and_stripped_before_scoring(tmp_path, keep, passed):
    reply = Reply(text="<think>" + "long thought " * 20 + "</think>Hi.", reasoning="separate reasoning")
    outcome = run([task("a")], FakeBackend(lambda r, n: reply), config(tmp_path, keep_reasoning=keep))
    (record,) = lines(outcome.paths["responses"])
    assert record["response"].startswith("<think>long thought")
    assert record["reasoning_content"] == "separate reasoning"
    assert lines(outcome.paths["results"])[0]["prompt_strict"] is passed


def test_requests_per_second_limit_spaces_request_starts(tmp_path):
    backend = FakeBackend()
    run([task(f"t{i}") for i in range(5)], backend, config(tmp_path, rps=20, concurrency=5))
    assert backend.times[-1] - backend.times[0] >= 4 / 20 * 0.99


def test_select_tasks_filters_and_limits():
    tasks = [task("a", category="basic", tags=["x"]), task("b", language="zh", category="creative"),
             task("c", suite="other", tags=["x", "y"])]
    pick = lambda **kw: [t.id for t in select_tasks(tasks, **kw)]  # noqa: E731
    assert pick(suites=["s"]) == ["a", "b"]
    assert pick(categories=["creative"]) == ["b"]
    assert pick(languages=["zh-CN"]) == ["b"]
    assert pick(tags=["y", "x"]) == ["a", "c"]
    assert pick(limit=2) == ["a", "b"]
    with pytest.raises(IfbenchError, match="no task matches"):
        select_tasks(tasks, suites=["nope"])


@pytest.mark.parametrize("content, kept", [
    (b"", b""),
    (b'{"a": 1}\n', b'{"a": 1}\n'),
    (b'{"a": 1}\n{"b":', b'{"a": 1}\n'),
    (b'{"a": 1}\n' + b"x" * 200_000, b'{"a": 1}\n'),  # a torn line longer than one read
    (b"no newline at all", b""),
    (b'{"a": 1}\n{"b": 2}', b'{"a": 1}\n{"b": 2}\n'),  # complete, only its newline is missing
    (b'{"only": "\xe4\xb8\x80"}', b'{"only": "\xe4\xb8\x80"}\n'),  # a one-line file, no newline
])
def test_a_torn_last_line_is_cut_before_appending(tmp_path, content, kept):
    from ifbench.records import repair_tail

    path = tmp_path / "responses.jsonl"
    path.write_bytes(content)
    repair_tail(path)
    assert path.read_bytes() == kept
