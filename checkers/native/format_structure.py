"""Markdown structure constraints: tables, bullet and numbered lists, headings, code blocks."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from ifbench.checking import markup
from ifbench.checking.base import (
    Context,
    CountParams,
    Example,
    LintHints,
    Params,
    Verdict,
    plural,
)
from ifbench.checking.registry import checker
from ifbench.checking.text import normalize, truncate


def _noted(verdict: Verdict, notes: list[str]) -> Verdict:
    """`verdict` with `(note; note)` appended to its reason, if there are notes."""
    if not notes:
        return verdict
    return Verdict(passed=verdict.passed, reason=f"{verdict.reason} ({'; '.join(notes)})")


class TableParams(Params):
    rows: int | None = Field(default=None, ge=0)
    """Exactly this many body rows (the header and delimiter rows are not counted)."""
    min_rows: int | None = Field(default=None, ge=0)
    """At least this many body rows."""
    max_rows: int | None = Field(default=None, ge=0)
    """At most this many body rows."""
    columns: int | None = Field(default=None, ge=1)
    """Exactly this many header cells."""
    headers: tuple[str, ...] = ()
    """Names that must all be header cells (case-insensitive; `**emphasis**` is ignored)."""

    @field_validator("headers")
    @classmethod
    def _headers_not_blank(cls, headers: tuple[str, ...]) -> tuple[str, ...]:
        if any(not _header_key(name) for name in headers):
            raise ValueError("header names must not be blank")
        return headers

    @model_validator(mode="after")
    def _rows_make_sense(self) -> TableParams:
        low, high = self.min_rows, self.max_rows
        if low is not None and high is not None and low > high:
            raise ValueError(f"'min_rows' ({low}) is greater than 'max_rows' ({high})")
        rows = self.rows
        if rows is not None and not (low or 0) <= rows <= (rows if high is None else high):
            raise ValueError(f"'rows' ({rows}) contradicts 'min_rows'/'max_rows'")
        return self

    def row_bounds(self) -> CountParams | None:
        if self.rows is None and self.min_rows is None and self.max_rows is None:
            return None
        return CountParams(exact=self.rows, min=self.min_rows, max=self.max_rows)


def _header_key(name: str) -> str:
    """`**Name** ` -> `name`: how header cells are compared."""
    return " ".join(normalize(name).strip("*_`~ \t").split()).casefold()


def _requirements(params: TableParams) -> list[str]:
    """What the table must have, in words: `2 body rows`, `header 'Name'`."""
    wanted = []
    bounds = params.row_bounds()
    if bounds is not None:
        wanted.append(f"body rows: {bounds.requirement()}")
    if params.columns is not None:
        wanted.append(f"columns: exactly {params.columns} required")
    wanted += [f"header '{truncate(name, 30)}' required" for name in params.headers]
    return wanted


def _unmet(params: TableParams, table: markup.Table) -> list[str]:
    """What `table` lacks, in words: `missing header 'City'`, `body rows: exactly 5 required`."""
    unmet = []
    keys = {_header_key(cell) for cell in table.header}
    missing = [f"'{truncate(name, 30)}'" for name in params.headers if _header_key(name) not in keys]
    if missing:
        unmet.append(f"missing header{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    bounds = params.row_bounds()
    if bounds is not None and not bounds.contains(len(table.rows)):
        unmet.append(f"body rows: {bounds.requirement()}")
    if params.columns is not None and len(table.header) != params.columns:
        unmet.append(f"columns: exactly {params.columns} required")
    return unmet


@checker(
    "format.table",
    TableParams,
    examples=[
        Example(
            "| Name | Age |\n|:---|---:|\n| Ann | 31 |\n| Bo | 42 |",
            {"rows": 2, "headers": ["name"]},
            True,
        ),
        Example("| Name | Age |\n|---|---|\n| Ann | 31 |", {"rows": 2}, False),
        Example(
            "| 城市 | 人口 |\n| --- | --- |\n| 北京 | 2189万 |\n| 上海 | 2487万 |",
            {"columns": 2, "headers": ["城市"]},
            True,
        ),
        Example("城市：北京、上海\n人口：2189万、2487万", {"min_rows": 1}, False),
    ],
    lint=LintHints(cues=("table", "表")),
)
def format_table(response: str, params: TableParams, context: Context) -> Verdict:
    """Some GitHub-style markdown table has the required body rows, columns and header names."""
    found = markup.tables(normalize(response))
    required = "; ".join(_requirements(params))
    if not found:
        return Verdict(passed=False, reason=f"no markdown table found; {required or 'a table required'}")
    problems = [_unmet(params, table) for table in found]
    best = min(range(len(found)), key=lambda i: len(problems[i]))
    table = found[best]
    where = f"table {best + 1}" + (f" of {len(found)}" if len(found) > 1 else "")
    size = f"{plural(len(table.rows), 'body row')} × {plural(len(table.header), 'column')}"
    cells = truncate(" | ".join(table.header), 60)
    measured = f"{where}: {size}, header cells {cells}"
    if problems[best]:
        return Verdict(passed=False, reason=f"{measured}; {'; '.join(problems[best])}")
    met = f"meets every requirement ({required})" if required else "any table accepted"
    return Verdict(passed=True, reason=f"{measured}; {met}")


def _nested_note(items: markup.ListItems) -> list[str]:
    return [f"{plural(items.nested, 'nested item')} not counted"] if items.nested else []


@checker(
    "format.bullets",
    CountParams,
    examples=[
        Example("Pros:\n- fast\n- cheap\n  - really cheap\n- simple", {"exact": 3}, True),
        Example("* fast\n* cheap", {"min": 3}, False),
        Example("优点：\n• 快\n• 便宜\n• 简单", {"exact": 3}, True),
        Example("优点：快、便宜、简单。", {"min": 1}, False),
    ],
    lint=LintHints(cues=("bullet", "list", "列表", "列出", "清单", "要点", "项目符号", "分点", "- ", "“-”", "•")),
)
def format_bullets(response: str, params: CountParams, context: Context) -> Verdict:
    """The number of top-level `-` `*` `+` `•` list items is within bounds (nested ones aside)."""
    items = markup.list_items(normalize(response))
    return _noted(params.judge(len(items.bullets), "bullet item"), _nested_note(items))


@checker(
    "format.numbered",
    CountParams,
    examples=[
        Example("1. Boil water.\n2. Add tea.\n3. Wait.", {"exact": 3}, True),
        Example("1) Boil water.\n2) Add tea.", {"min": 3}, False),
        Example("一、烧水\n二、放茶叶\n三、等待", {"exact": 3}, True),
        Example("（1）烧水\n（2）放茶叶", {"exact": 3}, False),
    ],
    lint=LintHints(cues=("number", "list", "step", "编号", "序号", "列出", "列表", "步骤", "1.")),
)
def format_numbered(response: str, params: CountParams, context: Context) -> Verdict:
    """The number of top-level ordered items (`1.` `1)` `1、` `（1）` `一、`) is within bounds."""
    items = markup.list_items(normalize(response))
    return _noted(params.judge(len(items.ordered), "numbered item"), _nested_note(items))


class HeadingParams(CountParams):
    level: int | None = Field(default=None, ge=1, le=6)
    """Count only headings of this level (1 for `#`, 2 for `##`, ...); any level if absent."""


@checker(
    "format.headings",
    HeadingParams,
    examples=[
        Example("# Report\n## Method\n## Results", {"exact": 2, "level": 2}, True),
        Example("#summary\nNo headings here.", {"min": 1}, False),
        Example("## 背景\n内容\n## 结论\n内容", {"exact": 2}, True),
        Example("```\n# 这是注释\n```\n正文", {"min": 1}, False),
    ],
    lint=LintHints(distinct_by="level", cues=("heading", "header", "section", "标题", "#")),
)
def format_headings(response: str, params: HeadingParams, context: Context) -> Verdict:
    """The number of markdown ATX headings (`#`..`######`, of `level` if given) is within bounds."""
    found = markup.headings(normalize(response))
    if params.level is None:
        return params.judge(len(found), "heading")
    counted = sum(1 for heading in found if heading.level == params.level)
    notes = [f"{plural(len(found), 'heading')} of any level"] if len(found) != counted else []
    return _noted(params.judge(counted, f"level-{params.level} heading"), notes)


class CodeBlockParams(CountParams):
    """Bounds on the number of code blocks; with no bound given, at least one is required."""

    min: int | None = Field(default=None, ge=0)
    """At least this many blocks; 1 when no bound is given at all."""
    language: str | None = None
    """Count only blocks whose info string starts with this word, e.g. `python` (any case)."""

    @model_validator(mode="before")
    @classmethod
    def _at_least_one_by_default(cls, data: Any) -> Any:
        bounds = ("exact", "min", "max")
        if isinstance(data, dict) and all(data.get(name) is None for name in bounds):
            return {**data, "min": 1}
        return data

    @field_validator("language")
    @classmethod
    def _language_is_a_word(cls, language: str | None) -> str | None:
        if language is not None and len(language.split()) != 1:
            raise ValueError("give one word, like 'python'")
        return language.strip() if language is not None else None


@checker(
    "format.code_block",
    CodeBlockParams,
    examples=[
        Example("Run this:\n```python\nprint('hi')\n```", {"language": "Python"}, True),
        Example("Run this:\n```bash\nls\n```", {"language": "python"}, False),
        Example("示例：\n```js\nconsole.log('你好')\n```\n以及：\n~~~\nls\n~~~", {"exact": 2}, True),
        Example("示例：\n```js\nconsole.log('你好')", {}, False),
    ],
    lint=LintHints(distinct_by="language", cues=("code", "代码", "```")),
)
def format_code_block(response: str, params: CodeBlockParams, context: Context) -> Verdict:
    """The number of closed fenced code blocks (of that `language`) is within bounds (default: 1+)."""
    blocks = markup.code_blocks(normalize(response))
    closed = [block for block in blocks if block.closed]
    unclosed = len(blocks) - len(closed)
    notes = [f"{plural(unclosed, 'unclosed fence')} not counted"] if unclosed else []
    if params.language is None:
        return _noted(params.judge(len(closed), "code block"), notes)
    language = params.language.casefold()
    counted = sum(1 for block in closed if block.language == language)
    if counted != len(closed):
        others = sorted({block.language for block in closed} - {language})
        labels = truncate(", ".join(f"'{other}'" if other else "unlabelled" for other in others))
        notes.insert(0, f"{plural(len(closed), 'code block')} in all; other blocks: {labels}")
    return _noted(params.judge(counted, f"{params.language} code block"), notes)
