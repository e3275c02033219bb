"""JSON Schema validation that hostile JSON cannot stall: jsonschema with three keywords replaced.

- `pattern`, `patternProperties` (and `additionalProperties`, which re-runs those patterns)
  match with `patterns.search`, under a time limit, instead of `re`, whose backtracking on a
  30-character string can take a minute inside one uninterruptible C call.
- `uniqueItems` hashes a canonical form of each item: jsonschema compares unhashable items
  (objects, arrays) pairwise, a minute and more for 10,000 of them.

jsonschema's `unevaluatedProperties` also runs `patternProperties` with `re`, deep inside its
annotation walk; `uses_unguarded_patterns` lets the parameter check refuse that combination.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import extend, validator_for
from referencing import Registry

from ifbench.checking.patterns import search


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(
    validator: Any, allowed: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    named = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extras = [
        key for key in instance
        if key not in named and not any(search(pattern, key) for pattern in patterns)
    ]
    if validator.is_type(allowed, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], allowed, path=extra)
    elif not allowed and extras:
        listed = ", ".join(repr(extra) for extra in sorted(extras))
        if patterns:
            regexes = ", ".join(repr(pattern) for pattern in sorted(patterns))
            verb = "does" if len(extras) == 1 else "do"
            yield ValidationError(f"{listed} {verb} not match any of the regexes: {regexes}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")


def _canonical(value: Any) -> Any:
    """A hashable form equal for JSON-equal values: 1 and 1.0 alike, True and 1 not, key order ignored."""
    if isinstance(value, dict):
        return ("object", frozenset((key, _canonical(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_canonical(item) for item in value))
    if isinstance(value, bool):
        return ("boolean", value)
    return ("scalar", value)  # str, None, int, float: Python's == is JSON's here


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not (unique and validator.is_type(instance, "array")):
        return
    seen: dict[Any, int] = {}
    for index, item in enumerate(instance):
        first = seen.setdefault(_canonical(item), index)
        if first != index:  # named first: jsonschema's message, the whole array, gets truncated
            yield ValidationError(f"has non-unique elements: items {first} and {index} are equal")
            return


_GUARDED = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "uniqueItems": _unique_items,
}


@lru_cache(maxsize=None)
def _guarded(base: type[Validator]) -> type[Validator]:
    return extend(base, _GUARDED)  # type: ignore[arg-type]


def guarded_validator(schema: dict[str, Any] | bool) -> Validator:
    """A validator for `schema` in its dialect (Draft 2020-12 by default) with the keywords above
    replaced; remote `$ref`s are never fetched."""
    base = validator_for(schema, default=Draft202012Validator)
    return _guarded(base)(schema, registry=Registry())


def uses_unguarded_patterns(schema: Any) -> bool:
    """Whether the schema has both `unevaluatedProperties` and `patternProperties` (anywhere)."""
    keys = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            keys.update(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return {"unevaluatedProperties", "patternProperties"} <= keys
