"""ifbench against IFEval's own scorer on IFEval's 541 archived GPT-4 responses, strict and loose.

The baseline is measured in the same run, never written down: lm-evaluation-harness's
`lm_eval.tasks.ifeval` (Google's IFEval code, copied) from PyPI, installed with nltk, langdetect
and immutabledict into a venv of its own (`--ref-venv`, made on first use and kept; nltk at the
version ifbench uses). Its Punkt data is written from the same tables ifbench uses (no download).
`_reference_ifeval.py` drives it the way Google's `evaluation_main` does.

Two figures, each as ifbench / reference and as the ratio:
- whole process: `ifbench score` (load the tasks, score, write results.jsonl and run.json) against
  the reference script (import, read, score strict and loose, write both result files). The runs
  alternate, `--repeat` of each; the best wall time and CPU time (user + sys) of each side count.
- in-process: one scoring pass over the 541 responses, strict and loose, in a warm process with
  every per-text cache emptied first; the best of `--repeat` passes on each side.
The load average is printed before and after: on a shared machine, CPU time is the steadier figure.
Verdict counts of both are printed; ifbench's must be IFEval's official ones (417/541, 698/834
strict; 431/541, 714/834 loose); the reference's own vary by one or two (langdetect is unseeded).

    python bench/bench_ifeval.py [--repeat 5] [--ref-venv /tmp/ifbench-bench-ref-venv]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "conformance" / "ifeval"
INPUT = DATA / "input_data_gpt4_20231107_145030.jsonl"
RESPONSES = DATA / "input_response_data_gpt4_20231107_145030.jsonl"
REFERENCE = "lm_eval==0.4.13"
"""The reference scorer's package: lm-evaluation-harness, whose tasks/ifeval is Google's IFEval code."""
OFFICIAL = {"strict": (417, 698), "loose": (431, 714)}


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def reference_venv(path: Path) -> Path:
    """The reference venv's python, made (and kept) on first use."""
    python = path / "bin" / "python"
    wanted = f"{REFERENCE} nltk=={version('nltk')} langdetect immutabledict packaging"
    marker = path / "ifbench-bench.txt"
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    print(f"making the reference venv {path}: {wanted}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(path)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, f"nltk=={version('nltk')}", "langdetect", "immutabledict", "packaging"], check=True)
    # --no-deps: the harness's own dependencies (torch, datasets, ...) are not IFEval's scorer.
    subprocess.run([*pip, "--no-deps", REFERENCE], check=True)
    marker.write_text(wanted)
    return python


def punkt_data(directory: Path) -> Path:
    """An NLTK_DATA directory with punkt_tab/english from ifbench's tables (so nothing downloads)."""
    from ifbench.checking import punkt

    english = directory / "tokenizers" / "punkt_tab" / "english"
    english.mkdir(parents=True)
    for name, lines in punkt.table_lines().items():
        (english / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def run_with_rusage(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall, CPU user + sys, stdout) of one process, its CPU time from wait4."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(command[:3])} ... failed:\n{err.read()}")
        out.seek(0)
        return wall, usage.ru_utime + usage.ru_stime, out.read()


def ours_in_process(repeat: int) -> tuple[list[float], dict[str, tuple[int, int]]]:
    """Seconds of each scoring pass (caches emptied first), and the verdict counts."""
    from ifbench.checking import langid, punkt
    from ifbench.records import read_responses
    from ifbench.scoring import score
    from ifbench.tasks.load import load_tasks

    tasks = load_tasks([INPUT])
    records = list(read_responses(RESPONSES, tasks))
    score(tasks, records[:5], missing="fail")  # imports, Punkt tables, language profiles
    seconds = []
    for _ in range(repeat):
        punkt.clear_caches()
        langid.clear_caches()
        started = time.perf_counter()
        results = score(tasks, records)
        seconds.append(time.perf_counter() - started)
    counts = {
        "strict": (sum(r.prompt_strict for r in results), sum(c.strict for r in results for c in r.constraints)),
        "loose": (sum(r.prompt_loose for r in results), sum(c.loose for r in results for c in r.constraints)),
    }
    return seconds, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (best counts)")
    parser.add_argument("--ref-venv", type=Path, default=Path("/tmp/ifbench-bench-ref-venv"))
    args = parser.parse_args()
    print(f"load average before: {loadavg()}")
    python = reference_venv(args.ref_venv)
    ifbench = str(Path(sys.executable).parent / "ifbench")
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        # Both sides run as installed packages do: from cached bytecode (written by the first run).
        plain = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        env = {**plain, "NLTK_DATA": str(punkt_data(scratch_path / "nltk_data"))}
        (scratch_path / "ref").mkdir()
        ours_cmd = [ifbench, "score", str(INPUT), "--responses", str(RESPONSES), "--out", str(scratch_path / "ours")]
        ref_cmd = [str(python), str(HERE / "_reference_ifeval.py"), str(INPUT), str(RESPONSES), str(scratch_path / "ref")]
        ours: list[tuple[float, float]] = []
        ref: list[tuple[float, float]] = []
        run_with_rusage(ours_cmd, plain)  # untimed: bytecode written, files in the page cache
        run_with_rusage(ref_cmd, env)
        for _ in range(args.repeat):  # alternating, so both sides see the same load
            ours.append(run_with_rusage(ours_cmd, plain)[:2])
            wall, cpu, _ = run_with_rusage(ref_cmd, env)
            ref.append((wall, cpu))
        print("whole process, strict + loose, 541 responses (best / median of "
              f"{args.repeat}; wall, CPU user+sys):")
        _report("ifbench score", ours)
        _report("reference", ref)
        print(f"  ratio (reference / ifbench): wall {min(r[0] for r in ref) / min(o[0] for o in ours):.1f}x, "
              f"CPU {min(r[1] for r in ref) / min(o[1] for o in ours):.1f}x")

        _, _, stdout = run_with_rusage([*ref_cmd, "--passes", str(args.repeat + 1)], env)
        reference = json.loads(stdout)
        ref_passes = reference["seconds"][1:]  # the first pass loads nltk's tables and langdetect's profiles
    our_passes, counts = ours_in_process(args.repeat)
    print(f"in-process scoring pass, strict + loose (best / median of {args.repeat}):")
    print(f"  ifbench    {min(our_passes):.3f} s / {statistics.median(our_passes):.3f} s")
    print(f"  reference  {min(ref_passes):.3f} s / {statistics.median(ref_passes):.3f} s")
    print(f"  ratio (reference / ifbench): {min(ref_passes) / min(our_passes):.1f}x")
    for mode in ("strict", "loose"):
        mark = "" if tuple(counts[mode]) == OFFICIAL[mode] else "  <- NOT the official counts"
        print(f"{mode}: ifbench prompts {counts[mode][0]}/541, instructions {counts[mode][1]}/834{mark}; "
              f"reference {reference['counts'][mode][0]}/541, {reference['counts'][mode][1]}/834")
    print(f"load average after: {loadavg()}")


def _report(name: str, runs: list[tuple[float, float]]) -> None:
    walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
    print(f"  {name:<14} wall {min(walls):.2f} s / {statistics.median(walls):.2f} s; "
          f"CPU {min(cpus):.2f} s / {statistics.median(cpus):.2f} s")


if __name__ == "__main__":
    main()
