"""The `ifbench` console script, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

TASKS = """\
suite: demo
tasks:
  - id: short
    prompt: Define gravity in at most 5 words.
    constraints: [{id: length.words, max: 5}]
  - id: zh
    language: zh
    prompt: 用两句话介绍长城。
    constraints: [{id: length.sentences, exact: 2}]
"""


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([script, *args], capture_output=True, text=True, timeout=60)


def test_validate_accepts_a_good_file(ifbench_script, write):
    done = run(ifbench_script, "validate", str(write("demo.yaml", TASKS)))
    assert done.returncode == 0, done.stderr
    assert "OK: 2 tasks, 2 constraints, 1 suite(s): demo" in done.stdout


def test_validate_lists_every_problem_and_exits_non_zero(ifbench_script, write):
    bad = write("bad.yaml", TASKS.replace("length.words", "length.word").replace("exact: 2", "exactly: 2"))
    done = run(ifbench_script, "validate", str(bad))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[0] == f"{bad}:5: task 'short': unknown checker id 'length.word' (did you mean 'length.words'?)"
    assert lines[1].startswith(f"{bad}:9: task 'zh': length.sentences: unknown parameter 'exactly'")
    assert lines[2] == "2 problem(s) found; nothing was run."


def test_checkers_lists_ids_and_shows_one_with_parameters_and_examples(ifbench_script):
    listing = run(ifbench_script, "checkers")
    assert listing.returncode == 0 and "length.words" in listing.stdout and "steps.ordered" in listing.stdout
    one = run(ifbench_script, "checkers", "length.chars")
    assert one.returncode == 0
    assert "spaces" in one.stdout and "Count whitespace characters too." in one.stdout
    assert "Examples:" in one.stdout and "你好" in one.stdout
    as_json = json.loads(run(ifbench_script, "checkers", "length.words", "--json").stdout)
    assert as_json["id"] == "length.words" and "max" in as_json["params"]["properties"]


def test_checkers_suggests_a_close_id(ifbench_script):
    done = run(ifbench_script, "checkers", "length.wrds")
    assert done.returncode == 1 and "did you mean 'length.words'" in done.stderr


def test_score_writes_results_and_prints_the_four_numbers(ifbench_script, write, tmp_path):
    tasks = write("demo.yaml", TASKS)
    responses = write("responses.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"task_id": "short", "suite": "demo", "model": "m", "response": "Mass attracts mass."},
        {"task_id": "zh", "suite": "demo", "model": "m", "response": "长城很长。它很古老。还有第三句。"},
    ]) + "\n")
    out = tmp_path / "out"
    done = run(ifbench_script, "score", str(tasks), "--responses", str(responses), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "prompt-level (2)" in done.stdout and "50.00%" in done.stdout
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [r["task_id"] for r in results] == ["short", "zh"]
    assert set(results[0]) >= {"task_id", "suite", "model", "sample", "language", "category", "pattern",
                               "prompt_strict", "prompt_loose", "constraints"}
    assert results[1]["constraints"][0]["reason"] == "3 sentences; exactly 2 required"
    assert set(results[1]["constraints"][0]) >= {"id", "params", "strict", "loose", "reason"}


def test_score_names_the_lines_it_does_not_score_and_refuses_conflicting_ones(ifbench_script, write, tmp_path):
    tasks = write("demo.yaml", TASKS)
    answers = [{"task_id": "short", "suite": "demo", "model": "m", "response": "Mass attracts mass."},
               {"task_id": "zh", "suite": "demo", "model": "m", "response": "长城很长。它很古老。"}]
    strays = [{"task_id": f"old{i}", "suite": "demo", "model": "m", "response": "x"} for i in range(7)]
    responses = write("responses.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n"
                                                 for r in answers + strays))
    done = run(ifbench_script, "score", str(tasks), "--responses", str(responses), "--out", str(tmp_path / "o"))
    assert done.returncode == 0, done.stderr
    assert "note: 7 response line(s) belong to none of these tasks and are not scored:" in done.stderr
    assert f"{responses}:3: task demo/old0 is not among the tasks" in done.stderr
    assert "and 2 more" in done.stderr and "prompt-level (2)" in done.stdout

    conflicting = answers + [answers[1] | {"response": "长城很短。"}]
    responses.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in conflicting), encoding="utf-8")
    done = run(ifbench_script, "score", str(tasks), "--responses", str(responses), "--out", str(tmp_path / "o"))
    assert done.returncode == 1
    assert f"{responses}:2 and line 3 answer m/demo/zh (sample 0, turn 0) differently" in done.stderr


def test_score_refuses_missing_responses_unless_told(ifbench_script, write, tmp_path):
    tasks = write("demo.yaml", TASKS)
    responses = write("responses.jsonl", json.dumps(
        {"task_id": "short", "suite": "demo", "model": "m", "response": "Mass attracts mass."}) + "\n")
    done = run(ifbench_script, "score", str(tasks), "--responses", str(responses), "--out", str(tmp_path))
    assert done.returncode == 1 and "m/demo/zh" in done.stderr and "--missing fail" in done.stderr
    done = run(ifbench_script, "score", str(tasks), "--responses", str(responses), "--out", str(tmp_path),
               "--missing", "fail")
    assert done.returncode == 0 and "1 task(s) had no usable response" in done.stdout


def _bomb() -> str:
    first = "&a0 [" + ", ".join(["lol"] * 9) + "]"
    return "[" + ", ".join([first, *(f"&a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9))]) + "]"


HOSTILE = {
    "bomb-param.yaml": f"suite: s\ntasks:\n  - id: t\n    prompt: x\n    constraints:\n      - {{id: format.json, schema: {_bomb()}}}\n",
    "bomb-steps.yaml": f"suite: s\ntasks:\n  - id: t\n    prompt: x\n    constraints:\n      - {{id: steps.ordered, steps: {_bomb()}}}\n",
    "bomb-id.yaml": f"suite: s\ntasks:\n  - id: {_bomb()}\n    prompt: x\n",
    "deep.yaml": "suite: s\ntasks:\n  - id: t\n    prompt: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep.jsonl": '{"id": "t", "prompt": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
    "long-int.yaml": "suite: s\ntasks:\n  - {id: t, prompt: x, constraints: [{id: length.words, max: " + "9" * 5000 + "}]}\n",
    "long-int.jsonl": '{"id": "t", "prompt": "x", "constraints": [{"id": "length.words", "max": ' + "9" * 5000 + "}]}\n",
    "kwargs.jsonl": '{"key": 1, "prompt": "x", "instruction_id_list": ["punctuation:no_comma"], "kwargs": ["oops"]}\n',
    "merge.yaml": "suite: s\n<<: {tasks: [{id: t, prompt: x}]}\n",
    "surrogate.jsonl": '{"id": "t", "prompt": "bad \\ud800"}\n',
    "dup-keys.yaml": "suite: s\ntasks:\n  - {id: t, prompt: x, prompt: y}\n",
    "dup-keys.jsonl": '{"id": "t", "prompt": "x", "prompt": "y"}\n',
    "suite-5.yaml": "suite: 5\ntasks:\n  - {id: t, prompt: x, constraints: [{id: nope}]}\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_validate_refuses_a_hostile_file_with_path_line_and_no_traceback(ifbench_script, write, name):
    path = write(name, HOSTILE[name])
    done = run(ifbench_script, "validate", str(path))
    assert done.returncode in (1, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    problems = done.stderr.strip().splitlines()[:-1]
    assert problems and all(line.startswith(f"{path}:") for line in problems), done.stderr[-2000:]


def test_validate_lists_a_bad_suite_and_a_bad_constraint_together(ifbench_script, write):
    path = write("suite-5.yaml", HOSTILE["suite-5.yaml"])
    lines = run(ifbench_script, "validate", str(path)).stderr.strip().splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == [f"{path}:1", f"{path}:3"], lines


def test_run_and_score_count_a_file_given_twice_once(ifbench_script, write, tmp_path):
    tasks = write("demo.yaml", TASKS)
    done = run(ifbench_script, "validate", str(tmp_path), str(tasks), str(tasks))
    assert "OK: 2 tasks" in done.stdout, done.stderr


IFEVAL = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "ifeval"


@pytest.mark.skipif(not IFEVAL.is_dir(), reason=f"IFEval conformance data not found at {IFEVAL}")
def test_score_with_two_workers_writes_the_same_bytes_in_the_same_order(ifbench_script, tmp_path):
    # 541 results: several batches per worker, so an unordered merge would show.
    written, summaries = {}, {}
    for workers in ("1", "2"):
        done = run(ifbench_script, "score", str(IFEVAL / "input_data_gpt4_20231107_145030.jsonl"),
                   "--responses", str(IFEVAL / "input_response_data_gpt4_20231107_145030.jsonl"),
                   "--out", str(tmp_path / workers), "--workers", workers)
        assert done.returncode == 0, done.stderr
        written[workers] = (tmp_path / workers / "results.jsonl").read_bytes()
        summaries[workers] = [line for line in done.stdout.splitlines() if not line.startswith("Wrote")]
    assert written["2"] == written["1"]
    assert summaries["2"] == summaries["1"] and any("77.08%" in line for line in summaries["1"])
    task_ids = [json.loads(line)["task_id"] for line in written["1"].splitlines()]
    assert len(task_ids) == 541 and len(set(task_ids)) == 541
