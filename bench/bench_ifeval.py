"""Scoring IFEval's 541 archived GPT-4 responses with the `ifeval:` checkers, strict and loose.

Prints the import and warm-up times (nltk import, Punkt tables, langdetect profiles)
apart from the scoring time, and the headline numbers so a run also shows the verdicts
are the official ones (417/541, 698/834 strict; 431/541, 714/834 loose).

External comparison: IFEval's own scorer (`python -m instruction_following_eval.evaluation_main`
with nltk 3.10.4) takes about 2.0 s for the whole process, strict and loose, on this machine.

    python bench/bench_ifeval.py [--repeat 3]
"""

from __future__ import annotations

import time

_started = time.perf_counter()
import ifbench  # noqa: E402  (timed)

_imported = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "ifeval"


def _jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def score(tasks: list[dict], responses: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Mode -> (prompts passed, instructions passed)."""
    totals = {}
    for mode in ("strict", "loose"):
        prompts = instructions = 0
        for task in tasks:
            response = responses[task["prompt"]]
            verdicts = [
                ifbench.check(
                    response,
                    {"id": "ifeval:" + iid, **{k: v for k, v in kwargs.items() if v is not None}},
                    prompt=task["prompt"],
                    mode=mode,
                ).passed
                for iid, kwargs in zip(task["instruction_id_list"], task["kwargs"])
            ]
            prompts += all(verdicts)
            instructions += sum(verdicts)
        totals[mode] = (prompts, instructions)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed scoring runs (best is shown)")
    args = parser.parse_args()
    tasks = _jsonl("input_data_gpt4_20231107_145030.jsonl")
    responses = {row["prompt"]: row["response"] for row in _jsonl("input_response_data_gpt4_20231107_145030.jsonl")}

    started = time.perf_counter()
    ifbench.check("Warm up. OK", {"id": "ifeval:punctuation:no_comma"})  # loads every checker module
    registry = time.perf_counter() - started
    started = time.perf_counter()
    ifbench.check("Warm up. OK", {"id": "ifeval:change_case:capital_word_frequency",
                                   "capital_frequency": 1, "capital_relation": "at least"})
    ifbench.check("Warm up, ok.", {"id": "ifeval:language:response_language", "language": "en"})
    warm = time.perf_counter() - started
    print(f"import ifbench: {_imported - _started:.2f}s; checker modules: {registry:.2f}s; "
          f"warm-up (nltk, Punkt tables, langdetect profiles): {warm:.2f}s")

    best = float("inf")
    for run in range(args.repeat):
        # the caches are per text; clear them so every run measures real work
        from ifbench.checking import langid, punkt

        punkt._sentences.cache_clear()
        punkt._sentence_words.cache_clear()
        langid.detect_language.cache_clear()
        started = time.perf_counter()
        totals = score(tasks, responses)
        elapsed = time.perf_counter() - started
        best = min(best, elapsed)
        print(f"run {run + 1}: {elapsed:.2f}s for {len(tasks)} responses strict + loose "
              f"({elapsed / len(tasks) * 1000:.1f} ms per response)")
    for mode, (prompts, instructions) in totals.items():
        print(f"{mode}: prompts {prompts}/{len(tasks)}, instructions {instructions}/834")
    print(f"best: {best:.2f}s, {best / len(tasks) * 1000:.1f} ms per response (strict + loose)")
    whole = _whole_process()
    print(f"whole process `ifbench score` (load, score, write results.jsonl): {whole:.2f}s; "
          "IFEval's own scorer on the same files: about 2.0 s per whole process")


def _whole_process() -> float:
    """Wall time of the CLI a user runs, the figure comparable with IFEval's whole-process one."""
    with tempfile.TemporaryDirectory() as out:
        command = [
            sys.executable, "-m", "ifbench.cli", "score",
            str(DATA / "input_data_gpt4_20231107_145030.jsonl"),
            "--responses", str(DATA / "input_response_data_gpt4_20231107_145030.jsonl"),
            "--out", out,
        ]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - started


if __name__ == "__main__":
    main()
