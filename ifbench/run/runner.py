"""The runner: plays tasks x samples x turns against a backend, then scores and writes run.json.

Replies go to the journal (journal.py: responses.jsonl, resumable), so a re-run (after a
crash, even SIGKILL) sends only what is missing; errored replies are asked again. Scoring is
`ifbench.scoring.score`, the same loop `ifbench score` runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ifbench.checking.langid import base_language
from ifbench.checking.reasoning import UnclosedPolicy, strip_reasoning
from ifbench.errors import IfbenchError
from ifbench.records import (
    RESULTS_FILE,
    RUN_FILE,
    ResponseRecord,
    ResultRecord,
    RunManifest,
    write_jsonl,
    write_manifest,
)
from ifbench.run.backends import Backend, GenerationSettings, Request, RetryPolicy
from ifbench.run.journal import Journal
from ifbench.run.lock import OutputLock
from ifbench.run.progress import ProgressBar
from ifbench.scoring import Summary, provenance, score, summarize, with_protocol
from ifbench.tasks.load import suite_hashes
from ifbench.tasks.models import Task


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
    unclosed_reasoning: UnclosedPolicy = "empty"
    """How a reply whose reasoning never closes is scored (checking/reasoning.py)."""
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
    """One run: workers play the (task, sample) conversations concurrently; the journal keeps the replies."""

    def __init__(self, tasks: list[Task], backend: Backend, config: RunConfig):
        if config.samples < 1:
            raise IfbenchError("--samples must be at least 1")
        self.tasks, self.backend, self.config = tasks, backend, config
        self.settings = config.settings
        self.journal = Journal(config.out, backend.label, config.settings)
        self.paths = {"responses": self.journal.path, "results": config.out / RESULTS_FILE,
                      "run": config.out / RUN_FILE}
        self.stats = RunStats()
        self._policy = RetryPolicy(retries=config.retries, backoff_s=config.backoff_s,
                                   max_backoff_s=config.max_backoff_s, rps=config.rps)
        self._latencies: list[float] = []

    async def run(self) -> RunOutcome:
        """The run, holding the output directory (a second run on it is refused)."""
        with OutputLock(self.config.out):
            return await self._run()

    async def _run(self) -> RunOutcome:
        started, clock = datetime.now(timezone.utc), time.perf_counter()
        self.journal.load()
        jobs = [(task, sample) for sample in range(self.config.samples) for task in self.tasks]
        done = {k for k, r in self.journal.records.items() if r.error is None}
        wanted = [(task.suite, task.id, sample, turn)
                  for task, sample in jobs for turn in range(len(task.user_turns()))]
        self.stats.to_do = len(wanted) - sum(key in done for key in wanted)  # an estimate
        workers = max(1, min(self.config.concurrency or self.backend.default_concurrency, len(jobs)))
        self._write_run_json(started, None)
        self.journal.open()
        queue = iter(jobs)
        running: list[asyncio.Task[None]] = []
        try:
            with ProgressBar(self.stats, self.config.progress) as self._progress:
                running = [asyncio.create_task(self._worker(queue)) for _ in range(workers)]
                await asyncio.gather(*running)
        finally:
            for worker in running:  # after a failure, stop the others before the file closes
                worker.cancel()
            try:
                self.journal.close()
            finally:
                await self.backend.aclose()
        self.stats.wall_s = time.perf_counter() - clock
        results = self._score()
        summary = summarize(results)
        self._write_run_json(started, summary)
        return RunOutcome(results, summary, self.stats, self.paths)

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
            record = self.journal.records.get((task.suite, task.id, sample, index))
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
                history = messages + [{"role": "assistant", "content": strip_reasoning(
                    record.response, self.config.unclosed_reasoning)}]

    async def _ask(self, task: Task, sample: int, turn: int, prompt: str,
                   messages: list[dict[str, str]], digest: str) -> ResponseRecord:
        seed = None if self.settings.seed is None else self.settings.seed + sample
        request = Request(messages=tuple(messages), settings=self.settings, seed=seed)
        call = await self._policy.call(self.backend, request, on_retry=self._on_retry)
        reply = call.reply
        extra: dict[str, Any] = {"settings_hash": self.journal.digest, "input_sha": digest,
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
        self.journal.append(record)
        stats = self.stats
        stats.sent += 1
        stats.errors += record.error is not None
        stats.cut_at_max_tokens += record.finish_reason == "length"
        stats.prompt_tokens += record.prompt_tokens or 0
        stats.completion_tokens += record.completion_tokens or 0
        if record.error is None and record.latency_s is not None:
            self._latencies.append(record.latency_s)
        self._progress.advance()

    def _on_retry(self) -> None:
        self.stats.retries += 1
        self._progress.update()

    def _score(self) -> list[ResultRecord]:
        """Every (task, sample) of this run, by the one scoring loop (a missing reply fails)."""
        replies = [r for r in self.journal.records.values() if r.sample < self.config.samples]
        results = score(self.tasks, replies, missing="fail", keep_reasoning=self.config.keep_reasoning,
                        unclosed_reasoning=self.config.unclosed_reasoning)
        write_jsonl(self.paths["results"], results)
        return results

    def _write_run_json(self, started: datetime, summary: Summary | None) -> None:
        """run.json: written when the run starts (status running) and when it ends."""
        from ifbench import __version__

        records = list(self.journal.records.values())
        latencies = sorted(self._latencies)
        manifest = RunManifest(
            status="running" if summary is None else "complete",
            ifbench_version=__version__,
            model=self.backend.label,
            settings=self.settings.model_dump(mode="json"),
            suites=suite_hashes(self.tasks),
            started_at=started.isoformat(timespec="seconds"),
            finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            scoring=None if summary is None else provenance(
                self.paths["responses"], keep_reasoning=self.config.keep_reasoning,
                unclosed_reasoning=self.config.unclosed_reasoning),
            # below: facts for people reading run.json, kept as extra fields
            backend=self.backend.describe(),
            settings_hash=self.journal.digest,
            samples=self.config.samples,
            keep_reasoning=self.config.keep_reasoning,
            unclosed_reasoning=self.config.unclosed_reasoning,
            concurrency=self.config.concurrency or self.backend.default_concurrency,
            rps=self.config.rps,
            retries=self.config.retries,
            **self.config.meta,
            n_tasks=len(self.tasks),
            this_run=asdict(self.stats) | {
                "completion_tokens_per_s": round(self.stats.completion_tokens / self.stats.wall_s, 2)
                if self.stats.wall_s else None,
                "latency_s_p50": latencies[len(latencies) // 2] if latencies else None,
                "latency_s_p95": latencies[int(len(latencies) * 0.95)] if latencies else None,
            },
            all_responses={
                "count": len(records),
                "errors": sum(r.error is not None for r in records),
                "prompt_tokens": sum(r.prompt_tokens or 0 for r in records),
                "completion_tokens": sum(r.completion_tokens or 0 for r in records),
                "generation_s": round(sum(r.latency_s or 0 for r in records), 3),
            },
            summary=asdict(summary) if summary else None,
            files={name: path.name for name, path in self.paths.items()},
        )
        write_manifest(self.paths["run"], with_protocol(manifest))


def _digest(messages: list[dict[str, str]]) -> str:
    """A short hash of the messages a reply answers, to notice edited tasks on resume."""
    text = json.dumps(messages, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]

