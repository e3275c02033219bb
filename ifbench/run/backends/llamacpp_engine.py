"""The llama.cpp engine process: many sequences decoded together in one batch per step.

`python -m ifbench.run.backends.llamacpp_engine CONFIG_JSON` loads a GGUF model through
llama.cpp's low-level API and answers requests until its stdin closes. It runs apart from
ifbench (see `llamacpp.py`) so that a native crash kills only this process and is reported.

Protocol, one JSON object per line. The engine first writes `{"ready": {...facts}}` or
`{"fatal": "why"}`. When stdin closes, it exits at once. Each request `{"id", "messages" | "prompt", "max_tokens",
"temperature", "top_p", "stop", "seed"}` on stdin gets one reply `{"id", "text",
"finish_reason", "prompt_tokens", "completion_tokens"}` or `{"id", "error"}`, in the order
the sequences finish. The replies go to the stdout the engine was started with; llama.cpp's
own output goes to stderr.

Continuous batching: up to `n_parallel` sequences share each `llama_decode` call (a prompt
chunk for new ones, one token for each generating one); a finished sequence frees its slot
for the next request at once. Each sequence has its own KV cache stream (`kv_unified` off)
and its own sampler, so what a sequence generates does not depend on its neighbours.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import queue
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import llama_cpp
from llama_cpp import _internals
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

# The same sampling chain as llama-cpp-python's Llama (top-k 40, min-p 0.05) when sampling.
TOP_K, MIN_P = 40, 0.05
LOG_ERROR = 4  # ggml_log_level's GGML_LOG_LEVEL_ERROR
WEIGHT_BUFFER = re.compile(r"(\S+) model buffer size")
weight_buffers: list[str] = []
"""The buffer types llama.cpp put the weights in, read from its log while loading."""


@dataclass(frozen=True)
class EngineConfig:
    """How the engine is set up; every field can be given as `--engine-arg KEY=VALUE`."""

    model_path: str
    n_ctx: int = 4096
    """Context (prompt + reply) of each sequence, in tokens."""
    n_parallel: int = 8
    """Sequences decoded together."""
    n_batch: int = 512
    """Most tokens in one decode step (long prompts are fed in chunks)."""
    n_threads: int = 2
    """The most threads; fewer while other processes keep cores busy (see ThreadGovernor)."""
    use_extra_bufts: bool = False
    """llama.cpp's extra weight buffer types (AMX, repacking); off: their kernels crash on some CPUs."""

    def to_json(self) -> str:
        return json.dumps(self.__dict__)


@dataclass
class Sequence:
    """One request being answered in KV stream `slot`."""

    id: Any
    slot: int
    prompt: list[int]
    max_tokens: int
    stop: list[bytes]
    sampler: Any
    fed: int = 0
    """Tokens of the prompt and reply already decoded."""
    tokens: list[int] = field(default_factory=list)
    text: bytes = b""
    next_token: int | None = None
    """The sampled token to feed in the next step."""

    def reply(self, finish_reason: str, text: bytes | None = None) -> dict[str, Any]:
        return {"id": self.id, "text": (self.text if text is None else text).decode("utf-8", "ignore"),
                "finish_reason": finish_reason, "prompt_tokens": len(self.prompt),
                "completion_tokens": len(self.tokens)}


class Engine:
    def __init__(self, config: EngineConfig):
        self.config = config
        llama_cpp.llama_backend_init()
        llama_cpp.llama_log_set(_log, ctypes.c_void_p(0))
        model_params = llama_cpp.llama_model_default_params()
        model_params.use_extra_bufts = config.use_extra_bufts
        self.model = _internals.LlamaModel(path_model=config.model_path, params=model_params,
                                           verbose=False)
        self.model_params = model_params
        context_params = llama_cpp.llama_context_default_params()
        context_params.n_seq_max = config.n_parallel
        context_params.n_ctx = config.n_ctx * config.n_parallel
        context_params.n_batch = context_params.n_ubatch = config.n_batch
        context_params.n_threads = context_params.n_threads_batch = config.n_threads
        context_params.kv_unified = False
        # as llama-cpp-python's Llama: its flash attention sums in another order, so greedy
        # replies would drift from the ones users get there
        context_params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        self.ctx = llama_cpp.llama_init_from_model(self.model.model, context_params)
        if not self.ctx:
            raise RuntimeError("llama.cpp could not create a context (out of memory?)")
        self.n_ctx_seq = llama_cpp.llama_n_ctx_seq(self.ctx)
        self.memory = llama_cpp.llama_get_memory(self.ctx)
        self.batch = llama_cpp.llama_batch_init(config.n_batch, 0, 1)
        self.free_slots = list(range(config.n_parallel))[::-1]
        self._buffer = ctypes.create_string_buffer(256)
        self.metadata = self.model.metadata()
        self.template = self.metadata.get("tokenizer.chat_template")
        self._formatter = None
        if self.template:
            eos, bos = self.model.token_eos(), self.model.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=self.template,
                eos_token=self.model.token_get_text(eos) if eos != -1 else "",
                bos_token=self.model.token_get_text(bos) if bos != -1 else "",
                stop_token_ids=[eos],
            )

    def facts(self) -> dict[str, Any]:
        """What run.json records about the engine."""
        return {
            "llama_cpp_python": llama_cpp.__version__,
            "system_info": llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip(),
            "use_extra_bufts": bool(self.model_params.use_extra_bufts),
            "weight_buffers": sorted(set(weight_buffers)),
            "n_ctx_per_sequence": self.n_ctx_seq,
            "n_parallel": self.config.n_parallel,
            "n_threads": self.config.n_threads,
            "model_description": self.model.desc(),
            "chat_template_sha256": hashlib.sha256(self.template.encode()).hexdigest()
            if self.template else None,
        }

    def start(self, request: dict[str, Any]) -> Sequence | dict[str, Any]:
        """A new sequence for the request, or an error reply."""
        stop = [s.encode("utf-8") for s in request.get("stop") or []]
        if "messages" in request:
            if self._formatter is None:
                return {"id": request["id"], "error": "llamacpp: this model has no chat template; "
                        "use --mode completion"}
            formatted = self._formatter(messages=request["messages"])
            prompt = self.model.tokenize(formatted.prompt.encode("utf-8"),
                                         add_bos=not formatted.added_special, special=True)
            extra_stops = formatted.stop if isinstance(formatted.stop, list) else [formatted.stop]
            stop += [s.encode("utf-8") for s in extra_stops if s]
        else:
            text = request["prompt"].encode("utf-8")
            prompt = (self.model.tokenize(text, add_bos=True, special=True) if text
                      else [self.model.token_bos()])
        if len(prompt) >= self.n_ctx_seq:
            return {"id": request["id"], "error": f"llamacpp: Requested tokens ({len(prompt)}) "
                    f"exceed context window of {self.n_ctx_seq}"}
        slot = self.free_slots.pop()
        llama_cpp.llama_memory_seq_rm(self.memory, slot, -1, -1)
        return Sequence(id=request["id"], slot=slot, prompt=prompt, stop=stop,
                        max_tokens=min(request["max_tokens"], self.n_ctx_seq - len(prompt)),
                        sampler=_sampler(request))

    def step(self, active: list[Sequence]) -> list[dict[str, Any]]:
        """One decode call over the active sequences; the replies of those that finished."""
        batch, budget = self.batch, self.config.n_batch
        batch.n_tokens = 0
        sampled: list[tuple[Sequence, int]] = []
        for sequence in active:  # generating sequences first: one token each
            if sequence.next_token is not None and budget:
                self._add(sequence, [sequence.next_token], logits=True)
                sampled.append((sequence, batch.n_tokens - 1))
                sequence.next_token = None
                budget -= 1
        for sequence in active:  # then prompt chunks within the remaining budget
            remaining = len(sequence.prompt) - sequence.fed
            if remaining > 0 and budget:
                chunk = sequence.prompt[sequence.fed: sequence.fed + min(remaining, budget)]
                last = len(chunk) == remaining
                self._add(sequence, chunk, logits=last)
                if last:
                    sampled.append((sequence, batch.n_tokens - 1))
                budget -= len(chunk)
        status = llama_cpp.llama_decode(self.ctx, batch)
        if status != 0:
            raise RuntimeError(f"llama_decode returned {status}")
        finished = []
        for sequence, index in sampled:
            reply = self._advance(sequence, llama_cpp.llama_sampler_sample(sequence.sampler,
                                                                           self.ctx, index))
            if reply is not None:
                finished.append(reply)
                active.remove(sequence)
                self.release(sequence)
        return finished

    def release(self, sequence: Sequence) -> None:
        """Free the sequence's sampler, and its KV stream for the next request."""
        llama_cpp.llama_sampler_free(sequence.sampler)
        self.free_slots.append(sequence.slot)

    def _add(self, sequence: Sequence, tokens: list[int], *, logits: bool) -> None:
        batch = self.batch
        for offset, token in enumerate(tokens):
            i = batch.n_tokens + offset
            batch.token[i] = token
            batch.pos[i] = sequence.fed + offset
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = sequence.slot
            batch.logits[i] = False
        batch.n_tokens += len(tokens)
        batch.logits[batch.n_tokens - 1] = logits
        sequence.fed += len(tokens)

    def _piece(self, token: int) -> bytes:
        """The token's text (control tokens give nothing)."""
        size = llama_cpp.llama_token_to_piece(self.model.vocab, token, self._buffer, 256, 0, False)
        return self._buffer.raw[:size] if size >= 0 else b""

    def _advance(self, sequence: Sequence, token: int) -> dict[str, Any] | None:
        """Take the sampled token; a reply when the sequence is done."""
        if llama_cpp.llama_vocab_is_eog(self.model.vocab, token):
            return sequence.reply("stop")
        sequence.tokens.append(token)
        seen = len(sequence.text)
        sequence.text += self._piece(token)
        window = sequence.text[max(0, seen - max((len(s) for s in sequence.stop), default=0)):]
        hits = [s for s in sequence.stop if s in window]
        if hits:
            return sequence.reply("stop", sequence.text[: sequence.text.index(hits[0])])
        if len(sequence.tokens) >= sequence.max_tokens:
            return sequence.reply("length")
        sequence.next_token = token
        return None


class ThreadGovernor:
    """Decode with as many threads as there are cores other processes leave free.

    llama.cpp's threads meet at a barrier many times per token, so one thread that the
    scheduler puts aside stalls all of them: on a busy machine fewer threads go faster.
    Once a second, the CPU time the whole machine used (/proc/stat) minus our own tells how
    many cores the others take.
    """

    INTERVAL_S = 1.0

    def __init__(self, ctx: Any, most: int):
        self.ctx, self.most, self.threads = ctx, most, most
        self._last = self._sample()
        self.changes = 0

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        try:
            with open("/proc/stat", "rb") as stat:
                fields = [int(x) for x in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None  # not Linux: keep the thread count
        busy = (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
        own = sum(os.times()[:2])
        return time.monotonic(), busy, own

    def adjust(self) -> None:
        if self._last is None or self.most == 1:
            return
        now = self._sample()
        if now is None or now[0] - self._last[0] < self.INTERVAL_S:
            return
        (t0, busy0, own0), (t1, busy1, own1) = self._last, now
        self._last = now
        others = max(0.0, (busy1 - busy0) - (own1 - own0)) / (t1 - t0)
        threads = max(1, min(self.most, round(os.cpu_count() - others)))
        if threads != self.threads:
            self.threads, self.changes = threads, self.changes + 1
            llama_cpp.llama_set_n_threads(self.ctx, threads, threads)


def _sampler(request: dict[str, Any]) -> Any:
    """A llama.cpp sampler chain: greedy at temperature 0, else top-k/top-p/min-p/temperature."""
    chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
    temperature = request.get("temperature") or 0.0
    if temperature <= 0:
        llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_greedy())
        return chain
    seed = request.get("seed")
    stages = [llama_cpp.llama_sampler_init_top_k(TOP_K),
              llama_cpp.llama_sampler_init_top_p(request.get("top_p") or 1.0, 1),
              llama_cpp.llama_sampler_init_min_p(MIN_P, 1),
              llama_cpp.llama_sampler_init_temp(temperature),
              llama_cpp.llama_sampler_init_dist(llama_cpp.LLAMA_DEFAULT_SEED if seed is None
                                                else seed % 2**32)]
    for stage in stages:
        llama_cpp.llama_sampler_chain_add(chain, stage)
    return chain


@llama_cpp.llama_log_callback
def _log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    """llama.cpp's log: weight buffer types noted; errors to stderr (kept for crash reports)."""
    line = text.decode("utf-8", "replace")
    weight_buffers.extend(WEIGHT_BUFFER.findall(line))
    if level == LOG_ERROR:
        sys.stderr.write(line)


def serve(config: EngineConfig, replies: Any) -> None:
    """Answer requests from stdin until it closes."""
    try:
        engine = Engine(config)
    except (ValueError, RuntimeError) as error:
        _send(replies, {"fatal": str(error)})
        return
    _send(replies, {"ready": engine.facts()})
    inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
    threading.Thread(target=_read_requests, args=(inbox,), daemon=True).start()
    governor = ThreadGovernor(engine.ctx, config.n_threads)
    active: list[Sequence] = []
    while True:
        while engine.free_slots:  # admit new requests; wait only when idle
            try:
                request = inbox.get(block=not active)
            except queue.Empty:
                break
            if request is None:  # ifbench is done (or interrupted): nothing more is wanted
                return
            started = engine.start(request)
            if isinstance(started, Sequence):
                active.append(started)
            else:
                _send(replies, started)
        if active:
            governor.adjust()
            for reply in engine.step(active):
                _send(replies, reply)


def _read_requests(inbox: queue.Queue[dict[str, Any] | None]) -> None:
    for line in sys.stdin.buffer:
        inbox.put(json.loads(line))
    inbox.put(None)


def _send(stream: Any, message: dict[str, Any]) -> None:
    stream.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
    stream.flush()


def main() -> None:
    # The protocol gets stdout to itself: anything native code prints goes to stderr instead.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is ifbench's to handle: it closes stdin
    config = json.loads(sys.argv[1])
    serve(EngineConfig(**config), replies)


if __name__ == "__main__":
    main()
