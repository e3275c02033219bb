"""Splitting a reasoning model's thinking from its answer, by the rule in checking/reasoning.py."""

from __future__ import annotations

import pytest

from ifbench.checking.reasoning import split_reasoning, strip_reasoning


@pytest.mark.parametrize("text, answer", [
    ("<think>plan</think>\nAnswer.", "Answer."),
    ("<THINKING>x</THINKING>A", "A"),
    ("[THINK]steps[/THINK] Final.", "Final."),
    ("◁think▷想一想◁/think▷答案。", "答案。"),
    ("reasoning the template opened</think>Answer", "Answer"),
    ("a<think>1</think>b<reasoning>2</reasoning>c", "abc"),
    ("<think>思考</think>\u3000答案。\n", "答案。"),  # an ideographic space is White_Space too
    ("<think>x</think>  two\n\nparagraphs  ", "two\n\nparagraphs"),
])
def test_closed_blocks_are_removed_and_the_answer_trimmed(text, answer):
    result = split_reasoning(text)
    assert result.reasoning == "stripped"
    assert result.text == answer


@pytest.mark.parametrize("text", ["  no tags, spaces kept  ", "a < b and [x] ◁", "用 <b>粗体</b> 写"])
def test_a_reply_without_tags_is_left_byte_for_byte(text):
    assert split_reasoning(text).text == text and split_reasoning(text).reasoning == "none"


@pytest.mark.parametrize("text, answer_policy_text", [
    ("<think>I should count the words first and", "I should count the words first and"),
    ("Answer first. <think>then more thoughts", "Answer first. then more thoughts"),
    ("<think>先想一想，然后", "先想一想，然后"),
])
def test_an_unclosed_block_is_an_empty_answer_unless_the_policy_says_answer(text, answer_policy_text):
    assert split_reasoning(text).text == "" and split_reasoning(text).reasoning == "unclosed"
    kept = split_reasoning(text, unclosed="answer")
    assert (kept.text, kept.reasoning) == (answer_policy_text, "unclosed")
    assert strip_reasoning(text) == ""


def test_a_hundred_thousand_blocks_are_split():
    text = "<think>a</think>" * 100_000 + "<think>"
    assert split_reasoning(text).reasoning == "unclosed"
