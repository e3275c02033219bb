"""Throughput of `ifbench.rewards` on IFEval's constraint mix, against a loop of `ifbench.check`.

Data: IFEval's 541 prompts with their constraints (834 checks) and GPT-4's archived replies, from
`shared/conformance/ifeval/` beside the repository (or the folder in $IFBENCH_IFEVAL_DATA). The
batch is that set repeated `--copies` times (one constraint list per reply, as in a GRPO batch).
Prints constraint checks per second for the baseline loop (`ifbench.check`, one constraint and
one reply at a time, binding each time), for `rewards` with workers=1 and workers=2, and the
ratios, all measured in this run. The workers=2 pool is started and warmed before it is timed,
as a trainer reuses it every step.

    python bench/bench_rewards.py [--copies 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import ifbench
from ifbench.rl import pool

DATA = Path(os.environ.get("IFBENCH_IFEVAL_DATA")
            or Path(__file__).resolve().parents[2] / "shared" / "conformance" / "ifeval")


def _jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def load() -> tuple[list[str], list[list[dict]], list[str]]:
    """Replies, their constraint lists and their prompts, in IFEval's order."""
    replies = {row["prompt"]: row["response"] for row in _jsonl("input_response_data_gpt4_20231107_145030.jsonl")}
    responses, constraints, prompts = [], [], []
    for task in _jsonl("input_data_gpt4_20231107_145030.jsonl"):
        responses.append(replies[task["prompt"]])
        prompts.append(task["prompt"])
        constraints.append([{"id": "ifeval:" + iid, **{k: v for k, v in kwargs.items() if v is not None}}
                            for iid, kwargs in zip(task["instruction_id_list"], task["kwargs"])])
    return responses, constraints, prompts


def salted(responses: list[str], salt: int) -> list[str]:
    """The replies made unique to one timed run, so no run is sped up by caches an earlier one filled.

    The salt is a run of zero-width spaces at the end (some verdicts change, e.g. "ends with");
    rewards are compared between the three ways on one salt, untimed.
    """
    return [response + "\u200b" * salt for response in responses]


def baseline(responses: list[str], constraints: list[list[dict]], prompts: list[str]) -> list[float]:
    return [sum(ifbench.check(r, c, prompt=p).passed for c in cs) / len(cs)
            for r, cs, p in zip(responses, constraints, prompts)]


def best_of(repeat: int, run) -> float:
    """The fastest of `repeat` timed calls of `run` (each on replies no earlier call has seen)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4, help="times the IFEval set is repeated in the batch")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each; the fastest counts")
    args = parser.parse_args()
    responses, constraints, prompts = load()
    responses = [r for copy in range(args.copies) for r in salted(responses, copy)]
    constraints, prompts = constraints * args.copies, prompts * args.copies
    checks = sum(map(len, constraints))
    # Checkers loaded, Punkt and langdetect tables read, the worker pool started: as in training.
    pool.score([constraints[0]], [("warm up", None, 0)] * 2, "strict", "fraction", (), 2)
    ifbench.rewards(responses, constraints, prompts=prompts)

    salts = iter(range(args.copies, 10**6, args.copies))

    def fresh() -> list[str]:
        return salted(responses, next(salts))

    base_s = best_of(args.repeat, lambda: baseline(fresh(), constraints, prompts))
    one_s = best_of(args.repeat, lambda: ifbench.rewards(fresh(), constraints, prompts=prompts))
    two_s = best_of(args.repeat, lambda: ifbench.rewards(fresh(), constraints, prompts=prompts, workers=2))
    same = [baseline(responses, constraints, prompts),
            ifbench.rewards(responses, constraints, prompts=prompts),
            ifbench.rewards(responses, constraints, prompts=prompts, workers=2)]
    pool.shutdown()
    assert same[0] == same[1] == same[2], "rewards differ between the baseline, workers=1 and workers=2"

    print(f"{len(responses)} replies, {checks} constraint checks (IFEval mix x{args.copies}), "
          f"{os.cpu_count()} CPUs, best of {args.repeat}")
    print(f"  baseline ifbench.check loop  {checks / base_s:9,.0f} checks/s  ({base_s:.2f} s)")
    print(f"  rewards, workers=1           {checks / one_s:9,.0f} checks/s  ({one_s:.2f} s)"
          f"  {base_s / one_s:.2f}x baseline")
    print(f"  rewards, workers=2           {checks / two_s:9,.0f} checks/s  ({two_s:.2f} s)"
          f"  {one_s / two_s:.2f}x workers=1")


if __name__ == "__main__":
    main()
