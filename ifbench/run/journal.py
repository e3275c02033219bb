"""The journal of a run: responses.jsonl appended reply by reply, so a re-run resumes where it stopped.

Every finished reply is written and flushed at once (a SIGKILL loses nothing) and fsync'd at
most once a second. Lines are keyed by (suite, task, sample, turn) and carry the model name
and the settings hash; an output directory holds one model with one set of settings, so a
file holding other ones is refused rather than mixed in. A failed write (disk full) stops the
run with OutputError; the lines before it stay valid, and the next run resumes from them.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import IO

from ifbench.errors import OutputError, ResponsesError
from ifbench.records import (
    RESPONSES_FILE,
    RUN_FILE,
    ResponseRecord,
    dumps,
    read_jsonl,
    read_manifest,
    repair_tail,
    validated,
    write_jsonl,
)
from ifbench.run.backends import GenerationSettings

Key = tuple[str, str, int, int]
"""(suite, task id, sample, turn)"""
FSYNC_EVERY_S = 1.0


def key_of(record: ResponseRecord) -> Key:
    return (record.suite, record.task_id, record.sample, record.turn)


class Journal:
    """responses.jsonl of one output directory, for one model and one set of settings."""

    def __init__(self, out: Path, model: str, settings: GenerationSettings):
        self.path = out / RESPONSES_FILE
        self.model, self.settings, self.digest = model, settings, settings.digest()
        self.records: dict[Key, ResponseRecord] = {}
        """The latest line of each key (an errored reply answered again is replaced)."""
        self._lines = 0
        self._file: IO[str] | None = None
        self._synced = 0.0
        self._failed = False

    def load(self) -> None:
        """Read what earlier runs stored; ResponsesError if it is another model's or settings'."""
        if not self.path.exists():
            return
        repair_tail(self.path)
        others: dict[tuple[object, object], int] = {}
        for number, data in read_jsonl(self.path):
            self._lines += 1
            if data.get("model") != self.model or data.get("settings_hash") != self.digest:
                key = (data.get("model"), data.get("settings_hash"))
                others[key] = others.get(key, 0) + 1
                continue
            record = validated(ResponseRecord, data, f"{self.path}:{number}")
            self.records[key_of(record)] = record
        if others:
            (model, digest), n = next(iter(others.items()))
            what = "another model" if model != self.model else "other generation settings"
            raise ResponsesError(
                f"{self.path} holds {n} response(s) from {what} (model {model!r}, settings {digest}; "
                f"this run: {self.model!r}, settings {self.digest}{self._settings_diff()}). "
                "An output directory holds one model with one set of settings, so they are not "
                "mixed: pass another --out, or delete the directory to start over."
            )

    def _settings_diff(self) -> str:
        try:
            manifest = read_manifest(self.path.with_name(RUN_FILE))
        except ResponsesError:
            return ""
        before = (manifest.settings if manifest else None) or {}
        now = self.settings.model_dump(mode="json")
        changed = [f"{k}: {json.dumps(before.get(k))} -> {json.dumps(now[k])}"
                   for k in now if before.get(k) != now[k]]
        return f"; changed: {', '.join(changed)}" if changed else ""

    def open(self) -> None:
        try:
            self._file = self.path.open("a", encoding="utf-8")
        except OSError as error:
            raise self._write_error(error) from None
        self._synced = time.monotonic()

    def append(self, record: ResponseRecord) -> None:
        assert self._file is not None, "open() the journal first"
        try:
            self._file.write(dumps(record) + "\n")
            self._file.flush()
            if time.monotonic() - self._synced > FSYNC_EVERY_S:
                os.fsync(self._file.fileno())
                self._synced = time.monotonic()
        except OSError as error:
            self._failed = True
            raise self._write_error(error) from None
        self.records[key_of(record)] = record
        self._lines += 1

    def close(self) -> None:
        """Sync and close; then keep only the latest line per key if some were answered again.

        After a failed write it only lets go of the file: a half-written last line is repaired
        when the next run loads the journal.
        """
        if self._file is not None:
            file, self._file = self._file, None
            try:
                file.flush()
                os.fsync(file.fileno())
                file.close()
            except OSError as error:
                with contextlib.suppress(OSError):
                    file.close()
                if not self._failed:
                    self._failed = True
                    raise self._write_error(error) from None
        if self._lines > len(self.records) and not self._failed:
            write_jsonl(self.path, self.records.values())
            self._lines = len(self.records)

    def _write_error(self, error: OSError) -> OutputError:
        return OutputError(
            f"cannot write {self.path}: {error.strerror or error}. The {len(self.records)} "
            "response(s) written before stay; make room and run the same command again to resume."
        )

