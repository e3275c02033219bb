"""Every registered checker is documented, bilingual in its examples, and its examples hold."""

from __future__ import annotations

import subprocess
import sys

import pytest

import ifbench
from ifbench.checking.registry import all_checkers, get_checker
from ifbench.checking.text import has_cjk

CHECKERS = all_checkers()
NATIVE = [spec for spec in CHECKERS if ":" not in spec.id]
SPEC_IDS = {
    "length.words", "length.chars", "length.sentences", "length.paragraphs",
    "format.json", "format.table", "format.bullets", "format.numbered", "format.headings",
    "format.code_block", "format.title", "format.highlights", "format.placeholders",
    "format.postscript", "format.quoted", "format.two_responses",
    "content.include", "content.exclude", "content.frequency", "content.start", "content.end",
    "content.lowercase", "content.uppercase", "content.no_commas", "content.questions",
    "content.repeat_prompt", "language.response", "role.no_ai_disclaimer",
    "role.reading_level", "steps.ordered",
}


def test_the_whole_native_catalog_of_the_spec_is_registered():
    assert SPEC_IDS - {spec.id for spec in CHECKERS} == set()


@pytest.mark.parametrize("spec", CHECKERS, ids=lambda spec: spec.id)
def test_checker_examples_give_the_documented_verdicts(spec):
    assert spec.examples, f"{spec.id} has no examples"
    for example in spec.examples:
        verdict = ifbench.check(example.response, {"id": spec.id, **example.params})
        assert verdict.passed is example.passes, (example, verdict.reason)
        assert verdict.reason.strip()


@pytest.mark.parametrize("spec", NATIVE, ids=lambda spec: spec.id)
def test_native_checkers_have_english_and_chinese_examples_on_both_sides(spec):
    kinds = {(has_cjk(e.response), e.passes) for e in spec.examples}
    assert kinds == {(False, True), (False, False), (True, True), (True, False)}, spec.id


@pytest.mark.parametrize("spec", CHECKERS, ids=lambda spec: spec.id)
def test_every_parameter_is_documented(spec):
    schema = spec.params_schema()
    for name, field in schema.get("properties", {}).items():
        assert field.get("description"), f"{spec.id}: parameter '{name}' has no docstring"
    assert spec.description and not spec.description.endswith(":")


def test_catalog_lists_id_description_and_schema():
    catalog = ifbench.checkers_catalog()
    ids = [entry[0] for entry in catalog]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    words = dict((i, (d, s)) for i, d, s in catalog)["length.words"]
    assert "word" in words[0].lower()
    assert set(words[1]["properties"]) == {"exact", "min", "max"}


def test_an_unknown_id_suggests_the_closest_one():
    with pytest.raises(ifbench.ConstraintError, match="did you mean 'length.words'"):
        get_checker("length.word")


def test_a_checker_id_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="registered twice"):
        ifbench.checker("length.words", ifbench.CountParams)(lambda r, p, c: None)


def run_python(code: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(tmp_path), "PATH": ""})


def test_a_broken_plugin_is_named_with_its_error_not_reported_as_an_unknown_id(tmp_path):
    (tmp_path / "broken_checker.py").write_text("import no_such_dependency_xyz\n")
    dist = tmp_path / "broken_checker-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-checker\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[ifbench.checkers]\nbroken = broken_checker\n")
    code = ("import ifbench\n"
            "try:\n    ifbench.check('x', {'id': 'length.words', 'max': 3})\n"
            "except ifbench.IfbenchError as error:\n    print(type(error).__name__, error)\n")
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CheckerLoadError cannot load every checker")
    assert "plugin 'broken' (broken_checker)" in done.stdout
    assert "ModuleNotFoundError: No module named 'no_such_dependency_xyz'" in done.stdout
    assert "unknown checker id" not in done.stdout


def test_a_broken_checker_module_is_named_every_time_the_registry_is_asked(tmp_path):
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "trial_broken.py").write_text("1 / 0\n")
    code = ("import ifbench, ifbench.checkers\n"
            f"ifbench.checkers.__path__.append({str(tmp_path / 'extra')!r})\n"
            "for _ in range(2):\n"
            "    try:\n        ifbench.checkers_catalog()\n"
            "    except ifbench.IfbenchError as error:\n        print(type(error).__name__, error.failures)\n")
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    expected = "CheckerLoadError ['checker module ifbench.checkers.trial_broken: ZeroDivisionError: division by zero']"
    assert done.stdout.splitlines() == [expected, expected]
