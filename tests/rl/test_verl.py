"""verl's reward-function conventions, called with the keyword arguments verl passes (verl itself is not needed)."""

from __future__ import annotations

import json

import pytest

import ifbench
from ifbench.rl.verl import compute_score, compute_score_batch

GROUND_TRUTH = str([{"instruction_id": ["change_case:english_lowercase", "punctuation:no_comma"],
                     "kwargs": [None, None]}])
LOWER = "the sea is calm and quiet tonight and the boats rest in the harbour"
UPPER = "The sea is calm, and the boats rest in the harbour"
COMMA = "the sea is calm, and the boats rest in the harbour"
ZH_GROUND_TRUTH = json.dumps([{"id": "language.response", "lang": "zh"}])


def test_compute_score_as_the_naive_reward_manager_calls_it():
    # verl: compute_score(data_source=..., solution_str=..., ground_truth=..., extra_info=..., **reward_kwargs)
    assert compute_score(data_source="allenai/IF_multi_constraints_upto5", solution_str=LOWER,
                         ground_truth=GROUND_TRUTH, extra_info={"index": 3}) == 1.0
    assert compute_score(data_source="if", solution_str=UPPER, ground_truth=GROUND_TRUTH) == 0.0
    assert compute_score("if", COMMA, GROUND_TRUTH, None, credit="fraction") == 0.5
    assert compute_score("if", COMMA, GROUND_TRUTH, None, credit="all") == 0.0


def test_the_prompt_comes_from_extra_info():
    repeat = json.dumps([{"id": "content.repeat_prompt"}])
    info = {"prompt": [{"role": "user", "content": "说你好。"}]}
    assert compute_score("if", "说你好。你好！", repeat, info) == 1.0
    assert compute_score("if", "你好！", repeat, info) == 0.0


def test_compute_score_batch_as_the_batch_reward_manager_calls_it():
    # verl: compute_score(data_sources=..., solution_strs=..., ground_truths=..., extra_infos=..., **reward_kwargs)
    solutions = [LOWER, UPPER, "<think>嗯</think>大海很蓝。", "The sea is blue."]
    truths = [GROUND_TRUTH, GROUND_TRUTH, ZH_GROUND_TRUTH, ZH_GROUND_TRUTH]
    scores = compute_score_batch(data_sources=["if"] * 4, solution_strs=solutions, ground_truths=truths,
                                 extra_infos=[{}] * 4)
    assert scores == [1.0, 0.0, 1.0, 0.0]
    assert compute_score_batch(data_sources=["if"] * 4, solution_strs=solutions, ground_truths=truths,
                               extra_infos=[{}] * 4, workers=2) == scores
    assert scores == [compute_score("if", s, t) for s, t in zip(solutions, truths)]


def test_a_label_we_cannot_read_is_an_error_not_a_zero():
    with pytest.raises(ifbench.ConstraintError, match="copy:repeat_phrase"):
        compute_score("if", "text", str([{"instruction_id": ["copy:repeat_phrase"], "kwargs": [{}]}]))
