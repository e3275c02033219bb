"""Throughput of `ifbench.rewards` on IFEval's constraint mix, against a loop of `ifbench.check`.

Data: IFEval's 541 prompts with their constraints (834 checks) and GPT-4's archived replies, from
`shared/conformance/ifeval/` beside the repository (or the folder in $IFBENCH_IFEVAL_DATA). The
batch is that set repeated `--copies` times (one constraint list per reply, as in a GRPO batch).
Prints constraint checks per second (wall clock, and per CPU-second of this process, which a
machine busy with other work does not distort) for the baseline loop (`ifbench.check`, one constraint and
one reply at a time, binding each time), for `rewards` with workers=1 and workers=2, and the
ratios, all measured in this run, and the checkers that take longest. On a machine busy with
other work the wall-clock gain of workers=2 is not what two idle cores give, so the CPU time it
used (the caller's and its worker's) is printed too.

Every timed run scores replies no process has seen, as a batch of new rollouts is: each run salts
every sentence and line anew, so no memo (Punkt's sentences, langdetect's answers) in the caller or
the worker helps it. The workers=2 pool (the caller and one worker) is started once and goes
through one untimed batch first, as a trainer's pool serves step after step; the cost of starting
it is not in the figures.

    python bench/bench_rewards.py [--copies 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import time
from collections import Counter
from pathlib import Path

import ifbench
from ifbench.checking import langid, punkt
from ifbench.checking.base import Context
from ifbench.checking.evaluate import bind, evaluate
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


_SENTENCE_ENDS = re.compile(r"([.!?。！？])|(?=\n)")


def salted(responses: list[str], salt: int) -> list[str]:
    """The replies made unique to one timed run and copy, sentence by sentence and line by line,
    as sampled rollouts are: no check in any process is sped up by a memo of a sentence, a line
    or a reply seen in another copy or run.

    The salt is the run number in binary, written in zero-width characters, after every
    sentence-ending mark, before every line break and at the end (some verdicts change, e.g.
    "ends with"); rewards are compared between the three ways on one salt, untimed.
    """
    mark = format(salt, "b").translate({ord("0"): "\u200b", ord("1"): "\u200c"})  # zero-width space, non-joiner
    return [_SENTENCE_ENDS.sub(lambda m: (m.group(1) or "") + mark, response) + mark for response in responses]


def forget_texts() -> None:
    """Empty this process's memo of texts seen (the tables stay loaded)."""
    punkt.clear_caches()
    langid.clear_caches()


def baseline(responses: list[str], constraints: list[list[dict]], prompts: list[str]) -> list[float]:
    return [sum(ifbench.check(r, c, prompt=p).passed for c in cs) / len(cs)
            for r, cs, p in zip(responses, constraints, prompts)]


def slowest(responses: list[str], constraints: list[list[dict]], prompts: list[str],
            top: int = 5) -> list[tuple[str, int, float]]:
    """(checker id, checks, seconds) of the checkers that take longest in total, one at a time."""
    spent: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for response, listed, prompt in zip(responses, constraints, prompts):
        for constraint in listed:
            bound = bind(constraint)
            started = time.perf_counter()
            evaluate(bound, response, Context(prompt=prompt), "strict")
            spent[bound.id] += time.perf_counter() - started
            count[bound.id] += 1
    return [(cid, count[cid], seconds) for cid, seconds in spent.most_common(top)]


def workers_cpu() -> float:
    """CPU seconds used so far by this process's worker processes (Linux: /proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for child in multiprocessing.active_children():
        fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def timed(run) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call of `run`."""
    started, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8, help="times the IFEval set is repeated in the batch")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each; the fastest counts")
    args = parser.parse_args()
    responses, constraints, prompts = load()
    responses = [r for copy in range(args.copies) for r in salted(responses, copy)]
    constraints, prompts = constraints * args.copies, prompts * args.copies
    checks = sum(map(len, constraints))
    salts = iter(range(args.copies, 10**6, args.copies))
    # Checkers loaded, Punkt and langdetect tables read, the pool started and through one batch
    # of its own: as in training, where the pool serves step after step.
    ifbench.rewards(responses, constraints, prompts=prompts)
    ifbench.rewards(salted(responses, next(salts)), constraints, prompts=prompts, workers=2)

    def fresh() -> list[str]:
        return salted(responses, next(salts))

    busy = os.getloadavg()[0]
    # The three take turns, so a change in the machine's load hits each alike; the fastest run counts.
    runs: dict[str, list[tuple[float, float]]] = {"base": [], "one": [], "two": []}
    for _ in range(args.repeat):
        replies = fresh()
        forget_texts()
        runs["base"].append(timed(lambda: baseline(replies, constraints, prompts)))
        replies = fresh()
        forget_texts()
        runs["one"].append(timed(lambda: ifbench.rewards(replies, constraints, prompts=prompts)))
        replies = fresh()
        forget_texts()
        before = workers_cpu()
        wall, caller_cpu = timed(lambda: ifbench.rewards(replies, constraints, prompts=prompts, workers=2))
        runs["two"].append((wall, caller_cpu + workers_cpu() - before))
    (base_s, base_cpu), (one_s, one_cpu), (two_s, two_cpu) = (min(runs[k]) for k in ("base", "one", "two"))
    same = [baseline(responses, constraints, prompts),
            ifbench.rewards(responses, constraints, prompts=prompts),
            ifbench.rewards(responses, constraints, prompts=prompts, workers=2)]
    forget_texts()
    by_checker = slowest(fresh(), constraints, prompts)
    pool.shutdown()
    assert same[0] == same[1] == same[2], "rewards differ between the baseline, workers=1 and workers=2"

    print(f"{len(responses)} replies, {checks} constraint checks (IFEval mix x{args.copies}), "
          f"{os.cpu_count()} CPUs, load average {busy:.1f} at the start, best of {args.repeat}")
    print(f"  baseline ifbench.check loop  {checks / base_s:9,.0f} checks/s  ({base_s:.2f} s; "
          f"{checks / base_cpu:,.0f} per CPU-second)")
    print(f"  rewards, workers=1           {checks / one_s:9,.0f} checks/s  ({one_s:.2f} s; "
          f"{checks / one_cpu:,.0f} per CPU-second)  {base_s / one_s:.2f}x baseline")
    print(f"  rewards, workers=2           {checks / two_s:9,.0f} checks/s  ({two_s:.2f} s)"
          f"  {one_s / two_s:.2f}x workers=1")
    print(f"    the caller and its worker used {two_cpu:.2f} CPU-seconds in that run against {one_cpu:.2f} "
          f"for workers=1: on two idle cores about {2 * one_cpu / two_cpu:.2f}x workers=1")
    print(f"  slowest checkers (one process, replies not seen before):")
    for cid, n, seconds in by_checker:
        print(f"    {cid:48s} {n:5d} checks  {seconds / n * 1e6:6.0f} us each  {seconds / one_s:4.0%} of workers=1")


if __name__ == "__main__":
    main()
