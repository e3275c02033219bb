"""Native checkers on the reference answers of tasks/: responses per second on one core.

Each task's (or turn's) hand-checked reference answer is scored the way `ifbench score` scores a
reply (`score_task`: every constraint strict and, where strict fails, loose), in one process.
Per-text caches are emptied before each pass, so a pass measures the work, not the memo.
Baseline in the same run: the same loop with every check replaced by `len(text.split())`, the
cheapest per-constraint look at the text, so the ratio says what the checkers cost beyond it.

    python bench/bench_native.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ifbench.records import ResponseRecord
from ifbench.scoring import score_task
from ifbench.tasks.load import load_tasks

TASKS = Path(__file__).resolve().parents[1] / "tasks"


def _clear() -> None:
    from ifbench.checking import langid, punkt

    punkt.clear_caches()
    langid.clear_caches()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("load average:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    tasks = load_tasks(sorted(TASKS.glob("*.yaml")))
    work = []
    for task in tasks:
        turns = task.user_turns()
        if all(turn.reference for turn in turns):
            bound = [[c.bind() for c in turn.constraints] for turn in turns]
            replies = [ResponseRecord(task_id=task.id, suite=task.suite, model="reference", turn=i,
                                      response=turn.reference) for i, turn in enumerate(turns)]
            work.append((task, replies, bound))
    responses = sum(len(replies) for _, replies, _ in work)
    constraints = sum(len(c) for _, _, bound in work for c in bound)
    score_task(*work[0][:2], model="reference", bound=work[0][2])  # imports, tables, profiles
    best = float("inf")
    failed = 0
    for _ in range(args.repeat):
        _clear()
        started = time.perf_counter()
        results = [score_task(task, replies, model="reference", bound=bound) for task, replies, bound in work]
        best = min(best, time.perf_counter() - started)
        failed = sum(not r.prompt_strict for r in results)
    baseline = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        for _, replies, bound in work:
            for reply, turn in zip(replies, bound):
                for _ in turn:
                    len(reply.response.split())
        baseline = min(baseline, time.perf_counter() - started)
    print(f"{responses} reference answers ({len(work)} tasks, {constraints} constraints) of {len(tasks)} tasks; "
          f"{failed} fail strict")
    print(f"ifbench: {best:.3f} s = {responses / best:,.0f} responses/s/core "
          f"(best of {args.repeat}, caches emptied; pid {os.getpid()})")
    print(f"baseline (str.split per constraint): {baseline:.4f} s = {responses / baseline:,.0f} responses/s; "
          f"ifbench / baseline: {best / baseline:.0f}x")


if __name__ == "__main__":
    main()
