"""steps.ordered: every step in order, each step's segment checked on its own."""

from __future__ import annotations

import pytest

import ifbench

SUMMARY_THEN_3_QUESTIONS = {
    "id": "steps.ordered",
    "steps": [
        {"marker": "summary|总结"},
        {"marker": "questions|问题", "constraints": [{"id": "content.questions", "exact": 3}]},
    ],
}


@pytest.mark.parametrize(
    "response, passed, reason",
    [
        ("Summary: sleep matters.\nQuestions: Why? How? When?", True,
         "all 2 steps found in order: 'Summary' → 'Questions'; the step constraint passes"),
        ("Summary: sleep matters.\nQuestions: Why? How?", False,
         "step 2 'Questions': 2 questions; exactly 3 required"),
        ("Questions: Why? How? When?\nSummary: sleep matters.", False,
         "step 2: marker 'questions|问题' not found after step 1"),
        ("Sleep matters. Why? How? When?", False, "step 1: marker 'summary|总结' not found"),
        ("总结：睡眠很重要。\n问题：为什么？怎样？何时？", True,
         "all 2 steps found in order: '总结' → '问题'; the step constraint passes"),
        ("总结：睡眠很重要。\n问题：为什么？怎样？", False, "step 2 '问题': 2 questions; exactly 3 required"),
    ],
)
def test_summary_then_three_questions(response, passed, reason):
    verdict = ifbench.check(response, SUMMARY_THEN_3_QUESTIONS)
    assert (verdict.passed, verdict.reason) == (passed, reason)


def test_the_pass_reason_counts_the_step_constraints_that_pass():
    steps = [{"marker": "总结|summary", "constraints": [{"id": "length.words", "max": 20}]},
             {"marker": "问题|questions", "constraints": [{"id": "content.questions", "exact": 2}]}]
    verdict = ifbench.check("Summary: short.\nQuestions: Why? How?", {"id": "steps.ordered", "steps": steps})
    assert verdict.reason == "all 2 steps found in order: 'Summary' → 'Questions'; all 2 step constraints pass"
    plain = ifbench.check("总结。问题？", {"id": "steps.ordered", "steps": [{"marker": "总结"}, {"marker": "问题"}]})
    assert plain.reason == "all 2 steps found in order: '总结' → '问题'"


def test_chinese_tasks_get_chinese_step_labels():
    verdict = ifbench.check("总结：睡眠很重要。\n问题：为什么？", SUMMARY_THEN_3_QUESTIONS, language="zh")
    assert verdict.reason == "第2步「问题」: 1 question; exactly 3 required"


def test_a_step_segment_runs_from_its_marker_to_the_next_marker():
    constraint = {"id": "steps.ordered", "steps": [
        {"marker": "first", "constraints": [{"id": "length.words", "max": 3}]},
        {"marker": "second", "constraints": [{"id": "length.words", "min": 4}]},
    ]}
    assert ifbench.check("First a b. Second c d e.", constraint).passed
    assert not ifbench.check("First a b c. Second d e f.", constraint).passed


def test_markers_are_case_insensitive_regular_expressions():
    constraint = {"id": "steps.ordered", "steps": [{"marker": r"step\s*1"}, {"marker": r"STEP\s*2"}]}
    assert ifbench.check("Step 1: mix. step2: bake.", constraint).passed


@pytest.mark.parametrize(
    "steps, message",
    [
        ([{"marker": "("}], r"invalid regular expression '\('"),
        ([], "at least 1 item"),
        ([{"marker": "x", "constraints": [{"id": "content.question"}]}], "did you mean 'content.questions'"),
        ([{"marker": "x", "constraints": [{"id": "length.words"}]}], "give at least one of"),
    ],
)
def test_bad_steps_are_refused_when_the_task_loads(steps, message):
    with pytest.raises(ifbench.ConstraintError, match=message):
        ifbench.check("x", {"id": "steps.ordered", "steps": steps})
