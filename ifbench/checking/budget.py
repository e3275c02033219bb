"""A time budget for a call, in any thread, at a cost of about a microsecond per call.

One daemon watchdog thread keeps each budgeted thread's deadline. When one passes, it raises
a private exception in that thread with `PyThreadState_SetAsyncExc`, which Python delivers at
the thread's next bytecode boundary; `within` turns it into `OverBudget`. No thread, process or
signal per call (`signal.alarm` would only reach the main thread).

A long call into C (one `re` match, one `time.sleep`) runs no bytecode, so it is interrupted only
when it returns: code that may backtrack on hostile text bounds itself (the `regex` module's
`timeout`, see patterns.py).
"""

from __future__ import annotations

import ctypes
import math
import os
import threading
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class OverBudget(Exception):
    """A call ran past its budget and was stopped."""

    def __init__(self, seconds: float):
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds


class _Interrupt(BaseException):
    """Raised inside the late thread; a BaseException, so the callee's `except Exception` lets it by."""


class _Deadline:
    __slots__ = ("at", "fired")

    def __init__(self, at: float):
        self.at = at
        self.fired = False


_lock = threading.Condition()
_deadlines: dict[int, _Deadline] = {}  # thread id -> its (outermost) budgeted call's deadline
_wake_at = math.inf  # when the watchdog next looks; a sooner deadline must wake it
_watchdog: threading.Thread | None = None


def _set_async_exc(thread_id: int, exception: type[BaseException] | None) -> None:
    """Schedule `exception` in the thread (None clears a scheduled one)."""
    pending = None if exception is None else ctypes.py_object(exception)  # None passes NULL
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), pending)


def _watch() -> None:
    global _wake_at
    with _lock:
        while True:
            now = time.monotonic()
            for thread_id, deadline in _deadlines.items():
                if not deadline.fired and deadline.at <= now:
                    deadline.fired = True
                    _set_async_exc(thread_id, _Interrupt)
            _wake_at = min((d.at for d in _deadlines.values() if not d.fired), default=math.inf)
            _lock.wait(None if _wake_at == math.inf else _wake_at - now)


def _start(thread_id: int, seconds: float) -> _Deadline:
    global _watchdog
    deadline = _Deadline(time.monotonic() + seconds)
    with _lock:
        if _watchdog is None:
            _watchdog = threading.Thread(target=_watch, name="ifbench-budget", daemon=True)
            _watchdog.start()
        _deadlines[thread_id] = deadline
        if deadline.at < _wake_at:
            _lock.notify()
    return deadline


def _stop(thread_id: int, deadline: _Deadline) -> None:
    """Retire the deadline; a firing that has not reached the thread yet is cancelled.

    Idempotent: `within` calls it again if the interrupt landed inside the first call.
    """
    with _lock:
        if _deadlines.get(thread_id) is deadline:
            del _deadlines[thread_id]
            if deadline.fired:
                _set_async_exc(thread_id, None)


def _forget_after_fork() -> None:
    """A forked child has no watchdog thread and none of the parent's budgeted calls."""
    global _lock, _deadlines, _wake_at, _watchdog
    _lock, _deadlines, _wake_at, _watchdog = threading.Condition(), {}, math.inf, None


os.register_at_fork(after_in_child=_forget_after_fork)


def within(seconds: float, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`function(*args, **kwargs)`, or OverBudget once it has run `seconds`.

    A call nested in a budgeted call of the same thread runs under the outer budget.
    """
    thread_id = threading.get_ident()
    if thread_id in _deadlines:
        return function(*args, **kwargs)
    deadline = _start(thread_id, seconds)
    try:
        try:
            return function(*args, **kwargs)
        finally:
            _stop(thread_id, deadline)
    except _Interrupt:
        # The interrupt fires once, so none can follow this one; it may have landed in the
        # first _stop (or just after the function returned), hence the second, idempotent one.
        _stop(thread_id, deadline)
        raise OverBudget(seconds) from None
