"""Loading results.jsonl files and run directories."""

from __future__ import annotations

import json

import pytest

from ifbench.leaderboard.load import (
    LeaderboardError,
    family_of,
    find_results,
    load_results,
)


@pytest.mark.parametrize(
    ("checker", "family"),
    [("length.words", "length"), ("ifeval:keywords:existence", "ifeval"),
     ("ifbench:count:word_count_range", "ifbench"), ("steps.ordered", "steps"), ("plain", "plain")],
)
def test_family_is_the_part_before_the_first_dot_or_colon(checker, family):
    assert family_of(checker) == family


def test_one_row_per_sample_and_one_per_verdict(hand_made_dir):
    results = load_results([hand_made_dir])
    assert len(results.samples) == 10
    assert len(results.verdicts) == 2 + 2 + 1 + 1 + 3 + 3 + 2 + 1 + 3 + 1
    assert results.samples["n_constraints"].sum() == len(results.verdicts)
    assert results.samples["error"].sum() == 1
    first = results.verdicts[results.verdicts["row"] == 1]
    assert list(first["strict"]) == [True, False]
    assert list(first["loose"]) == [True, True]


def test_a_directory_means_its_results_file_and_a_file_itself(hand_made_dir):
    by_dir = load_results([hand_made_dir])
    by_file = load_results([hand_made_dir / "results.jsonl"])
    assert len(by_dir.samples) == len(by_file.samples)
    assert by_dir.sources[0].run["ifbench_version"] == "9.9.9"


def test_a_directory_of_runs_means_every_run(tmp_path, lb):
    lb.write_run(tmp_path / "runs" / "a", [lb.record("A", "t1", [(True, True)])])
    lb.write_run(tmp_path / "runs" / "b", [lb.record("B", "t1", [(True, True)])])
    assert len(find_results([tmp_path / "runs"])) == 2


def test_the_same_file_twice_is_read_once(hand_made_dir):
    results = load_results([hand_made_dir, hand_made_dir / "results.jsonl"])
    assert len(results.sources) == 1


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(LeaderboardError, match="no such file"):
        load_results([tmp_path / "nope.jsonl"])


def test_directory_without_results_says_how_to_make_them(tmp_path):
    with pytest.raises(LeaderboardError, match="ifbench run"):
        load_results([tmp_path])


def test_malformed_line_names_path_and_line(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [lb.record("M", "t1", [(True, True)])])
    with (run / "results.jsonl").open("a") as out:
        out.write("{not json}\n")
    with pytest.raises(LeaderboardError, match=r"results.jsonl:2: invalid JSON"):
        load_results([run])


def test_line_without_a_required_field_names_it(tmp_path, lb):
    rec = lb.record("M", "t1", [(True, True)])
    del rec["prompt_strict"]
    run = lb.write_run(tmp_path / "r", [rec])
    with pytest.raises(LeaderboardError, match=r":1: not a result line: missing field 'prompt_strict'"):
        load_results([run])


def test_a_last_line_cut_short_by_a_crash_is_ignored(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [lb.record("M", "t1", [(True, True)])])
    with (run / "results.jsonl").open("a") as out:
        out.write('{"task_id": "t2", "suite"')
    assert len(load_results([run]).samples) == 1


def test_blank_lines_and_leading_spaces_are_fine(tmp_path, lb):
    path = tmp_path / "results.jsonl"
    line = json.dumps(lb.record("M", "t1", [(True, True)]))
    path.write_text(f"\n   {line}\r\n\n", encoding="utf-8")
    assert len(load_results([path]).samples) == 1


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(LeaderboardError, match="no result lines"):
        load_results([path])


def test_duplicate_rows_across_files_are_refused(tmp_path, lb):
    one = lb.write_run(tmp_path / "one", [lb.record("M", "t1", [(True, True)])])
    two = lb.write_run(tmp_path / "two", [lb.record("M", "t1", [(False, False)])])
    with pytest.raises(LeaderboardError, match="model 'M' suite 's' task 't1' sample 0"):
        load_results([one, two])


def test_bad_run_json_is_refused_because_its_settings_are_published(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [lb.record("M", "t1", [(True, True)])])
    (run / "run.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(LeaderboardError, match=r"run.json: invalid JSON at line 1: .*; fix or remove it"):
        load_results([run])


def test_optional_fields_may_be_absent(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps({"task_id": 7, "suite": "s", "model": "M", "prompt_strict": True,
                                "prompt_loose": True}) + "\n", encoding="utf-8")
    samples = load_results([path]).samples
    assert samples.loc[0, "task_id"] == "7"
    assert samples.loc[0, "suite_sha256"] == ""
    assert samples.loc[0, "n_constraints"] == 0


def test_chinese_text_and_lone_surrogates_load(tmp_path, lb):
    rec = lb.record("模型", "任务", [(True, True)])
    rec["constraints"][0]["reason"] = "\ud800 broken"
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=True) + "\n", encoding="utf-8")
    assert load_results([path]).samples.loc[0, "model"] == "模型"
