"""language.response: deterministic detection, Chinese with English terms, code ignored."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from ifbench.checkers.native.language import identify, supported_languages

import ifbench
from ifbench.checking.langid import language_probabilities

SHORT_SENTENCES = Path(__file__).resolve().parents[1] / "data" / "short_sentences.tsv"


def check(response: str, lang: str) -> ifbench.Verdict:
    return ifbench.check(response, {"id": "language.response", "lang": lang})


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("The theory of relativity links space and time.", "en", True),
        ("The theory of relativity links space and time.", "fr", False),
        ("La théorie de la relativité relie l'espace et le temps.", "fr", True),
        ("La théorie de la relativité relie l'espace et le temps.", "en", False),
        ("Die Relativitätstheorie verbindet Raum und Zeit miteinander.", "de", True),
        ("Теория относительности связывает пространство и время.", "ru", True),
        ("相对论把时间和空间联系在一起。", "zh", True),
        ("相对论把时间和空间联系在一起。", "en", False),
        ("相對論把時間和空間聯繫在一起。", "zh", True),  # Traditional Chinese is zh too
        ("好", "zh", True),
        ("相対性理論は時間と空間を結びつけます。", "ja", True),
        ("相対性理論は時間と空間を結びつけます。", "zh", False),
        ("상대성 이론은 시간과 공간을 연결합니다.", "ko", True),
    ],
)
def test_language(text, lang, expected):
    assert check(text, lang).passed is expected


@pytest.mark.parametrize(
    "text",
    [
        "Python是一种编程语言。",
        "我们可以用Python和machine learning来解决这个问题。",
        "使用 PyTorch 的 DataLoader 和 Dataset 类来加载 ImageNet 数据集。",
        "Transformer模型使用self-attention机制。",
        "这个function返回一个list，里面是所有的user ID。",
        "在 React 中，useEffect hook 用于处理 side effects，比如 fetch data。",
    ],
)
def test_chinese_that_mentions_english_terms_is_chinese(text):
    verdict = check(text, "zh")
    assert verdict.passed, verdict.reason
    assert not check(text, "en").passed


@pytest.mark.parametrize(
    "text",
    [
        "The word 你好 means hello in Chinese.",
        "In Chinese, 谢谢 (xièxie) means thank you, and people say it often.",
    ],
)
def test_english_that_quotes_a_little_chinese_is_english(text):
    assert check(text, "en").passed
    assert not check(text, "zh").passed


def test_the_reason_says_what_was_detected_with_what_confidence_and_what_was_required():
    assert check("Hello there, how are you today?", "zh").reason == (
        "detected 'en' (confidence 0.93; evidence: hello, there, how, are, …); 'zh' required"
    )
    assert check("Ciao, come stai?", "it").reason == "detected 'it' (confidence 0.77; evidence: ciao, come, stai)"
    mixed = check("Python是一种编程语言。", "zh").reason
    assert mixed == "detected 'zh' (by script: 7 CJK characters, 1 other word)"
    assert check("相对论很重要。", "zh").reason == "detected 'zh' (by script)"


@pytest.mark.parametrize(
    "text, lang",
    [
        # langdetect alone: Somali, Czech, Tagalog, Welsh, French.
        ("Hello, how are you today?", "en"),
        ("I love you.", "en"),
        ("Why are you laughing?", "en"),
        ("Where did you go?", "en"),
        ("I miss you.", "en"),
        # langdetect alone: Lithuanian, Dutch, Afrikaans, Polish, French, Spanish, Indonesian.
        ("Je ne sais pas.", "fr"),
        ("Je vais bien, merci.", "fr"),
        ("Vielen Dank.", "de"),
        ("Wo warst du?", "de"),
        ("¿Qué hora es?", "es"),
        ("Non lo so.", "it"),
        ("Quanti anni hai?", "it"),
    ],
)
def test_short_text_is_detected_by_its_function_words_too(text, lang):
    verdict = check(text, lang)
    assert verdict.passed, verdict.reason
    assert identify(text)[0] == lang


def test_short_text_accuracy_on_600_labelled_sentences():
    """Short everyday sentences (2-8 words), about 100 each in en, fr, de, es, it, pt:
    langdetect alone gets 83% right, with function words 93%."""
    rows = [line.split("\t") for line in SHORT_SENTENCES.read_text(encoding="utf-8").splitlines()]
    right, alone, total = Counter(), Counter(), Counter()
    for lang, text in rows:
        total[lang] += 1
        right[lang] += identify(text)[0] == lang
        alone[lang] += language_probabilities(text)[0][0] == lang
    assert len(rows) >= 600 and all(total[lang] >= 100 for lang in total)
    accuracy = sum(right.values()) / len(rows)
    assert accuracy >= 0.93
    assert accuracy - sum(alone.values()) / len(rows) >= 0.09
    assert all(right[lang] / total[lang] >= 0.8 for lang in total), right


def test_code_blocks_inline_code_and_urls_are_not_prose():
    text = (
        "下面的函数把两个数相加，然后返回结果：\n"
        "```python\n"
        "def add(first_number, second_number):\n"
        "    # add the two numbers together and return the result to the caller\n"
        "    return first_number + second_number\n"
        "```\n"
        "调用 `add(first_number=1, second_number=2)` 即可，参见 https://docs.python.org/3/tutorial/index.html 。"
    )
    assert check(text, "zh").passed


def test_a_response_that_is_only_code_is_judged_on_the_code():
    text = "```python\nprint('hello world, this is an english sentence in a program')\n```"
    assert check(text, "en").passed


@pytest.mark.parametrize("text", ["123 456 789", "😀 🎉 👍", "--- *** ---", "3.14159"])
def test_no_language_detected_fails(text):
    verdict = check(text, "en")
    assert not verdict.passed
    assert verdict.reason == "no language could be detected; 'en' required"


def test_detection_is_deterministic():
    texts = ["Ciao, come stai oggi?", "Hola, ¿cómo estás hoy?", "OK", "Python是一种编程语言。"]
    first = [check(text, "en").reason for text in texts]
    again = [check(text, "en").reason for text in reversed(texts)][::-1]
    assert first == again


def test_very_long_text_is_judged_on_its_beginning():
    verdict = check("这是中文。" * 50_000, "zh")
    assert verdict.passed
    assert "first 100,000 characters" in verdict.reason


@pytest.mark.parametrize(
    "lang, message",
    [
        ("ZH", "did you mean 'zh'"),
        ("en-us", "did you mean 'en'"),
        ("xx", "supported: af, ar"),
        ("english", "not a supported ISO 639-1 code"),
        ("", "not a supported"),
    ],
)
def test_an_unknown_language_code_is_refused_at_parse_time(lang, message):
    with pytest.raises(ifbench.ConstraintError, match=message):
        check("text", lang)


@pytest.mark.parametrize("lang", ["zh-cn", "zh-tw", "zh-CN", "zh-TW"])
def test_zh_cn_and_zh_tw_are_taken_as_zh(lang):
    assert check("相对论把时间和空间联系在一起。", lang).passed
    assert check("相對論把時間和空間聯繫在一起。", lang).passed
    assert not check("The theory of relativity.", lang).passed


def test_supported_languages_are_two_letter_codes_including_zh():
    codes = supported_languages()
    assert {"en", "zh", "ja", "ko", "fr"} <= set(codes)
    assert all(len(code) == 2 and code.islower() for code in codes)


@pytest.mark.parametrize(
    "text",
    [
        ("Hello, World? 你好，世界？ As an AI, I think.\n" * 250_000)[:10_000_000],
        "abc\x00\ud800 你好\udfff? hello\x00 world",
        "```" * 100_000,
        "`" * 1_000_000 + "\n" + "a@" * 100_000,
        "|" + "a|" * 10_000 + "\n|" + "-|" * 10_000,
    ],
    ids=["10MB", "NUL and surrogates", "fences", "backticks and at-signs", "wide table"],
)
def test_any_text_gets_a_verdict(text):
    verdict = check(text, "en")
    assert verdict.reason.strip()
    assert "failed on this response" not in verdict.reason
