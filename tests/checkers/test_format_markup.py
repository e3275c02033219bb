"""format.title / highlights / placeholders / postscript / quoted / two_responses."""

from __future__ import annotations

import pytest

import ifbench
from ifbench import ConstraintError


def check(text: str, cid: str, **params) -> ifbench.Verdict:
    return ifbench.check(text, {"id": f"format.{cid}", **params})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<<Ode to Tea>>\nSteam rises.", True),
        ("A poem called <<Ode to Tea>>, in full.", True),
        ("<<<Ode to Tea>>>", True),
        ("<< >>\nSteam rises.", False),
        ("<<>>", False),
        ("<Ode to Tea>", False),
        ("<<Ode to\nTea>>", False),
        ("Ode to Tea", False),
        ("<<茶之歌>>\n热气升起。", True),
        ("＜＜茶之歌＞＞", True),  # full-width angle brackets
        ("《茶之歌》\n热气升起。", False),  # book-title marks cite works; they are not the title markup
        ("茶之歌\n热气升起。", False),
    ],
)
def test_title(text, expected):
    verdict = check(text, "title")
    assert verdict.passed is expected, verdict.reason


def test_title_reasons():
    assert check("<<Ode>>", "title").reason == "title <<Ode>> found"
    assert check("＜＜茶之歌＞＞\n热气升起。", "title").reason == "title ＜＜茶之歌＞＞ found"  # as written
    assert check("Ode", "title").reason == "no title found; a title wrapped in <<…>> required"
    assert check("《茶之歌》", "title").reason == "no title found; a title wrapped in <<…>> required"
    assert "empty" in check("<<  >> Ode", "title").reason


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("*a* and *b*", {"min": 2}, True),
        ("*a* and *b*", {"min": 3}, False),
        ("**bold**", {"min": 1}, True),
        ("**bold**", {"min": 2}, False),  # the two `**` markers are one span
        ("***both***", {"min": 1}, True),
        ("***both***", {"min": 2}, False),
        ("** ** and * * and **** and **", {"min": 1}, False),
        ("* item one\n* item two", {"min": 1}, False),  # bullets, not highlights
        ("* item with *emphasis*", {"min": 1}, True),
        ("2 * 3 * 4 = 24", {"min": 1}, False),
        ("*unclosed emphasis", {"min": 1}, False),
        ("*across\nlines*", {"min": 1}, False),
        ("Use `*ptr*` here", {"min": 1}, False),
        ("```c\nint *p = *q;\n```", {"min": 1}, False),
        ("**bold *nested* bold**", {"min": 1}, True),
        ("茶能让人**平静**，而且*便宜*。", {"min": 2}, True),
        ("茶能让人**平静**，而且*便宜*。", {"min": 3}, False),
        ("茶能让人平静，而且便宜。", {}, False),
        ("**重点**", {}, True),
    ],
)
def test_highlights(text, params, expected):
    verdict = check(text, "highlights", **params)
    assert verdict.passed is expected, verdict.reason


def test_highlights_reason_and_bounds():
    assert check("*a*", "highlights", min=2).reason == "1 highlighted section; at least 2 required"
    with pytest.raises(ConstraintError, match="min"):
        check("*a*", "highlights", min=0)


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("Dear [name], we will visit [address].", {"min": 2}, True),
        ("Dear [name], we will visit [address].", {"min": 3}, False),
        ("Dear [name].", {}, True),
        ("Dear [X],", {}, True),
        ("See [the docs](https://example.com).", {}, False),
        ("![logo](logo.png)", {}, False),
        ("- [ ] todo\n- [x] done\n* [X] also done", {}, False),
        ("As shown in [1] and [23][^4].", {}, False),  # citations and footnotes
        ("[ ] and [] and 【】", {}, False),
        ("Index with `arr[i]`.", {}, False),
        ("```python\nx = a[i] + b[j]\n```", {}, False),
        ("[never closed\nand ] stray [", {}, False),
        ("[[wiki]]", {"min": 1}, True),
        ("尊敬的【姓名】：您的电话【电话号码】已登记。", {"min": 2}, True),
        ("尊敬的【姓名】：您的电话【电话号码】已登记。", {"min": 3}, False),
        ("尊敬的[姓名]：我们将于[日期]拜访。", {"min": 2}, True),
        ("尊敬的客户：我们将于明天拜访。", {}, False),
    ],
)
def test_placeholders(text, params, expected):
    verdict = check(text, "placeholders", **params)
    assert verdict.passed is expected, verdict.reason


def test_placeholder_reason_shows_what_was_found():
    assert check("Dear [name].", "placeholders", min=2).reason == (
        "1 placeholder; at least 2 required (found [name])"
    )


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("Thanks for reading.\n\nP.S. Drink tea.", {}, True),
        ("Thanks.\nP.S. Drink tea.", {}, True),
        ("Thanks.\np.s. lower case", {}, True),
        ("Thanks.\n**P.S.** in bold", {}, True),
        ("Thanks.\n_P.S._ in italics", {}, True),
        ("Thanks.\n**P.S.**", {}, False),  # only the marker, in bold
        ("感谢阅读。\n**附言：**多喝茶。", {"marker": "附言："}, True),
        ("感谢阅读。**附言：**多喝茶。", {"marker": "附言："}, False),
        ("Thanks.\n> P.S. quoted", {}, True),
        ("Thanks.\nP. S. spaced out", {}, True),
        ("Thanks.\nP.S: with a colon", {}, True),
        ("Thanks.\nP.S.\nThe note on the next line.", {}, True),
        ("P.S. Drink tea.", {}, False),  # no main text before it
        ("\n\n  P.S. Drink tea.\n", {}, False),
        ("Thanks.\nP.S.", {}, False),  # nothing after the marker
        ("Thanks. P.S. in the middle of a line", {}, False),
        ("Thanks.\nPS: no dots", {}, False),
        ("Thanks.\nP.Smith wrote this", {}, False),
        ("Thanks.\nP.P.S. Another", {}, False),
        ("Thanks.\nP.P.S. Another", {"marker": "P.P.S"}, True),
        ("Thanks.\nPS hello", {"marker": "PS"}, True),
        ("Thanks.\nPSA: hello", {"marker": "PS"}, False),
        ("Thanks.\n```\nP.S. in code\n```", {}, False),
        ("感谢阅读。\n\n附言：多喝茶。", {"marker": "附言："}, True),
        ("感谢阅读。\n附言:多喝茶。", {"marker": "附言："}, True),  # half-width colon
        ("感谢阅读。\n附言 多喝茶。", {"marker": "附言"}, True),
        ("附言：多喝茶。", {"marker": "附言："}, False),
        ("感谢阅读。附言：多喝茶。", {"marker": "附言："}, False),
        ("感谢阅读。\nP.S. 多喝茶。", {}, True),
    ],
)
def test_postscript(text, params, expected):
    verdict = check(text, "postscript", **params)
    assert verdict.passed is expected, verdict.reason


def test_postscript_reasons():
    assert check("Thanks.\nP.S. Tea.", "postscript").reason == (
        "postscript 'P.S. Tea.' after the main text, as required"
    )
    assert check("谢谢。\n**附言：**多喝茶。", "postscript", marker="附言：").reason == (
        "postscript '**附言：**多喝茶。' after the main text, as required"
    )
    assert check("Thanks.", "postscript").reason.startswith("no line starts with 'P.S.'")
    assert "first line" in check("P.S. Tea.\n", "postscript").reason
    assert "nothing follows" in check("Thanks.\nP.S.", "postscript").reason


@pytest.mark.parametrize("marker", ["", "   "])
def test_postscript_marker_must_not_be_blank(marker):
    with pytest.raises(ConstraintError, match="marker"):
        check("x", "postscript", marker=marker)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Tea is good."', True),
        ('  "Tea is good."\n', True),
        ("“Tea is good.”", True),
        ('"Tea" is good.', False),
        ('Tea is "good"', False),
        ("“Tea is good.\"", False),  # mismatched pair
        ('""', False),
        ('" "', False),
        ('"', False),
        ("'Tea is good.'", False),
        ("“Tea” and “cake”", False),  # two quotations, not one wrapping the whole
        ("“He said “hi” to me”", True),
        ("“茶很好。”", True),
        ("「茶很好。」", True),
        ("「他说「你好」。」", True),
        ("「茶」很好。", False),
        ("茶很好。", False),
    ],
)
def test_quoted(text, expected):
    verdict = check(text, "quoted")
    assert verdict.passed is expected, verdict.reason


def test_quoted_reason_shows_the_ends():
    assert check("Tea.", "quoted").reason.startswith("starts with 'T' and ends with '.'")
    assert check('"Tea."', "quoted").reason == 'the whole response is wrapped in "…", as required'
    assert check("「茶很好。」", "quoted").reason == "the whole response is wrapped in 「…」, as required"


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("Tea is calming.\n******\nTea is cheap.", {}, True),
        ("Tea is calming.******Tea is cheap.", {}, True),
        ("Tea is calming.\n******\nTea is calming.", {}, False),
        ("Tea is calming.\n******\n  Tea   is calming. ", {}, False),  # same up to spacing
        ("Tea is calming.\n******\n", {}, False),
        ("******\nTea is cheap.", {}, False),
        ("A\n******\nB\n******\nC", {}, False),
        ("Tea is calming.\nTea is cheap.", {}, False),
        ("Tea is calming.\n***\nTea is cheap.", {}, False),
        ("Tea is calming.\n---\nTea is cheap.", {"separator": "---"}, True),
        ("茶让人平静。\n******\n茶很便宜。", {}, True),
        ("茶让人平静。\n******\n茶让人平静。", {}, False),
        ("回答一\n——\n回答二", {"separator": "——"}, True),
    ],
)
def test_two_responses(text, params, expected):
    verdict = check(text, "two_responses", **params)
    assert verdict.passed is expected, verdict.reason


def test_two_responses_reasons():
    required = "2 different non-empty responses separated by '******' required"
    assert check("A\n******\nB\n******\nC", "two_responses").reason == f"3 responses; {required}"
    assert check("A", "two_responses").reason == f"no separator found; {required}"
    assert check("A\n******", "two_responses").reason == f"response 2 is empty; {required}"
    assert check("A\n******\nA", "two_responses").reason.startswith("the 2 responses are identical")
    assert check("茶\n******\n水", "two_responses").reason == "2 different responses separated by '******', as required"
