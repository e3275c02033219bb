"""Published leaderboard CSVs: read, merge new rows in (same key replaces), write atomically."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ifbench.errors import LeaderboardError
from ifbench.leaderboard.aggregate import sort_rows
from ifbench.leaderboard.columns import FIXED_COLUMNS, KEY_COLUMNS, METRICS, ordered
from ifbench.leaderboard.stats import assign_ranks

TEXT_COLUMNS = frozenset({"model", "suite", "suite_sha256", "ifbench_version", "date", "mode"})
INTEGER_COLUMNS = ("n_tasks", "n_constraints", "errors", "rank", "samples", "max_tokens", "seed")
DIGITS = 6
"""Accuracies are written with 6 decimals, so regenerating a row gives the same bytes."""
SHARES = (*METRICS, "truncated", "prompt_strict_completed")
"""Fractions in [0, 1], written rounded to DIGITS."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet runs a cell starting with one of these as a formula (`=HYPERLINK(...)`)."""
_QUOTED = (*FORMULA_STARTS, "'")


@dataclass(frozen=True)
class MergeReport:
    added: int
    replaced: int
    kept: int


def read_csv(path: Path) -> pd.DataFrame:
    """A published CSV; text stays text (a model named `NA` is not a missing value)."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise LeaderboardError(f"{path}: cannot read the leaderboard CSV: {error}") from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=list(FIXED_COLUMNS))
    raw = raw.map(_unquoted)
    missing = [c for c in KEY_COLUMNS if c not in raw.columns]
    if missing:
        raise LeaderboardError(f"{path}: not a leaderboard CSV (no column {', '.join(missing)})")
    table = raw.copy()
    for column in table.columns:
        if column in TEXT_COLUMNS:
            continue
        numbers = pd.to_numeric(table[column].replace("", None), errors="coerce")
        if numbers.notna().sum() == (table[column] != "").sum():
            table[column] = numbers
    return table


def _quoted(cell: object) -> object:
    """OWASP's defence: a `'` before text a spreadsheet would run as a formula. Text already
    starting with `'` and a formula character (or a second `'`) gets one too, so that reading
    strips exactly one quote and every name reads back as it was."""
    if type(cell) is str and (cell[:1] in FORMULA_STARTS or (cell[:1] == "'" and cell[1:2] in _QUOTED)):
        return "'" + cell
    return cell


def _unquoted(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _QUOTED else cell


def formula_safe(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its text cells quoted as `_quoted` says; numbers (a seed of -1) are left alone."""
    safe = table.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].astype(object).map(_quoted)
    return safe


def merge(published: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, MergeReport]:
    """`published` with every row whose (model, suite, suite_sha256) is in `new` replaced by it.

    Ranks are recomputed over the merged rows, from the published intervals.
    """
    keys = list(KEY_COLUMNS)
    new_keys = pd.MultiIndex.from_frame(new[keys].astype(str))
    old_keys = pd.MultiIndex.from_frame(published[keys].astype(str)) if len(published) else None
    replaced = old_keys.isin(new_keys) if old_keys is not None else []
    kept = published[~replaced] if len(published) else published
    parts = [part for part in (kept, new) if len(part)]
    table = pd.concat(parts, ignore_index=True) if parts else new.copy()
    if len(table):
        table["rank"] = assign_ranks(table)
    n_replaced = int(pd.Series(replaced).sum()) if len(published) else 0
    report = MergeReport(added=len(new) - n_replaced, replaced=n_replaced, kept=len(kept))
    return sort_rows(table)[ordered(list(table.columns))], report


def tidy(table: pd.DataFrame) -> pd.DataFrame:
    """The table as written: published column order, rounded accuracies, integer counts."""
    table = table[ordered(list(table.columns))].copy()
    for column in table.columns:
        if column in TEXT_COLUMNS:
            table[column] = table[column].fillna("").astype(str)
        elif column in INTEGER_COLUMNS:
            numbers = pd.to_numeric(table[column], errors="coerce")
            if (numbers.dropna() % 1 == 0).all():
                table[column] = numbers.round().astype("Int64")
        elif column in SHARES or "_ci_" in column or column.startswith("prompt_strict["):
            table[column] = pd.to_numeric(table[column], errors="coerce").round(DIGITS)
    return table


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write the leaderboard as published (`tidy`), atomically, UTF-8, `\\n` line ends."""
    _write(tidy(table), path)


def write_plain_csv(table: pd.DataFrame, path: Path) -> None:
    """Write any other table (a breakdown) the same way, accuracies rounded to DIGITS."""
    _write(table.round(DIGITS), path)


def _write(table: pd.DataFrame, path: Path) -> None:
    """Atomically: a reader never sees half a file."""
    safe = formula_safe(table)
    texts = [*map(str, safe.columns)] + [c for column in safe.columns for c in safe[column] if type(c) is str]
    # Python's csv quotes a field holding `\r` only if the line end has one; readers would end
    # the row there, so a table with one is written fully quoted.
    quoting = csv.QUOTE_ALL if any("\r" in text for text in texts) else csv.QUOTE_MINIMAL
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    safe.to_csv(partial, index=False, lineterminator="\n", encoding="utf-8", quoting=quoting)
    os.replace(partial, path)


def publish(table: pd.DataFrame, path: Path) -> MergeReport:
    """Merge `table` into the CSV at `path` (created if absent) and write it back."""
    published = read_csv(path) if path.exists() else pd.DataFrame(columns=list(KEY_COLUMNS))
    merged, report = merge(published, table)
    write_csv(merged, path)
    return report
