"""No response text can make a checker raise: every checker on hostile and arbitrary text.

(How long checkers take on 10 MB responses is measured by bench/bench_hostile.py.)
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ifbench
from ifbench.checking.base import Context, Verdict
from ifbench.checking.evaluate import bind
from ifbench.checking.loose import loose_variants
from ifbench.checking.registry import all_checkers

CHECKERS = all_checkers()

HOSTILE = {
    "nul bytes": "abc\x00def\x00\n\x00",
    "lone surrogates": "text \udc80\ud800 more \udfff",
    "deeply nested json": "[" * 100_000 + "]" * 100_000,
    "unbalanced json": '{"a": [1, 2, {"b": ' * 5_000,
    "wide table": "|" + "h|" * 10_000 + "\n|" + "-|" * 10_000 + "\n|" + "x|" * 10_000,
    "unclosed fences": "```json\n{\n```\n```" * 1_000,
    "unbalanced markdown": "**bold *it _x [link](" * 5_000,
    "many brackets": "[" * 50_000 + "<<" * 50_000,
    "think tags": "<think>" * 20_000,
    "control characters": "".join(chr(i) for i in range(0, 32)) * 100,
    "private use and emoji": "\ue000\U0010ffff🙂👍🏽" * 1_000,
    "mixed scripts": "中English混合。Ελληνικά! עברית? العربية… " * 2_000,
    "200 KB prose": ("Dr. Smith said: don't stop at 3.14. 他说：“走吧。”\n\n" * 5_000)[:200_000],
}


def example_params(spec) -> dict:
    return {"id": spec.id, **spec.examples[0].params}


def assert_verdicts(spec, text: str) -> None:
    """The checker itself (not the safety net of `check`, which turns an exception into a failing
    verdict) returns a proper Verdict on every loose variant of `text`; so does `check`."""
    bound = bind(example_params(spec))
    context = Context(prompt="Repeat this.")
    verdicts = [bound.checker(variant, bound.params, context)
                for _, variant in loose_variants(text) if variant.strip()]
    verdicts += [ifbench.check(text, example_params(spec), prompt="Repeat this.", mode=mode)
                 for mode in ("strict", "loose")]
    for verdict in verdicts:
        assert type(verdict) is Verdict
        assert type(verdict.passed) is bool
        assert isinstance(verdict.reason, str) and verdict.reason.strip()


@pytest.mark.parametrize("spec", CHECKERS, ids=lambda spec: spec.id)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_gets_a_verdict_not_an_exception(spec, name):
    assert_verdicts(spec, HOSTILE[name])


@pytest.mark.parametrize("spec", CHECKERS, ids=lambda spec: spec.id)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300))
def test_arbitrary_text_gets_a_verdict_not_an_exception(spec, text):
    assert_verdicts(spec, text)


def test_a_catastrophically_backtracking_marker_is_cut_short():
    marker = r"(a|aa)+$"
    verdict = ifbench.check("a" * 40 + "!", {"id": "steps.ordered", "steps": [{"marker": marker}]})
    assert not verdict.passed
    assert "took over" in verdict.reason and "simplify the regular expression" in verdict.reason
