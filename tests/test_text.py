"""The counting conventions of SPEC.md, as examples."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ifbench.checking.loose import loose_variants
from ifbench.checking.text import (
    WORD,
    count_keyword,
    count_words,
    paragraphs,
    sentences,
    words,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("don't stop", ["don't", "stop"]),
        ("state-of-the-art models", ["state-of-the-art", "models"]),
        ("it’s curly", ["it’s", "curly"]),
        ("pi is 3.14", ["pi", "is", "3", "14"]),
        ("COVID-19 cases", ["COVID", "19", "cases"]),
        ("- item *bold* # heading 🙂 —", ["item", "bold", "heading"]),
        ("café naïve", ["café", "naïve"]),
        ("用100字以内", ["用", "100", "字", "以", "内"]),
        ("中English混合", ["中", "English", "混", "合"]),
        ("カタカナとひらがな", list("カタカナとひらがな")),
        ("ラーメン", list("ラーメン")),
        ("“引号”，标点！", ["引", "号", "标", "点"]),
        ("'quoted' -dash-", ["quoted", "dash"]),
        # Emoji are not words, whatever Unicode files their parts under.
        ("I ❤️ you", ["I", "you"]),  # U+FE0F is a combining mark
        ("☺️ ok", ["ok"]),
        ("1️⃣ 2⃣ #️⃣ step", ["step"]),  # keycaps: digit, selector, U+20E3
        ("ℹ️ info", ["info"]),  # ℹ is a letter until the selector makes it an emoji
        ("👍🏽 nice 👨‍👩‍👧 family 🇨🇳 China 🏴󠁧󠁢󠁥󠁮󠁧󠁿 wales", ["nice", "family", "China", "wales"]),
        ("\u0301alone", ["alone"]),  # a mark with no letter before it is no word
        ("我❤️你👍🏻", ["我", "你"]),
        ("第1️⃣步", ["第", "步"]),
        ("葛\U000e0100城", ["葛", "城"]),  # an ideographic variation selector is not a word either
        ("5 apples, 3 pears", ["5", "apples", "3", "pears"]),  # a digit without a keycap still is
    ],
)
def test_words(text, expected):
    assert words(text) == expected
    assert count_words(text) == len(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr. Smith arrived. He sat down.", 2),
        ("Prices rose 3.14 percent. Then fell!", 2),
        ("Use tools, e.g. hammers, i.e. things. Done.", 2),
        ("Really?! Yes.", 2),
        ("Wait... what?", 2),
        ('He said "stop." Then left.', 2),
        ("# Heading\nBody text here. More body.", 3),
        ("- first item\n- second item", 2),
        ("1. First step.\n2. Second step.", 2),
        ("Visit example.com today.", 1),
        ("The U.S. economy grew. Ph.D. students cheered.", 2),
        ("ends with etc. " + "x" * 50 + ". Next one.", 2),
        ("word. " * 1000, 1000),
        ("今天下雨。明天晴天！后天呢？", 3),
        ("他说：“走吧。”然后离开了。", 2),
        ("等一下…好的。", 1),
        ("设x=0.999…，两边同乘10。", 1),
        ("他说：“走吧…”然后离开了。", 2),
        ("一、背景\n二、方法", 2),
        # Half-width ! ? . right before Chinese end a sentence; numbers, domains, e.g. stay whole.
        ("你好!我很好!", 2),
        ("你去吗?他去吗?", 2),
        ("真的?!好吧.", 2),
        ("见图1.然后重复.", 2),
        ("圆周率约为3.14，访问example.com查看。", 1),
        ("比如e.g.这样，或者Mr.王那样。", 1),
        ("等一下...好的。", 1),  # an ellipsis before Chinese, as with …, goes on
        ("Hello!How are you?", 1),  # before a Latin letter it is not taken for an end
        ("", 0),
        ("...", 0),
    ],
)
def test_sentences(text, expected):
    assert len(sentences(text)) == expected, sentences(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One.\n\nTwo.", 2),
        ("One.\n   \nTwo.\n\n\n\nThree.", 3),
        ("One.\n***\nTwo.\n---\nThree.\n* * *\nFour.", 4),
        ("Line one\nline two", 1),
        ("***\n\n---", 0),
        ("第一段。\n\n第二段。", 2),
    ],
)
def test_paragraphs(text, expected):
    assert len(paragraphs(text)) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("- " * 1_000_000, 0),  # one thematic break, 2 MB wide
        ("- " * 1_000_000 + "x", 1),  # nearly one: a list item of dashes
        ("* " * 1_000_000 + "完", 1),
    ],
)
def test_a_long_line_of_dashes_is_counted_in_linear_time(line, expected):
    start = time.monotonic()
    assert len(paragraphs(line)) == expected
    assert time.monotonic() - start < 10  # quadratic backtracking took minutes


@pytest.mark.parametrize(
    "text, keyword, expected",
    [
        ("AI and ai and Ai", "ai", 3),
        ("said and SAID", "said", 2),
        ("paint painting painted", "paint", 1),
        ("I don't know Don", "don", 1),
        ("C++ and C# and C", "C++", 1),
        ("a.b aXb", "a.b", 1),
        ("人工智能是人工智能", "人工智能", 2),
        ("我喜欢AI芯片和ai芯片", "AI芯片", 2),
        ("GDP是国内生产总值", "GDP", 1),
        ("支持5G网络", "5G", 1),
        ("支持5G网络", "G", 0),
        ("anything", "", 0),
        ("I ❤️love it, love❤️", "love", 2),  # an emoji is a boundary
        ("café au lait", "cafe", 0),
    ],
)
def test_count_keyword(text, keyword, expected):
    assert count_keyword(text, keyword) == expected


def test_loose_variants_follow_ifeval_order():
    names_texts = loose_variants("*Title*\nbody *x*\nend")
    assert [text for _, text in names_texts] == [
        "*Title*\nbody *x*\nend",
        "Title\nbody x\nend",
        "body *x*\nend",
        "*Title*\nbody *x*",
        "body *x*",
        "body x\nend",
        "Title\nbody x",
        "body x",
    ]


@given(st.text(alphabet="abcXYZ019'- .\n", max_size=60))
@settings(max_examples=500, deadline=None)
def test_ascii_text_gets_the_same_words_from_the_fast_pattern(text):
    # Pure-ASCII text takes a stdlib pattern; it must find exactly what WORD finds.
    assert words(text) == WORD.findall(text)
    assert count_words(text) == len(WORD.findall(text))
