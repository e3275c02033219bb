"""`ifbench checkers [ID]`: the catalog, or one checker with its parameters, hints and examples."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.table import Table
from rich.text import Text

from ifbench.checking.base import Checker
from ifbench.checking.registry import all_checkers, get_checker
from ifbench.cli.output import literal, out


def add_parser(commands: Any) -> None:
    checkers = commands.add_parser("checkers", help="list checkers, or show one with its parameters")
    checkers.add_argument("id", nargs="?", metavar="ID")
    checkers.add_argument("--json", action="store_true", help="print JSON (with parameter schemas)")
    checkers.set_defaults(handler=cmd_checkers)


def cmd_checkers(args: argparse.Namespace) -> int:
    if args.id is None:
        if args.json:
            catalog = [
                {"id": c.id, "description": c.description, "params": c.params_schema()}
                for c in all_checkers()
            ]
            out.print_json(json.dumps(catalog, ensure_ascii=False))
            return 0
        table = Table("id", "description", box=None)
        for spec in all_checkers():
            table.add_row(literal(spec.id), literal(spec.description))
        out.print(table)
        return 0
    spec = get_checker(args.id)
    if args.json:
        out.print_json(json.dumps({"id": spec.id, "description": spec.description,
                                   "params": spec.params_schema()}, ensure_ascii=False))
        return 0
    out.print(Text.assemble(literal(spec.id, "bold"), ": ", literal(spec.description)))
    if spec.languages is not None:
        out.print(literal(f"Applies to tasks in: {', '.join(sorted(spec.languages))}"))
    for line in _lint_lines(spec):
        out.print(literal(line))
    schema = spec.params_schema()
    required = set(schema.get("required", []))
    params = Table("parameter", "type", "default", "meaning", box=None)
    for name, field in schema.get("properties", {}).items():
        default = "(required)" if name in required else json.dumps(field.get("default"), ensure_ascii=False)
        params.add_row(*map(literal, (name, _type_name(field, schema), default, field.get("description", ""))))
    out.print(params if schema.get("properties") else "No parameters.")
    if spec.examples:
        out.print("\nExamples:")
        for example in spec.examples:
            mark = "passes" if example.passes else "fails "
            constraint = json.dumps({"id": spec.id, **example.params}, ensure_ascii=False)
            out.print(literal(f"  {mark}  {constraint}  on  {json.dumps(example.response, ensure_ascii=False)}"))
    return 0


def _lint_lines(spec: Checker[Any]) -> list[str]:
    """What `ifbench lint` and validation know of the checker, as its registration declares."""
    hints = spec.lint
    lines = []
    if hints.cues:
        lines.append("Lint: a prompt asks for it with words like " + ", ".join(map(repr, hints.cues)))
    for conflict in hints.conflicts:
        lines.append(f"Lint [{conflict.rule}]: conflicts with {conflict.other}")
    if spec.bounded:
        apart = f" (told apart by '{hints.distinct_by}')" if hints.distinct_by else ""
        lines.append(f"Lint [bounds-conflict]: count bounds compared with the turn's other {spec.id}{apart}")
    for other, why in hints.at_most:
        lines.append(f"Lint [bounds-conflict]: never counts more than {other} ({why})")
    if spec.children is not None:
        lines.append("Holds nested constraints: validated, linted and counted like top-level ones")
    return lines


def _type_name(field: dict[str, Any], schema: dict[str, Any]) -> str:
    if "anyOf" in field:
        return " | ".join(_type_name(option, schema) for option in field["anyOf"])
    if "$ref" in field:
        return field["$ref"].rsplit("/", 1)[-1]
    if "enum" in field:
        return " | ".join(json.dumps(v) for v in field["enum"])
    if field.get("type") == "array":
        return f"list[{_type_name(field.get('items', {}), schema)}]"
    return str(field.get("type", "any"))
