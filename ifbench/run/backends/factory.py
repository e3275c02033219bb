"""`parse_model_spec`: a `--model` spec -> the backend; heavy engine libraries load only when asked for."""

from __future__ import annotations

from typing import Any

from ifbench.errors import BackendError, did_you_mean
from ifbench.run.backends.protocol import Backend

KINDS = ("openai", "llamacpp", "hf", "vllm")


def parse_model_spec(
    spec: str | None,
    *,
    name: str | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    headers: dict[str, str] | None = None,
    timeout: float = 600.0,
    concurrency: int | None = None,
    engine_args: dict[str, Any] | None = None,
    max_response_bytes: int | None = None,
) -> Backend:
    """The backend for a `--model` spec; None is the embedded default (SmolLM2 via llama.cpp).

    Heavy libraries are imported here, only for the backend asked for.
    """
    engine_args = dict(engine_args or {})
    if spec is None:
        from ifbench.run.backends.llamacpp import LlamaCppBackend

        return LlamaCppBackend(None, name=name, engine_args=engine_args)
    kind, sep, rest = spec.partition(":")
    if not sep or kind not in KINDS or not rest:
        raise BackendError(
            f"model spec {spec!r} is not one of openai:MODEL@BASE_URL, vllm:PATH_OR_NAME, "
            f"hf:PATH_OR_NAME, llamacpp:PATH" + (did_you_mean(kind, KINDS) if sep else "")
        )
    if kind == "openai":
        from ifbench.run.backends.openai import OpenAIBackend

        return OpenAIBackend.from_spec(
            rest, name=name, api_key_env=api_key_env, headers=headers or {}, timeout=timeout,
            concurrency=concurrency, max_response_bytes=max_response_bytes,
        )
    if kind == "llamacpp":
        from ifbench.run.backends.llamacpp import LlamaCppBackend

        return LlamaCppBackend(rest, name=name, engine_args=engine_args)
    if kind == "hf":
        from ifbench.run.backends.hf import HFBackend

        return HFBackend(rest, name=name, engine_args=engine_args, batch_size=concurrency)
    from ifbench.run.backends.vllm import VLLMBackend

    return VLLMBackend(rest, name=name, engine_args=engine_args)
