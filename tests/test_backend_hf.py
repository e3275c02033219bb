"""The hf: backend with a tiny random Llama model built offline (its output is meaningless)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from ifbench.errors import BackendError
from ifbench.run.backends import GenerationSettings, parse_model_spec
from ifbench.run.runner import RunConfig, run
from ifbench.tasks.models import Task

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def build_tiny_model(directory: Path, chat_template: str | None = CHAT_TEMPLATE) -> Path:
    """A byte-level tokenizer and a 2-layer random Llama (head_dim 64), saved like a hub model."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    specials = ["<|bos|>", "<|eos|>", "<|pad|>", "<|user|>", "<|system|>", "<|assistant|>", "<|end|>"]
    vocab = {symbol: i for i, symbol in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}
    for token in specials:
        vocab[token] = len(vocab)
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens(specials)
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<|bos|>",
                                   eos_token="<|eos|>", pad_token="<|pad|>")
    if chat_template:
        fast.chat_template = chat_template
    config = LlamaConfig(vocab_size=len(vocab), hidden_size=128, intermediate_size=256,
                         num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                         max_position_embeddings=512, bos_token_id=vocab["<|bos|>"],
                         eos_token_id=vocab["<|eos|>"], pad_token_id=vocab["<|pad|>"])
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


def needs_transformers() -> None:
    pytest.importorskip("torch", reason="torch is not installed (pip install 'ifbench[hf]')")
    pytest.importorskip("transformers", reason="transformers is not installed (pip install 'ifbench[hf]')")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    needs_transformers()
    return build_tiny_model(tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture(scope="module")
def backend(tiny_model):
    return parse_model_spec(f"hf:{tiny_model}", concurrency=4, engine_args={"dtype": "float32"})


def make_tasks(*prompts: str) -> list[Task]:
    return [Task(id=f"t{i}", suite="s", prompt=p, constraints=[{"id": "length.words", "max": 30}])
            for i, p in enumerate(prompts)]


def run_records(backend: Any, out: Path, tasks: list[Task], **settings: Any) -> dict[str, Any]:
    settings.setdefault("max_tokens", 6)
    config = RunConfig(out=out, settings=GenerationSettings(**settings), progress=False)
    outcome = run(tasks, backend, config)
    records = [json.loads(line) for line in outcome.paths["responses"].read_text().splitlines()]
    return {r["task_id"]: r for r in records}


def test_a_missing_transformers_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(BackendError, match=r"pip install 'ifbench\[hf\]'"):
        parse_model_spec("hf:some/model")


def test_requests_are_generated_in_batches(backend, tmp_path, monkeypatch):
    sizes: list[int] = []
    original = backend.generate_batch
    def spy(requests: list[Any]) -> list[Any]:
        sizes.append(len(requests))
        return original(requests)

    monkeypatch.setattr(backend, "generate_batch", spy)
    prompts = ["Hello", "A much longer prompt than the first one", "Third", "4", "Fifth prompt"]
    records = run_records(backend, tmp_path, make_tasks(*prompts))
    assert sizes == [4, 1]
    for index, prompt in enumerate(prompts):
        record = records[f"t{index}"]
        assert record["error"] is None and record["model"] == f"hf:{backend.model}"
        # the chat template wraps the prompt: 3 special tokens plus one token per byte
        assert record["prompt_tokens"] == len(prompt.encode()) + 3
        assert 0 <= record["completion_tokens"] <= 6
        assert record["finish_reason"] in {"stop", "length"}


def test_greedy_generation_is_deterministic(backend, tmp_path):
    tasks = make_tasks("Hello", "World peace")
    first = run_records(backend, tmp_path / "1", tasks)
    second = run_records(backend, tmp_path / "2", tasks)
    assert [r["response"] for r in first.values()] == [r["response"] for r in second.values()]


def test_completion_mode_tokenizes_the_raw_prompt(backend, tmp_path):
    records = run_records(backend, tmp_path, make_tasks("Hello"), mode="completion", max_tokens=5)
    assert records["t0"]["error"] is None
    assert records["t0"]["prompt_tokens"] in {5, 6}  # with or without a BOS token


def test_a_stop_string_cuts_the_reply(backend, tmp_path):
    plain = run_records(backend, tmp_path / "1", make_tasks("Hello"), max_tokens=24)["t0"]["response"]
    stop = next((ch for ch in plain if ch.isascii() and ch.isprintable() and ch != " "), None)
    if stop is None:
        pytest.skip("the random model wrote no ASCII character to stop at")
    stopped = run_records(backend, tmp_path / "2", make_tasks("Hello"), max_tokens=24, stop=(stop,))
    assert stopped["t0"]["response"] == plain[: plain.index(stop)]
    assert stopped["t0"]["finish_reason"] == "stop"


def test_a_model_without_chat_template_asks_for_completion_mode(tmp_path):
    needs_transformers()
    directory = build_tiny_model(tmp_path / "base", chat_template=None)
    backend = parse_model_spec(f"hf:{directory}")
    records = run_records(backend, tmp_path / "out", make_tasks("Hello"))
    assert "has no chat template; use --mode completion" in records["t0"]["error"]


def test_an_unknown_model_path_is_explained(tmp_path):
    needs_transformers()
    with pytest.raises(BackendError, match="hf: cannot load"):
        parse_model_spec(f"hf:{tmp_path / 'missing'}")
