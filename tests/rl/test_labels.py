"""Constraint labels of public IF-RLVR data, read as the data sets ship them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ifbench
from ifbench.rl import constraints_from_label

SHARED = Path(__file__).resolve().parents[3] / "shared" / "conformance"

# allenai/IF_multi_constraints_upto5 writes `ground_truth` as str() of a one-element list, with
# every unused parameter filled with None.
OPEN_INSTRUCT = str([{
    "instruction_id": ["detectable_format:title", "punctuation:no_comma", "count:word_count_range"],
    "kwargs": [{"N": None, "num_words": None}, None, {"min_words": 3, "max_words": 20, "N": None}],
}])


def test_open_instruct_ground_truth():
    assert constraints_from_label(OPEN_INSTRUCT) == [
        {"id": "ifeval:detectable_format:title"},
        {"id": "ifeval:punctuation:no_comma"},
        {"id": "ifbench:count:word_count_range", "min_words": 3, "max_words": 20},
    ]


def test_the_same_label_as_a_json_string_inside_a_list():
    inner = json.dumps({"instruction_id": ["keywords:existence"], "kwargs": [{"keywords": ["猫", "cat"]}]},
                       ensure_ascii=False)
    assert constraints_from_label(json.dumps([inner])) == [{"id": "ifeval:keywords:existence",
                                                           "keywords": ["猫", "cat"]}]


def test_ifeval_records_and_native_lists():
    record = {"key": 1, "prompt": "…", "instruction_id_list": ["change_case:english_lowercase"],
              "kwargs": [{}]}
    assert constraints_from_label(record) == [{"id": "ifeval:change_case:english_lowercase"}]
    native = [{"id": "length.words", "max": 100}, {"id": "language.response", "lang": "zh"}]
    assert constraints_from_label(native) == native
    assert constraints_from_label({"constraints": native}) == native
    assert constraints_from_label(json.dumps(native)) == native


def test_kwargs_given_as_a_json_string():
    label = {"instruction_id_list": ["length_constraints:number_words"],
             "kwargs": '[{"num_words": 50, "relation": "less than"}]'}
    assert constraints_from_label(label) == [{"id": "ifeval:length_constraints:number_words",
                                             "num_words": 50, "relation": "less than"}]


def test_numpy_arrays_from_a_parquet_data_set_are_lists():
    numpy = pytest.importorskip("numpy")
    label = {"instruction_id": numpy.array(["punctuation:no_comma", "keywords:existence"], dtype=object),
             "kwargs": numpy.array([None, {"keywords": numpy.array(["湖", "lake"], dtype=object)}], dtype=object)}
    assert constraints_from_label(label) == [{"id": "ifeval:punctuation:no_comma"},
                                             {"id": "ifeval:keywords:existence", "keywords": ["湖", "lake"]}]


def test_a_namespaced_id_is_kept():
    label = {"instruction_id": ["ifbench:count:word_count_range", "length.words"],
             "kwargs": [{"min_words": 1, "max_words": 9}, {"max": 9}]}
    assert [c["id"] for c in constraints_from_label(label)] == ["ifbench:count:word_count_range", "length.words"]


def test_an_instruction_we_do_not_have_is_named():
    # IFTrain's copy:repeat_phrase is in the training data but in neither IFEval nor IFBench.
    label = str([{"instruction_id": ["punctuation:no_comma", "copy:repeat_phrase"], "kwargs": [None, {}]}])
    with pytest.raises(ifbench.ConstraintError, match="'copy:repeat_phrase' has no checker"):
        constraints_from_label(label)


def test_a_misspelt_instruction_gets_a_suggestion():
    with pytest.raises(ifbench.ConstraintError, match="did you mean 'punctuation:no_comma'"):
        constraints_from_label({"instruction_id_list": ["punctuation:no_commas"], "kwargs": [None]})


@pytest.mark.parametrize("label, problem", [
    ("{not json", "neither JSON nor a Python literal"),
    ({"instruction_id": ["punctuation:no_comma"]}, "needs 'instruction_id'"),
    ({"instruction_id": ["punctuation:no_comma"], "kwargs": [{}, {}]}, "one length"),
    ({"instruction_id": [], "kwargs": []}, "no instruction"),
    ({"instruction_id": ["punctuation:no_comma"], "kwargs": [["x"]]}, "mapping or null"),
    (42, "type int"),
])
def test_unreadable_labels(label, problem):
    with pytest.raises(ifbench.ConstraintError, match=problem):
        constraints_from_label(label)


def test_a_label_scores_a_reply():
    constraints = constraints_from_label(OPEN_INSTRUCT)
    assert ifbench.reward("<<Spring>>\nThe rain falls soft on green hills.", constraints) == 1.0
    assert ifbench.reward("<<春>>\n春雨落在青山上，静静的。", constraints) == 1.0  # IFEval minds only ","
    assert ifbench.reward("<<春>>\n春雨落在青山上, 静静的。", constraints) == pytest.approx(2 / 3)
    assert ifbench.reward("春雨落在青山上, 静静的。", constraints) == 0.0  # no title, a comma, 2 words (by spaces)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"conformance data not found at {SHARED}")
@pytest.mark.parametrize("name", ["ifeval/input_data.jsonl", "ifbench/IFBench_test.jsonl"])
def test_every_record_of_the_published_test_sets_reads(name):
    with open(SHARED / name, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    for record in records:
        constraints = constraints_from_label(record)
        assert len(constraints) == len(record["instruction_id_list"])
        ifbench.reward("A reply.", constraints, prompt=record["prompt"])  # binds, so the params are valid
