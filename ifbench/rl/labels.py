"""Constraint labels of public instruction-following RL data -> ifbench constraint lists.

Accepted as the data sets ship them (a string is read as JSON, else as a Python literal, since
open-instruct writes `ground_truth` with `str()` of a list):

- open-instruct / `allenai/IF_multi_constraints_upto5` `ground_truth`: a list holding one
  `{"instruction_id": [...], "kwargs": [...]}` (the dict itself, or its JSON string), or that
  dict alone;
- IFEval / IFBench records: `{"instruction_id_list": [...], "kwargs": [...]}`;
- ifbench's own: a list of `{"id": ..., **params}` mappings, or `{"constraints": [...]}`.

numpy arrays (what a parquet data set gives for a list) count as lists.

An instruction id maps to the namespace that has it: `ifeval:<id>` (Google's 25) first, then
`ifbench:<id>` (IFBench's 58); an id already written with a namespace is kept. Null kwargs and
null values in kwargs are dropped (the data sets fill every unused parameter with null). An id no
namespace has (IFTrain's `copy:repeat_phrase`, say) is a ConstraintError naming it.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ifbench.checking.registry import all_checkers
from ifbench.errors import ConstraintError, did_you_mean

NAMESPACES = ("ifeval", "ifbench")
"""Where a bare instruction id is looked up, in this order."""
MAX_LABEL_CHARS = 1_000_000


def constraints_from_label(label: Any) -> list[dict[str, Any]]:
    """The constraint list a training label stands for; ConstraintError if it cannot be read."""
    value = _parse(label) if isinstance(label, (str, bytes)) else _plain(label)
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], (str, bytes)):
        value = _parse(value[0])
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping) and "id" not in value[0]:
        value = value[0]
    if isinstance(value, list):
        if not value or not all(isinstance(item, Mapping) and "id" in item for item in value):
            raise ConstraintError(f"a label list holds constraint mappings with an 'id'; got {_short(value)}")
        return [dict(item) for item in value]
    if not isinstance(value, Mapping):
        raise ConstraintError(f"cannot read constraints from a label of type {type(value).__name__}: {_short(value)}")
    if "constraints" in value:
        return constraints_from_label(value["constraints"])
    ids_key = "instruction_id" if "instruction_id" in value else "instruction_id_list"
    if ids_key not in value or "kwargs" not in value:
        raise ConstraintError(
            "a label needs 'instruction_id' (open-instruct) or 'instruction_id_list' (IFEval) with "
            f"'kwargs', or ifbench's 'constraints'; it has keys {sorted(map(str, value))}"
        )
    return from_instructions(value[ids_key], value["kwargs"])


def from_instructions(ids: Any, kwargs: Any) -> list[dict[str, Any]]:
    """IFEval-style parallel lists of instruction ids and kwargs as ifbench constraints."""
    ids, kwargs = _plain(ids), _plain(kwargs)
    if isinstance(kwargs, (str, bytes)):
        kwargs = _parse(kwargs)
    if not isinstance(ids, list) or not isinstance(kwargs, list) or len(ids) != len(kwargs):
        raise ConstraintError(f"instruction ids and kwargs must be lists of one length; got "
                              f"{_short(ids)} and {_short(kwargs)}")
    if not ids:
        raise ConstraintError("the label lists no instruction")
    constraints = []
    for iid, params in zip(ids, kwargs):
        if isinstance(params, (str, bytes)):
            params = _parse(params)
        if params is not None and not isinstance(params, Mapping):
            raise ConstraintError(f"kwargs of '{iid}' must be a mapping or null, not {_short(params)}")
        given = {k: v for k, v in (params or {}).items() if v is not None}
        constraints.append({"id": checker_id(iid), **given})
    return constraints


def checker_id(instruction_id: Any) -> str:
    """The checker id for an instruction id of IFEval, IFBench or ifbench itself."""
    if not isinstance(instruction_id, str):
        raise ConstraintError(f"an instruction id is a string, not {_short(instruction_id)}")
    known = _known_ids()
    if instruction_id in known:
        return instruction_id
    for namespace in NAMESPACES:
        if f"{namespace}:{instruction_id}" in known:
            return f"{namespace}:{instruction_id}"
    bare = sorted(i.split(":", 1)[1] for i in known if i.split(":", 1)[0] in NAMESPACES)
    raise ConstraintError(
        f"instruction id '{instruction_id}' has no checker here: it is not one of IFEval's "
        f"(ifeval:) or IFBench's (ifbench:) instructions{did_you_mean(instruction_id, bare)}"
    )


@lru_cache(maxsize=1)
def _known_ids() -> frozenset[str]:
    return frozenset(spec.id for spec in all_checkers())


def _plain(value: Any) -> Any:
    """Python lists and dicts for the numpy arrays a parquet data set (verl's) holds, deeply."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _parse(text: str | bytes) -> Any:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if len(text) > MAX_LABEL_CHARS:
        raise ConstraintError(f"a label of {len(text)} characters is longer than {MAX_LABEL_CHARS}")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ConstraintError(f"a label string is neither JSON nor a Python literal: {_short(text)}") from None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
