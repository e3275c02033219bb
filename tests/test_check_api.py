"""ifbench.check: the public contract of SPEC.md (strict/loose, errors, reasons)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import ifbench


def test_strict_verdict_says_what_was_measured_and_what_was_required():
    verdict = ifbench.check("one two three four", {"id": "length.words", "max": 3})
    assert verdict.passed is False
    assert verdict.reason == "4 words; at most 3 allowed"


def test_chinese_characters_count_as_words():
    verdict = ifbench.check("用一百字以内解释。", {"id": "length.words", "max": 100})
    assert verdict.passed and verdict.reason.startswith("8 words")


def test_loose_mode_forgives_a_first_line_and_asterisks():
    text = "Sure! Here you go:\n**one two**"
    assert not ifbench.check(text, {"id": "length.words", "max": 2}).passed
    loose = ifbench.check(text, {"id": "length.words", "max": 2}, mode="loose")
    assert loose.passed and "loose: without its first line" in loose.reason


def test_loose_failure_says_no_variant_passes():
    verdict = ifbench.check("a b c\nd e f", {"id": "length.words", "max": 1}, mode="loose")
    assert not verdict.passed and verdict.reason.endswith("no loose variant passes either")


def test_an_empty_response_fails_everything():
    verdict = ifbench.check("  \n ", {"id": "length.words", "max": 10})
    assert not verdict.passed and "empty" in verdict.reason


@pytest.mark.parametrize(
    "constraint, message",
    [
        ({"id": "length.wrds", "max": 3}, "unknown checker id 'length.wrds' (did you mean 'length.words'?)"),
        ({"id": "length.words", "mx": 3}, "length.words: unknown parameter 'mx' (did you mean 'max'?)"),
        ({"id": "length.words"}, "give at least one of 'exact', 'min', 'max'"),
        ({"id": "length.words", "min": 9, "max": 3}, "'min' (9) is greater than 'max' (3)"),
        ({"id": "length.words", "exact": 9, "max": 3}, "'exact' (9) contradicts 'max' (3)"),
        ({"id": "length.words", "max": "many"}, "parameter 'max' = 'many'"),
        ({"max": 3}, "has no string 'id'"),
        ("length.words", "a constraint is a mapping"),
    ],
)
def test_bad_constraints_raise_constraint_error_naming_the_problem(constraint, message):
    with pytest.raises(ifbench.ConstraintError) as error:
        ifbench.check("text", constraint)
    assert message in str(error.value)
    assert isinstance(error.value, ValueError)


def test_text_must_be_a_string():
    with pytest.raises(TypeError):
        ifbench.check(b"bytes", {"id": "length.words", "max": 3})  # type: ignore[arg-type]


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        ifbench.check("x", {"id": "length.words", "max": 3}, mode="lenient")  # type: ignore[arg-type]


def test_third_party_checkers_register_through_the_entry_point_group(tmp_path):
    (tmp_path / "shout_checker.py").write_text(textwrap.dedent('''
        from ifbench import CountParams, Verdict, checker

        @checker("shout.exclamations", CountParams)
        def exclamations(response, params, context):
            """Counts exclamation marks."""
            return params.judge(response.count("!"), "exclamation mark")
    '''))
    dist = tmp_path / "shout_checker-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-checker\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[ifbench.checkers]\nshout = shout_checker\n")
    code = "import ifbench; print(ifbench.check('Hi!!', {'id': 'shout.exclamations', 'min': 2}).reason)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2 exclamation marks; at least 2 required"


def test_public_api_is_exactly_what_all_exports():
    public = {name for name in dir(ifbench) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(ifbench, name)).__name__ == "module"}
    assert set(ifbench.__all__) == public - modules
    for name in ifbench.__all__:
        assert hasattr(ifbench, name)


def test_repeat_prompt_without_text_or_prompt_is_a_usage_error():
    with pytest.raises(ifbench.ConstraintError, match="content.repeat_prompt"):
        ifbench.check("Anything.", {"id": "content.repeat_prompt"})
    assert ifbench.check("Say hi. Hi!", {"id": "content.repeat_prompt"}, prompt="Say hi.").passed
