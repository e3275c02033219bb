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

    python bench/bench_leaderboard.py --html [--models 5] [--tasks 1000]

measures the HTML report with its per-task view instead: 5 models × 1,000 tasks with their
replies (responses.jsonl; English and Chinese, some with reasoning blocks), the report's size
and render time, and in headless Chromium its load time, DOM size and the time to open a task
and to apply a filter; the baseline is the same report without the per-task view (no tasks).
Chromium is driven by the tests' DevTools client (tests/leaderboard/conftest.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from ifbench.records import RESPONSES_FILE, RESULTS_FILE, RUN_FILE

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

WORDS_EN = ("the model answers each question with care and counts every word it writes so that "
            "the limit holds while the summary stays clear short and useful for readers").split()
WORDS_ZH = list("模型认真回答每一个问题并且数清楚自己写下的每一个字让限制成立同时摘要清楚简短有用")


def generate_replies(root: Path, models: int, tasks: int) -> None:
    """One run per model: results.jsonl and responses.jsonl for `tasks` tasks in two suites.

    Replies are 150-400 words (English) or 250-600 characters (Chinese); every fifth has a
    reasoning block of about the same length again."""
    rng = random.Random(0)
    for m in range(models):
        run = root / f"model-{m}"
        run.mkdir(parents=True)
        with (run / RESULTS_FILE).open("w", encoding="utf-8") as results, \
                (run / RESPONSES_FILE).open("w", encoding="utf-8") as responses:
            for t in range(tasks):
                suite, language = f"suite-{t % 2}", "zh" if t % 3 == 0 else "en"
                words = WORDS_ZH if language == "zh" else WORDS_EN
                joiner = "" if language == "zh" else " "
                length = rng.randint(250, 600) if language == "zh" else rng.randint(150, 400)
                text = joiner.join(rng.choice(words) for _ in range(length))
                if t % 5 == 0:
                    text = f"<think>{joiner.join(rng.choice(words) for _ in range(length))}</think>\n{text}"
                verdicts = []
                for k in range(1 + t % 4):
                    strict = rng.random() < 0.5 + 0.08 * m
                    verdicts.append({"id": CHECKERS[(t + k) % len(CHECKERS)], "params": {"max": 100 + 50 * k},
                                     "strict": strict, "loose": strict, "turn": 0, "loose_reason": None,
                                     "reason": f"{rng.randint(50, 400)} words; at most {100 + 50 * k} allowed"})
                common = {"task_id": f"task-{t:04d}", "suite": suite, "model": f"model-{m}", "sample": 0}
                results.write(json.dumps({
                    **common, "language": language, "category": ("basic", "creative", "reasoning")[t % 3],
                    "pattern": "constrained", "prompt_strict": all(v["strict"] for v in verdicts),
                    "prompt_loose": all(v["loose"] for v in verdicts), "constraints": verdicts,
                    "error": None, "reasoning": "stripped" if t % 5 == 0 else "none",
                    "suite_sha256": f"{t % 2:064x}", "version": 1}, ensure_ascii=False) + "\n")
                responses.write(json.dumps({
                    **common, "turn": 0, "prompt": f"Task {t}: answer in at most 100 words.",
                    "response": text, "finish_reason": "stop"}, ensure_ascii=False) + "\n")


PAGE_TIMINGS = """(async function () {
    var navigation = performance.getEntriesByType("navigation")[0];
    var timings = {dom_ready_ms: navigation.domContentLoadedEventEnd, load_ms: navigation.loadEventStart,
                   parse_and_script_ms: navigation.domContentLoadedEventEnd - navigation.responseEnd,
                   elements: document.getElementsByTagName("*").length,
                   tasks_drawn: document.querySelectorAll("#task-list details.task").length};
    var task = document.querySelector("#task-list details.task");
    if (task) {
        var start = performance.now();
        task.open = true;
        await new Promise(function (done) { task.addEventListener("toggle", done); });
        timings.open_task_ms = performance.now() - start;
        var checker = document.getElementById("filter-checker");
        start = performance.now();
        checker.value = checker.options[1].value;
        checker.dispatchEvent(new Event("change"));
        timings.filter_ms = performance.now() - start;
    }
    return JSON.stringify(timings);
})()"""


def _devtools():
    """The tests' minimal Chrome DevTools Protocol client, loaded from its file."""
    path = Path(__file__).resolve().parents[1] / "tests" / "leaderboard" / "conftest.py"
    spec = importlib.util.spec_from_file_location("leaderboard_devtools", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def bench_html(models: int, tasks: int, loads: int = 3) -> None:
    from ifbench.leaderboard.aggregate import leaderboard
    from ifbench.leaderboard.html import render, write_html
    from ifbench.leaderboard.load import load_results

    devtools = _devtools()
    if devtools.chromium_path() is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="ifbench-bench-html-") as tmp:
        root = Path(tmp)
        generate_replies(root / "runs", models, tasks)
        results = load_results([root / "runs"])
        table = leaderboard(results, n_boot=200)
        replies = sum(p.stat().st_size for p in root.glob(f"runs/*/{RESPONSES_FILE}")) / 2**20
        print(f"{models} models × {tasks:,} tasks; responses.jsonl {replies:.1f} MB in all")
        for label, shown in (("baseline, no per-task view", 0), ("with the per-task view", tasks)):
            start = time.perf_counter()
            html = render(table, results, n_boot=200, max_tasks=shown)
            rendered = time.perf_counter() - start
            path = root / f"report-{shown}.html"
            write_html(path, html)
            runs = []
            for n in range(loads):
                start = time.perf_counter()
                page = devtools.open_page(path, root / f"profile-{shown}-{n}", PAGE_TIMINGS)
                if page.errors:
                    raise SystemExit(f"{label}: page errors {page.errors}")
                runs.append({**page.value, "wall_s": time.perf_counter() - start})
            median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{label}: {path.stat().st_size / 2**20:.2f} MB, rendered in {rendered:.2f} s; Chromium "
                  f"(median of {loads}): DOMContentLoaded {median['dom_ready_ms']:.0f} ms, "
                  f"load {median['load_ms']:.0f} ms (parsing and scripts {median['parse_and_script_ms']:.0f} ms), "
                  f"{median['elements']:,.0f} elements, {median['tasks_drawn']:.0f} tasks drawn, "
                  f"browser start to result {median['wall_s']:.1f} s")
            if "open_task_ms" in median:
                print(f"  opening a task {median['open_task_ms']:.0f} ms, "
                      f"applying a checker filter {median['filter_ms']:.0f} ms")


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
    parser.add_argument("--html", action="store_true",
                        help="measure the HTML report's per-task view instead (see above)")
    parser.add_argument("--models", type=int, default=5, help="with --html: models (default 5)")
    parser.add_argument("--tasks", type=int, default=1000, help="with --html: tasks (default 1000)")
    parser.add_argument("--phase", choices=list(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args.phase, args.root)
        return
    if args.html:
        bench_html(args.models, args.tasks)
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
