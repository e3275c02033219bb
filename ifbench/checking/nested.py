"""The constraints inside a constraint (`steps.ordered` steps), walked once for everyone.

A checker that holds constraints of its own declares a `children` hook at registration;
validation, lint and the suite card all walk a task's constraints through `walk`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ifbench.checking.base import Checker, Params
from ifbench.checking.registry import get_checker, parse_params
from ifbench.errors import ConstraintError


@dataclass(frozen=True)
class Node:
    """One constraint met on the walk, with what is known of it."""

    id: str
    params: dict[str, Any]
    """The parameters as written."""
    checker: Checker[Any] | None
    """None for an unknown id."""
    parsed: Params | None
    """The validated parameters; None when they are bad (or the id is unknown)."""
    inside: tuple[str, ...] = ()
    """Ids of the constraints this one is nested in, outermost first."""


def walk(id: str, params: Mapping[str, Any], inside: tuple[str, ...] = ()) -> Iterator[Node]:
    """The constraint `{id, **params}`, then every constraint nested in it, depth first.

    A constraint with an unknown id or bad parameters is yielded, not descended into.
    """
    params = dict(params)
    try:
        spec = get_checker(id)
    except ConstraintError:
        yield Node(id, params, None, None, inside)
        return
    try:
        parsed = parse_params(spec, params)
    except ConstraintError:
        yield Node(id, params, spec, None, inside)
        return
    yield Node(id, params, spec, parsed, inside)
    for child in spec.children(parsed) if spec.children is not None else ():
        fields = dict(child)
        child_id = fields.pop("id", None)
        if isinstance(child_id, str):
            yield from walk(child_id, fields, (*inside, id))
