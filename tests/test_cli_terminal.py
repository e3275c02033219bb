"""User text reaches the terminal literally: control characters are shown as escapes (no raw
ESC to recolour the screen or plant an OSC 8 hyperlink) and rich never reads markup or emoji
codes in names. Through the console script, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

LINK = "\x1b]8;;http://evil\x1b\\text\x1b]8;;\x1b\\"
NAME = f"openai:m: [bold]x[/bold] {LINK} \x9b31m red"
SHOWN = r"openai:m: [bold]x[/bold] \x1b]8;;http://evil\x1b\text\x1b]8;;\x1b\ \x9b31m red"
"""How NAME must appear: every character as written, control characters as Python escapes."""


def results(path: Path, lines: list[tuple[str, str, str, bool]]) -> Path:
    """A results.jsonl of (model, task, checker, passed) lines, one constraint each."""
    path.write_text("".join(json.dumps({
        "task_id": task, "suite": "s", "model": model, "language": "en", "prompt_strict": ok,
        "prompt_loose": ok, "constraints": [{"id": checker, "params": {}, "strict": ok, "loose": ok,
                                             "reason": "", "turn": 0}],
    }) + "\n" for model, task, checker, ok in lines), encoding="utf-8")
    return path


def run(script: str, *args: object) -> subprocess.CompletedProcess[bytes]:
    wide = {**os.environ, "COLUMNS": "400"}  # table cells whole, not wrapped at 80 columns
    return subprocess.run([script, *map(str, args)], capture_output=True, timeout=120, env=wide)


def assert_literal(done: subprocess.CompletedProcess[bytes]) -> str:
    printed = done.stdout + done.stderr
    assert b"\x1b" not in printed and "\x9b".encode() not in printed
    text = printed.decode("utf-8")
    assert SHOWN in text
    return text


def test_leaderboard_tables_and_comparisons_show_model_names_literally(ifbench_script, tmp_path):
    lines = [(model, f"t{i}", f"length.{NAME}", ok)
             for i in range(3) for model, ok in ((NAME, True), ("other", i == 0))]
    done = run(ifbench_script, "leaderboard", results(tmp_path / "results.jsonl", lines), "--by", "checker", "--compare", NAME, "other",
               "--bootstrap", "20")
    assert done.returncode == 0, done.stderr
    text = assert_literal(done)
    assert text.count(SHOWN) >= 5  # the table, the breakdown's header and row label, the comparison


def test_markdown_on_stdout_shows_control_characters_as_escapes(ifbench_script, tmp_path):
    path = results(tmp_path / "results.jsonl", [("\x1b[2J" + NAME, "t1", "length.words", True)])
    done = run(ifbench_script, "leaderboard", path, "--markdown", "--bootstrap", "20")
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout and b"\\x1b\\[2J" in done.stdout


def test_validate_errors_show_the_task_id_literally(ifbench_script, tmp_path):
    tasks = tmp_path / "tasks.yaml"
    tasks.write_text(json.dumps({"suite": "demo", "tasks": [
        {"id": NAME, "prompt": "Say hi.", "constraints": [{"id": "length.word", "max": 5}]}]}),
        encoding="utf-8")
    done = run(ifbench_script, "validate", tasks)
    assert done.returncode == 1
    assert_literal(done)


def test_score_errors_show_the_model_name_literally(ifbench_script, tmp_path):
    tasks = tmp_path / "tasks.yaml"
    tasks.write_text("suite: demo\ntasks:\n  - {id: a, prompt: Hi., constraints: [{id: length.words, max: 5}]}\n"
                     "  - {id: b, prompt: Yo., constraints: [{id: length.words, max: 5}]}\n", encoding="utf-8")
    responses = tmp_path / "responses.jsonl"
    responses.write_text(json.dumps({"task_id": "a", "suite": "demo", "model": NAME, "response": "Hi"}) + "\n",
                         encoding="utf-8")
    done = run(ifbench_script, "score", tasks, "--responses", responses, "--out", tmp_path / "out")
    assert done.returncode == 1
    assert_literal(done)
