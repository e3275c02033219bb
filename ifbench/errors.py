"""Exceptions raised by ifbench.

    IfbenchError
    ├── ConstraintError (also a ValueError)  unknown checker id or bad parameters
    ├── CheckerLoadError                      a checker module or plugin fails to import
    ├── TaskFileError                         a task file has problems; lists all of them
    ├── ResponsesError                        a responses file cannot be matched to the tasks
    ├── BackendError                          a model backend cannot be set up
    ├── OutputError                           the output directory is in use or cannot be written
    └── LeaderboardError                      results cannot be aggregated as asked

A checker never raises for response text: it returns a failing verdict instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class IfbenchError(Exception):
    """Base class of every error ifbench raises on purpose."""


class ConstraintError(IfbenchError, ValueError):
    """A constraint names an unknown checker or gives it parameters it does not accept."""


class CheckerLoadError(IfbenchError):
    """Checker modules or plugins failed to load. `failures` names each one and its error."""

    def __init__(self, failures: list[str]):
        self.failures = failures
        super().__init__("cannot load every checker:\n" + "\n".join(f"  {line}" for line in failures))


class TaskFileError(IfbenchError):
    """One or more task files are invalid. `problems` holds every `path:line: ...` line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class ResponsesError(IfbenchError):
    """A responses file is unreadable or does not cover the tasks being scored."""


class BackendError(IfbenchError):
    """A model backend cannot be created (bad spec, missing optional dependency, ...)."""


class OutputError(IfbenchError):
    """The output directory is held by another run, or a file in it cannot be written (disk full)."""


class LeaderboardError(IfbenchError):
    """Results cannot be aggregated as asked (missing file, malformed line, duplicate rows...)."""


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def missing_extra(package: str, extra: str) -> BackendError:
    """The error for an optional dependency that is not installed, with the install command."""
    return BackendError(
        f"{package} is not installed; install it with: pip install 'ifbench[{extra}]'"
    )
