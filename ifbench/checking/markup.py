"""Markdown structure, read line by line: fenced code blocks, tables, list items, ATX headings.

Hand-written and linear-time (line-anchored regular expressions that cannot backtrack
beyond one line; Python code runs only for candidate lines), so 10 MB responses,
10,000-column tables and unbalanced fences are cheap. It follows CommonMark/GFM where
that matters for counting and is lenient where models are sloppy:

- A fence is 3+ backticks or tildes; a backtick fence's info string has no backtick. It
  may be indented by any amount (models nest code blocks in list items). It closes at a
  line holding only the same character, at least as many times. An unclosed fence runs
  to the end, as in CommonMark: its lines are code, but it is not a closed block.
- Lines inside fenced code (fences included) are never list items, headings or tables.
  Only `\\n`, `\\r\\n` and `\\r` end a line; a leading tab counts as 4 spaces.
- A table is a header row and a delimiter row (cells like `---`, `:--`, `:-:`), both with
  an unescaped `|` and the same number of cells; its body is the following lines that
  hold an unescaped `|`. Leading/trailing pipes are optional; `\\|` is a literal pipe.
- A list item is a bullet (`- * +` then a space, or `•`) or an ordered marker (`1.` `1)`
  then a space or a CJK character; `1、` `（1）` `(1)` `一、` `（一）`). It is top-level
  unless it is indented deeper than the list's first item; a non-item line at the list's
  indentation ends the list. The ideographic space U+3000 is typographic paragraph
  indentation in Chinese, not markdown nesting, so it does not count as indentation.
- Ordered markers also nest by outline level, as Chinese documents number them (GB/T 9704):
  `一、` above `（一）` above `1.` `1)` `1、` above `（1）` `(1)`. An ordered item is nested when
  an earlier top-level ordered item in the text has a higher level, at any indentation:
  `一、总则\n（一）目的\n（二）范围\n二、细则` has 2 top-level items and 2 nested ones.
- A heading is `#`..`######`, then a space and some text (`#hashtag` is not one).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_LEADING_TABS = re.compile(r"^[ \t]*\t", re.MULTILINE)
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
_THEMATIC_BREAK = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*")
_SPACE = r"[ \t\u3000]"
_CN_NUMERAL = "[一二三四五六七八九十百零〇]+"
LIST_ITEM = re.compile(
    r"^( *)\u3000*(?:"
    rf"(?P<bullet>[-*+]{_SPACE}+|•{_SPACE}*)"
    rf"|(?P<ordered>(?:\d{{1,9}}[.)．](?:{_SPACE}+|(?=[\u4e00-\u9fff]))"  # 1. 1) and 1.中文
    rf"|\d{{1,9}}、|{_CN_NUMERAL}、"  # 1、 一、
    rf"|[（(](?:\d{{1,9}}|{_CN_NUMERAL})[)）]){_SPACE}*)"  # （1） (1) （一）
    r")(?=\S)",
    re.MULTILINE,
)
# Outline levels of ordered markers, highest first (see the module docstring).
_OUTLINE_LEVELS = (
    re.compile(rf"{_CN_NUMERAL}、"),
    re.compile(rf"[（(]{_CN_NUMERAL}[)）]"),
    re.compile(r"\d{1,9}[.)．、]"),
)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t\u3000]+([^\n]*))?$", re.MULTILINE)
_DELIMITER_ROW = re.compile(r"^[ \t:-]*\|[ \t|:-]*$", re.MULTILINE)
_DELIMITER_CELL = re.compile(r":?-+:?")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_INLINE_CODE = re.compile(r"`[^`\n]*`")


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block."""

    info: str
    """The info string after the opening fence, e.g. `python {linenos}`."""
    body: str
    closed: bool
    """False when the fence is never closed (the block runs to the end)."""

    @property
    def language(self) -> str:
        """The first word of the info string, lower-cased (`python`); empty if none."""
        return self.info.split(maxsplit=1)[0].casefold() if self.info.strip() else ""


@dataclass(frozen=True)
class Table:
    """A GitHub-style table: header cells and body rows, cells trimmed and unescaped."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class ListItems:
    """List items by kind; nested items are counted but kept apart."""

    bullets: tuple[str, ...]
    """Top-level bullet items, marker removed."""
    ordered: tuple[str, ...]
    """Top-level ordered items, marker removed."""
    nested: int
    """Items (of either kind) nested under another item."""


@dataclass(frozen=True)
class Document:
    """A text split into lines, with every line of fenced code (fences included) blanked."""

    lines: tuple[str, ...]
    """The lines outside code as they are; the lines of fenced code as empty strings."""
    prose: str
    """The lines joined: the text without fenced code, line numbers kept."""
    code_blocks: tuple[CodeBlock, ...]


def _expand_leading_tabs(match: re.Match[str]) -> str:
    return match.group().expandtabs(4)


def parse(text: str) -> Document:
    """Separate fenced code from prose; `\\r\\n` and `\\r` become `\\n`, leading tabs 4 spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = _LEADING_TABS.sub(_expand_leading_tabs, text)
    lines = text.split("\n")
    if "```" not in text and "~~~" not in text:
        return Document(tuple(lines), text, ())
    blocks: list[CodeBlock] = []
    opening: tuple[str, str, int] | None = None  # fence, info string, line number
    number, position = 0, 0
    for match in _FENCE_LINE.finditer(text):
        number += text.count("\n", position, match.start())
        position = match.start()
        fence, rest = match.groups()
        if opening is None:
            if not (fence[0] == "`" and "`" in rest):
                opening = (fence, rest.strip(), number)
        elif fence[0] == opening[0][0] and len(fence) >= len(opening[0]) and not rest.strip():
            start = opening[2]
            blocks.append(CodeBlock(opening[1], "\n".join(lines[start + 1 : number]), closed=True))
            lines[start : number + 1] = [""] * (number + 1 - start)
            opening = None
    if opening is not None:
        start = opening[2]
        blocks.append(CodeBlock(opening[1], "\n".join(lines[start + 1 :]), closed=False))
        lines[start:] = [""] * (len(lines) - start)
    return Document(tuple(lines), "\n".join(lines), tuple(blocks))


def prose_text(text: str) -> str:
    """The text without fenced code blocks and without inline `code` spans."""
    return _INLINE_CODE.sub("", parse(text).prose)


def code_blocks(text: str) -> tuple[CodeBlock, ...]:
    return parse(text).code_blocks


def _cells(line: str) -> list[str] | None:
    """The cells of a table row; None if the line has no unescaped pipe."""
    row = line.strip()
    parts = _UNESCAPED_PIPE.split(row)
    if len(parts) == 1:
        return None
    if row.startswith("|"):
        parts = parts[1:]
    if parts and row.endswith("|") and not row.endswith("\\|"):
        parts = parts[:-1]
    return [part.strip().replace("\\|", "|") for part in parts]


def tables(text: str) -> list[Table]:
    """Every GitHub-style table outside fenced code, in order."""
    document = parse(text)
    lines, prose = document.lines, document.prose
    found: list[Table] = []
    number, position, next_free = 0, 0, 0  # next_free: first line not in a found table
    for match in _DELIMITER_ROW.finditer(prose):
        number += prose.count("\n", position, match.start())
        position = match.start()
        if number < max(next_free, 1) or "-" not in match.group():
            continue
        width = _cells(match.group())
        header = _cells(lines[number - 1])
        if not width or not header or len(header) != len(width):
            continue
        if not all(_DELIMITER_CELL.fullmatch(cell) for cell in width):
            continue
        rows = []
        next_free = number + 1
        while next_free < len(lines) and (row := _cells(lines[next_free])) is not None:
            rows.append(tuple(row))
            next_free += 1
        found.append(Table(tuple(header), tuple(rows)))
    return found


def list_items(text: str) -> ListItems:
    """Top-level bullet and ordered items outside fenced code (thematic breaks are not items)."""
    prose = parse(text).prose
    outline = len(_OUTLINE_LEVELS)  # the highest outline level of a top-level ordered item so far
    bullets: list[str] = []
    ordered: list[str] = []
    nested = 0
    base: int | None = None  # indentation of the current list's top-level items
    outdented = None  # finds a non-item line that ends the current list
    gap = 0  # where the lines after the previous item start
    for match in LIST_ITEM.finditer(prose):
        indent = len(match.group(1))
        if outdented is not None and outdented.search(prose, gap, match.start()):
            base = outdented = None
        end = prose.find("\n", match.end())
        end = len(prose) if end < 0 else end
        gap = end + 1
        bullet = match.group("bullet")
        if bullet and prose[match.end()] == bullet[0] and _THEMATIC_BREAK.fullmatch(
            prose[match.start() : end].strip()
        ):
            if base is not None and indent <= base:
                base = outdented = None
            continue
        if base is not None and indent > base:
            nested += 1
            continue
        if base != indent:
            base, outdented = indent, _outdented(indent)
        if not bullet:
            level = _outline_level(match.group("ordered"))
            if level > outline:
                nested += 1
                continue
            outline = level
        (bullets if bullet else ordered).append(prose[match.end() : end].strip())
    return ListItems(tuple(bullets), tuple(ordered), nested)


def _outline_level(marker: str) -> int:
    """0 for `一、`, 1 for `（一）`, 2 for `1.` `1)` `1、`, 3 for `（1）` `(1)`."""
    marker = marker.strip(" \t\u3000")
    for level, pattern in enumerate(_OUTLINE_LEVELS):
        if pattern.fullmatch(marker):
            return level
    return len(_OUTLINE_LEVELS)


@functools.lru_cache(maxsize=64)
def _outdented(indent: int) -> re.Pattern[str]:
    """Matches a non-blank line indented by at most `indent` spaces."""
    return re.compile(rf"^ {{0,{indent}}}\u3000*\S", re.MULTILINE)


def headings(text: str) -> list[Heading]:
    """ATX headings with text, outside fenced code; `#hashtag` and `#######` are not headings."""
    found: list[Heading] = []
    for match in _HEADING.finditer(parse(text).prose):
        content = (match.group(2) or "").strip()
        closing = content.rstrip("#")  # `## Title ##`: the closing run is not text
        if closing != content and (not closing or closing[-1] in " \t\u3000"):
            content = closing.strip()
        if content:
            found.append(Heading(len(match.group(1)), content))
    return found
