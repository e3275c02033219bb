"""A YAML task file read once, safely: Python values plus the line of every node, and every problem.

The text is composed into a node tree once, by libyaml's C parser when PyYAML was built with it
(`yaml.__with_libyaml__`), else by the pure-Python one. `Reader` then builds the Python values from
those same nodes, so line numbers come for free, and records a `path:line: ...` problem for what a
task file must not hold:

- aliases (`*name`) and merge keys (`<<:`). A task file writes every value out (STYLE rule 4), so
  an alias bomb cannot expand ("billion laughs": a few hundred bytes that unfold into 10^9
  strings) and a merge cannot hide keys. Refusing them costs one look at each distinct node.
- the same key twice in one mapping (the first is kept and the second reported, not silently
  overwritten);
- nesting deeper than MAX_DEPTH levels, integers longer than MAX_INT_DIGITS digits (Python refuses
  to convert them), values the tag cannot build (`2024-02-30`, `!custom`), strings with lone
  surrogates (the pure-Python parser lets a `"\\ud800"` escape through).
"""

from __future__ import annotations

from typing import Any

import yaml

LOADER: type = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
MAX_DEPTH = 100
"""Levels of nested lists and mappings a task file may use (libyaml itself stops at 1000)."""
MAX_INT_DIGITS = 4300
"""Python's default limit on converting digits to an int (`sys.get_int_max_str_digits`)."""

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
MERGE_TAG = "tag:yaml.org,2002:merge"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"


def compose(text: str) -> yaml.Node | None:
    """The document's node tree (None for an empty document); YAMLError or RecursionError if unreadable."""
    loader = LOADER(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class Reader:
    """Builds Python values from the nodes of one file and collects its problems as `path:line: ...`."""

    def __init__(self, path: object):
        self.path = path
        self.problems: list[str] = []
        self.unreadable = 0
        """How many values could not be built (an entry holding one is not validated further)."""
        self._constructor = LOADER("")  # builds scalars other than plain strings; never parses
        self._seen: set[int] = set()
        self._alias_lines: set[int] = set()

    def problem(self, line: int, message: str, *, unreadable: bool = False) -> None:
        self.problems.append(f"{self.path}:{line}: {message}")
        self.unreadable += unreadable

    def value(self, node: yaml.Node, depth: int = 0, line: int | None = None) -> Any:
        """The Python value of `node`; `line` is where the reference to it is written (for aliases)."""
        if id(node) in self._seen:
            where = line if line is not None else line_of(node)
            if where in self._alias_lines:  # one report per line: a bomb is dozens of aliases in a row
                self.unreadable += 1
                return None
            self._alias_lines.add(where)
            self.problem(where, f"a YAML alias repeats the value anchored on line {line_of(node)}; "
                                "aliases are not allowed in task files, write the value out", unreadable=True)
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problem(line_of(node), f"nested more than {MAX_DEPTH} levels deep", unreadable=True)
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if node.tag not in (SEQ_TAG, MAP_TAG):
            self.problem(line_of(node), f"the YAML tag {node.tag!r} is not allowed in task files", unreadable=True)
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, depth + 1, _item_line(node, index)) for index, item in enumerate(node.value)]
        return self.mapping(node, depth)

    def mapping(self, node: yaml.MappingNode, depth: int = 0) -> dict[Any, Any]:
        """A mapping's value, keeping the first of keys given twice; also records each key's line."""
        result: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = line_of(key_node)
            if key_node.tag == MERGE_TAG:
                self._seen.add(id(key_node))
                self.problem(line, "merge keys ('<<') are not allowed in task files; write the keys out",
                             unreadable=True)
                continue
            key = self.value(key_node, depth + 1, line)
            value = self.value(value_node, depth + 1, line)
            try:
                first = lines.get(key)
            except TypeError:
                self.problem(line, f"a mapping key must be a plain value, not a {type(key).__name__}",
                             unreadable=True)
                continue
            if first is not None:
                self.problem(line, f"duplicate key {_short(key)} (first given on line {first}); "
                                   "a mapping gives each key once")
                continue
            result[key], lines[key] = value, line
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == STR_TAG:
            value = node.value
        elif node.tag == INT_TAG and len(node.value) > MAX_INT_DIGITS:
            self.problem(line_of(node), f"an integer of {len(node.value)} digits is too long "
                                        f"(at most {MAX_INT_DIGITS})", unreadable=True)
            return None
        else:
            try:
                value = self._constructor.construct_object(node, deep=True)
                self._constructor.constructed_objects.pop(node, None)
            except (yaml.YAMLError, ValueError, OverflowError) as error:
                reason = getattr(error, "problem", None) or error
                self.problem(line_of(node), f"cannot read the value {_short(node.value)}: {reason}",
                             unreadable=True)
                return None
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                self.problem(line_of(node), f"the text holds a lone surrogate {value[error.start]!r}, "
                                            "which is not a character; remove or replace it", unreadable=True)
                return None
        return value


def _item_line(sequence: yaml.SequenceNode, index: int) -> int:
    """Where item `index` of a sequence is written; for an alias only its neighbours tell."""
    if index == 0:
        return line_of(sequence)
    end = sequence.value[index - 1].end_mark
    if sequence.flow_style or end.column == 0:  # same line, or the previous item ended at a line break
        return end.line + 1
    return end.line + 2


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
