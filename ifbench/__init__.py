"""ifbench: an instruction-following benchmark with verifiable, explainable checkers."""

from ifbench.checking.base import Context, CountParams, Example, Params, Verdict
from ifbench.checking.evaluate import check, checkers_catalog
from ifbench.checking.registry import checker
from ifbench.errors import ConstraintError, IfbenchError, TaskFileError
from ifbench.rl import reward, reward_details, rewards

__version__ = "0.1.0"
"""The one place the version is written; pyproject.toml reads it from here."""

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
