"""One writer per output directory: a second run on the same `--out` is refused, naming the first.

The lock is an exclusive `flock` on `DIR/.lock`, which holds the holder's pid, host and start
time (not its command line, which may hold a token). The kernel drops it when the holder's process ends in any way (SIGKILL
included), so a stale file never blocks a re-run.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import IO

from ifbench.errors import OutputError

LOCK_FILE = ".lock"


class OutputLock:
    """`with OutputLock(out):` holds the directory for this process, or raises OutputError."""

    def __init__(self, out: Path):
        self.path = out / LOCK_FILE
        self._file: IO[str] | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            holder = _describe(file.read())
            file.close()
            raise OutputError(
                f"{self.path.parent} is in use by another ifbench run ({holder}); wait for it to "
                "finish, or pass another --out"
            ) from None
        file.seek(0)
        file.truncate()
        file.write(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(),
            "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }))
        file.flush()
        self._file = file
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._file is not None:
            self._file.close()  # closing releases the flock; the file stays for the next holder
            self._file = None


def _describe(text: str) -> str:
    try:
        holder = json.loads(text)
        return f"pid {holder['pid']} on {holder['host']}, started {holder['started_at']}"
    except (ValueError, KeyError, TypeError):
        return "its details are unreadable"
