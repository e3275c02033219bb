"""The TRL reward function: called as GRPOTrainer calls it, and in one real GRPO step on CPU."""

from __future__ import annotations

import json

import pytest

import ifbench
from ifbench.rl import constraints_from_label
from ifbench.rl.trl import RewardFunction

NO_COMMA_FIVE_WORDS = str([{"instruction_id": ["punctuation:no_comma", "length_constraints:number_words"],
                            "kwargs": [None, {"num_words": 5, "relation": "at least"}]}])
ZH_LABEL = json.dumps([{"id": "language.response", "lang": "zh"}, {"id": "length.words", "max": 10}])


def test_plain_completions_with_the_ground_truth_column():
    reward = RewardFunction()
    values = reward(prompts=["Describe the sea.", "描述大海。"],
                    completions=["The sea is wide and deep and blue.", "The sea, wide."],
                    completion_ids=[[1], [2]], ground_truth=[NO_COMMA_FIVE_WORDS] * 2, trainer_state=None)
    assert values == [1.0, 0.0]


def test_conversational_completions_and_a_constraints_column():
    reward = RewardFunction(credit="all")
    prompts = [[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "描述大海。"}]] * 2
    completions = [[{"role": "assistant", "content": "<think>想一想</think>大海很蓝。"}],
                   [{"role": "assistant", "content": [{"type": "text", "text": "The sea is blue."}]}]]
    assert reward(prompts=prompts, completions=completions, constraints=[ZH_LABEL] * 2) == [1.0, 0.0]


def test_ifeval_columns_are_a_label_too():
    reward = RewardFunction()
    values = reward(prompts=["Say hi."], completions=["hi there"],
                    instruction_id_list=[["change_case:english_lowercase"]], kwargs=[[{}]])
    assert values == [1.0]


def test_the_name_trl_logs():
    assert RewardFunction().__name__ == "ifbench"
    assert RewardFunction(name="if_zh").__name__ == "if_zh"


def test_a_missing_label_column_is_named():
    with pytest.raises(ifbench.ConstraintError, match="no label column.*prompt_id"):
        RewardFunction()(prompts=["p"], completions=["c"], prompt_id=[1], trainer_state=None)
    with pytest.raises(ifbench.ConstraintError, match="no label column 'labels'"):
        RewardFunction(label_column="labels")(prompts=["p"], completions=["c"], ground_truth=["x"])


def _tiny_model_and_tokenizer():
    """A random 2-layer Qwen2 with hidden size 16 and a word-level tokenizer, built offline."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    words = "the sea is wide deep blue calm and a boat sails on it write about describe".split()
    vocab = {"<pad>": 0, "<eos>": 1, "<unk>": 2, ",": 3, "大": 4, "海": 5, "很": 6, "蓝": 7}
    for word in words:
        vocab.setdefault(word, len(vocab))
    backend = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    backend.decoder = decoders.WordPiece()  # joins tokens with spaces
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, pad_token="<pad>", eos_token="<eos>",
                                        unk_token="<unk>")
    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=len(vocab), hidden_size=16, intermediate_size=32, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=64,
                         pad_token_id=0, eos_token_id=1, bos_token_id=1)
    return Qwen2ForCausalLM(config), tokenizer


def test_one_real_grpo_step_logs_our_reward(tmp_path):
    trl = pytest.importorskip("trl", reason="trl is not installed: pip install 'ifbench[rl]'")
    datasets = pytest.importorskip("datasets", reason="datasets is not installed: pip install 'ifbench[rl]'")
    model, tokenizer = _tiny_model_and_tokenizer()
    returned: list[tuple[list[str], list[str], list[float]]] = []

    class Recorded(RewardFunction):
        def __call__(self, prompts=None, completions=(), **columns):
            values = super().__call__(prompts, completions, **columns)
            returned.append((list(completions), list(columns["ground_truth"]), values))
            return values

    dataset = datasets.Dataset.from_dict({
        "prompt": ["write about the sea", "describe a boat", "describe 大海", "write about it"],
        "ground_truth": [NO_COMMA_FIVE_WORDS, NO_COMMA_FIVE_WORDS, ZH_LABEL, ZH_LABEL],
    })
    config = trl.GRPOConfig(output_dir=str(tmp_path), per_device_train_batch_size=2, num_generations=2,
                            max_completion_length=8, max_steps=1, logging_steps=1, report_to="none",
                            use_cpu=True, bf16=False, save_strategy="no", seed=0)
    trainer = trl.GRPOTrainer(model=model, reward_funcs=Recorded(), args=config, train_dataset=dataset,
                              processing_class=tokenizer)
    trainer.train()

    assert len(returned) == 1
    completions, labels, values = returned[0]
    assert len(completions) == 2 and all(isinstance(c, str) for c in completions)
    logged = next(entry for entry in trainer.state.log_history if "rewards/ifbench/mean" in entry)
    assert logged["rewards/ifbench/mean"] == pytest.approx(sum(values) / len(values))
    # what TRL logged is what ifbench gives these completions for their labels
    assert labels[0] == labels[1]  # the two generations of one prompt
    assert values == ifbench.rewards(completions, [constraints_from_label(label) for label in labels])
