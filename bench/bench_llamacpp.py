"""Tokens per second of the default backend (batched llama.cpp engine) against single-stream.

Baseline measured in the same run: a plain loop of llama-cpp-python's `create_chat_completion`
over the same prompts, one at a time, greedy, with the same thread count (and extra buffer
types off as in ours, or the baseline itself would crash on AMX machines). Prints both
rates, the ratio, and how many greedy replies are identical; each difference is shown
with the point where the two replies part.

    python bench/bench_llamacpp.py [--prompts 32] [--max-tokens 128] [--parallel 8] [--busy 0]
    python bench/bench_llamacpp.py --sweep [--threads 2]

`--busy N` keeps N busy-looping processes running during both measurements (a loaded machine).
`--sweep` measures decoding alone, as the engine's ceiling: tokens/s with 1, 2, 4, 8 and 16
sequences in each llama.cpp decode call, after their prompts are in (prefill not timed).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import time
from pathlib import Path

from ifbench.run.backends import GenerationSettings, Request
from ifbench.run.backends.llamacpp import LlamaCppBackend, default_model_path
from ifbench.tasks.load import load_tasks

TASKS = Path(__file__).resolve().parent.parent / "tasks"


def prompts(n: int) -> list[str]:
    tasks = [task for task in load_tasks([TASKS]) if task.prompt]
    english = [t.prompt for t in tasks if t.language == "en"]
    chinese = [t.prompt for t in tasks if t.language == "zh"]
    mixed = [p for pair in zip(english, chinese) for p in pair]
    return mixed[:n]


def baseline(texts: list[str], max_tokens: int, threads: int) -> tuple[list[tuple[str, int]], float]:
    import llama_cpp
    from llama_cpp import llama_cpp as low_level

    defaults = low_level.llama_model_default_params

    def without_extra_buffers() -> low_level.llama_model_params:
        params = defaults()
        params.use_extra_bufts = False
        return params

    low_level.llama_model_default_params = without_extra_buffers
    llm = llama_cpp.Llama(model_path=default_model_path(), n_ctx=4096, n_threads=threads,
                          n_threads_batch=threads, seed=0, verbose=False)
    replies = []
    started = time.perf_counter()
    for text in texts:
        output = llm.create_chat_completion(messages=[{"role": "user", "content": text}],
                                            max_tokens=max_tokens, temperature=0.0)
        replies.append((output["choices"][0]["message"]["content"] or "",
                        output["usage"]["completion_tokens"]))
    return replies, time.perf_counter() - started


def batched(texts: list[str], max_tokens: int, threads: int, parallel: int,
            extra_bufts: bool = False) -> tuple[list[tuple[str, int]], float]:
    backend = LlamaCppBackend(None, engine_args={"n_threads": threads, "n_parallel": parallel,
                                                 "use_extra_bufts": extra_bufts})
    settings = GenerationSettings(max_tokens=max_tokens)

    async def generate_all() -> list:
        requests = [Request(({"role": "user", "content": t},), settings, seed=0) for t in texts]
        try:
            return await asyncio.gather(*(backend.generate(r) for r in requests))
        finally:
            await backend.aclose()

    started = time.perf_counter()
    replies = asyncio.run(generate_all())
    elapsed = time.perf_counter() - started
    return [(r.text, r.completion_tokens) for r in replies], elapsed


def sweep(threads: int, seconds: float = 4.0) -> None:
    """Decode-only tokens/s by the number of sequences per decode call."""
    from ifbench.run.backends.llamacpp_engine import Engine, EngineConfig

    sizes = (1, 2, 4, 8, 16)
    engine = Engine(EngineConfig(model_path=default_model_path(), n_parallel=max(sizes),
                                 n_threads=threads))
    print(engine.facts()["system_info"])
    texts = prompts(max(sizes))
    single = None
    for size in sizes:
        sequences = [engine.start({"id": i, "messages": [{"role": "user", "content": text}],
                                   "max_tokens": 10**6}) for i, text in enumerate(texts[:size])]
        active = list(sequences)
        while any(sequence.fed < len(sequence.prompt) for sequence in active):
            engine.step(active)
        generated = -sum(len(sequence.tokens) for sequence in sequences)
        started = time.perf_counter()
        while time.perf_counter() - started < seconds and len(active) == size:
            engine.step(active)  # a sequence that ends leaves the batch: the timing stops there
        elapsed = time.perf_counter() - started
        generated += sum(len(sequence.tokens) for sequence in sequences)
        rate = generated / elapsed
        single = single or rate
        print(f"{size:2d} sequences per decode call: {rate:6.1f} tokens/s "
              f"({1000 / rate:5.2f} ms per token), {rate / single:.2f}x one sequence")
        for sequence in active:
            engine.release(sequence)


def busy_loop() -> None:
    while True:
        pass


def difference(ours: tuple[str, int], theirs: tuple[str, int], max_tokens: int) -> str:
    (a, _), (b, their_tokens) = ours, theirs
    common = os.path.commonprefix([a, b])
    where = f"same for {len(common)} chars, then {a[len(common):][:30]!r} vs {b[len(common):][:30]!r}"
    if b.startswith(a) and their_tokens > max_tokens:
        return (f"{where}: llama-cpp-python went on to {their_tokens} tokens to finish a "
                f"multi-byte character; ifbench stops at the {max_tokens}-token cap")
    return where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=32)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--busy", type=int, default=0)
    parser.add_argument("--sweep", action="store_true",
                        help="decode-only tokens/s by sequences per decode call, then stop")
    parser.add_argument("--extra-bufts", action="store_true",
                        help="also measure the engine with llama.cpp's extra buffer types on "
                             "(only where they do not crash)")
    args = parser.parse_args()
    if args.sweep:
        sweep(args.threads)
        return
    texts = prompts(args.prompts)
    hogs = [multiprocessing.Process(target=busy_loop, daemon=True) for _ in range(args.busy)]
    for hog in hogs:
        hog.start()
    try:
        load = os.getloadavg()[0]
        ours, our_s = batched(texts, args.max_tokens, args.threads, args.parallel)
        base, base_s = baseline(texts, args.max_tokens, args.threads)
        extra = (batched(texts, args.max_tokens, args.threads, args.parallel, extra_bufts=True)
                 if args.extra_bufts else None)
    finally:
        for hog in hogs:
            hog.terminate()
    our_tokens, base_tokens = sum(n for _, n in ours), sum(n for _, n in base)
    our_rate, base_rate = our_tokens / our_s, base_tokens / base_s
    print(f"{len(texts)} prompts, max {args.max_tokens} tokens, {args.threads} threads, "
          f"{args.busy} busy processes, load average {load:.2f} at the start")
    print(f"single-stream create_chat_completion: {base_tokens} tokens in {base_s:.1f} s = "
          f"{base_rate:.1f} tokens/s")
    print(f"ifbench engine, {args.parallel} sequences per batch: {our_tokens} tokens in "
          f"{our_s:.1f} s = {our_rate:.1f} tokens/s")
    print(f"ratio: {our_rate / base_rate:.2f}x")
    if extra is not None:
        extra_rate = sum(n for _, n in extra[0]) / extra[1]
        print(f"ifbench engine with extra buffer types on: {extra_rate:.1f} tokens/s "
              f"(turning them off runs at {our_rate / extra_rate:.3f}x of that)")
    same = sum(a[0] == b[0] for a, b in zip(ours, base))
    print(f"greedy replies identical: {same} of {len(texts)}")
    for i, (a, b) in enumerate(zip(ours, base)):
        if a[0] != b[0]:
            print(f"  prompt {i}: {difference(a, b, args.max_tokens)}")


if __name__ == "__main__":
    main()
