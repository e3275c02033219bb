"""The runner: tasks x samples x turns -> responses.jsonl (resumable) -> results.jsonl, run.json.

An output directory holds one model with one set of generation settings. Every finished
response is appended to responses.jsonl at once, keyed by (suite, task, sample, turn) plus the
model name and the settings hash written on each line, so a re-run (after a crash, even
SIGKILL) sends only what is missing. A re-run with another model or other settings is
refused instead of being mixed in. Errored responses are retried by a re-run.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ifbench.backends import Backend, GenerationSettings, Request, RetryPolicy
from ifbench.errors import IfbenchError, ResponsesError
from ifbench.langid import base_language
from ifbench.models import ResponseRecord, ResultRecord, Task
from ifbench.reasoning import strip_reasoning
from ifbench.records import dumps, read_jsonl, write_jsonl
from ifbench.scoring import Summary, score_task, summarize
from ifbench.tasks import suite_hashes

Key = tuple[str, str, int, int]
"""(suite, task id, sample, turn)"""
FSYNC_EVERY_S = 1.0


@dataclass
class RunConfig:
    out: Path
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    samples: int = 1
    concurrency: int | None = None
    """Requests in flight at once (default: the backend's)."""
    rps: float | None = None
    """Start at most this many requests per second."""
    retries: int = 5
    """Retries of a request after a transient failure (429, 5xx, dropped connection, timeout)."""
    backoff_s: float = 1.0
    """Wait before the first retry; doubles each time (with jitter), up to max_backoff_s."""
    max_backoff_s: float = 60.0
    keep_reasoning: bool = False
    progress: bool | None = None
    """Show a progress bar (default: when stderr is a terminal)."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Extra facts for run.json (task files, filters)."""


@dataclass
class RunStats:
    to_do: int = 0
    resumed: int = 0
    sent: int = 0
    errors: int = 0
    retries: int = 0
    cut_at_max_tokens: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    wall_s: float = 0.0


@dataclass
class RunOutcome:
    results: list[ResultRecord]
    summary: Summary
    stats: RunStats
    paths: dict[str, Path]


def select_tasks(
    tasks: list[Task],
    *,
    suites: Iterable[str] = (),
    categories: Iterable[str] = (),
    languages: Iterable[str] = (),
    tags: Iterable[str] = (),
    limit: int | None = None,
) -> list[Task]:
    """The tasks matching every given filter (each filter: any of its values), the first `limit`."""
    suites, categories, tags = set(suites), set(categories), set(tags)
    languages = {base_language(lang.lower()) for lang in languages}
    chosen = [
        task for task in tasks
        if (not suites or task.suite in suites)
        and (not categories or task.category in categories)
        and (not languages or task.language in languages)
        and (not tags or tags & set(task.tags))
    ]
    if not chosen:
        raise IfbenchError(f"no task matches the filters (out of {len(tasks)} tasks loaded)")
    return chosen[:limit] if limit is not None else chosen


def default_out_dir(label: str) -> Path:
    """`ifbench-out/<model name made safe for a file name>`."""
    return Path("ifbench-out") / (re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.") or "model")


def run(tasks: list[Task], backend: Backend, config: RunConfig) -> RunOutcome:
    """Generate what is missing, score everything, write the three files."""
    return asyncio.run(Runner(tasks, backend, config).run())


class Runner:
    def __init__(self, tasks: list[Task], backend: Backend, config: RunConfig):
        if config.samples < 1:
            raise IfbenchError("--samples must be at least 1")
        self.tasks, self.backend, self.config = tasks, backend, config
        self.settings = config.settings
        self.digest = config.settings.digest()
        self.paths = {name: config.out / f"{name}.{ext}" for name, ext in
                      (("responses", "jsonl"), ("results", "jsonl"), ("run", "json"))}
        self.records: dict[Key, ResponseRecord] = {}
        self.stats = RunStats()
        self._lines = 0
        self._policy = RetryPolicy(retries=config.retries, backoff_s=config.backoff_s,
                                   max_backoff_s=config.max_backoff_s, rps=config.rps)
        self._latencies: list[float] = []

    async def run(self) -> RunOutcome:
        started, clock = datetime.now(timezone.utc), time.perf_counter()
        self.config.out.mkdir(parents=True, exist_ok=True)
        self._load_previous()
        jobs = [(task, sample) for sample in range(self.config.samples) for task in self.tasks]
        done = {k for k, r in self.records.items() if r.error is None}
        wanted = [(task.suite, task.id, sample, turn)
                  for task, sample in jobs for turn in range(len(task.user_turns()))]
        self.stats.to_do = len(wanted) - sum(key in done for key in wanted)  # an estimate
        workers = max(1, min(self.config.concurrency or self.backend.default_concurrency, len(jobs)))
        self._write_run_json(started, None)
        self._out = self.paths["responses"].open("a", encoding="utf-8")
        self._synced = time.monotonic()
        queue = iter(jobs)
        running: list[asyncio.Task[None]] = []
        try:
            with _Progress(self.stats, self.config.progress) as self._progress:
                running = [asyncio.create_task(self._worker(queue)) for _ in range(workers)]
                await asyncio.gather(*running)
        finally:
            for worker in running:  # after a failure, stop the others before the file closes
                worker.cancel()
            self._close_out()
            await self.backend.aclose()
        self.stats.wall_s = time.perf_counter() - clock
        if self._lines > len(self.records):  # errored lines were answered again: keep the latest
            write_jsonl(self.paths["responses"], self.records.values())
        results = self._score()
        summary = summarize(results)
        self._write_run_json(started, summary)
        return RunOutcome(results, summary, self.stats, self.paths)

    def _load_previous(self) -> None:
        path = self.paths["responses"]
        if not path.exists():
            return
        _drop_torn_tail(path)
        others: dict[tuple[Any, Any], int] = {}
        for number, data in read_jsonl(path):
            self._lines += 1
            if data.get("model") != self.backend.label or data.get("settings_hash") != self.digest:
                key = (data.get("model"), data.get("settings_hash"))
                others[key] = others.get(key, 0) + 1
                continue
            try:
                record = ResponseRecord.model_validate(data)
            except ValidationError as error:
                raise ResponsesError(f"{path}:{number}: {error.errors()[0]['msg']}") from None
            self.records[(record.suite, record.task_id, record.sample, record.turn)] = record
        if others:
            (model, digest), n = next(iter(others.items()))
            what = "another model" if model != self.backend.label else "other generation settings"
            raise ResponsesError(
                f"{path} holds {n} response(s) from {what} (model {model!r}, settings {digest}; "
                f"this run: {self.backend.label!r}, settings {self.digest}{self._settings_diff()}). "
                "An output directory holds one model with one set of settings, so they are not "
                "mixed: pass another --out, or delete the directory to start over."
            )

    def _settings_diff(self) -> str:
        try:
            before = json.loads(self.paths["run"].read_text(encoding="utf-8")).get("settings", {})
        except (OSError, ValueError, AttributeError):
            return ""
        now = self.settings.model_dump(mode="json")
        changed = [f"{k}: {json.dumps(before.get(k))} -> {json.dumps(now[k])}"
                   for k in now if before.get(k) != now[k]]
        return f"; changed: {', '.join(changed)}" if changed else ""

    async def _worker(self, queue: Iterable[tuple[Task, int]]) -> None:
        for task, sample in queue:  # one shared iterator: each job is taken once
            await self._play(task, sample)

    async def _play(self, task: Task, sample: int) -> None:
        """One conversation: each turn is sent with the model's own earlier replies.

        A stored reply is reused only if it answered exactly these messages; once a turn is
        asked again, the later turns are too (their history changed).
        """
        history = [m.model_dump() for m in task.messages[:-1]] if task.messages else []
        if self.settings.system is not None:
            history = [{"role": "system", "content": self.settings.system}] + [
                m for m in history if m["role"] != "system"]
        turns = task.user_turns()
        fresh = False
        for index, turn in enumerate(turns):
            messages = history + [{"role": "user", "content": turn.prompt}]
            digest = _digest(messages)
            record = self.records.get((task.suite, task.id, sample, index))
            stale = (record is None or record.error is not None
                     or (record.model_extra or {}).get("input_sha") != digest)
            if fresh or stale:
                record = await self._ask(task, sample, index, turn.prompt, messages, digest)
                fresh = True
            else:
                self.stats.resumed += 1
            if record.error is not None:  # later turns cannot be played
                self._progress.advance(len(turns) - index - 1)
                return
            if index + 1 < len(turns):
                history = messages + [{"role": "assistant", "content": strip_reasoning(record.response)}]

    async def _ask(self, task: Task, sample: int, turn: int, prompt: str,
                   messages: list[dict[str, str]], digest: str) -> ResponseRecord:
        seed = None if self.settings.seed is None else self.settings.seed + sample
        request = Request(messages=tuple(messages), settings=self.settings, seed=seed)
        call = await self._policy.call(self.backend, request, on_retry=self._on_retry)
        reply = call.reply
        extra: dict[str, Any] = {"settings_hash": self.digest, "input_sha": digest,
                                 "attempts": call.attempts, "seed": seed}
        if reply is not None and reply.reasoning:
            extra["reasoning_content"] = reply.reasoning
        record = ResponseRecord(
            task_id=task.id, suite=task.suite, model=self.backend.label, sample=sample, turn=turn,
            prompt=prompt, response=reply.text if reply else "",
            finish_reason=reply.finish_reason if reply else None,
            latency_s=round(call.latency_s, 4),
            prompt_tokens=reply.prompt_tokens if reply else None,
            completion_tokens=reply.completion_tokens if reply else None,
            error=call.error, **extra,
        )
        self._save(record)
        return record

    def _save(self, record: ResponseRecord) -> None:
        self.records[(record.suite, record.task_id, record.sample, record.turn)] = record
        # written and flushed at once (a SIGKILL loses nothing); fsync'd at most once a second
        self._out.write(dumps(record) + "\n")
        self._out.flush()
        if time.monotonic() - self._synced > FSYNC_EVERY_S:
            os.fsync(self._out.fileno())
            self._synced = time.monotonic()
        self._lines += 1
        stats = self.stats
        stats.sent += 1
        stats.errors += record.error is not None
        stats.cut_at_max_tokens += record.finish_reason == "length"
        stats.prompt_tokens += record.prompt_tokens or 0
        stats.completion_tokens += record.completion_tokens or 0
        if record.error is None and record.latency_s is not None:
            self._latencies.append(record.latency_s)
        self._progress.advance()

    def _close_out(self) -> None:
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()

    def _on_retry(self) -> None:
        self.stats.retries += 1
        self._progress.update()

    def _score(self) -> list[ResultRecord]:
        hashes = suite_hashes(self.tasks)
        results = []
        for sample in range(self.config.samples):
            for task in self.tasks:
                replies = [self.records.get((task.suite, task.id, sample, turn))
                           for turn in range(len(task.user_turns()))]
                results.append(score_task(
                    task, replies, model=self.backend.label, sample=sample,
                    keep_reasoning=self.config.keep_reasoning, suite_sha256=hashes[task.suite]))
        write_jsonl(self.paths["results"], results)
        return results

    def _write_run_json(self, started: datetime, summary: Summary | None) -> None:
        """run.json: written when the run starts (status running) and when it ends."""
        from ifbench import __version__

        records = list(self.records.values())
        latencies = sorted(self._latencies)
        data = {
            "status": "running" if summary is None else "complete",
            "ifbench_version": __version__,
            "model": self.backend.label,
            "backend": self.backend.describe(),
            "settings": self.settings.model_dump(mode="json"),
            "settings_hash": self.digest,
            "samples": self.config.samples,
            "keep_reasoning": self.config.keep_reasoning,
            "concurrency": self.config.concurrency or self.backend.default_concurrency,
            "rps": self.config.rps,
            "retries": self.config.retries,
            **self.config.meta,
            "n_tasks": len(self.tasks),
            "suites": suite_hashes(self.tasks),
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "this_run": asdict(self.stats) | {
                "completion_tokens_per_s": round(self.stats.completion_tokens / self.stats.wall_s, 2)
                if self.stats.wall_s else None,
                "latency_s_p50": latencies[len(latencies) // 2] if latencies else None,
                "latency_s_p95": latencies[int(len(latencies) * 0.95)] if latencies else None,
            },
            "all_responses": {
                "count": len(records),
                "errors": sum(r.error is not None for r in records),
                "prompt_tokens": sum(r.prompt_tokens or 0 for r in records),
                "completion_tokens": sum(r.completion_tokens or 0 for r in records),
                "generation_s": round(sum(r.latency_s or 0 for r in records), 3),
            },
            "summary": asdict(summary) if summary else None,
            "files": {name: path.name for name, path in self.paths.items()},
        }
        partial = self.paths["run"].with_name("run.json.partial")
        partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(partial, self.paths["run"])


class _Progress:
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

    def __enter__(self) -> _Progress:
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


def _digest(messages: list[dict[str, str]]) -> str:
    """A short hash of the messages a reply answers, to notice edited tasks on resume."""
    text = json.dumps(messages, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _drop_torn_tail(path: Path) -> None:
    """Cut a last line left without its newline by a crash, so new lines start clean."""
    with path.open("rb+") as file:
        end = position = file.seek(0, os.SEEK_END)
        while position > 0:
            start = max(position - 65536, 0)
            file.seek(start)
            cut = file.read(position - start).rfind(b"\n")
            if cut >= 0:
                if start + cut + 1 < end:
                    file.truncate(start + cut + 1)
                return
            position = start
        file.truncate(0)
