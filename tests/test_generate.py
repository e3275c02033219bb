"""`ifbench generate`: fresh suites that are reproducible, balanced, lint-clean and passable."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from ifbench.checking.registry import all_checkers
from ifbench.checking.text import count_keyword, fold
from ifbench.generate import SUPPORTED, UNSUPPORTED, GenerateError, generate, parse_range
from ifbench.generate.phrasing import load_phrasings
from ifbench.generate.pool import CATEGORIES, PATTERNS, load_pool, pool_sha256
from ifbench.generate.satisfy import Spec, build_reply
from ifbench.records import ResponseRecord
from ifbench.scoring import score_task
from ifbench.tasks.lint import lint_paths
from ifbench.tasks.load import load_tasks

NATIVE = sorted(c.id for c in all_checkers() if ":" not in c.id)


def write(tmp_path: Path, seed: int, n: int = 40, languages=("en", "zh"), counts=(1, 3), **kw) -> Path:
    made = generate(seed, n, list(languages), counts, **kw)
    path = tmp_path / f"s{seed}.yaml"
    path.write_text(made.text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the pool and the phrasings

@pytest.mark.parametrize("language", ["en", "zh"])
def test_pool_covers_every_category_and_pattern(language):
    entries = load_pool()[language]
    assert len(entries) >= 40
    assert {e.category for e in entries} == set(CATEGORIES)
    assert {e.pattern for e in entries} == set(PATTERNS)
    by_category = Counter(e.category for e in entries)
    assert min(by_category.values()) >= 10


def test_the_pools_are_written_separately_not_translated_ids():
    en, zh = ({e.id for e in load_pool()[lang]} for lang in ("en", "zh"))
    assert not en & zh
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.prompt) for e in load_pool()["zh"])


def test_every_native_checker_is_supported_or_explained():
    assert sorted(set(SUPPORTED) | set(UNSUPPORTED)) == NATIVE
    assert all(UNSUPPORTED[cid] for cid in UNSUPPORTED)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_at_least_three_phrasings_per_supported_checker(language):
    ph = load_phrasings(language)
    for cid in SUPPORTED:
        if cid == "role.reading_level" and language != "en":
            continue
        keys = [key for key in ph.templates if key == cid or key.startswith(cid + "/")]
        assert keys, f"{cid} has no {language} phrasing"
        for key in keys:
            assert len(ph.templates[key]) >= 3, f"{key} ({language}) has {len(ph.templates[key])} phrasings"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_filler_never_says_a_keyword_marker_or_forbidden_word(language):
    """The builder's neutral sentences must not count towards what constraints count."""
    ph = load_phrasings(language)
    words = [k for e in load_pool()[language] for k in (*e.keywords, *e.steps)] + ph.vocab["exclude_words"]
    for sentence in ph.vocab["filler"]:
        assert "," not in sentence and "，" not in sentence and "、" not in sentence
        for word in words:
            hit = fold(word) in fold(sentence) if language == "zh" or word in {e for x in load_pool()[language] for e in x.steps} else count_keyword(sentence, word)
            assert not hit, f"filler {sentence!r} contains {word!r}"


# ------------------------------------------------------------------ determinism and freshness

def test_same_seed_gives_the_same_bytes_and_another_seed_other_tasks(tmp_path):
    a = generate(7, 30, ["en", "zh"], (1, 3)).text
    assert generate(7, 30, ["en", "zh"], (1, 3)).text == a
    b = generate(8, 30, ["en", "zh"], (1, 3)).text
    assert b != a
    prompts = lambda text: {t["prompt"] for t in __import__("yaml").safe_load(text)["tasks"]}
    assert len(prompts(a) & prompts(b)) < 5


def test_byte_identical_across_processes_with_different_hash_seeds(tmp_path):
    digests = []
    for hash_seed in ("0", "12345"):
        out = tmp_path / f"h{hash_seed}.yaml"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-m", "ifbench.cli.main", "generate", "--seed", "3", "--tasks", "24",
                               "--languages", "en,zh", "--constraints", "1-3", "--out", str(out)],
                              env=env, capture_output=True, text=True, check=True)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        assert f"sha256 {digest}" in done.stdout
        digests.append(digest)
    assert digests[0] == digests[1]


def test_file_records_seed_version_and_pool_hash(tmp_path):
    import yaml
    doc = yaml.safe_load(write(tmp_path, 5, 6).read_text(encoding="utf-8"))
    assert doc["generator"]["seed"] == 5
    assert doc["generator"]["version"]
    assert doc["generator"]["pool_sha256"] == pool_sha256()


@pytest.mark.parametrize("counts", [(1, 3), (2, 4), (1, 1)])
def test_each_constraint_count_gets_a_balanced_share(counts):
    made = generate(11, 36, ["en", "zh"], counts)
    per = Counter((t["language"], len(t["constraints"])) for t in made.tasks)
    expected = {(lang, n) for lang in ("en", "zh") for n in range(counts[0], counts[1] + 1)}
    assert set(per) == expected
    assert max(per.values()) - min(per.values()) <= 1


# ------------------------------------------------------------------ lint-clean and passable

@pytest.mark.parametrize("seed", [1, 2, 42])
@pytest.mark.parametrize("languages", [("en",), ("zh",), ("en", "zh")])
def test_generated_files_validate_and_lint_clean(tmp_path, seed, languages):
    path = write(tmp_path, seed, 30, languages, (1, 4))
    tasks = load_tasks([path])
    assert len(tasks) == 30 and {t.language for t in tasks} == set(languages)
    n, problems = lint_paths([path])
    assert (n, problems) == (30, [])


@pytest.mark.parametrize("seed", [1, 9])
def test_every_built_reply_passes_through_the_scoring_path(tmp_path, seed):
    tasks = load_tasks([write(tmp_path, seed, 40, ("en", "zh"), (1, 4), references=True)])
    for task in tasks:
        reply = ResponseRecord(task_id=task.id, suite=task.suite, model="built", turn=0, response=task.reference)
        result = score_task(task, [reply], model="built")
        assert result.prompt_strict, [(c.id, c.reason) for c in result.constraints if not c.strict]


def test_builder_meets_an_english_set_and_a_chinese_set():
    en = Spec({"length.sentences": {"exact": 4}, "content.include": {"keywords": ["tide"]},
               "content.end": {"phrase": "That is all."}}, prompt="Explain tides")
    reply = build_reply(en, load_phrasings("en"))
    assert reply is not None and reply.endswith("That is all.") and "tide" in reply
    zh = Spec({"format.bullets": {"exact": 3}, "content.no_commas": {}, "length.words": {"max": 120}}, prompt="讲讲高铁")
    reply = build_reply(zh, load_phrasings("zh"))
    assert reply is not None and reply.count("\n- ") + reply.startswith("- ") == 3 and "，" not in reply


def test_builder_refuses_what_no_json_reply_can_do():
    spec = Spec({"format.json": {"schema": {"type": "object", "required": ["title"]}}, "content.start": {"phrase": "In short"}},
                prompt="JSON")
    assert build_reply(spec, load_phrasings("en")) is None


def test_a_prompt_states_what_its_constraints_check():
    made = generate(4, 20, ["en", "zh"], (2, 3))
    for task in made.tasks:
        for constraint in task["constraints"]:
            for keyword in constraint.get("keywords", []):
                assert fold(keyword) in fold(task["prompt"])
            if "phrase" in constraint:
                assert fold(constraint["phrase"]) in fold(task["prompt"])


# ------------------------------------------------------------------ arguments and the file format

def test_bad_ranges_and_languages_are_refused():
    assert parse_range("1-3") == (1, 3) and parse_range("2") == (2, 2)
    for bad in ("3-1", "0-2", "a-b", "1-9"):
        with pytest.raises(GenerateError):
            parse_range(bad)
    with pytest.raises(GenerateError, match="fr"):
        generate(1, 2, ["fr"], (1, 2))


def test_loader_refuses_a_bad_generator_record(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("suite: x\ngenerator: {name: g, version: '1', seed: one, pool_sha256: abc, colour: red}\n"
                    "tasks:\n  - {id: a, prompt: hi, constraints: [{id: format.title}]}\n", encoding="utf-8")
    from ifbench.errors import TaskFileError
    with pytest.raises(TaskFileError) as error:
        load_tasks([path])
    text = "\n".join(error.value.problems)
    assert "generator.seed" in text and "generator.pool_sha256" in text and "generator.colour" in text
