"""`ifbench leaderboard` refuses hostile or malformed inputs: one line naming the place and the
reason, exit code 1, never a traceback. Run through the console script, as a user runs it."""

from __future__ import annotations

import json
import subprocess

import pytest


def leaderboard(script: str, *paths: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([script, "leaderboard", *map(str, paths), "--bootstrap", "20"],
                          capture_output=True, text=True, timeout=120)


def good_line(lb) -> str:
    return json.dumps(lb.record("M", "t1", [(True, True)]))


def replaced(lb, old: str, new: str) -> str:
    """A result line for task t2 with `old` (JSON text) replaced by `new`."""
    line = json.dumps(lb.record("M", "t2", [(True, True)]))
    assert old in line
    return line.replace(old, new, 1)


BAD_LINES = {
    "deeply nested": (lambda lb: "[" * 100_000, "nested too deeply"),
    "nested field": (lambda lb: replaced(lb, '"basic"', "[" * 100_000 + "]" * 100_000),
                     "nested too deeply"),
    "huge integer": (lambda lb: replaced(lb, '"sample": 0', '"sample": ' + "9" * 5000),
                     "more than 4300 digits"),
    "huge turn": (lambda lb: replaced(lb, '"turn": 0', '"turn": ' + "9" * 5000),
                  "more than 4300 digits"),
    "null model": (lambda lb: replaced(lb, '"model": "M"', '"model": null'),
                   "'model' must be a non-empty string, not None"),
    "NaN verdict": (lambda lb: replaced(lb, '"prompt_strict": true', '"prompt_strict": NaN'),
                    "'prompt_strict' must be true or false, not nan"),
    "NaN constraint": (lambda lb: replaced(lb, '"strict": true', '"strict": NaN'),
                       "'strict' must be true or false, not nan"),
    "number as verdict": (lambda lb: replaced(lb, '"prompt_loose": true', '"prompt_loose": 1'),
                          "'prompt_loose' must be true or false, not 1"),
    "null checker id": (lambda lb: replaced(lb, '"id": "length.words"', '"id": null'),
                        "'id' must be a non-empty string, not None"),
    "float sample": (lambda lb: replaced(lb, '"sample": 0', '"sample": 1e400'),
                     "'sample' must be a whole number"),
    "constraints not a list": (lambda lb: replaced(lb, '"constraints": [', '"constraints": "x", "_": ['),
                               "'constraints' must be a list"),
}


@pytest.mark.parametrize("case", BAD_LINES, ids=list(BAD_LINES))
def test_a_bad_result_line_is_refused_with_its_file_and_line(case, ifbench_script, tmp_path, lb):
    make, reason = BAD_LINES[case]
    path = tmp_path / "results.jsonl"
    path.write_text(f"{good_line(lb)}\n{make(lb)}\n", encoding="utf-8")
    done = leaderboard(ifbench_script, path)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {path}:2: ") and reason in done.stderr
    assert len(done.stderr.splitlines()) == 1


BAD_RUN_JSON = {
    "settings not an object": ('{"settings": [1, 2]}', "settings: Input should be a valid dictionary"),
    "nested junk": ('{"settings": {"temperature": {"a": [1, {"b": null}]}}}',
                    "settings.temperature must be a finite number, not {'a': [1, {'b': None}]}"),
    "word for a number": ('{"settings": {"max_tokens": "lots"}}',
                          "settings.max_tokens must be a whole number, not 'lots'"),
    "fraction of a token": ('{"settings": {"max_tokens": 1.5}}',
                            "settings.max_tokens must be a whole number, not 1.5"),
    "seed beyond 64 bits": ('{"settings": {"seed": 1e308}}',
                            "settings.seed must be a whole number, not 1e+308"),
    "boolean temperature": ('{"settings": {"temperature": true}}',
                            "settings.temperature must be a finite number, not True"),
    "NaN temperature": ('{"settings": {"temperature": NaN}}',
                        "settings.temperature must be a finite number, not nan"),
    "numeric mode": ('{"settings": {"mode": 3}}', "settings.mode must be a string, not 3"),
    "deeply nested": ('{"settings": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    "huge integer": ('{"settings": {"seed": ' + "9" * 5000 + "}}", "more than 4300 digits"),
}


@pytest.mark.parametrize("case", BAD_RUN_JSON, ids=list(BAD_RUN_JSON))
def test_a_bad_run_json_is_refused_with_the_field_and_the_fix(case, ifbench_script, tmp_path, lb):
    text, reason = BAD_RUN_JSON[case]
    run = lb.write_run(tmp_path / "run", [lb.record("M", "t1", [(True, True)])])
    (run / "run.json").write_text(text, encoding="utf-8")
    done = leaderboard(ifbench_script, run)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {run / 'run.json'}: ") and reason in done.stderr
    assert "fix or remove it" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_ordinary_settings_still_load(ifbench_script, tmp_path, lb):
    run = lb.write_run(tmp_path / "run", [lb.record("M", "t1", [(True, True)])], run={
        "settings": {"mode": "chat", "temperature": 0, "top_p": 1.0, "max_tokens": 256, "seed": None,
                     "stop": ["\n\n"], "extra_body": {"chat_template_kwargs": {"x": [1]}}}})
    done = leaderboard(ifbench_script, run, "--out", tmp_path / "board.csv")
    assert done.returncode == 0, done.stderr
    assert "chat,0,1.0,256,," in (tmp_path / "board.csv").read_text(encoding="utf-8")
