"""JSON output: the whole response parses as JSON (optionally fenced) and matches a JSON Schema."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match
from jsonschema.validators import validator_for
from pydantic import field_validator
from referencing.exceptions import Unresolvable

from ifbench.checkers.native._json_schema import guarded_validator, uses_unguarded_patterns
from ifbench.checking.base import Conflict, Context, Example, LintHints, Params, Verdict
from ifbench.checking.patterns import PatternTimeout
from ifbench.checking.registry import checker
from ifbench.checking.text import fold, truncate

_TYPE_NAMES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
_LATEST = "https://json-schema.org/draft/2020-12/schema"


def _valid_schema(schema: dict[str, Any] | bool | None) -> dict[str, Any] | bool | None:
    """`schema` if it is a valid JSON Schema of a known dialect; ValueError saying why not."""
    if isinstance(schema, dict) and "$schema" in schema:
        dialect = schema["$schema"]
        if not isinstance(dialect, str) or validator_for(schema, default=None) is None:
            raise ValueError(f"unknown $schema {dialect!r}; use e.g. '{_LATEST}'")
    if schema is not None:
        try:
            validator_for(schema, default=Draft202012Validator).check_schema(schema)
        except SchemaError as error:
            message = f"{error.json_path}: {truncate(error.message, 120)}"
            raise ValueError(f"not a valid JSON Schema: {message}") from None
    if uses_unguarded_patterns(schema):
        raise ValueError(
            "unevaluatedProperties together with patternProperties is not supported (jsonschema "
            "would run the patterns with no time limit); use additionalProperties instead"
        )
    return schema


# The contract's parameter is `schema`, which shadows pydantic's deprecated `BaseModel.schema()`;
# an instance's `schema` is the field value, so the warning is moot (an alias would make
# error messages name the Python field instead of the parameter).
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", 'Field name "schema"', UserWarning)

    class JsonParams(Params):
        schema: dict[str, Any] | bool | None = None
        """A JSON Schema the value must match (Draft 2020-12 unless `$schema` says otherwise;
        `format` is an annotation only; remote `$ref`s are never fetched)."""
        fence: Literal["allow", "forbid", "require"] = "allow"
        """Whether the JSON may (`allow`), must not (`forbid`) or must (`require`) be wrapped in
        one ```json (or bare ```) fence."""

        _schema_is_valid = field_validator("schema")(_valid_schema)


def _unfence(text: str) -> tuple[str, str | None, int]:
    """(body, fence info string or None if unfenced, lines before the body) of trimmed `text`."""
    if len(text) < 6 or not (text.startswith("```") and text.endswith("```")):
        return text, None, 0
    first, newline, rest = text[3:-3].partition("\n")
    if not newline:  # ```{"a": 1}``` on one line
        return first, "", 0
    info = first.strip()
    return (text, None, 0) if "`" in info else (rest, info, 1)


def _fence_problem(text: str) -> str | None:
    """Why trimmed `text`, which is not one fenced block, is not JSON alone: text before the
    fence, an opening fence never closed, text after the closing fence; None without a fence."""
    lines = text.split("\n")
    fences = [number for number, line in enumerate(lines) if line.lstrip().startswith("```")]
    if not fences:
        return None
    problems = []
    first = lines[fences[0]].strip()
    if fences[0] > 0:
        problems.append(f"text before the {truncate(first, 20)} fence ('{truncate(' '.join(lines[: fences[0]]), 40)}')")
    if len(fences) == 1:
        problems.append(f"the {truncate(first, 20)} fence is never closed")
    elif after := " ".join(lines[fences[1] + 1 :]).strip():
        problems.append(f"text after the closing ``` ('{truncate(after, 40)}')")
    return "; ".join(problems) or f"{len(fences)} fences"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _fail(reason: str) -> Verdict:
    return Verdict(passed=False, reason=reason)


def _decode_error(error: json.JSONDecodeError, body: str, lines: int, columns: int) -> str:
    """The parse error, located in the response (`lines`/`columns` were trimmed before `body`)."""
    where = f"line {error.lineno + lines}:{error.colno + (columns if error.lineno == 1 else 0)}"
    if error.msg == "Extra data":
        after = truncate(body[error.pos :], 40)
        return f"not valid JSON: extra text after the JSON value at {where} ('{after}')"
    return f"not valid JSON: {error.msg} at {where}"


# Markdown structures a reply that is one JSON document cannot hold.
NOT_IN_JSON = ("format.table", "format.bullets", "format.numbered", "format.headings",
               "format.postscript", "format.two_responses")


def _requested_fields(params: JsonParams, prompt: str) -> Iterator[str]:
    """Every field the schema requires must be named in the prompt."""
    for name in sorted(_required_fields(params.schema)):
        if fold(name).strip() not in fold(prompt):
            yield f"JSON field {name!r} does not appear in the prompt"


def _required_fields(schema: Any) -> set[str]:
    """Every property name a JSON Schema lists as required, at any depth."""
    if isinstance(schema, list):
        return set().union(*map(_required_fields, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    names = {name for name in schema.get("required", []) if isinstance(name, str)}
    return names.union(*(_required_fields(value) for value in schema.values()))


@checker(
    "format.json",
    JsonParams,
    examples=[
        Example('```json\n{"name": "Ann"}\n```', {"schema": {"required": ["name"]}}, True),
        Example('{"name": "Ann", "age": 31,}', {}, False),
        Example(
            '{"城市": "北京", "人口": 2189}',
            {"schema": {"properties": {"人口": {"type": "integer"}}}},
            True,
        ),
        Example('{"城市": "北京"}\n以上是结果。', {}, False),
    ],
    lint=LintHints(
        cues=("json",),
        conflicts=tuple(
            Conflict(other, "format-conflict", f"format.json requires the whole reply to be JSON, which cannot hold {other}")
            for other in NOT_IN_JSON
        ),
        requested=_requested_fields,
    ),
)
def format_json(response: str, params: JsonParams, context: Context) -> Verdict:
    """The whole response (one ```json fence allowed) is JSON that matches `schema`, if given."""
    text = response.strip()
    skipped = response[: len(response) - len(response.lstrip())]
    body, info, fence_lines = _unfence(text)
    if info is not None and info.casefold() not in ("", "json"):
        return _fail(f"fenced as ```{truncate(info, 20)}; only ```json or a bare ``` fence is JSON")
    if info is not None and params.fence == "forbid":
        return _fail(f"fenced in ```{info} but fence: forbid")
    if info is None and params.fence == "require":
        return _fail("not fenced in ```json but fence: require")
    try:
        value = json.loads(body, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        lines = skipped.count("\n") + fence_lines
        columns = 0 if fence_lines else len(skipped) - skipped.rfind("\n") - 1
        problem = _fence_problem(text) if info is None and "```" in text else None
        if problem is not None:
            return _fail(
                f"not JSON alone: {problem}; nothing but the JSON "
                "(and one fence around all of it) may be in the response"
            )
        return _fail(_decode_error(error, body, lines, columns))
    except RecursionError:
        return _fail("not checked: the JSON is nested too deeply to parse (recursion limit)")
    except ValueError as error:  # NaN/Infinity, integers too long to convert
        return _fail(f"not valid JSON: {truncate(str(error), 80)}")
    measured = f"valid JSON {_TYPE_NAMES.get(type(value), 'number')}"
    schema = params.schema
    if schema is None:
        return Verdict(passed=True, reason=f"{measured}; no schema required")
    try:
        error = best_match(guarded_validator(schema).iter_errors(value))
    except Unresolvable as problem:
        return _fail(
            "not checked: the schema has a $ref that cannot be resolved (remote references "
            f"are not fetched): {truncate(str(problem), 80)}"
        )
    except RecursionError:
        return _fail("not checked: the JSON is nested too deeply to validate (recursion limit)")
    except PatternTimeout as slow:
        return _fail(f"schema pattern {slow}; treated as not matching")
    if error is not None:
        message = truncate(error.message, 120)
        return _fail(f"JSON does not match the schema: {error.json_path}: {message}")
    return Verdict(passed=True, reason=f"{measured}; matches the schema")
