"""How long loading a large YAML task suite takes, and how much memory, against baselines.

Generates one suite of `--mb` megabytes (the shipped core-en tasks repeated under new ids) as
YAML and as the same tasks in JSONL, then measures in a fresh process each:

- `ifbench`      load_tasks on the YAML file (libyaml composes once; values built from the nodes)
- `jsonl`        load_tasks on the JSONL file (baseline: same tasks, no YAML at all)
- `pure-yaml`    yaml.load with the pure-Python SafeLoader, values only (baseline: what the
                 loader used to do, once; it did it twice, plus a compose)
- `c-yaml`       yaml.load with CSafeLoader, values only (baseline: the fastest YAML read, no lines)

Time is wall clock; memory is the process's peak resident set (ru_maxrss) minus that of the
process after imports. Ratios are to the `jsonl` and `c-yaml` rows.

    python bench/bench_load.py [--mb 50] [--skip pure-yaml]

On 2 cores (50 MB, 45,360 tasks, beside a test run): ifbench 38.5 s / 934 MB; jsonl 12.5 s / 553 MB;
pure-yaml 104 s / 1,373 MB; c-yaml 25.6 s / 946 MB. Before: 287 s and 6.5 GB (two pure-Python parses).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
KINDS = ("ifbench", "jsonl", "pure-yaml", "c-yaml")


def generate(directory: Path, megabytes: float) -> tuple[Path, Path, int]:
    """bench-suite.yaml and bench-suite.jsonl holding the same tasks; their number."""
    shipped = yaml.safe_load((REPO / "tasks" / "core-en.yaml").read_text(encoding="utf-8"))["tasks"]
    one_round = yaml.safe_dump(shipped, allow_unicode=True, sort_keys=False)
    rounds = max(1, int(megabytes * 1_000_000 / len(one_round.encode("utf-8")) + 0.5))
    tasks = [{**task, "id": f"{task['id']}-{n}"} for n in range(rounds) for task in shipped]
    yaml_path, jsonl_path = directory / "bench-suite.yaml", directory / "bench-suite.jsonl"
    with yaml_path.open("w", encoding="utf-8") as out:
        out.write("suite: bench-suite\nversion: 1\ntasks:\n")
        for n in range(rounds):
            chunk = [{**task, "id": f"{task['id']}-{n}"} for task in shipped]
            out.write(yaml.dump(chunk, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False))
    with jsonl_path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(task, ensure_ascii=False) + "\n" for task in tasks)
    return yaml_path, jsonl_path, len(tasks)


def measure(kind: str, yaml_path: Path, jsonl_path: Path) -> None:
    """Run in a child process: print seconds, peak-RSS growth in MB and the number of items read."""
    from ifbench.tasks.load import load_tasks

    load_tasks([REPO / "tasks" / "core-en.yaml"])  # imports and checker registry, outside the timing
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if kind == "ifbench":
        count = len(load_tasks([yaml_path]))
    elif kind == "jsonl":
        count = len(load_tasks([jsonl_path]))
    else:
        loader = yaml.SafeLoader if kind == "pure-yaml" else yaml.CSafeLoader
        count = len(yaml.load(yaml_path.read_text(encoding="utf-8"), Loader=loader)["tasks"])
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(json.dumps({"seconds": seconds, "mb": grown, "count": count}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the generated YAML suite")
    parser.add_argument("--skip", action="append", default=[], choices=KINDS, help="leave a row out")
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "YAML", "JSONL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]), Path(args.measure[2]))
        return
    print(f"PyYAML {yaml.__version__}, libyaml: {yaml.__with_libyaml__}")
    with tempfile.TemporaryDirectory() as directory:
        yaml_path, jsonl_path, n_tasks = generate(Path(directory), args.mb)
        print(f"{yaml_path.stat().st_size / 1e6:.1f} MB YAML, {jsonl_path.stat().st_size / 1e6:.1f} MB JSONL, "
              f"{n_tasks:,} tasks")
        rows = {}
        for kind in KINDS:
            if kind in args.skip:
                continue
            done = subprocess.run([sys.executable, __file__, "--measure", kind, str(yaml_path), str(jsonl_path)],
                                  capture_output=True, text=True, check=True)
            rows[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{'reader':10} {'seconds':>8} {'peak MB':>8} {'tasks':>8} {'s/jsonl':>8} {'s/c-yaml':>9} {'MB/jsonl':>9}")
    for kind, row in rows.items():
        ratios = [row["seconds"] / rows[base]["seconds"] if base in rows else float("nan") for base in ("jsonl", "c-yaml")]
        memory = row["mb"] / rows["jsonl"]["mb"] if "jsonl" in rows and rows["jsonl"]["mb"] else float("nan")
        print(f"{kind:10} {row['seconds']:8.2f} {row['mb']:8.0f} {row['count']:8,} "
              f"{ratios[0]:8.2f} {ratios[1]:9.2f} {memory:9.2f}")


if __name__ == "__main__":
    main()
