"""A checker call has a time budget: a reply that makes a checker spin costs a run that much."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

import ifbench
from ifbench import ConstraintError, Params, Verdict, checker
from ifbench.checking import budget, registry
from ifbench.checking import evaluate as evaluate_module
from ifbench.checking.registry import all_checkers


def spin(response: str, params: Params, context) -> Verdict:
    """Loops forever on a reply that says 'spin'."""
    while "spin" in response:
        pass
    return Verdict(passed=True, reason="no spin")


def need_prompt(response: str, params: Params, context) -> Verdict:
    """Needs the prompt, like content.repeat_prompt."""
    raise ConstraintError("test.need_prompt needs the prompt")


@pytest.fixture(autouse=True)
def test_checkers(monkeypatch):
    """test.spin and test.need_prompt, registered for this module's tests only; a 0.2 s budget."""
    all_checkers()  # load the built-in checkers before swapping in a copy of the registry
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    checker("test.spin", Params)(spin)
    checker("test.need_prompt", Params)(need_prompt)
    monkeypatch.setattr(evaluate_module, "CHECK_BUDGET_S", 0.2)


@pytest.mark.parametrize("mode", ["strict", "loose"])
def test_a_checker_that_never_returns_fails_with_a_reason(mode):
    verdict = ifbench.check("Please spin.", {"id": "test.spin"}, mode=mode)
    assert not verdict.passed
    assert verdict.reason == "checker test.spin gave up after 0.2 s on this response (12 characters)"


def test_a_chinese_reply_that_spins_fails_the_same_way():
    verdict = ifbench.check("请 spin 一下。", {"id": "test.spin"}, mode="loose")
    assert verdict.reason == "checker test.spin gave up after 0.2 s on this response (10 characters)"


def test_a_checker_that_returns_is_not_affected():
    assert ifbench.check("Stand still.", {"id": "test.spin"}, mode="loose").passed
    assert ifbench.check("别动。", {"id": "test.spin"}).passed


def test_the_budget_holds_in_worker_threads_and_each_thread_has_its_own():
    texts = ["spin 1", "calm 2", "spin 3", "calm 4"]
    with ThreadPoolExecutor(4) as pool:
        verdicts = list(pool.map(lambda text: ifbench.check(text, {"id": "test.spin"}), texts))
    assert [v.passed for v in verdicts] == [False, True, False, True]
    assert "gave up after 0.2 s" in verdicts[0].reason


def check_spin(text: str) -> str:
    return ifbench.check(text, {"id": "test.spin"}).reason


def test_the_budget_holds_in_a_forked_worker_process():
    ifbench.check("calm", {"id": "test.spin"})  # the parent's watchdog exists before the fork
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert "gave up after 0.2 s" in pool.submit(check_spin, "spin").result(timeout=60)


def test_a_usage_error_still_propagates():
    with pytest.raises(ConstraintError, match="needs the prompt"):
        ifbench.check("Anything.", {"id": "test.need_prompt"})


def count_to(n: int) -> int:
    total = 0
    for i in range(n):  # Python bytecode, where a pending interrupt would land
        total += i
    return total


def test_no_interrupt_is_left_behind_after_a_call_returns():
    # Calls that end about when their deadline passes: a late interrupt must not hit this
    # thread after `within` has returned or raised.
    for _ in range(200):
        try:
            budget.within(0.001, count_to, 5_000)
        except budget.OverBudget:
            pass
    assert count_to(200_000) == 19_999_900_000


def test_a_nested_call_runs_under_the_outer_budget():
    def outer() -> None:
        budget.within(60, spin, "spin", Params(), None)

    with pytest.raises(budget.OverBudget):
        budget.within(0.2, outer)
    assert threading.get_ident() not in budget._deadlines
