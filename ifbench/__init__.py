"""ifbench: an instruction-following benchmark with verifiable, explainable checkers."""

from typing import TYPE_CHECKING as _TYPE_CHECKING

from ifbench.checking.base import Context, CountParams, Example, Params, Verdict
from ifbench.checking.evaluate import check, checkers_catalog
from ifbench.checking.registry import checker
from ifbench.errors import ConstraintError, IfbenchError, TaskFileError

if _TYPE_CHECKING:
    from ifbench.rl import reward, reward_details, rewards

__version__ = "0.1.0"
"""The one place the version is written; pyproject.toml reads it from here."""

_REWARDS = frozenset({"reward", "reward_details", "rewards"})


def __getattr__(name: str) -> object:
    # The reward API is imported on first use: scoring and the CLI do not need its worker pool.
    if name in _REWARDS:
        from ifbench import rl

        return getattr(rl, name)
    raise AttributeError(f"module 'ifbench' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_REWARDS})


__all__ = [
    "ConstraintError",
    "Context",
    "CountParams",
    "Example",
    "IfbenchError",
    "Params",
    "TaskFileError",
    "Verdict",
    "check",
    "checker",
    "checkers_catalog",
    "reward",
    "reward_details",
    "rewards",
]
