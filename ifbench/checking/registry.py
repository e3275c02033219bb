"""The checker registry: a dict of id -> Checker, filled by the `@checker` decorator.

Built-in checkers are the modules of `ifbench.checkers`, imported on first use, so a new
module there needs no other edit. A lookup imports only the modules its id can live in: the
subpackage named by the id's namespace (`ifeval:` -> ifeval/, `ifbench:` and `ifbench@<commit>:`
-> ifbench/), and for a native id such as `format.json` the native/ modules named for its
family (`format.py`, `format_*.py`). Scoring IFEval's data thus never imports numpy, jsonschema
or textstat. An id found nowhere there, and `all_checkers()`, import everything. Third-party
packages add checkers through the entry-point group `ifbench.checkers`: each entry point names
a module (or a callable) that registers its checkers when loaded; plugins load on the first
lookup.
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

_PACKAGE = "ifbench.checkers"
_NAMESPACES = frozenset({"ifeval", "ifbench"})
"""Id namespaces whose checkers are built in, each a subpackage of `ifbench.checkers`."""

_REGISTRY: dict[str, Checker[Any]] = {}
_loaded = False
"""Every module and plugin has been imported."""
_plugins_loaded = False
_imported: set[str] = set()
_package_modules: dict[str, list[str]] = {}
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


def _import(names: Iterable[str]) -> None:
    """Import these checker modules (each once); a failure is kept in `_failures` with its name."""
    for name in names:
        if name in _imported:
            continue
        _imported.add(name)
        try:
            importlib.import_module(name)
        except Exception as error:  # reported with the module's name, not as unknown ids later
            _failures.append(f"checker module {name}: {type(error).__name__}: {error}")


def _modules(package: str) -> list[str]:
    """The public (not `_`-prefixed) modules of a built-in checker package, by full name."""
    found = _package_modules.get(package)
    if found is None:
        module = importlib.import_module(package)
        found = _package_modules[package] = [
            info.name for info in pkgutil.walk_packages(module.__path__, package + ".")
            if not info.ispkg and not info.name.rsplit(".", 1)[-1].startswith("_")
        ]
    return found


def _home(id: str) -> list[str]:
    """The built-in modules that may register `id` (empty if its namespace is no built-in one)."""
    if ":" in id:
        namespace = id.split(":", 1)[0].split("@", 1)[0]
        return _modules(f"{_PACKAGE}.{namespace}") if namespace in _NAMESPACES else []
    family = id.split(".", 1)[0]
    return [name for name in _modules(f"{_PACKAGE}.native")
            if (short := name.rsplit(".", 1)[-1]) == family or short.startswith(family + "_")]


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True  # set first: a plugin that looks up checkers while loading sees the partial registry
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
            if callable(loaded):
                loaded()
        except Exception as error:
            _failures.append(
                f"plugin '{entry_point.name}' ({entry_point.value}) of entry-point group "
                f"'{ENTRY_POINT_GROUP}': {type(error).__name__}: {error}"
            )


def _raise_failures() -> None:
    if _failures:
        raise CheckerLoadError(list(_failures))


def _load() -> None:
    """Import every built-in checker module and plugin once; CheckerLoadError names each that fails."""
    global _loaded
    if not _loaded:
        _loaded = True  # set first: a module that looks up checkers while loading sees the partial registry
        import ifbench.checkers as package

        _import(info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
                if not info.ispkg and not info.name.rsplit(".", 1)[-1].startswith("_"))
        _load_plugins()
    _raise_failures()


def all_checkers() -> list[Checker[Any]]:
    """Every registered checker, sorted by id."""
    _load()
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def get_checker(id: str) -> Checker[Any]:
    """The checker registered as `id`; ConstraintError with a suggestion if there is none."""
    found = _REGISTRY.get(id)
    if found is None or not _plugins_loaded:
        _import(_home(id))
        _load_plugins()
        found = _REGISTRY.get(id)
    if found is None:
        _load()  # an id of another module or a plugin's, or a typo: every name, for the suggestion
        found = _REGISTRY.get(id)
    _raise_failures()
    if found is None:
        raise ConstraintError(f"unknown checker id '{id}'{did_you_mean(id, _REGISTRY)}")
    return found


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
