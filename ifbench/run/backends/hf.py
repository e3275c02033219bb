"""Hugging Face transformers in-process: the model's chat template, batched `generate`.

Engine arguments (`--engine-arg KEY=VALUE`) go to `from_pretrained` (e.g. `dtype=float32`,
`device_map=auto`, `gguf_file=NAME`); `gguf_file`, `revision` and `trust_remote_code` also
go to the tokenizer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ifbench.errors import BackendError, missing_extra
from ifbench.protocol import text_sha256
from ifbench.run.backends.batching import BatchedBackend
from ifbench.run.backends.protocol import Reply, Request, RequestFailed

TOKENIZER_ARGS = ("gguf_file", "revision", "trust_remote_code")


class HFBackend(BatchedBackend):
    default_concurrency = 8
    max_batch = 8

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        engine_args: dict[str, Any] | None = None,
        batch_size: int | None = None,
    ):
        super().__init__()
        try:
            import torch
            import transformers  # first: it fails fast when absent; torch is slow to import
        except ImportError:
            raise missing_extra("transformers (with torch)", "hf") from None
        self._torch = torch
        self._transformers_version = transformers.__version__
        self.model = model
        self.engine_args = dict(engine_args or {})
        tokenizer_args = {k: v for k, v in self.engine_args.items() if k in TOKENIZER_ARGS}
        try:
            self._tokenizer = transformers.AutoTokenizer.from_pretrained(model, **tokenizer_args)
            self._model = transformers.AutoModelForCausalLM.from_pretrained(model, **self.engine_args)
        except (OSError, ValueError, TypeError) as error:
            raise BackendError(f"hf: cannot load {model!r}: {error}") from None
        self._model.eval()
        self._tokenizer.padding_side = "left"  # generation continues at the right edge
        if self._tokenizer.pad_token is None:
            self._tokenizer.pad_token = self._tokenizer.eos_token
        eos = self._model.generation_config.eos_token_id
        self._end_ids = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        specials = (self._tokenizer.eos_token_id, self._tokenizer.pad_token_id)
        self._end_ids |= {i for i in specials if i is not None}
        self.max_batch = max(batch_size or self.max_batch, 1)
        self.default_concurrency = self.max_batch
        self.label = name or f"hf:{model}"

    def describe(self) -> dict[str, Any]:
        template = getattr(self._tokenizer, "chat_template", None)
        return {"backend": "hf", "model": self.model, "engine_args": self.engine_args,
                "batch_size": self.max_batch, "engine_version": self._transformers_version,
                "model_revision": getattr(self._model.config, "_commit_hash", None),
                "chat_template_sha256": text_sha256(template) if isinstance(template, str) else None}

    def generate_batch(self, requests: Sequence[Request]) -> list[Reply | Exception]:
        groups: dict[tuple[Any, ...], list[int]] = {}
        for index, request in enumerate(requests):
            sampling = request.settings.temperature > 0
            key = (request.settings.digest(), request.seed if sampling else None)
            groups.setdefault(key, []).append(index)
        replies: list[Reply | Exception] = [RequestFailed("not generated")] * len(requests)
        for indices in groups.values():
            group = [requests[i] for i in indices]
            try:
                results = self._generate_group(group)
            except (ValueError, RuntimeError) as error:
                results = [RequestFailed(f"hf: {error}")] * len(group)
            for index, result in zip(indices, results):
                replies[index] = result
        return replies

    def _generate_group(self, group: list[Request]) -> list[Reply | Exception]:
        torch, tokenizer = self._torch, self._tokenizer
        settings = group[0].settings
        if settings.mode == "chat":
            if not tokenizer.chat_template:
                failure = RequestFailed(f"hf: {self.model!r} has no chat template; use --mode completion")
                return [failure] * len(group)
            template_args = settings.extra_body.get("chat_template_kwargs") or {}
            texts = [
                tokenizer.apply_chat_template(list(r.messages), add_generation_prompt=True, tokenize=False,
                                              **template_args)
                for r in group
            ]
        else:
            texts = [r.prompt for r in group]
        # a chat template writes its own special tokens; a raw prompt gets the usual ones
        encoded = tokenizer(texts, return_tensors="pt", padding=True,
                            add_special_tokens=settings.mode != "chat").to(self._model.device)
        options: dict[str, Any] = {"max_new_tokens": settings.max_tokens,
                                   "pad_token_id": tokenizer.pad_token_id}
        if settings.temperature > 0:
            options.update(do_sample=True, temperature=settings.temperature, top_p=settings.top_p)
            if group[0].seed is not None:
                torch.manual_seed(group[0].seed)
        else:
            options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        if settings.stop:
            options.update(stop_strings=list(settings.stop), tokenizer=tokenizer)
        with torch.no_grad():
            output = self._model.generate(**encoded, **options)
        width = encoded["input_ids"].shape[1]
        prompt_lengths = encoded["attention_mask"].sum(dim=1).tolist()
        replies: list[Reply | Exception] = []
        for row, prompt_tokens in zip(output[:, width:].tolist(), prompt_lengths):
            end = next((i for i, token in enumerate(row) if token in self._end_ids), None)
            tokens = row if end is None else row[:end]
            text = tokenizer.decode(tokens, skip_special_tokens=True)
            finish = "stop" if end is not None else "length" if len(tokens) >= settings.max_tokens else "stop"
            cut = min((text.find(s) for s in settings.stop if s in text), default=-1)
            if cut >= 0:  # OpenAI semantics: the stop string is not part of the reply
                text, finish = text[:cut], "stop"
            replies.append(Reply(text=text, finish_reason=finish, prompt_tokens=int(prompt_tokens),
                                 completion_tokens=len(tokens)))
        return replies
