"""Worker processes for `rewards(..., workers=N)`.

One pool per N, started on first use and kept for the life of the process (a trainer asks for
rewards every step; starting processes each time would cost more than the checks). Workers are
forked from the caller: a fork server or `spawn` would import the caller's `__main__` again in
every worker, which re-runs a training script that has no `if __name__ == "__main__"` guard. The
workers run only ifbench's checkers, which hold no lock another thread could own at the fork
(the budget watchdog is rebuilt in the child, see checking/budget.py). The checkers and their
tables are loaded in the caller first, so each worker starts with them, and the inherited objects
are kept out of the workers' garbage collections (`gc.freeze`), which would otherwise write to,
and so copy, every page of them.

`workers=N` means N processes in all: the caller and N-1 workers. The replies are cut into
contiguous chunks numbered in a counter pair shared by all of them; the workers take chunks from
the back, the caller from the front, and they meet in the middle, so nobody waits while chunks
are left. Each call pickles, once, the part of the batch the workers may take (their fair share
and WORKER_SLACK more: replies, prompts and the raw constraint lists) into memory shared with
every worker, and tells each its length down its pipe: no thread of the caller has to wake up to
feed a worker while the caller scores. A worker binds a constraint list the first time a chunk
uses it and keeps it for later calls; its rewards come back in one message, and the caller puts
every chunk's rewards in order.
"""

from __future__ import annotations

import atexit
import gc
import mmap
import multiprocessing
import pickle
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from ifbench.checking import punkt
from ifbench.checking.evaluate import CheckMode
from ifbench.checking.langid import detect_language
from ifbench.checking.registry import all_checkers
from ifbench.rl.api import ConstraintSet, Credit
from ifbench.rl.guards import Guard

CHUNKS_PER_PROCESS = 64
"""Chunks per process: fine enough that the caller and the workers finish close together."""

WORKER_SLACK = 0.1
"""Share of the batch the workers may take beyond their fair share (a slow caller's)."""

LOCK_WAIT_S = 10.0
"""How long taking a chunk may wait for the counters' lock (held for a microsecond) before the pool
counts as broken: a worker killed while holding it would otherwise stop every other process."""

SHARED_BYTES = 256 * 1024 * 1024
"""Size of the memory a pool shares with its workers for each batch (reserved, not used: pages
are taken as a batch first writes them). A larger batch goes down the pipes instead."""
LENGTH_BYTES = 8

Item = tuple[Any, "str | None", int]
"""(response, prompt, index of its constraint list)."""

BOUND_KEPT = 4096
"""Bound constraint lists a worker keeps (a data set's prompts come back every epoch)."""

ConstraintLists = Sequence[tuple[str, Sequence[Mapping[str, Any]]]]
"""(canonical key, raw constraint list) of each list a batch uses."""


class WorkerDied(RuntimeError):
    """A worker process ended while scoring (killed for memory, say)."""


def _load_tables() -> None:
    """Load what the first checks would: the checker modules, Punkt's and langdetect's tables."""
    all_checkers()
    punkt.sentence_tokenizer()
    detect_language("warm up")


def rewards_here(sets: Sequence[ConstraintSet], items: Sequence[Item], mode: CheckMode, credit: Credit,
                 guards: tuple[Guard, ...]) -> list[float]:
    """The reward of each item, in order, scored in this process."""
    return [sets[which].details(response, prompt, mode, guards).reward(credit)
            for response, prompt, which in items]


class _Chunks:
    """The chunks of the batch in hand: [front, back) are not taken yet; shared by all processes."""

    def __init__(self, context: Any):
        self._lock = context.Lock()
        self._bounds = context.RawArray("q", 2)

    def reset(self, count: int) -> None:
        with self._locked():
            self._bounds[0], self._bounds[1] = 0, count

    def take_front(self) -> int | None:
        with self._locked():
            front, back = self._bounds
            if front >= back:
                return None
            self._bounds[0] = front + 1
            return front

    def take_back(self, lowest: int) -> int | None:
        """The last chunk not taken, if it is not below `lowest`."""
        with self._locked():
            front, back = self._bounds
            if front >= back or back - 1 < lowest:
                return None
            self._bounds[1] = back - 1
            return back - 1

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if not self._lock.acquire(timeout=LOCK_WAIT_S):
            raise WorkerDied(f"the rewards pool's chunk counter stayed locked for {LOCK_WAIT_S:g} s")
        try:
            yield
        finally:
            self._lock.release()


class _Pool:
    """N-1 forked workers, each with a pipe, the shared chunk counters and the shared batch memory."""

    def __init__(self, workers: int):
        context = multiprocessing.get_context("fork")
        self.chunks = _Chunks(context)
        # Written by the caller, read by every worker: no pipe write waits for a reader.
        self.shared = mmap.mmap(-1, SHARED_BYTES)
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        _load_tables()  # in the caller, before the fork: every worker starts with them loaded
        gc.freeze()
        try:
            for _ in range(workers):
                mine, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs, self.chunks, self.shared), daemon=True,
                                          name="ifbench-rewards")
                process.start()
                theirs.close()
                self.pipes.append(mine)
                self.processes.append(process)
        finally:
            gc.unfreeze()

    def send(self, payload: bytes) -> None:
        """The batch to every worker: through the shared memory, or down each pipe if it is too big.

        Through the memory, the message is only the payload's length in LENGTH_BYTES bytes; a
        payload sent whole is longer than the memory, so never that short."""
        if len(payload) <= len(self.shared):
            self.shared[:len(payload)] = payload
            message = len(payload).to_bytes(LENGTH_BYTES, "little")
        else:
            message = payload
        for pipe in self.pipes:
            pipe.send_bytes(message)

    def close(self) -> None:
        for pipe in self.pipes:
            pipe.close()  # a worker reading its pipe sees the end and returns
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        self.shared.close()


_pools: dict[int, _Pool] = {}
_one_batch_at_a_time = threading.Lock()
"""Held while a pool scores a batch: the pipes carry one batch at a time, and callers in other
threads (the reward server's) wait their turn."""
_bound_sets: OrderedDict[str, ConstraintSet] = OrderedDict()  # in each worker


@atexit.register
def shutdown() -> None:
    """Stop every worker pool (run at exit; call it to free the processes sooner)."""
    with _one_batch_at_a_time:
        while _pools:
            _pools.popitem()[1].close()


def _bound(key: str, constraints: Sequence[Mapping[str, Any]]) -> ConstraintSet:
    """The worker's bound copy of a constraint list, bound on first sight (kept across calls)."""
    if key in _bound_sets:
        _bound_sets.move_to_end(key)
    else:
        _bound_sets[key] = ConstraintSet(constraints, key)
        if len(_bound_sets) > BOUND_KEPT:
            _bound_sets.popitem(last=False)
    return _bound_sets[key]


class _LazySets:
    """The batch's constraint lists as a worker binds them: each on the first reply that uses it."""

    def __init__(self, lists: ConstraintLists):
        self._lists = lists
        self._sets: list[ConstraintSet | None] = [None] * len(lists)

    def __getitem__(self, which: int) -> ConstraintSet:
        found = self._sets[which]
        if found is None:
            found = self._sets[which] = _bound(*self._lists[which])
        return found


def _serve(pipe: Connection, chunks: _Chunks, shared: mmap.mmap) -> None:
    """A worker: for each batch sent (its chunks from `lowest` on), score chunks from the back
    until none are left."""
    while True:
        try:
            message = pipe.recv_bytes()
        except (EOFError, OSError):
            return
        in_memory = len(message) == LENGTH_BYTES
        payload = memoryview(shared)[:int.from_bytes(message, "little")] if in_memory else message
        lists, items, lowest, size, mode, credit, guards = pickle.loads(payload)
        del payload  # the memory is the caller's to write again once this batch is answered
        sets = _LazySets(lists)
        done = []
        while (number := chunks.take_back(lowest)) is not None:
            start = (number - lowest) * size
            done.append((number, rewards_here(sets, items[start:start + size], mode, credit, guards)))  # type: ignore[arg-type]
        pipe.send(done)


def score(sets: Sequence[ConstraintSet], items: Sequence[Item], mode: CheckMode, credit: Credit,
          guards: tuple[Guard, ...], workers: int) -> list[float]:
    """The reward of each item, in order, scored by this process and `workers - 1` others.

    `sets` are the constraint lists bound in this process. A pool whose worker died (killed for
    memory, say) is replaced and the batch scored again, once; a second death raises WorkerDied.
    """
    with _one_batch_at_a_time:
        try:
            return _run(workers - 1, sets, items, mode, credit, guards)
        except WorkerDied:
            return _run(workers - 1, sets, items, mode, credit, guards)  # once more, on a new pool


def _run(workers: int, sets: Sequence[ConstraintSet], items: Sequence[Item], mode: CheckMode,
         credit: Credit, guards: tuple[Guard, ...]) -> list[float]:
    if workers not in _pools:
        _pools[workers] = _Pool(workers)
    pool = _pools[workers]
    size = max(1, -(-len(items) // ((workers + 1) * CHUNKS_PER_PROCESS)))
    count = -(-len(items) // size)
    results: list[list[float] | None] = [None] * count
    # The workers' fair share and some slack: chunks before `lowest` are the caller's alone, so
    # they are neither pickled nor sent.
    lowest = int(count * max(0.0, 1 / (workers + 1) - WORKER_SLACK))
    payload = pickle.dumps(([(s.key, s.constraints) for s in sets], items[lowest * size:], lowest, size, mode,
                            credit, guards), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        pool.chunks.reset(count)
        pool.send(payload)
        while (number := pool.chunks.take_front()) is not None:
            results[number] = rewards_here(sets, items[number * size:(number + 1) * size], mode, credit, guards)
        for pipe in pool.pipes:
            for number, values in pipe.recv():
                results[number] = values
    except BaseException as error:
        # A pool left mid-batch (a worker died, or this process was interrupted) may still have
        # answers in its pipes: it is not reused.
        _pools.pop(workers, None)
        pool.close()
        if isinstance(error, (EOFError, OSError)):
            raise WorkerDied(f"a rewards worker process ended while scoring ({type(error).__name__})") from None
        raise
    return [value for chunk in results for value in chunk]  # type: ignore[union-attr]
