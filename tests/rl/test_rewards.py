"""`ifbench.reward`, `rewards` and `reward_details`: checker verdicts as RL rewards, in English and Chinese."""

from __future__ import annotations

import pytest

import ifbench
from ifbench.rl import api

SHORT_NO_COMMA = [{"id": "length.words", "max": 5}, {"id": "content.no_commas"}]
ZH_SHORT = [{"id": "length.words", "max": 10}, {"id": "language.response", "lang": "zh"}]


@pytest.mark.parametrize("response, credit, expected", [
    ("Hello there my friend.", "fraction", 1.0),
    ("Hello there, friend.", "fraction", 0.5),            # a comma: one of two met
    ("Hello there, friend.", "all", 0.0),
    ("Well, hello there my dear old friend.", "fraction", 0.0),
])
def test_credit_is_the_share_met_or_all_or_nothing(response, credit, expected):
    assert ifbench.reward(response, SHORT_NO_COMMA, credit=credit) == expected


@pytest.mark.parametrize("response, expected", [
    ("相对论讲时空。", 1.0),
    ("相对论是爱因斯坦提出的关于时间与空间的理论。", 0.5),  # 22 字: too long, still Chinese
    ("Relativity is about spacetime.", 0.5),             # short, but not Chinese
])
def test_chinese_replies(response, expected):
    assert ifbench.reward(response, ZH_SHORT) == expected


def test_reasoning_is_removed_before_checking():
    thinking = "<think>Let me think, carefully, about many many words here.</think>Hello my friend."
    assert ifbench.reward(thinking, SHORT_NO_COMMA, credit="all") == 1.0
    assert ifbench.reward("<think>好的，我想想。</think>相对论讲时空。", ZH_SHORT) == 1.0


def test_an_unclosed_reasoning_block_leaves_no_answer():
    details = ifbench.reward_details("<think>Hello my friend.", SHORT_NO_COMMA)
    assert details.reasoning == "unclosed"
    assert [v.passed for v in details.verdicts] == [False, False]
    assert details.reward() == 0.0


def test_details_give_each_verdict_with_its_reason():
    details = ifbench.reward_details("Hello there, friend.", SHORT_NO_COMMA)
    assert [(v.id, v.passed) for v in details.verdicts] == [("length.words", True), ("content.no_commas", False)]
    assert "3 words" in details.verdicts[0].reason
    assert details.reward("fraction") == 0.5 and details.reward("all") == 0.0


def test_loose_mode_forgives_a_first_line():
    reply = "Sure, here it is:\nHello my friend."
    assert ifbench.reward(reply, SHORT_NO_COMMA, mode="strict") == 0.0
    assert ifbench.reward(reply, SHORT_NO_COMMA, mode="loose") == 1.0


def test_any_namespace_works():
    constraints = [{"id": "ifeval:punctuation:no_comma"}, {"id": "ifbench:count:word_count_range",
                                                           "min_words": 2, "max_words": 4}]
    assert ifbench.reward("hello my friend", constraints) == 1.0
    assert ifbench.reward("hello, my dear old friend", constraints) == 0.0


@pytest.mark.parametrize("response", [None, 42, b"bytes", "\x00\xff" * 1000, "" , "a" * 2_000_000])
def test_no_response_raises(response):
    assert ifbench.reward(response, SHORT_NO_COMMA) in (0.0, 0.5, 1.0)


@pytest.mark.parametrize("constraints, names", [
    ([{"id": "length.wrds", "max": 5}], "length.words"),        # suggests the closest id
    ([{"id": "length.words", "maximum": 5}], "max"),             # and the closest parameter
    ([], "empty"),
    ({"id": "length.words", "max": 5}, "list"),
])
def test_bad_constraints_raise_constraint_error(constraints, names):
    with pytest.raises(ifbench.ConstraintError, match=names):
        ifbench.reward("Hello.", constraints)


def test_bad_constraints_raise_before_any_reply_is_checked(monkeypatch):
    checked = []
    monkeypatch.setattr(api, "evaluate", lambda *args: checked.append(args))
    per_reply = [SHORT_NO_COMMA, [{"id": "length.words", "max": -1}]]
    with pytest.raises(ifbench.ConstraintError, match="response 1"):
        ifbench.rewards(["Hello.", "你好。"], per_reply)
    assert checked == []


def test_options_are_checked():
    with pytest.raises(ValueError, match="credit"):
        ifbench.reward("Hello.", SHORT_NO_COMMA, credit="most")
    with pytest.raises(ValueError, match="mode"):
        ifbench.rewards(["Hello."], SHORT_NO_COMMA, mode="lenient")
    with pytest.raises(ValueError, match="prompts"):
        ifbench.rewards(["Hello.", "Hi."], SHORT_NO_COMMA, prompts=["one prompt"])
    with pytest.raises(ifbench.ConstraintError, match="3 constraint lists for 2 responses"):
        ifbench.rewards(["Hello.", "Hi."], [SHORT_NO_COMMA] * 3)


REPLIES = ["Hello my friend.", "Hello, friend.", "相对论讲时空。", "相对论是爱因斯坦提出的关于时间与空间的理论。",
           "<think>hmm</think>Hi there.", "<think>cut off", "Relativity, simply put, is about spacetime."] * 3


def test_a_shared_list_and_per_reply_lists():
    shared = ifbench.rewards(REPLIES, SHORT_NO_COMMA)
    assert shared == [ifbench.reward(r, SHORT_NO_COMMA) for r in REPLIES]
    per_reply = [SHORT_NO_COMMA if i % 2 else ZH_SHORT for i in range(len(REPLIES))]
    assert ifbench.rewards(REPLIES, per_reply) == [
        ifbench.reward(r, c) for r, c in zip(REPLIES, per_reply)]


def test_prompts_reach_the_checkers_that_read_them():
    constraints = [{"id": "content.repeat_prompt"}]
    assert ifbench.rewards(["Say hi. Hi!", "Hi!"], constraints, prompts=["Say hi.", "Say hi."]) == [1.0, 0.0]
    assert ifbench.reward("说你好。你好！", constraints, prompt="说你好。") == 1.0


def test_workers_give_the_same_rewards_in_order():
    per_reply = [SHORT_NO_COMMA if i % 3 else ZH_SHORT for i in range(len(REPLIES))]
    one = ifbench.rewards(REPLIES, per_reply)
    assert ifbench.rewards(REPLIES, per_reply, workers=2) == one
    assert ifbench.rewards(REPLIES, per_reply, workers=2) == one  # the kept pool, again
    assert len(set(one)) > 1  # the replies differ, so order matters


def test_a_worker_that_dies_is_replaced():
    import multiprocessing
    import os
    import signal

    per_reply = [SHORT_NO_COMMA if i % 3 else ZH_SHORT for i in range(len(REPLIES))]
    one = ifbench.rewards(REPLIES, per_reply, workers=2)
    workers = multiprocessing.active_children()  # the pool's, killed as by the OOM killer
    assert workers
    os.kill(workers[0].pid, signal.SIGKILL)
    workers[0].join()
    killed = {child.pid for child in workers}
    assert ifbench.rewards(REPLIES, per_reply, workers=2) == one
    assert {child.pid for child in multiprocessing.active_children()} - killed  # a new pool did it


def test_rewards_are_deterministic():
    first = ifbench.rewards(REPLIES, ZH_SHORT, mode="loose")
    assert all(ifbench.rewards(REPLIES, ZH_SHORT, mode="loose") == first for _ in range(3))


def test_workers_count_the_caller():
    import multiprocessing

    from ifbench.rl import pool

    per_reply = [SHORT_NO_COMMA if i % 3 else ZH_SHORT for i in range(len(REPLIES))]
    pool.shutdown()
    one = ifbench.rewards(REPLIES * 20, per_reply * 20)
    assert ifbench.rewards(REPLIES * 20, per_reply * 20, workers=3) == one
    # workers=3: this process and two workers.
    assert len([c for c in multiprocessing.active_children() if c.name == "ifbench-rewards"]) == 2
    pool.shutdown()
    assert not [c for c in multiprocessing.active_children() if c.name == "ifbench-rewards"]


def test_callers_in_several_threads_share_one_pool_safely():
    from concurrent.futures import ThreadPoolExecutor

    per_reply = [SHORT_NO_COMMA if i % 3 else ZH_SHORT for i in range(len(REPLIES))]
    batches = [(REPLIES[i:] + REPLIES[:i]) * 5 for i in range(6)]
    expected = [ifbench.rewards(batch, per_reply * 5) for batch in batches]
    with ThreadPoolExecutor(6) as threads:  # as the reward server's requests do
        found = list(threads.map(lambda batch: ifbench.rewards(batch, per_reply * 5, workers=2), batches))
    assert found == expected


def test_a_batch_too_big_for_the_shared_memory_goes_down_the_pipes(monkeypatch):
    from ifbench.rl import pool

    per_reply = [SHORT_NO_COMMA if i % 3 else ZH_SHORT for i in range(len(REPLIES))]
    one = ifbench.rewards(REPLIES * 10, per_reply * 10)
    pool.shutdown()
    monkeypatch.setattr(pool, "SHARED_BYTES", 64)  # far smaller than the pickled batch
    try:
        assert ifbench.rewards(REPLIES * 10, per_reply * 10, workers=2) == one
        assert len(next(iter(pool._pools.values())).shared) == 64
    finally:
        pool.shutdown()
