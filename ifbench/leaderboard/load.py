"""results.jsonl files -> pandas tables: one row per (model, suite, task, sample), one per verdict.

Lines are parsed with `json` one at a time straight into compact columns (category codes
in `array`s), so a million result lines stay well under a gigabyte and take seconds;
`pandas.read_json(lines=True)` builds a Python object per nested verdict and is several
times slower and larger (see bench/bench_leaderboard.py).
"""

from __future__ import annotations

import math
import reprlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ifbench.errors import LeaderboardError, ResponsesError
from ifbench.protocol import protocol_of
from ifbench.leaderboard.columns import SETTINGS_COLUMNS
from ifbench.records import (
    RESPONSES_FILE,
    RESULT_VERSION,
    RESULTS_FILE,
    RUN_FILE,
    check_version,
    read_jsonl,
    read_manifest,
)

SAMPLE_KEY = ["model", "suite", "suite_sha256", "task_id", "sample"]
_DATE_KEYS = ("date", "finished_at", "finished", "ended_at", "started_at", "started", "created_at")


@dataclass(frozen=True)
class Source:
    """One results.jsonl and what sits next to it."""

    path: Path
    run: dict[str, Any]
    """run.json's content, {} when absent."""
    date: str
    """YYYY-MM-DD: when it was scored (run.json), else generated, else the file's modification time (UTC)."""

    @property
    def responses(self) -> Path | None:
        path = self.path.with_name(RESPONSES_FILE)
        return path if path.is_file() else None

    @property
    def version(self) -> str | None:
        """The ifbench version that scored the results (it decides the verdicts), if known."""
        scoring = self.run.get("scoring") or {}
        return scoring.get("ifbench_version") or self.run.get("ifbench_version")

    @property
    def settings(self) -> dict[str, Any]:
        settings = self.run.get("settings")
        return settings if isinstance(settings, dict) else {}

    @property
    def protocol(self) -> dict[str, Any] | None:
        """The run's protocol (ifbench/protocol.py), derived from run.json; None without one."""
        return protocol_of(self.run)


@dataclass
class Results:
    """Everything loaded, as flat tables."""

    samples: pd.DataFrame
    """One row per (model, suite, suite_sha256, task_id, sample): categorical keys, language,
    category, pattern, prompt_strict, prompt_loose, error, truncated (bools), n_constraints, n_strict,
    n_loose, source (index into `sources`)."""
    verdicts: pd.DataFrame
    """One row per constraint verdict: row (index into `samples`), checker, family, turn,
    strict, loose."""
    sources: list[Source]
    warnings: list[str] = field(default_factory=list)


def family_of(checker_id: str) -> str:
    """`length.words` -> `length`; `ifeval:keywords:existence` -> `ifeval`."""
    cut = min((i for i in (checker_id.find("."), checker_id.find(":")) if i >= 0), default=-1)
    return checker_id[:cut] if cut > 0 else checker_id


def find_results(paths: Iterable[str | Path]) -> list[Path]:
    """results.jsonl files from files or run directories (a directory without one: its
    subdirectories' results.jsonl). Each file once, in the order given."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            direct = path / RESULTS_FILE
            nested = sorted(path.glob(f"*/{RESULTS_FILE}"))
            if direct.is_file():
                found.append(direct)
            elif nested:
                found.extend(nested)
            else:
                raise LeaderboardError(
                    f"{path}: no {RESULTS_FILE} in this directory or its subdirectories "
                    "(run `ifbench run` or `ifbench score` first)"
                )
        elif path.is_file():
            found.append(path)
        else:
            raise LeaderboardError(f"{path}: no such file or directory")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def read_source(path: Path) -> Source:
    """The results file with its run.json, which must be readable: its settings are published."""
    run: dict[str, Any] = {}
    run_json = path.with_name(RUN_FILE)
    try:
        manifest = read_manifest(run_json)
    except ResponsesError as error:
        raise LeaderboardError(f"{error}; fix or remove it") from None
    if manifest is not None:
        _check_settings(manifest.settings or {}, run_json)  # before dumping turns NaN into null
        run = manifest.model_dump(mode="json", exclude_unset=True)
    scoring = run.get("scoring") or {}
    date = ""
    for value in [scoring.get("scored_at")] + [run.get(key) for key in _DATE_KEYS]:
        if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
            date = value[:10]
            break
    if not date:
        stamp = path.stat().st_mtime
        date = datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y-%m-%d")
    return Source(path=path, run=run, date=date)


_INT64 = range(-(1 << 63), 1 << 63)
"""Whole-number settings become a nullable int64 CSV column."""
_SETTING_KINDS = {"mode": "a string", "temperature": "a finite number", "top_p": "a finite number",
                  "max_tokens": "a whole number", "seed": "a whole number"}


def _fits(kind: str, value: object) -> bool:
    if kind == "a string":
        return type(value) is str
    if kind == "a whole number":
        return type(value) is int and value in _INT64
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


def _check_settings(settings: dict[str, Any], run_json: Path) -> None:
    """Refuse a published setting of the wrong type (null means unknown); others are not read."""
    for name in SETTINGS_COLUMNS:
        value, kind = settings.get(name), _SETTING_KINDS[name]
        if value is not None and not _fits(kind, value):
            raise LeaderboardError(
                f"{run_json}: settings.{name} must be {kind}, not {reprlib.repr(value)}; fix or remove it"
            )


def _text(value: Any, name: str) -> str:
    if type(value) is not str or not value:
        raise ValueError(f"'{name}' must be a non-empty string, not {reprlib.repr(value)}")
    return value


def _flag(value: Any, name: str) -> int:
    """1 or 0 for JSON true or false; anything else (NaN, 1, "yes") is refused, never truthy."""
    if type(value) is not bool:
        raise ValueError(f"'{name}' must be true or false, not {reprlib.repr(value)}")
    return 1 if value else 0


def _whole(value: Any, name: str, high: int) -> int:
    if type(value) is not int or not 0 <= value <= high:
        raise ValueError(f"'{name}' must be a whole number from 0 to {high}, not {reprlib.repr(value)}")
    return value


class _Codes(dict):
    """key -> small int code, assigned on first sight. Keys are strings, or tuples of
    strings and None (a missing value)."""

    def __missing__(self, key: Any) -> int:
        parts = key if type(key) is tuple else (key,)
        for part in parts:
            if part is not None and type(part) is not str:
                raise TypeError(f"expected a string, got {type(part).__name__}: {part!r}")
        code = self[key] = len(self)
        return code


def _split(codes: _Codes, names: tuple[str, ...], rows: np.ndarray) -> dict[str, pd.Categorical]:
    """Per-row categoricals for each part of the tuple keys in `codes` (rows hold key codes)."""
    keys = list(codes)
    columns = {}
    for i, name in enumerate(names):
        part_codes, uniques = pd.factorize(pd.Series([k[i] for k in keys], dtype=object))
        columns[name] = pd.Categorical.from_codes(
            np.asarray(part_codes, dtype=np.int32)[rows] if len(keys) else rows,
            categories=list(uniques),
        )
    return columns


class _Columns:
    """Growing columns for both tables, packed so the parse loop does few appends per line.

    A line's counts are one int: n_constraints + n_strict << 20 + n_loose << 40 + flags << 60
    (flags: prompt_strict 1, prompt_loose 2, error 4). A verdict is one int: checker code <<
    10 + turn << 2 + loose << 1 + strict.
    """

    GROUP = ("model", "suite", "suite_sha256")
    ATTRS = ("language", "category", "pattern")
    MAX_TURN = 255
    MAX_CONSTRAINTS = (1 << 20) - 1
    MAX_SAMPLE = (1 << 63) - 1

    def __init__(self) -> None:
        self.groups, self.tasks, self.attrs, self.checkers = _Codes(), _Codes(), _Codes(), _Codes()
        self.group, self.task, self.attr = array("i"), array("i"), array("i")
        self.sample = array("q")
        self.truncated = array("b")
        self.stats = array("q")
        self.verdicts = array("q")
        self.file_rows: list[int] = []

    def add_file(self, path: Path) -> None:
        groups, tasks, attrs, checkers = self.groups, self.tasks, self.attrs, self.checkers
        group, task, attr = self.group.append, self.task.append, self.attr.append
        sample, stats, verdict_append = self.sample.append, self.stats.append, self.verdicts.append
        truncated = self.truncated.append
        max_turn, max_constraints, max_sample = self.MAX_TURN, self.MAX_CONSTRAINTS, self.MAX_SAMPLE
        before = len(self.stats)
        for number, rec in read_jsonl(path, LeaderboardError):
            try:
                get = rec.get
                if get("version", RESULT_VERSION) != RESULT_VERSION:
                    check_version("results.jsonl record", get("version"), RESULT_VERSION)
                group(groups[(_text(rec["model"], "model"), _text(rec["suite"], "suite"),
                              get("suite_sha256") or "")])
                task_id = rec["task_id"]
                task(tasks[str(task_id) if type(task_id) is int else _text(task_id, "task_id")])
                attr(attrs[(get("language") or None, get("category") or None, get("pattern") or None)])
                sample(_whole(get("sample") or 0, "sample", max_sample))
                truncated(_flag(get("truncated", False), "truncated"))
                n_strict = n_loose = 0
                constraints = get("constraints") or []
                if type(constraints) is not list:
                    raise ValueError(f"'constraints' must be a list, not {reprlib.repr(constraints)}")
                for verdict in constraints:
                    if type(verdict) is not dict:
                        raise ValueError(f"each constraint must be an object, not {reprlib.repr(verdict)}")
                    strict = _flag(verdict["strict"], "strict")
                    loose = _flag(verdict["loose"], "loose")
                    turn = _whole(verdict.get("turn") or 0, "turn", max_turn)
                    checker = checkers[_text(verdict["id"], "id")]
                    verdict_append((checker << 10) + (turn << 2) + (loose << 1) + strict)
                    n_strict += strict
                    n_loose += loose
                if len(constraints) > max_constraints:
                    raise ValueError(f"more than {max_constraints} constraints")
                flags = (_flag(rec["prompt_strict"], "prompt_strict")
                         + 2 * _flag(rec["prompt_loose"], "prompt_loose")
                         + (0 if get("error") is None else 4))
                stats(len(constraints) + (n_strict << 20) + (n_loose << 40) + (flags << 60))
            except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
                what = f"missing field {error}" if isinstance(error, KeyError) else str(error)
                raise LeaderboardError(f"{path}:{number}: not a result line: {what}") from None
        self.file_rows.append(len(self.stats) - before)

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        def numbers(values: array, dtype: Any) -> np.ndarray:
            return np.frombuffer(values, dtype=dtype).copy() if len(values) else np.zeros(0, dtype)

        columns = _split(self.groups, self.GROUP, numbers(self.group, np.int32))
        columns["task_id"] = pd.Categorical.from_codes(
            numbers(self.task, np.int32), categories=list(self.tasks))
        columns.update(_split(self.attrs, self.ATTRS, numbers(self.attr, np.int32)))
        samples = pd.DataFrame(columns)
        samples["sample"] = numbers(self.sample, np.int64)
        stats = numbers(self.stats, np.int64)
        flags = stats >> 60
        samples["prompt_strict"] = (flags & 1).astype(bool)
        samples["prompt_loose"] = (flags & 2).astype(bool)
        samples["error"] = (flags & 4).astype(bool)
        samples["truncated"] = numbers(self.truncated, np.int8).astype(bool)
        field_mask = (1 << 20) - 1
        samples["n_constraints"] = (stats & field_mask).astype(np.int32)
        samples["n_strict"] = ((stats >> 20) & field_mask).astype(np.int32)
        samples["n_loose"] = ((stats >> 40) & field_mask).astype(np.int32)
        samples["source"] = np.repeat(np.arange(len(self.file_rows), dtype=np.int32), self.file_rows)
        packed = numbers(self.verdicts, np.int64)
        checker_codes = (packed >> 10).astype(np.int32)
        checkers = list(self.checkers)
        family_codes, family_names = pd.factorize(
            pd.Series([family_of(c) for c in checkers], dtype=object), sort=True)
        verdicts = pd.DataFrame(
            {
                "row": np.repeat(np.arange(len(samples), dtype=np.int64), samples["n_constraints"]),
                "checker": pd.Categorical.from_codes(checker_codes, categories=checkers),
                "family": pd.Categorical.from_codes(
                    np.asarray(family_codes, dtype=np.int32)[checker_codes],
                    categories=list(family_names),
                ),
                "turn": ((packed >> 2) & self.MAX_TURN).astype(np.int32),
                "strict": (packed & 1).astype(bool),
                "loose": (packed & 2).astype(bool),
            }
        )
        return samples, verdicts


def load_results(paths: Iterable[str | Path]) -> Results:
    """Load results.jsonl files (or run directories); LeaderboardError names the bad line."""
    warnings: list[str] = []
    files = find_results(paths)
    columns = _Columns()
    sources: list[Source] = []
    for path in files:
        sources.append(read_source(path))
        columns.add_file(path)
    samples, verdicts = columns.frames()
    if samples.empty:
        raise LeaderboardError("no result lines in " + ", ".join(map(str, files)))
    _refuse_duplicates(samples, sources)
    return Results(samples=samples, verdicts=verdicts, sources=sources, warnings=warnings)


def _refuse_duplicates(samples: pd.DataFrame, sources: list[Source]) -> None:
    duplicated = samples.duplicated(SAMPLE_KEY, keep=False)
    if not duplicated.any():
        return
    clash = samples[duplicated].sort_values(SAMPLE_KEY)
    first = clash.iloc[0]
    files = sorted({str(sources[i].path) for i in clash["source"]})
    raise LeaderboardError(
        f"{int(duplicated.sum())} result lines share a (model, suite, suite_sha256, task, sample), "
        f"e.g. model '{first['model']}' suite '{first['suite']}' task '{first['task_id']}' "
        f"sample {first['sample']}, in {', '.join(files)}; pass each run once"
    )
