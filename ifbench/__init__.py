"""ifbench: an instruction-following benchmark with verifiable, explainable checkers."""

from ifbench.check import check, checkers_catalog
from ifbench.checker import Context, CountParams, Example, Params, Verdict
from ifbench.errors import ConstraintError, IfbenchError, TaskFileError
from ifbench.registry import checker

__version__ = "0.1.0"

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
]
