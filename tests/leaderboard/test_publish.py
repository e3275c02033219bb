"""Published CSV: exact columns, merge semantics, stable bytes."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from ifbench.leaderboard.aggregate import leaderboard
from ifbench.leaderboard.columns import CORE_COLUMNS, FIXED_COLUMNS, columns_markdown
from ifbench.leaderboard.load import LeaderboardError, load_results
from ifbench.leaderboard.publish import merge, publish, read_csv, write_csv

SPEC_COLUMNS = [
    "model", "suite", "suite_sha256", "n_tasks", "n_constraints", "prompt_strict", "prompt_loose",
    "inst_strict", "inst_loose", "prompt_strict_ci_low", "prompt_strict_ci_high", "errors",
    "ifbench_version", "date",
]


def table_of(tmp_path, lb, name, records):
    return leaderboard(load_results([lb.write_run(tmp_path / name, records)]), n_boot=100)


def test_csv_columns_are_the_spec_then_fixed_extras_then_categories_and_languages(hand_made_dir, tmp_path):
    path = tmp_path / "board.csv"
    write_csv(leaderboard(load_results([hand_made_dir]), n_boot=100), path)
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert list(CORE_COLUMNS) == SPEC_COLUMNS
    assert header[: len(SPEC_COLUMNS)] == SPEC_COLUMNS
    assert header[: len(FIXED_COLUMNS)] == list(FIXED_COLUMNS)
    assert header[len(FIXED_COLUMNS):] == [
        "prompt_strict[category=basic]", "prompt_strict[category=creative]",
        "prompt_strict[language=en]", "prompt_strict[language=zh]",
    ]


def test_written_values(hand_made_dir, tmp_path):
    path = tmp_path / "board.csv"
    write_csv(leaderboard(load_results([hand_made_dir]), n_boot=100), path)
    rows = read_csv(path)
    a = rows[rows["model"] == "A"].iloc[0]
    assert a["prompt_strict"] == 0.666667  # 6 decimals
    assert a["n_tasks"] == 3 and a["errors"] == 1 and a["max_tokens"] == 256
    text = path.read_text(encoding="utf-8")
    assert ",256," in text and ",256.0," not in text  # counts stay integers
    assert "\r" not in text


def test_truncated_shares_are_rounded_like_the_accuracies(hand_made_dir, tmp_path):
    table = leaderboard(load_results([hand_made_dir]), n_boot=100)
    table["truncated"], table["prompt_strict_completed"] = 1 / 3, 2 / 3
    path = tmp_path / "board.csv"
    write_csv(table, path)
    rows = read_csv(path)
    assert set(rows["truncated"]) == {0.333333} and set(rows["prompt_strict_completed"]) == {0.666667}


def test_rewriting_the_same_results_gives_the_same_bytes(hand_made_dir, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    write_csv(leaderboard(load_results([hand_made_dir]), n_boot=100), one)
    write_csv(leaderboard(load_results([hand_made_dir]), n_boot=100), two)
    assert one.read_bytes() == two.read_bytes()


def test_publish_replaces_the_same_key_and_keeps_the_rest(tmp_path, lb):
    path = tmp_path / "leaderboard" / "board.csv"
    first = table_of(tmp_path, lb, "first", [
        lb.record("A", "t1", [(True, True)]), lb.record("A", "t2", [(False, False)]),
        lb.record("B", "t1", [(True, True)]),
        lb.record("A", "t1", [(True, True)], suite="other", sha="h9"),
    ])
    report = publish(first, path)
    assert (report.added, report.replaced, report.kept) == (3, 0, 0)
    rerun = table_of(tmp_path, lb, "rerun", [
        lb.record("A", "t1", [(True, True)]), lb.record("A", "t2", [(True, True)]),
    ])
    report = publish(rerun, path)
    assert (report.added, report.replaced, report.kept) == (0, 1, 2)
    rows = read_csv(path)
    assert len(rows) == 3
    a = rows[(rows["model"] == "A") & (rows["suite"] == "s")]
    assert list(a["prompt_strict"]) == [1.0]
    assert set(zip(rows["model"], rows["suite"])) == {("A", "s"), ("B", "s"), ("A", "other")}
    assert list(rows["prompt_strict"]) == sorted(rows["prompt_strict"], reverse=True)


def test_a_new_suite_hash_is_a_new_row_not_a_replacement(tmp_path, lb):
    path = tmp_path / "board.csv"
    publish(table_of(tmp_path, lb, "v1", [lb.record("A", "t1", [(True, True)], sha="v1")]), path)
    report = publish(table_of(tmp_path, lb, "v2", [lb.record("A", "t1", [(False, False)], sha="v2")]), path)
    assert (report.added, report.replaced, report.kept) == (1, 0, 1)
    assert sorted(read_csv(path)["suite_sha256"]) == ["v1", "v2"]


def test_merge_keeps_columns_of_old_rows_and_adds_new_ones(tmp_path, lb):
    old = table_of(tmp_path, lb, "old", [lb.record("A", "t1", [(True, True)], language="en")])
    new = table_of(tmp_path, lb, "new", [lb.record("B", "t1", [(True, True)], language="zh")])
    merged, _ = merge(old, new)
    assert {"prompt_strict[language=en]", "prompt_strict[language=zh]"} <= set(merged.columns)
    assert merged.columns[-1] == "prompt_strict[language=zh]"


def test_text_like_na_stays_text(tmp_path, lb):
    path = tmp_path / "board.csv"
    publish(table_of(tmp_path, lb, "na", [lb.record("NA", "t1", [(True, True)], suite="null")]), path)
    rows = read_csv(path)
    assert (rows.loc[0, "model"], rows.loc[0, "suite"]) == ("NA", "null")


def test_reading_a_csv_that_is_not_a_leaderboard_fails_clearly(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(LeaderboardError, match="no column model"):
        read_csv(path)


def test_ranks_are_recomputed_after_a_merge(tmp_path, lb):
    good = [lb.record("A", f"t{i}", [(True, True)]) for i in range(60)]
    bad = [lb.record("B", f"t{i}", [(i < 6, i < 6)]) for i in range(60)]
    path = tmp_path / "board.csv"
    publish(table_of(tmp_path, lb, "a", good), path)
    assert list(read_csv(path)["rank"]) == [1]
    publish(table_of(tmp_path, lb, "b", bad), path)
    rows = read_csv(path).set_index("model")
    assert (rows.loc["A", "rank"], rows.loc["B", "rank"]) == (1, 2)


def test_column_reference_lists_every_fixed_column():
    reference = columns_markdown()
    for column in FIXED_COLUMNS:
        assert f"| `{column}` |" in reference


FORMULAS = ['=HYPERLINK("http://evil","click")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def formula_run(tmp_path, lb):
    """One model per formula-like name, on a suite, category and checker that look like formulas too."""
    records = [lb.record(name, "t1", [(True, True, "=checker.id")], suite="=suite", category="@cat")
               for name in [*FORMULAS, "M", "'=already quoted", "'plain"]]
    return lb.write_run(tmp_path / "run", records, run={"settings": {"seed": -1, "temperature": 0.5}})


def raw_cells(path):
    with path.open(encoding="utf-8", newline="") as file:
        return [cell for row in csv.reader(file) for cell in row]


def test_cells_a_spreadsheet_would_run_as_formulas_start_with_a_quote(tmp_path, lb):
    path = tmp_path / "board.csv"
    write_csv(leaderboard(load_results([formula_run(tmp_path, lb)]), n_boot=20), path)
    cells = raw_cells(path)
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert "'=HYPERLINK(\"http://evil\",\"click\")" in cells and "'=suite" in cells
    assert "''=already quoted" in cells and "'plain" in cells  # so reading strips exactly one quote


def test_ordinary_names_and_negative_numbers_read_back_unchanged(tmp_path, lb):
    path = tmp_path / "board.csv"
    write_csv(leaderboard(load_results([formula_run(tmp_path, lb)]), n_boot=20), path)
    plain = pd.read_csv(path, keep_default_na=False)
    assert "M" in set(plain["model"]) and "'plain" in set(plain["model"])
    assert set(plain["seed"]) == {-1} and set(plain["temperature"]) == {0.5}
    assert set(read_csv(path)["model"]) == {*FORMULAS, "M", "'=already quoted", "'plain"}


def test_publishing_a_formula_like_name_again_replaces_its_row(tmp_path, lb):
    path = tmp_path / "board.csv"
    table = leaderboard(load_results([formula_run(tmp_path, lb)]), n_boot=20)
    publish(table, path)
    report = publish(table, path)
    assert (report.added, report.replaced) == (0, len(table))
