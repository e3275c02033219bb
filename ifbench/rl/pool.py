"""Worker processes for `rewards(..., workers=N)`.

One pool per N, started on first use and kept for the life of the process (a trainer asks for
rewards every step; starting processes each time would cost more than the checks). Workers are
forked from the caller: a fork server or `spawn` would import the caller's `__main__` again in
every worker, which re-runs a training script that has no `if __name__ == "__main__"` guard. The
workers run only ifbench's checkers, which hold no lock another thread could own at the fork
(the budget watchdog is rebuilt in the child, see checking/budget.py). The checkers and their
tables are loaded in the caller first, so each worker starts with them.

Replies go out in contiguous chunks with the raw constraint lists they use; a worker binds each
list the first time it sees it and keeps it, so nothing but plain data crosses the process
boundary, and the rewards come back in order.
"""

from __future__ import annotations

import atexit
import multiprocessing
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ifbench.checking import punkt
from ifbench.checking.evaluate import CheckMode
from ifbench.checking.langid import detect_language
from ifbench.checking.registry import all_checkers
from ifbench.rl.api import ConstraintSet, Credit
from ifbench.rl.guards import Guard

CHUNKS_PER_WORKER = 4
"""Chunks per worker: enough to even out slow and fast replies, few enough to keep overhead low."""

Item = tuple[Any, "str | None", int]
"""(response, prompt, index of its constraint list)."""

BOUND_KEPT = 4096
"""Bound constraint lists a worker keeps (a data set's prompts come back every epoch)."""

_pools: dict[int, ProcessPoolExecutor] = {}
_bound_sets: OrderedDict[str, ConstraintSet] = OrderedDict()  # in each worker


def _load_tables() -> None:
    """Load what the first checks would: the checker modules, Punkt's and langdetect's tables."""
    all_checkers()
    punkt.sentence_tokenizer()
    detect_language("warm up")


def _pool(workers: int) -> ProcessPoolExecutor:
    if workers not in _pools:
        _load_tables()  # in the caller, before any fork: every worker starts with them loaded
        context = multiprocessing.get_context("fork")
        _pools[workers] = ProcessPoolExecutor(workers, mp_context=context)
    return _pools[workers]


@atexit.register
def shutdown() -> None:
    """Stop every worker pool (run at exit; call it to free the processes sooner)."""
    while _pools:
        _pools.popitem()[1].shutdown(wait=True, cancel_futures=True)


def _bound(key: str, constraints: Sequence[Mapping[str, Any]]) -> ConstraintSet:
    """The worker's bound copy of a constraint list, bound on first sight (kept across chunks)."""
    if key in _bound_sets:
        _bound_sets.move_to_end(key)
    else:
        _bound_sets[key] = ConstraintSet(constraints)
        if len(_bound_sets) > BOUND_KEPT:
            _bound_sets.popitem(last=False)
    return _bound_sets[key]


def _score_chunk(lists: Sequence[tuple[str, Sequence[Mapping[str, Any]]]], items: Sequence[Item],
                 mode: CheckMode, credit: Credit, guards: tuple[Guard, ...]) -> list[float]:
    sets = [_bound(key, constraints) for key, constraints in lists]
    return [sets[which].details(response, prompt, mode, guards).reward(credit)
            for response, prompt, which in items]


def score(lists: Sequence[tuple[str, Sequence[Mapping[str, Any]]]], items: Sequence[Item],
          mode: CheckMode, credit: Credit, guards: tuple[Guard, ...], workers: int) -> list[float]:
    """The reward of each item, in order, scored by `workers` processes.

    `lists` holds (key, constraint list) pairs, the key a canonical text of the list (see
    `constraints_key`): a worker binds each list once and keeps it for later chunks and calls.
    A pool whose worker died (killed for memory, say) is replaced and the batch scored again,
    once; a second death raises BrokenProcessPool.
    """
    size = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    chunks = []
    for start in range(0, len(items), size):
        chunk = items[start:start + size]
        used = sorted({which for _, _, which in chunk})
        local = {which: position for position, which in enumerate(used)}
        chunks.append(([lists[which] for which in used],
                       [(response, prompt, local[which]) for response, prompt, which in chunk]))
    try:
        return _run(workers, chunks, mode, credit, guards)
    except BrokenProcessPool:
        return _run(workers, chunks, mode, credit, guards)  # once more, on a new pool


def _run(workers: int, chunks: list[tuple[list[Any], list[Item]]], mode: CheckMode, credit: Credit,
         guards: tuple[Guard, ...]) -> list[float]:
    executor = _pool(workers)
    try:
        futures = [executor.submit(_score_chunk, used, chunk, mode, credit, guards) for used, chunk in chunks]
        return [value for future in futures for value in future.result()]
    except BrokenProcessPool:
        _pools.pop(workers, None)  # a broken pool is not reused
        executor.shutdown(wait=False, cancel_futures=True)
        raise
