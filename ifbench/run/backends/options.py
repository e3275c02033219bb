"""The command line's backend options as text -> values: engine arguments, HTTP headers, extra body."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ifbench.errors import BackendError


def parse_engine_args(items: Sequence[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings -> a dict; values are read as JSON when they parse (2, true, null)."""
    args: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BackendError(f"engine argument {item!r} is not KEY=VALUE")
        try:
            args[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            args[key.strip()] = value
    return args


def parse_headers(items: Sequence[str]) -> dict[str, str]:
    """`Name: value` strings -> a dict of extra HTTP headers."""
    headers: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        name, sep, value = item.partition(":")
        if not sep or not name.strip():  # the text is not echoed: it may be a token
            raise BackendError(f"--header number {number} is not 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers


def parse_extra_body(text: str | None) -> dict[str, Any]:
    """A JSON object (or `@file.json`) of extra request fields."""
    if not text:
        return {}
    source = text
    if text.startswith("@"):
        try:
            source = open(text[1:], encoding="utf-8").read()
        except OSError as error:
            raise BackendError(f"--extra-body: cannot read {text[1:]!r}: {error}") from None
    try:
        body = json.loads(source, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # bad JSON, NaN, huge ints, deep nesting
        raise BackendError(f"--extra-body is not valid JSON: {str(error) or 'nested too deeply'}") from None
    if not isinstance(body, dict):
        raise BackendError("--extra-body must be a JSON object, e.g. '{\"chat_template_kwargs\": {}}'")
    return body


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON: a request carrying them is invalid."""
    raise ValueError(f"{name} is not a JSON number")
