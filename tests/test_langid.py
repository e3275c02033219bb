"""Language identification: langdetect-rs gives langdetect 1.0.9's answers, probabilities and all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from ifbench.checking.langid import _factory, base_language, detect_language

REPLIES = (Path(__file__).resolve().parents[2] / "shared" / "conformance" / "ifeval"
           / "input_response_data_gpt4_20231107_145030.jsonl")


def probabilities(factory, text: str) -> list[tuple[str, float]] | None:
    detector = factory.create()
    detector.append(text)
    try:
        return [(found.lang, found.prob) for found in detector.get_probabilities()]
    except Exception as error:  # both raise their LangDetectException on featureless text
        assert type(error).__name__ == "LangDetectException"
        return None


@pytest.fixture(scope="module")
def original() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory


@pytest.mark.skipif(not REPLIES.exists(), reason=f"{REPLIES} is not there (../shared/conformance)")
def test_every_probability_on_541_real_replies_equals_langdetects(original):
    texts = [json.loads(line)["response"] for line in REPLIES.open(encoding="utf-8")]
    differing = [text[:60] for text in texts if probabilities(_factory(), text) != probabilities(original, text)]
    assert len(texts) == 541 and differing == []


@pytest.mark.parametrize("text", [
    "The theory of relativity says that time and space are relative.",
    "相对论认为时间和空间是相对的。",
    "東京は日本の首都です。",
    "Bonjour tout le monde, comment allez-vous aujourd'hui ?",
    "mixed 中文 and English 文本",
    "1234 5678 !!!",
    "",
])
def test_short_texts_in_several_scripts_agree(original, text):
    assert probabilities(_factory(), text) == probabilities(original, text)


def test_detect_language_gives_langdetect_codes_or_none():
    assert detect_language("相对论认为时间和空间是相对的。") == "zh-cn"
    assert detect_language("The theory of relativity says that time is relative.") == "en"
    assert detect_language("1234 !!!") is None
    assert base_language("zh-cn") == "zh" and base_language("EN") == "en"


def test_the_original_is_really_the_python_one():
    assert LangDetectException.__module__.startswith("langdetect.")


def test_clear_caches_forgets_the_texts_seen():
    from ifbench.checking import langid

    langid.detect_language("The weather is lovely today.")
    langid.language_probabilities("今天天气很好。")
    langid.clear_caches()
    assert langid.detect_language.cache_info().currsize == langid.language_probabilities.cache_info().currsize == 0
