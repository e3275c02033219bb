"""The `ifbench:` checkers give AllenAI IFBench's committed verdicts on its bundled sample responses.

Data: `shared/conformance/ifbench/` (see its README): the 294-prompt test set, the sample
responses (joined on the prompt text) and the maintainers' strict and loose verdicts,
scored here through the same path as `ifbench score` (load_tasks, read_responses, score).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import ifbench
from ifbench.records import read_responses
from ifbench.scoring import score, summarize
from ifbench.tasks.load import load_tasks

DATA = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "ifbench"
MODES = ("strict", "loose")

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"IFBench conformance data not found at {DATA}")

# No verdict may differ. The one checker that cannot be exact by construction,
# words:start_verb (a different POS model, see its docstring), agrees on all 6 responses.


def _jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def scored() -> dict:
    """Our results and the reference rows, per task key, in the input file's order."""
    path = DATA / "IFBench_test_294.jsonl"
    tasks = load_tasks([path])
    results = score(tasks, read_responses(DATA / "sample_output.jsonl", tasks))
    inputs = _jsonl("IFBench_test_294.jsonl")
    reference = {mode: _jsonl(f"eval_results_{mode}.jsonl") for mode in MODES}
    return {"tasks": tasks, "results": results, "inputs": inputs, "reference": reference}


def _rows(scored: dict, mode: str) -> list[dict]:
    rows = []
    by_id = {result.task_id: result for result in scored["results"]}
    for task, expected in zip(scored["inputs"], scored["reference"][mode]):
        assert task["prompt"] == expected["prompt"]
        ours = by_id[str(task["key"])]
        for index, iid in enumerate(task["instruction_id_list"]):
            constraint = ours.constraints[index]
            assert constraint.id == "ifbench:" + iid
            rows.append({
                "key": str(task["key"]), "index": index, "id": iid,
                "ours": getattr(constraint, mode), "expected": expected["follow_instruction_list"][index],
                "reason": constraint.reason if mode == "strict" else (constraint.loose_reason or constraint.reason),
            })
    return rows


def test_the_294_prompts_load_as_ifbench_tasks(scored):
    tasks = scored["tasks"]
    assert len(tasks) == 294
    assert all(task.suite == "ifbench" for task in tasks)
    assert sum(len(task.constraints) for task in tasks) == 335
    assert len({c.id for task in tasks for c in task.constraints}) == 57


@pytest.mark.parametrize("mode", MODES)
def test_every_instruction_verdict_equals_the_reference(scored, mode):
    rows = _rows(scored, mode)
    assert len(rows) == 335
    differing = [row for row in rows if row["ours"] != row["expected"]]
    ours, reference = Counter(), Counter()
    for row in rows:
        ours[row["id"]] += row["ours"]
        reference[row["id"]] += row["expected"]
    table = "\n".join(
        f"  {iid}: ours {ours[iid]}, reference {reference[iid]}"
        for iid in sorted(set(ours) | set(reference)) if ours[iid] != reference[iid]
    )
    details = "\n".join(
        f"key {row['key']} #{row['index']} {row['id']}: ours {row['ours']}, reference {row['expected']} "
        f"({row['reason']})"
        for row in differing
    )
    assert not differing, f"{len(differing)} {mode} verdicts differ:\n{details}\npasses per id (ours, reference):\n{table}"


@pytest.mark.parametrize(
    ("mode", "prompts", "instructions"), [("strict", 77, 93), ("loose", 88, 109)]
)
def test_headline_numbers(scored, mode, prompts, instructions):
    summary = summarize(scored["results"])
    assert (summary.n_prompts, summary.n_instructions) == (294, 335)
    prompt_level = summary.prompt_strict if mode == "strict" else summary.prompt_loose
    instruction_level = summary.inst_strict if mode == "strict" else summary.inst_loose
    assert round(prompt_level * 294) == prompts and round(instruction_level * 335) == instructions
    # the reference files agree with the numbers in the README (26.19 / 27.76 / 29.93 / 32.54)
    reference = scored["reference"][mode]
    assert sum(row["follow_all_instructions"] for row in reference) == prompts
    assert sum(sum(row["follow_instruction_list"]) for row in reference) == instructions


def test_all_58_instruction_ids_of_the_current_test_set_are_registered():
    ids = {spec[0] for spec in ifbench.checkers_catalog() if spec[0].startswith("ifbench:")}
    used = {iid for task in _jsonl("IFBench_test.jsonl") for iid in task["instruction_id_list"]}
    assert len(used) == 58
    assert ids == {"ifbench:" + iid for iid in used}


def test_the_300_prompt_test_set_loads_and_scores():
    tasks = load_tasks([DATA / "IFBench_test.jsonl"])
    assert len(tasks) == 300
    assert sum(len(task.constraints) for task in tasks) == 344
    # The sample responses cover 290 of these prompts exactly and 3 more whose text differs
    # only in surrounding whitespace (responses match ignoring it); the others score as failed.
    responses = read_responses(DATA / "sample_output.jsonl", tasks)
    results = score(tasks, responses, missing="fail")
    assert len(results) == 300
    assert sum(result.error is not None for result in results) == 7
