"""`ifbench score` on many responses: time and peak memory per size, and what --workers buys.

Responses are made from IFEval's 541 archived GPT-4 replies, sample after sample, each reply
ending in its sample number so that no two texts are the same (no per-text cache helps); they
go to a scratch directory, never into the repository. For each size the whole CLI runs in a
fresh process; peak memory is its resident set (ru_maxrss from wait4: the largest of the
process and its workers). Baselines in the same run: `--workers 1` for the speed-up, the
smallest size for the memory curve (flat means streaming), and the responses file's own size.

Then: 100,000 distinct tasks (IFEval's, each prompt made unique) loaded by `load_tasks`, with
the peak memory of that process against one that only imports ifbench.

    python bench/bench_scale.py [--sizes 10000,100000,200000] [--workers-at 100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "ifeval"
INPUT = DATA / "input_data_gpt4_20231107_145030.jsonl"
RESPONSES = DATA / "input_response_data_gpt4_20231107_145030.jsonl"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def write_responses(path: Path, n: int) -> None:
    tasks = [json.loads(line) for line in INPUT.open(encoding="utf-8")]
    replies = {row["prompt"]: row["response"] for row in map(json.loads, RESPONSES.open(encoding="utf-8"))}
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            task, sample = tasks[i % len(tasks)], i // len(tasks)
            out.write(json.dumps({"task_id": str(task["key"]), "suite": "ifeval", "model": "gpt4",
                                  "sample": sample, "prompt": task["prompt"],
                                  "response": f"{replies[task['prompt']]} {sample}"}) + "\n")


def run(command: list[str]) -> tuple[float, float, int]:
    """(wall s, CPU s, peak resident MB) of one process and its children."""
    with tempfile.TemporaryFile() as err:
        # posix_spawn (vfork-like): the child's peak is its own, not this process's pages at a fork
        started = time.perf_counter()
        pid = os.posix_spawn(command[0], command, os.environ, file_actions=[
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status):
            err.seek(0)
            raise SystemExit(f"{' '.join(command[:2])} failed:\n{err.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,200000")
    parser.add_argument("--workers-at", type=int, default=100_000, help="size the speed-up is measured at")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--tasks", type=int, default=100_000, help="distinct tasks to load (0: skip)")
    args = parser.parse_args()
    ifbench = str(Path(sys.executable).parent / "ifbench")
    print(f"load average before: {loadavg()}")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        sizes = [int(size) for size in args.sizes.split(",")]
        timings: dict[tuple[int, int], tuple[float, float, int]] = {}
        for size in sorted(set(sizes) | {args.workers_at}):
            path = root / f"responses-{size}.jsonl"
            write_responses(path, size)
            for workers in ([1, args.workers] if size == args.workers_at else [1]):
                command = [ifbench, "score", str(INPUT), "--responses", str(path), "--out",
                           str(root / f"out-{size}-{workers}"), "--missing", "fail", "--workers", str(workers)]
                timings[size, workers] = run(command)
                wall, cpu, peak = timings[size, workers]
                print(f"{size:>8,} responses ({path.stat().st_size / 1e6:,.0f} MB), --workers {workers}: "
                      f"{wall:7.1f} s wall, {cpu:7.1f} s CPU, peak {peak:,} MB; "
                      f"{size / wall:,.0f} responses/s", flush=True)
            if (size, args.workers) in timings:
                same = (root / f"out-{size}-1" / "results.jsonl").read_bytes() == (
                    root / f"out-{size}-{args.workers}" / "results.jsonl").read_bytes()
                print(f"  --workers {args.workers} speed-up: {timings[size, 1][0] / timings[size, args.workers][0]:.2f}x "
                      f"wall; results {'identical' if same else 'DIFFERENT'}", flush=True)
            path.unlink()
        if args.tasks:
            tasks_file = root / "tasks.jsonl"
            rows = [json.loads(line) for line in INPUT.open(encoding="utf-8")]
            with tasks_file.open("w", encoding="utf-8") as out:
                for i in range(args.tasks):
                    row = dict(rows[i % len(rows)], key=i)
                    row["prompt"] = f"{row['prompt']} (variant {i})"
                    out.write(json.dumps(row) + "\n")
            base = run([sys.executable, "-c", "import ifbench.tasks.load"])
            loaded = run([sys.executable, "-c", f"from ifbench.tasks.load import load_tasks; load_tasks([{str(tasks_file)!r}])"])
            print(f"{args.tasks:,} distinct tasks ({tasks_file.stat().st_size / 1e6:,.0f} MB JSONL): load_tasks "
                  f"{loaded[0]:.1f} s, peak {loaded[2]:,} MB (import only: {base[2]:,} MB); "
                  f"{(loaded[2] - base[2]) * 1024 / args.tasks:.1f} KB per task")
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
