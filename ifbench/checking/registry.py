"""The checker registry: a dict of id -> Checker, filled by the `@checker` decorator.

Built-in checkers are the modules of `ifbench.checkers` (all imported on first use, so a
new module there needs no other edit). Third-party packages add checkers through the
entry-point group `ifbench.checkers`: each entry point names a module (or a callable)
that registers its checkers when loaded.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import entry_points
from typing import Any

from pydantic import ValidationError

from ifbench.checking.base import Checker, CheckFunction, Example, LintHints, P, Params
from ifbench.errors import CheckerLoadError, ConstraintError, did_you_mean

ENTRY_POINT_GROUP = "ifbench.checkers"

_REGISTRY: dict[str, Checker[Any]] = {}
_loaded = False
_failures: list[str] = []


def checker(
    id: str,
    params: type[P],
    *,
    examples: Iterable[Example] = (),
    languages: Iterable[str] | None = None,
    lint: LintHints | None = None,
    children: Callable[[P], Iterable[Mapping[str, Any]]] | None = None,
) -> Callable[[CheckFunction[P]], CheckFunction[P]]:
    """Register a checker function under `id`; its docstring's first line describes it.

    `languages` limits the task languages it applies to; `lint` is what `ifbench lint` knows of
    it; `children` gives the constraints nested in its parameters (validated, linted, counted).
    """

    def register(function: CheckFunction[P]) -> CheckFunction[P]:
        if id in _REGISTRY:
            raise ValueError(f"checker id '{id}' is registered twice")
        doc = (function.__doc__ or "").strip()
        if not doc:
            raise ValueError(f"checker '{id}' needs a docstring: its first line is its description")
        _REGISTRY[id] = Checker(
            id=id,
            params_model=params,
            function=function,
            description=doc.splitlines()[0],
            examples=tuple(examples),
            languages=frozenset(languages) if languages is not None else None,
            lint=lint or LintHints(),
            children=children,
        )
        return function

    return register


def _load() -> None:
    """Import every built-in checker module and plugin once; CheckerLoadError names each that fails."""
    global _loaded, _failures
    if _loaded:
        if _failures:
            raise CheckerLoadError(_failures)
        return
    _loaded = True  # set first: a module that looks up checkers while loading sees the partial registry
    import ifbench.checkers as package

    failures = []
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if module.ispkg or module.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        try:
            importlib.import_module(module.name)
        except Exception as error:  # reported below with the module's name, not as unknown ids later
            failures.append(f"checker module {module.name}: {type(error).__name__}: {error}")
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
            if callable(loaded):
                loaded()
        except Exception as error:
            failures.append(
                f"plugin '{entry_point.name}' ({entry_point.value}) of entry-point group "
                f"'{ENTRY_POINT_GROUP}': {type(error).__name__}: {error}"
            )
    _failures = failures
    if failures:
        raise CheckerLoadError(failures)


def all_checkers() -> list[Checker[Any]]:
    """Every registered checker, sorted by id."""
    _load()
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def get_checker(id: str) -> Checker[Any]:
    """The checker registered as `id`; ConstraintError with a suggestion if there is none."""
    _load()
    try:
        return _REGISTRY[id]
    except KeyError:
        raise ConstraintError(f"unknown checker id '{id}'{did_you_mean(id, _REGISTRY)}") from None


def parse_params(spec: Checker[P], params: dict[str, Any]) -> P:
    """Validate `params` for `spec`; ConstraintError naming every bad parameter."""
    try:
        return spec.params_model.model_validate(params)
    except ValidationError as error:
        raise ConstraintError(f"{spec.id}: " + _explain(spec.params_model, error)) from None


def _explain(model: type[Params], error: ValidationError) -> str:
    known = [field.alias or name for name, field in model.model_fields.items()]
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            allowed = ", ".join(known) or "none"
            problems.append(
                f"unknown parameter '{name}'{did_you_mean(name, known)}; allowed: {allowed}"
            )
        elif item["type"] == "missing":
            problems.append(f"missing required parameter '{name}'")
        elif not name:
            problems.append(item["msg"].removeprefix("Value error, "))
        else:
            problems.append(
                f"parameter '{name}' = {item.get('input')!r}: "
                + item["msg"].removeprefix("Value error, ")
            )
    return "; ".join(problems)
