"""The `ifeval:` checkers give the official IFEval scorer's verdicts on its archived GPT-4 responses.

Data: `shared/conformance/ifeval/` (see its README): the GPT-4 input file, the responses
(joined on the prompt text, as IFEval does) and the official strict and loose verdicts.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import ifbench
from ifbench.checking.base import Context
from ifbench.checking.evaluate import bind, evaluate
from ifbench.checking.loose import loose_variants

DATA = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "ifeval"
MODES = ("strict", "loose")

pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"IFEval conformance data not found at {DATA}"
)


def _jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def scored() -> dict:
    """Our verdicts, the reference verdicts, and per-variant verdicts, for every instruction."""
    inputs = _jsonl("input_data_gpt4_20231107_145030.jsonl")
    responses = {row["prompt"]: row["response"] for row in _jsonl("input_response_data_gpt4_20231107_145030.jsonl")}
    reference = {mode: {row["key"]: row for row in _jsonl(f"eval_results_{mode}.jsonl")} for mode in MODES}
    rows = []
    for task in inputs:
        response = responses[task["prompt"]]
        for index, (iid, kwargs) in enumerate(zip(task["instruction_id_list"], task["kwargs"])):
            constraint = {"id": "ifeval:" + iid, **{k: v for k, v in kwargs.items() if v is not None}}
            ours = {
                mode: ifbench.check(response, constraint, prompt=task["prompt"], mode=mode).passed
                for mode in MODES
            }
            bound = bind(constraint)
            context = Context(prompt=task["prompt"])
            # IFEval scores each variant on its own and skips empty ones.
            variants = [
                bool(text.strip()) and evaluate(bound, text, context, "strict").passed
                for _, text in loose_variants(response)
            ]
            expected = {mode: reference[mode][task["key"]]["follow_instruction_list"][index] for mode in MODES}
            rows.append({"key": task["key"], "index": index, "id": iid, "kwargs": kwargs,
                         "ours": ours, "expected": expected, "variants": variants})
    return {"rows": rows, "reference": reference, "inputs": inputs}


@pytest.mark.parametrize("mode", MODES)
def test_every_instruction_verdict_equals_the_official_one(scored, mode):
    rows = scored["rows"]
    assert len(rows) == 834
    differing = [
        f"key {row['key']} #{row['index']} {row['id']} {row['kwargs']}: "
        f"ours {row['ours'][mode]}, official {row['expected'][mode]}"
        for row in rows
        if row["ours"][mode] != row["expected"][mode]
    ]
    assert not differing, f"{len(differing)} {mode} verdicts differ:\n" + "\n".join(differing)


@pytest.mark.parametrize(
    ("mode", "prompts", "instructions"), [("strict", 417, 698), ("loose", 431, 714)]
)
def test_headline_numbers(scored, mode, prompts, instructions):
    by_key: dict[int, list[bool]] = {}
    for row in scored["rows"]:
        by_key.setdefault(row["key"], []).append(row["ours"][mode])
    assert len(by_key) == 541
    assert sum(all(verdicts) for verdicts in by_key.values()) == prompts
    assert sum(sum(verdicts) for verdicts in by_key.values()) == instructions
    # the official files agree with the numbers in the README
    official = scored["reference"][mode].values()
    assert sum(row["follow_all_instructions"] for row in official) == prompts


def test_loose_verdict_is_any_variant_passing_and_strict_is_the_first_variant(scored):
    wrong = [
        f"key {row['key']} #{row['index']} {row['id']}: variants {row['variants']}, "
        f"strict {row['ours']['strict']}, loose {row['ours']['loose']}"
        for row in scored["rows"]
        if row["ours"]["loose"] != any(row["variants"]) or row["ours"]["strict"] != row["variants"][0]
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("mode", MODES)
def test_passes_per_instruction_id_match(scored, mode):
    ours: Counter[str] = Counter()
    official: Counter[str] = Counter()
    for row in scored["rows"]:
        ours[row["id"]] += row["ours"][mode]
        official[row["id"]] += row["expected"][mode]
    table = {iid: (ours[iid], official[iid]) for iid in sorted(set(ours) | set(official))}
    assert len(table) == 25
    assert all(a == b for a, b in table.values()), table


def test_all_25_instruction_ids_are_registered():
    ids = {spec[0] for spec in ifbench.checkers_catalog() if spec[0].startswith("ifeval:")}
    used = {iid for task in _jsonl("input_data.jsonl") for iid in task["instruction_id_list"]}
    assert ids == {"ifeval:" + iid for iid in used}
