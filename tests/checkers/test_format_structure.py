"""format.table, bullets, numbered, headings, code_block, and the markdown reader behind them."""

from __future__ import annotations

import pytest

import ifbench
from ifbench import ConstraintError
from ifbench.checking import markup


def check(text: str, cid: str, **params) -> ifbench.Verdict:
    return ifbench.check(text, {"id": f"format.{cid}", **params})


PEOPLE = "| Name | Age |\n|------|-----|\n| Ann | 31 |\n| Bo | 42 |"
ALIGNED = "| Item | Qty | Price |\n|:-----|:---:|------:|\n| tea | 2 | 3.5 |\n| cake | 1 | 4 |"
CHINESE_TABLE = "| 姓名 | 年龄 |\n| :--: | --: |\n| 张三 | 30 |\n| 李四 | 25 |\n| 王五 | 41 |"
FENCED_TABLE = "```\n| a | b |\n|---|---|\n| 1 | 2 |\n```"


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        (PEOPLE, {}, True),
        (PEOPLE, {"rows": 2}, True),
        (PEOPLE, {"rows": 1}, False),
        (PEOPLE, {"rows": 3}, False),
        (PEOPLE, {"min_rows": 2}, True),
        (PEOPLE, {"min_rows": 3}, False),
        (PEOPLE, {"max_rows": 2}, True),
        (PEOPLE, {"max_rows": 1}, False),
        (PEOPLE, {"columns": 2}, True),
        (PEOPLE, {"columns": 3}, False),
        (PEOPLE, {"headers": ["NAME", " age "]}, True),
        (PEOPLE, {"headers": ["Name", "City"]}, False),
        (PEOPLE, {"headers": ["Nam"]}, False),
        (ALIGNED, {"rows": 2, "columns": 3, "headers": ["price"]}, True),
        ("Name | Age\n--- | ---\nAnn | 31", {"rows": 1, "columns": 2}, True),
        ("| **Name** | _Age_ |\n|---|---|\n| Ann | 31 |", {"headers": ["name", "age"]}, True),
        ("| a \\| b | c |\n|---|---|\n| 1 | 2 |", {"columns": 2}, True),
        ("| a | b |\n|---|---|", {"rows": 0}, True),
        ("| a | b | c |\n|---|---|\n| 1 | 2 | 3 |", {}, False),  # delimiter has 2 cells
        ("| a | b |\n| c | d |\n| e | f |", {}, False),  # no delimiter row
        ("Title\n---\nText", {}, False),  # a setext heading, not a table
        ("| one |\n| --- |\n| 1 |\n| 2 |", {"columns": 1, "rows": 2}, True),
        (PEOPLE + "\n\nAfter | the table", {"rows": 2}, True),  # a blank line ends the body
        (PEOPLE + "\nno pipe here\n| x | y |", {"rows": 2}, True),
        ("| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |", {"rows": 2, "columns": 2}, True),
        (FENCED_TABLE, {}, False),
        (FENCED_TABLE + "\n\n" + PEOPLE, {"rows": 2}, True),
        (FENCED_TABLE + "\n\n" + PEOPLE, {"rows": 1}, False),
        ("| a |\n|---|\n| 1 |\n\n" + PEOPLE, {"rows": 2, "columns": 2}, True),  # the 2nd table
        ("Intro:\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |", {"rows": 1}, True),
        (CHINESE_TABLE, {"rows": 3, "headers": ["姓名", "年龄"]}, True),
        (CHINESE_TABLE, {"rows": 2}, False),
        (CHINESE_TABLE, {"headers": ["性别"]}, False),
        ("姓名：张三，年龄：30\n姓名：李四，年龄：25", {}, False),
        ("｜姓名｜年龄｜\n｜—｜—｜\n｜张三｜30｜", {}, False),  # full-width bars are not markdown
    ],
)
def test_table(text, params, expected):
    verdict = check(text, "table", **params)
    assert verdict.passed is expected, verdict.reason


def test_table_reasons_state_measured_and_required():
    assert check(PEOPLE, "table", rows=5).reason == (
        "table 1: 2 body rows × 2 columns, header cells Name | Age; body rows: exactly 5 required"
    )
    assert check("no table", "table", rows=5).reason == (
        "no markdown table found; body rows: exactly 5 required"
    )
    assert check("no table", "table").reason == "no markdown table found; a table required"


def test_table_reasons_tell_a_pass_from_a_failure():
    passed = check(PEOPLE, "table", rows=2, headers=["name"])
    assert passed.reason == (
        "table 1: 2 body rows × 2 columns, header cells Name | Age; "
        "meets every requirement (body rows: exactly 2 required; header 'name' required)"
    )
    failed = check(PEOPLE, "table", rows=2, headers=["City", "name", "人口"])
    assert failed.reason == "table 1: 2 body rows × 2 columns, header cells Name | Age; missing headers 'City', '人口'"
    zh = "| 城市 | 人口 |\n| --- | --- |\n| 北京 | 2189万 |"
    assert check(zh, "table", headers=["省份"]).reason == (
        "table 1: 1 body row × 2 columns, header cells 城市 | 人口; missing header '省份'"
    )
    assert check(zh, "table").reason.endswith("; any table accepted")
    two = "| a |\n|---|\n| 1 |\n\n" + PEOPLE
    assert check(two, "table", columns=2).reason.startswith("table 2 of 2: 2 body rows × 2 columns")


def test_a_10000_column_table_is_read_whole():
    wide = "|" + "h|" * 10_000 + "\n|" + ":-:|" * 10_000 + "\n|" + "x|" * 10_000
    assert check(wide, "table", columns=10_000, rows=1).passed
    assert not check(wide, "table", columns=9_999).passed


@pytest.mark.parametrize(
    "params",
    [
        {"min_rows": 3, "max_rows": 2},
        {"rows": 5, "max_rows": 4},
        {"rows": 1, "min_rows": 2},
        {"columns": 0},
        {"rows": -1},
        {"headers": ["Name", "  "]},
        {"row": 3},
    ],
)
def test_bad_table_parameters_are_refused(params):
    with pytest.raises(ConstraintError, match="format.table"):
        check(PEOPLE, "table", **params)


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("- a\n- b\n- c", {"exact": 3}, True),
        ("- a\n- b\n- c", {"exact": 2}, False),
        ("- a\n- b\n- c", {"exact": 4}, False),
        ("- a\n- b\n- c", {"max": 2}, False),
        ("* a\n* b", {"exact": 2}, True),
        ("+ a\n+ b", {"exact": 2}, True),
        ("• a\n• b", {"exact": 2}, True),
        ("•苹果\n•香蕉", {"exact": 2}, True),
        ("- 苹果\n- 香蕉\n- 橙子", {"exact": 3}, True),
        ("- 苹果\n- 香蕉\n- 橙子", {"min": 4}, False),
        ("水果：苹果、香蕉、橙子。", {"min": 1}, False),
        ("- a\n  - a1\n  - a2\n- b", {"exact": 2}, True),
        ("- a\n    - a1\n        - a11\n- b", {"exact": 2}, True),
        ("- a\n\t- a1\n- b", {"exact": 2}, True),
        ("1. step\n   - detail\n   - detail\n2. step", {"min": 1}, False),
        ("Intro:\n  - a\n  - b", {"exact": 2}, True),  # a list indented as a whole
        ("- a\n\n- b\n\n- c", {"exact": 3}, True),  # a loose list
        ("- a\n\n  more about a\n- b", {"exact": 2}, True),
        ("- a\n- b\n\nText.\n\n- c", {"exact": 3}, True),
        ("- [ ] todo\n- [x] done", {"exact": 2}, True),
        ("---\n* * *\n- - -\n___", {"exact": 0}, True),  # thematic breaks
        ("**Bold** start\n*italic* start", {"exact": 0}, True),
        ("-5 degrees\n+1 for that\n-\n- ", {"exact": 0}, True),
        ("```\n- a\n- b\n```", {"exact": 0}, True),
        ("```\n- a\n```\n- b", {"exact": 1}, True),
        ("```markdown\n- a\n- b", {"exact": 0}, True),  # an unclosed fence runs to the end
        ("1. a\n2. b", {"min": 1}, False),  # numbered items are not bullets
    ],
)
def test_bullets(text, params, expected):
    verdict = check(text, "bullets", **params)
    assert verdict.passed is expected, verdict.reason


def test_bullet_reason_mentions_nested_items_it_did_not_count():
    assert check("- a\n  - a1\n- b", "bullets", exact=3).reason == (
        "2 bullet items; exactly 3 required (1 nested item not counted)"
    )


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("1. a\n2. b\n3. c", {"exact": 3}, True),
        ("1. a\n2. b\n3. c", {"exact": 2}, False),
        ("1. a\n2. b\n3. c", {"exact": 4}, False),
        ("1. a\n2. b\n3. c", {"max": 2}, False),
        ("1) a\n2) b", {"exact": 2}, True),
        ("1、苹果\n2、香蕉", {"exact": 2}, True),
        ("（1）苹果\n（2）香蕉\n（3）橙子", {"exact": 3}, True),
        ("（1）苹果\n（2）香蕉\n（3）橙子", {"min": 4}, False),
        ("(1) apple\n(2) banana", {"exact": 2}, True),
        ("一、总则\n二、细则\n三、附则", {"exact": 3}, True),
        ("（一）总则\n（二）细则", {"exact": 2}, True),
        ("1.苹果\n2.香蕉", {"exact": 2}, True),
        ("　　一、总则\n　　二、细则", {"exact": 2}, True),  # ideographic indentation
        ("首先，烧水；其次，放茶叶。", {"min": 1}, False),
        ("3.14 is pi.\n2.5 is not.\n1.a", {"exact": 0}, True),
        ("1.\n2. ", {"exact": 0}, True),
        ("1. a\n   1. a1\n   2. a2\n2. b", {"exact": 2}, True),
        ("1. a\n\n   Details.\n\n2. b", {"exact": 2}, True),
        ("```\n1. a\n2. b\n```", {"min": 1}, False),
        ("- a\n- b", {"min": 1}, False),  # bullets are not numbered
        # Outline numbering: 一、 above （一） above 1. above （1）, at any indentation.
        ("一、总则\n（一）目的\n（二）范围\n二、细则", {"exact": 2}, True),
        ("一、总则\n（一）目的\n（二）范围\n二、细则", {"exact": 4}, False),
        ("一、总则\n本章说明。\n1. 目的\n(1) 细目\n二、细则", {"exact": 2}, True),
        ("（一）目的\n1. 细目\n2. 细目\n（二）范围", {"exact": 2}, True),
        ("1. Plan\n(1) budget\n(2) staff\n2. Act", {"exact": 2}, True),
        ("1. Plan\n(1) budget\n(2) staff\n2. Act", {"exact": 4}, False),
        ("(1) budget\n(2) staff", {"exact": 2}, True),  # alone, (1) is the top level
    ],
)
def test_numbered(text, params, expected):
    verdict = check(text, "numbered", **params)
    assert verdict.passed is expected, verdict.reason


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("# T\n## A\n## B", {"exact": 3}, True),
        ("# T\n## A\n## B", {"exact": 2, "level": 2}, True),
        ("# T\n## A\n## B", {"exact": 2, "level": 1}, False),
        ("# T\n## A\n## B", {"min": 1, "level": 3}, False),
        ("# T\n## A\n## B", {"max": 2}, False),
        ("###### six", {"exact": 1, "level": 6}, True),
        ("####### seven", {"min": 1}, False),
        ("#hashtag and #another", {"min": 1}, False),
        ("#", {"min": 1}, False),
        ("# Title #", {"exact": 1}, True),
        ("   # three spaces", {"exact": 1}, True),
        ("    # four spaces is code", {"min": 1}, False),
        ("Title\n=====\nSub\n---", {"min": 1}, False),  # setext headings are not ATX
        ("```python\n# a comment\n```", {"min": 1}, False),
        ("```python\n# a comment\n```\n# Real", {"exact": 1}, True),
        ("## 背景\n内容\n## 方法\n内容", {"exact": 2}, True),
        ("## 背景\n内容\n## 方法\n内容", {"exact": 3}, False),
        ("#　标题", {"exact": 1}, True),  # full-width space after #
        ("#背景 没有空格", {"min": 1}, False),
    ],
)
def test_headings(text, params, expected):
    verdict = check(text, "headings", **params)
    assert verdict.passed is expected, verdict.reason


def test_heading_reason_names_the_level():
    assert check("# T\n## A", "headings", exact=2, level=2).reason == (
        "1 level-2 heading; exactly 2 required (2 headings of any level)"
    )


@pytest.mark.parametrize("level", [0, 7])
def test_heading_level_is_1_to_6(level):
    with pytest.raises(ConstraintError, match="level"):
        check("# T", "headings", min=1, level=level)


PY = "```python\nprint(1)\n```"


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        (PY, {}, True),
        ("No code here.", {}, False),
        (PY, {"language": "python"}, True),
        (PY, {"language": "PYTHON"}, True),
        (PY, {"language": " python "}, True),
        (PY, {"language": "js"}, False),
        ("```Python {linenos}\nx\n```", {"language": "python"}, True),
        (PY + "\ntext\n```\nplain\n```", {"exact": 2}, True),
        (PY + "\ntext\n```\nplain\n```", {"exact": 1}, False),
        (PY + "\ntext\n```\nplain\n```", {"max": 1}, False),
        (PY + "\ntext\n```\nplain\n```", {"exact": 1, "language": "python"}, True),
        ("No code here.", {"max": 0}, True),
        ("No code here.", {"exact": 0}, True),
        ("~~~\nx\n~~~", {}, True),
        ("````\n```\ninner\n```\n````", {"exact": 1}, True),
        ("```python\nx = 1", {}, False),  # never closed
        ("```\nx\n~~~", {}, False),  # a tilde line does not close a backtick fence
        ("Use ```code``` inline.", {}, False),
        ("1. Run:\n   ```bash\n   ls\n   ```\n2. Done", {"language": "bash"}, True),
        ("代码如下：\n```python\nprint('你好')\n```", {}, True),
        ("代码如下：print('你好')", {}, False),
        ("代码如下：\n```python\nprint('你好')\n```", {"language": "java"}, False),
    ],
)
def test_code_block(text, params, expected):
    verdict = check(text, "code_block", **params)
    assert verdict.passed is expected, verdict.reason


def test_code_block_reasons_mention_other_and_unclosed_blocks():
    assert check(PY, "code_block", language="js").reason == (
        "0 js code blocks; at least 1 required (1 code block in all; other blocks: 'python')"
    )
    mixed = "```py\nx\n```\n```\ny\n```\n```python\nz\n```"
    assert check(mixed, "code_block", language="python", min=2).reason == (
        "1 python code block; at least 2 required (3 code blocks in all; other blocks: unlabelled, 'py')"
    )
    assert "1 unclosed fence not counted" in check("```\nx", "code_block").reason


def test_code_block_defaults_to_at_least_one_only_without_bounds():
    schema = dict((cid, s) for cid, _, s in ifbench.checkers_catalog())["format.code_block"]
    assert {"min", "max", "exact", "language"} <= set(schema["properties"])
    assert check("none", "code_block", max=0).passed  # max alone does not add min=1
    with pytest.raises(ConstraintError, match="language"):
        check(PY, "code_block", language="two words")


def test_numbered_reason_counts_items_beneath_an_outline_heading_as_nested():
    verdict = check("一、总则\n（一）目的\n（二）范围\n二、细则", "numbered", exact=4)
    assert verdict.reason == "2 numbered items; exactly 4 required (2 nested items not counted)"


def test_the_markdown_reader_keeps_cells_and_info_strings():
    (table,) = markup.tables("| a \\| b | **c** |\n|:-:|--:|\n| 1 | 2 |")
    assert table.header == ("a | b", "**c**") and table.rows == (("1", "2"),)
    (block,) = markup.code_blocks("~~~Python {linenos}\nx\n~~~")
    assert (block.info, block.language, block.body, block.closed) == (
        "Python {linenos}", "python", "x", True,
    )
    items = markup.list_items("1. one\n   - sub\n2. two\n- bullet")
    assert items.ordered == ("one", "two") and items.bullets == ("bullet",) and items.nested == 1
    assert [h.level for h in markup.headings("# a\r\n## b\r### c")] == [1, 2, 3]
