"""Scoring responses against tasks: per-constraint verdicts, prompt level, errors, turns."""

from __future__ import annotations

import pytest

from ifbench.errors import ResponsesError
from ifbench.records import ResponseRecord, read_responses, write_jsonl
from ifbench.scoring import score, score_task, summarize
from ifbench.tasks.models import Task

SHORT = Task(
    id="short", suite="demo", language="en", category="basic",
    prompt="Define gravity in at most 5 words, in two paragraphs.",
    constraints=[{"id": "length.words", "max": 5}, {"id": "length.paragraphs", "exact": 2}],
)
TURNS = Task(
    id="turns", suite="demo", language="zh", category="multi_step",
    turns=[
        {"prompt": "用一句话介绍长城。", "constraints": [{"id": "length.sentences", "exact": 1}]},
        {"prompt": "再用十个字以内总结。", "constraints": [{"id": "length.words", "max": 10}]},
    ],
)


def reply(task: Task, text: str, turn: int = 0, **extra) -> ResponseRecord:
    return ResponseRecord(task_id=task.id, suite=task.suite, model="m", turn=turn, response=text, **extra)


def test_each_constraint_gets_strict_and_loose_verdicts_with_reasons():
    result = score_task(SHORT, [reply(SHORT, "Sure:\n\nMass pulls.\n\nAlways.")], model="m")
    words, paragraphs = result.constraints
    assert (words.strict, words.loose) == (True, True)
    assert (paragraphs.strict, paragraphs.loose) == (False, True)
    assert paragraphs.reason == "3 paragraphs; exactly 2 required"
    assert "loose: without its first line" in paragraphs.loose_reason
    assert (result.prompt_strict, result.prompt_loose) == (False, True)
    assert result.category == "basic" and result.language == "en"


def test_reasoning_blocks_are_stripped_unless_kept():
    text = "<think>let me think about many many words here</think>Mass pulls.\n\nAlways."
    assert score_task(SHORT, [reply(SHORT, text)], model="m").prompt_strict
    kept = score_task(SHORT, [reply(SHORT, text)], model="m", keep_reasoning=True)
    assert not kept.constraints[0].strict


def test_an_unclosed_reasoning_block_scores_as_an_empty_answer_and_says_why():
    cut = reply(SHORT, "<think>Gravity... let me count the words one by one", finish_reason="length")
    result = score_task(SHORT, [cut], model="m")
    assert result.reasoning == "unclosed" and not result.prompt_strict and not result.prompt_loose
    assert all(c.reason.startswith("no answer: the reasoning block never closed") for c in result.constraints)
    forgiving = score_task(SHORT, [reply(SHORT, "<think>Mass pulls.\n\nAlways.")], model="m",
                           unclosed_reasoning="answer")
    assert forgiving.reasoning == "unclosed" and forgiving.prompt_strict


@pytest.mark.parametrize("text, extra, keep, outcome", [
    ("Mass pulls.\n\nAlways.", {}, False, "none"),
    ("Mass pulls.\n\nAlways.", {"reasoning_content": "引力是什么？"}, False, "separate"),
    ("<think>先想</think>Mass pulls.\n\nAlways.", {}, False, "stripped"),
    ("<think>先想</think>Mass pulls.\n\nAlways.", {}, True, "kept"),
])
def test_each_result_says_what_happened_to_the_reasoning(text, extra, keep, outcome):
    assert score_task(SHORT, [reply(SHORT, text, **extra)], model="m", keep_reasoning=keep).reasoning == outcome


def test_each_turn_is_checked_on_its_own_reply_and_results_say_which_turn_failed():
    result = score_task(
        TURNS, [reply(TURNS, "长城是古代的防御工程。"), reply(TURNS, "长城雄伟壮观，历史悠久，值得一游。", turn=1)], model="m"
    )
    assert [(c.turn, c.strict) for c in result.constraints] == [(0, True), (1, False)]
    assert result.constraints[1].reason == "14 words; at most 10 allowed"


def test_an_errored_reply_fails_its_turn_and_the_later_ones_and_says_why():
    result = score_task(TURNS, [reply(TURNS, "", error="HTTP 500 after 3 attempts")], model="m")
    assert result.error == "turn 0: HTTP 500 after 3 attempts"
    assert [c.strict for c in result.constraints] == [False, False]
    assert all(c.reason.startswith("not checked: turn 0: HTTP 500") for c in result.constraints)


def test_missing_responses_are_an_error_naming_the_tasks_unless_scored_as_failed():
    responses = [reply(SHORT, "Mass pulls.\n\nAlways.")]
    with pytest.raises(ResponsesError, match=r"1 task\(s\) have no response: m/demo/turns"):
        score([SHORT, TURNS], responses)
    results = score([SHORT, TURNS], responses, missing="fail")
    assert [r.error for r in results] == [None, "no response for turn 0"]
    summary = summarize(results)
    assert (summary.n_prompts, summary.n_instructions, summary.errors) == (2, 4, 1)
    assert summary.prompt_strict == 0.5 and summary.inst_strict == 0.5


def test_ifeval_style_responses_match_tasks_by_prompt_and_the_others_are_named(tmp_path):
    path = tmp_path / "answers.jsonl"
    write_jsonl(path, [{"prompt": SHORT.prompt, "response": "Mass pulls.\n\nAlways."},
                       {"prompt": "unrelated prompt", "response": "x"}])
    loaded = read_responses(path, [SHORT, TURNS])
    [record] = loaded
    assert (record.task_id, record.model, record.response) == ("short", "answers", "Mass pulls.\n\nAlways.")
    assert loaded.unmatched == [f"{path}:2: prompt 'unrelated prompt' matches no task's"]


def test_responses_of_tasks_not_being_scored_are_set_apart(tmp_path):
    path = tmp_path / "responses.jsonl"
    other = SHORT.model_copy(update={"id": "gone"})
    write_jsonl(path, [reply(SHORT, "一。"), reply(other, "Two.")])
    loaded = read_responses(path, [SHORT])
    assert [r.task_id for r in loaded] == ["short"]
    assert loaded.unmatched == [f"{path}:2: task demo/gone is not among the tasks"]


def test_two_different_answers_to_one_task_are_refused_naming_both_lines(tmp_path):
    path = tmp_path / "responses.jsonl"
    write_jsonl(path, [reply(SHORT, "Mass pulls."), reply(SHORT, "Mass pulls."), reply(SHORT, "引力。")])
    with pytest.raises(ResponsesError, match=rf"1 conflicting duplicate response\(s\): {path}:1 and "
                                             r"line 3 answer m/demo/short \(sample 0, turn 0\) differently"):
        read_responses(path, [SHORT])


def test_an_errored_reply_answered_later_and_a_reasked_edited_turn_are_not_conflicts(tmp_path):
    path = tmp_path / "responses.jsonl"
    write_jsonl(path, [reply(SHORT, "", error="HTTP 500"), reply(SHORT, "Old.", input_sha="a"),
                       reply(SHORT, "", error="HTTP 500"), reply(SHORT, "New.", input_sha="b")])
    [record] = read_responses(path, [SHORT])
    assert record.response == "New."


def test_responses_of_several_models_and_samples_are_scored_separately():
    responses = [
        ResponseRecord(task_id="short", suite="demo", model=model, sample=sample, response=text)
        for model, sample, text in [("a", 0, "One.\n\nTwo."), ("a", 1, "One."), ("b", 0, "One.\n\nTwo.")]
    ]
    results = score([SHORT], responses)
    assert [(r.model, r.sample, r.prompt_strict) for r in results] == [("a", 0, True), ("a", 1, False), ("b", 0, True)]
    assert len({r.suite_sha256 for r in results}) == 1 and results[0].suite_sha256


def test_a_response_line_with_lone_surrogates_round_trips(tmp_path):
    path = tmp_path / "responses.jsonl"
    write_jsonl(path, [reply(SHORT, "bad \udc80 text\n\nok")])
    [record] = read_responses(path, [SHORT])
    assert record.response == "bad \udc80 text\n\nok"


def test_ifeval_style_responses_match_a_prompt_that_lost_surrounding_whitespace(tmp_path):
    spaced = SHORT.model_copy(update={"prompt": SHORT.prompt + " "})
    path = tmp_path / "answers.jsonl"
    write_jsonl(path, [{"prompt": SHORT.prompt, "response": "Mass pulls."}])
    [record] = read_responses(path, [spaced])
    assert record.task_id == "short"
