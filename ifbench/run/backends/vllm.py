"""vLLM in-process: one `LLM` engine, batched `chat` / `generate`.

Engine arguments (`--engine-arg KEY=VALUE`) go to `vllm.LLM(...)` unchanged, so multi-GPU
and multi-node runs use vLLM's own distribution: `tensor_parallel_size=8`,
`pipeline_parallel_size=2`, `data_parallel_size=2`, `distributed_executor_backend=ray`,
`max_model_len=8192`, ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ifbench.errors import BackendError, missing_extra
from ifbench.run.backends.batching import BatchedBackend
from ifbench.run.backends.protocol import Reply, Request, RequestFailed


class VLLMBackend(BatchedBackend):
    """Requests that arrive while a batch runs are sent together; vLLM schedules them."""

    default_concurrency = 256
    max_batch = 256

    def __init__(self, model: str, *, name: str | None = None, engine_args: dict[str, Any] | None = None):
        super().__init__()
        try:
            import vllm
        except ImportError:
            raise missing_extra("vllm", "vllm") from None
        self._vllm = vllm
        self.model = model
        self.engine_args = dict(engine_args or {})
        try:
            self._llm = vllm.LLM(model=model, **self.engine_args)
        except (OSError, ValueError, TypeError) as error:
            raise BackendError(f"vllm: cannot load {model!r}: {error}") from None
        self.label = name or f"vllm:{model}"

    def describe(self) -> dict[str, Any]:
        return {"backend": "vllm", "model": self.model, "engine_args": self.engine_args,
                "vllm_version": getattr(self._vllm, "__version__", None)}

    def generate_batch(self, requests: Sequence[Request]) -> list[Reply | Exception]:
        replies: list[Reply | Exception] = [RequestFailed("not generated")] * len(requests)
        groups: dict[tuple[str, str], list[int]] = {}
        for index, request in enumerate(requests):
            template_args = request.settings.extra_body.get("chat_template_kwargs") or {}
            key = (request.settings.mode, repr(sorted(template_args.items())))
            groups.setdefault(key, []).append(index)
        for (mode, _), indices in groups.items():
            group = [requests[i] for i in indices]
            params = [self._sampling_params(r) for r in group]
            try:
                if mode == "chat":
                    template_args = group[0].settings.extra_body.get("chat_template_kwargs") or {}
                    extra = {"chat_template_kwargs": template_args} if template_args else {}
                    outputs = self._llm.chat([list(r.messages) for r in group], sampling_params=params,
                                             use_tqdm=False, **extra)
                else:
                    outputs = self._llm.generate([r.prompt for r in group], sampling_params=params,
                                                 use_tqdm=False)
            except (ValueError, RuntimeError) as error:
                outputs = [RequestFailed(f"vllm: {error}")] * len(group)
            for index, output in zip(indices, outputs):
                replies[index] = output if isinstance(output, Exception) else _reply(output)
        return replies

    def _sampling_params(self, request: Request) -> Any:
        settings = request.settings
        return self._vllm.SamplingParams(
            temperature=settings.temperature,
            top_p=settings.top_p,
            max_tokens=settings.max_tokens,
            seed=request.seed,
            stop=list(settings.stop) or None,
        )


def _reply(output: Any) -> Reply:
    completion = output.outputs[0]
    return Reply(
        text=completion.text,
        finish_reason=completion.finish_reason,
        prompt_tokens=len(output.prompt_token_ids or []),
        completion_tokens=len(completion.token_ids or []),
    )
