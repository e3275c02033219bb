"""Which IFBench the `ifbench` checkers reproduce, and how one checker is registered for each.

AllenAI's IFBench (https://github.com/allenai/IFBench) changed its checkers after publishing
its verdicts. Both codes are reachable, under the same instruction ids:

    ifbench:<id>           upstream HEAD, db69a6f (2026-08-19): what running IFBench today gives
    ifbench@c94da02:<id>   c94da02 (2025-10-17), the code that produced IFBench's committed verdicts

A checker on which the two agree is one function registered under both namespaces
(`instruction`); one whose semantics differ takes the revision as a fourth argument and
branches where they differ (`revised`). There is one implementation either way.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import Any

from ifbench.checking.base import Context, Example, P, Params, Verdict
from ifbench.checking.registry import checker

__all__ = ["Revision", "instruction", "revised"]


class Revision(enum.Enum):
    """An IFBench commit whose checkers are reproduced; the value is its short hash."""

    HEAD = "db69a6f"
    """Upstream HEAD (2026-08-19, "Merge pull request #26 ... clean-install")."""
    PUBLISHED = "c94da02"
    """The commit that wrote IFBench's committed eval_results (2025-10-17)."""

    @property
    def namespace(self) -> str:
        """`ifbench` for HEAD, `ifbench@c94da02` for the published revision."""
        return "ifbench" if self is Revision.HEAD else f"ifbench@{self.value}"


def instruction(
    iid: str, params: type[P], *, examples: list[Example]
) -> Callable[[Callable[[str, P, Context], Verdict]], Callable[[str, P, Context], Verdict]]:
    """Register `function(response, params, context)` as `<namespace>:<iid>` for every revision."""

    def register(function: Callable[[str, P, Context], Verdict]) -> Callable[[str, P, Context], Verdict]:
        for revision in Revision:
            checker(f"{revision.namespace}:{iid}", params, examples=examples)(function)
        return function

    return register


RevisedFunction = Callable[[str, Any, Context, Revision], Verdict]


def revised(iid: str, params: type[Params], *, examples: list[Example]) -> Callable[[RevisedFunction], RevisedFunction]:
    """Register `function(response, params, context, revision)` as `<namespace>:<iid>` for every revision.

    The examples must hold for every revision; what differs is tested beside the checkers.
    """

    def register(function: RevisedFunction) -> RevisedFunction:
        for revision in Revision:
            checker(f"{revision.namespace}:{iid}", params, examples=examples)(_bound(function, revision))
        return function

    return register


def _bound(function: RevisedFunction, revision: Revision) -> Callable[[str, Any, Context], Verdict]:
    @functools.wraps(function)
    def run(response: str, params: Any, context: Context) -> Verdict:
        return function(response, params, context, revision)

    return run
