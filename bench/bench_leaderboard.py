"""Benchmark: aggregate 1,000,000 synthetic result lines; print seconds, peak memory, ratio to a baseline.

    python bench/bench_leaderboard.py [--rows 1000000] [--baseline naive|pandas|both]

Writes synthetic results.jsonl files (one run directory per model, with run.json) to a
temporary directory, then runs each phase in its own process so each peak RSS is its own
(CPU seconds are printed beside wall seconds: on a shared machine they are the fair measure):
- ifbench: `load_results` + `leaderboard` (with 1000-replicate bootstrap intervals);
- baseline `naive`: the obvious pure-Python version (json.loads, dicts of per-task sums,
  same headline numbers, no intervals); `pandas`: `pandas.read_json(lines=True)` then
  exploding the verdict lists, the one-liner a pandas user would write.
Both compute prompt_strict per (model, suite); the bench checks they agree.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from ifbench.records import RESULTS_FILE, RUN_FILE

CHECKERS = ["length.words", "format.bullets", "content.include", "language.response",
            "role.no_ai_disclaimer", "ifeval:keywords:existence", "steps.ordered", "format.json"]


def generate(root: Path, rows: int, *, models: int = 10, suites: int = 4, samples: int = 5) -> int:
    """Write `rows` result lines (about; rounded to whole tasks) and return how many were written."""
    tasks = max(1, rows // (models * suites * samples))
    rng = random.Random(0)
    written = 0
    for m in range(models):
        run = root / f"model-{m:02d}"
        run.mkdir(parents=True)
        skill = 0.5 + 0.04 * m
        (run / RUN_FILE).write_text(json.dumps({
            "ifbench_version": "0.1.0", "started_at": "2026-05-01T00:00:00Z",
            "settings": {"temperature": 0.7, "top_p": 1.0, "max_tokens": 1024, "seed": 0,
                         "samples": samples, "mode": "chat"}}))
        with (run / RESULTS_FILE).open("w", encoding="utf-8") as out:
            for s in range(suites):
                suite, sha = f"suite-{s}", f"{s:064x}"
                for t in range(tasks):
                    language = "zh" if t % 2 else "en"
                    category = ("basic", "creative", "reasoning", "multi_step")[t % 4]
                    n = 1 + t % 4
                    for sample in range(samples):
                        verdicts, passed = [], [True, True]
                        for k in range(n):
                            strict = rng.random() < skill
                            loose = strict or rng.random() < 0.3
                            passed = [passed[0] and strict, passed[1] and loose]
                            verdicts.append(
                                f'{{"id": "{CHECKERS[(t + k) % len(CHECKERS)]}", "params": {{"max": {k * 50 + 100}}}, '
                                f'"strict": {json.dumps(strict)}, "loose": {json.dumps(loose)}, '
                                f'"reason": "{rng.randint(50, 400)} words; at most {k * 50 + 100} allowed", '
                                f'"loose_reason": null, "turn": {k % 2}}}'
                            )
                        out.write(
                            f'{{"task_id": "task-{t:05d}", "suite": "{suite}", "model": "model-{m:02d}", '
                            f'"sample": {sample}, "language": "{language}", "category": "{category}", '
                            f'"pattern": "constrained", "prompt_strict": {json.dumps(passed[0])}, '
                            f'"prompt_loose": {json.dumps(passed[1])}, '
                            f'"constraints": [{", ".join(verdicts)}], "error": null, '
                            f'"suite_sha256": "{sha}", "version": 1}}\n'
                        )
                        written += 1
    return written


def run_ifbench(root: Path) -> dict[str, float]:
    from ifbench.leaderboard.aggregate import leaderboard
    from ifbench.leaderboard.load import load_results

    start = time.perf_counter()
    results = load_results([root])
    loaded = time.perf_counter()
    table = leaderboard(results)
    done = time.perf_counter()
    scores = {f"{r.model}/{r.suite}": r.prompt_strict for r in table.itertuples()}
    return {"seconds": done - start, "load_seconds": loaded - start,
            "aggregate_seconds": done - loaded, "rows": len(results.samples),
            "verdicts": len(results.verdicts), "scores": scores}


def run_naive(root: Path) -> dict[str, float]:
    """Pure Python: per (model, suite, sha, task) sums, then means."""
    start = time.perf_counter()
    per_task: dict[tuple, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for path in sorted(root.glob("*/results.jsonl")):
        with path.open("rb") as lines:
            for line in lines:
                rec = json.loads(line)
                acc = per_task[(rec["model"], rec["suite"], rec["suite_sha256"], rec["task_id"])]
                acc[0] += 1
                acc[1] += rec["prompt_strict"]
                acc[2] += rec["prompt_loose"]
                acc[3] += sum(c["strict"] for c in rec["constraints"])
                acc[4] += sum(c["loose"] for c in rec["constraints"])
                acc[5] += len(rec["constraints"])
    groups: dict[tuple, list[float]] = defaultdict(lambda: [0, 0.0])
    for (model, suite, _sha, _task), acc in per_task.items():
        group = groups[(model, suite)]
        group[0] += 1
        group[1] += acc[1] / acc[0]
    scores = {f"{m}/{s}": total / n for (m, s), (n, total) in groups.items()}
    return {"seconds": time.perf_counter() - start, "scores": scores}


def run_pandas(root: Path) -> dict[str, float]:
    """pandas.read_json(lines=True), explode the verdicts, group."""
    import pandas as pd

    start = time.perf_counter()
    frame = pd.concat([pd.read_json(p, lines=True) for p in sorted(root.glob("*/results.jsonl"))],
                      ignore_index=True)
    verdicts = pd.json_normalize(frame["constraints"].explode().dropna().tolist())
    del verdicts
    per_task = frame.groupby(["model", "suite", "suite_sha256", "task_id"])["prompt_strict"].mean()
    means = per_task.groupby(level=["model", "suite"]).mean()
    scores = {f"{m}/{s}": v for (m, s), v in means.items()}
    return {"seconds": time.perf_counter() - start, "scores": scores}


PHASES = {"ifbench": run_ifbench, "naive": run_naive, "pandas": run_pandas}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(phase: str, root: Path) -> None:
    start = _cpu()
    result = PHASES[phase](root)
    result["cpu_seconds"] = _cpu() - start
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(phase: str, root: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--phase", phase, "--root", str(root)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline", choices=["naive", "pandas", "both"], default="both")
    parser.add_argument("--phase", choices=list(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args.phase, args.root)
        return
    with tempfile.TemporaryDirectory(prefix="ifbench-bench-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        rows = generate(root, args.rows)
        size = sum(p.stat().st_size for p in root.glob("*/results.jsonl")) / 2**20
        print(f"generated {rows:,} result lines ({size:,.0f} MB) in {time.perf_counter() - start:.1f} s")
        ours = measure("ifbench", root)
        print(f"ifbench load+aggregate: {ours['seconds']:.1f} s wall, {ours['cpu_seconds']:.1f} s CPU "
              f"(load {ours['load_seconds']:.1f} s, aggregate with bootstrap intervals "
              f"{ours['aggregate_seconds']:.1f} s), peak memory {ours['peak_mb']:,.0f} MB, "
              f"{ours['rows']:,} rows, {ours['verdicts']:,} verdicts")
        for name in (["naive", "pandas"] if args.baseline == "both" else [args.baseline]):
            base = measure(name, root)
            print(f"baseline {name}: {base['seconds']:.1f} s wall, {base['cpu_seconds']:.1f} s CPU, "
                  f"peak memory {base['peak_mb']:,.0f} MB")
            print(f"  ratio {name}/ifbench: CPU time {base['cpu_seconds'] / ours['cpu_seconds']:.2f}x, "
                  f"peak memory {base['peak_mb'] / ours['peak_mb']:.2f}x")
            worst = max(abs(ours["scores"][k] - base["scores"][k]) for k in base["scores"])
            print(f"  prompt_strict agrees with the baseline to {worst:.1e}")


if __name__ == "__main__":
    main()
