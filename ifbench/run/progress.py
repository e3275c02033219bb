"""The progress bar of `ifbench run`: requests done, requests/s, errors and retries, on stderr."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    from ifbench.run.runner import RunStats


class ProgressBar:
    """A rich progress bar on stderr with requests/s, errors and retries (or nothing)."""

    def __init__(self, stats: RunStats, enabled: bool | None):
        self.stats = stats
        console = Console(stderr=True)
        self.enabled = console.is_terminal if enabled is None else enabled
        self._bar = Progress(
            TextColumn("generating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.fields[info]}"), console=console,
        )
        self._started = time.perf_counter()

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            self._bar.start()
            self._task = self._bar.add_task("generating", total=self.stats.to_do, info="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.update()
            self._bar.stop()

    def advance(self, steps: int = 1) -> None:
        if self.enabled and steps:
            self._bar.advance(self._task, steps)
            self.update()

    def update(self) -> None:
        if self.enabled:
            elapsed = max(time.perf_counter() - self._started, 1e-9)
            info = (f"{self.stats.sent / elapsed:.1f} req/s · {self.stats.errors} errors · "
                    f"{self.stats.retries} retries")
            self._bar.update(self._task, info=info)
