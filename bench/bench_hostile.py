"""How long every checker takes on a 10 MB response, strict and loose.

Baseline measured in the same run: one pass of `str.split()` over the same text (the
cheapest possible word count), so each line prints a ratio rather than a bare time.

    python bench/bench_hostile.py [--mb 10] [--only PREFIX]
"""

from __future__ import annotations

import argparse
import math
import time

import ifbench
from ifbench.checking import evaluate
from ifbench.checking.registry import all_checkers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--only", default="", help="checker id prefix, e.g. 'format.'")
    args = parser.parse_args()
    evaluate.CHECK_BUDGET_S = math.inf  # time each checker in full, even past the budget of a check
    unit = "Dr. Smith said: don't stop at 3.14! 他说：“走吧。” | a | b |\n- item\n\n"
    text = (unit * int(args.mb * 1_000_000 / len(unit) + 1))[: int(args.mb * 1_000_000)]
    started = time.perf_counter()
    text.split()
    baseline = time.perf_counter() - started
    print(f"{len(text):,} characters; baseline str.split(): {baseline:.3f}s")
    print(f"{'checker':40} {'strict s':>9} {'loose s':>9} {'strict/baseline':>16}")
    worst = 0.0
    for spec in all_checkers():
        if not spec.id.startswith(args.only):
            continue
        constraint = {"id": spec.id, **spec.examples[0].params}
        times = []
        for mode in ("strict", "loose"):
            started = time.perf_counter()
            ifbench.check(text, constraint, prompt="Repeat this.", mode=mode)
            times.append(time.perf_counter() - started)
        worst = max(worst, times[1])
        print(f"{spec.id:40} {times[0]:9.2f} {times[1]:9.2f} {times[0] / baseline:16.1f}x")
    print(f"slowest loose check: {worst:.2f}s")


if __name__ == "__main__":
    main()
