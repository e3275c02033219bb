"""Aggregation on hand-made results whose numbers are worked out in conftest.hand_made()."""

from __future__ import annotations

import math

import pytest

from ifbench.leaderboard.aggregate import breakdown, leaderboard, task_scores
from ifbench.leaderboard.load import load_results


@pytest.fixture
def table(hand_made_dir):
    return leaderboard(load_results([hand_made_dir]), n_boot=200)


def row(table, model, suite="s"):
    found = table[(table["model"] == model) & (table["suite"] == suite)]
    assert len(found) == 1
    return found.iloc[0]


def test_one_row_per_model_suite_and_hash(table):
    assert sorted(zip(table["model"], table["suite"], table["suite_sha256"])) == [
        ("A", "s", "h1"), ("B", "s", "h1"), ("B", "s2", "h2")]


def test_samples_are_averaged_per_task_first(table):
    a = row(table, "A")
    assert a["prompt_strict"] == pytest.approx(2 / 3)
    assert a["prompt_loose"] == pytest.approx(2.5 / 3)
    assert a["inst_strict"] == pytest.approx(4 / 6)
    assert a["inst_loose"] == pytest.approx(4.5 / 6)
    assert a["samples"] == 2


def test_truncated_replies_are_counted_and_set_apart_in_prompt_strict_completed(tmp_path, lb):
    cut = [lb.record("M", "t1", [(False, False)], sample=0) | {"truncated": True},
           lb.record("M", "t1", [(True, True)], sample=1),
           lb.record("M", "t2", [(False, False)], language="zh") | {"truncated": True},
           lb.record("M", "t3", [(True, True)], language="zh"),
           lb.record("M", "t4", [(False, False)])]
    m = row(leaderboard(load_results([lb.write_run(tmp_path / "m", cut)]), n_boot=50), "M")
    assert m["truncated"] == pytest.approx((0.5 + 1 + 0 + 0) / 4)
    assert m["prompt_strict"] == pytest.approx((0.5 + 0 + 1 + 0) / 4)
    assert m["prompt_strict_completed"] == pytest.approx((1 + 1 + 0) / 3)  # t2 never finished


def test_single_sample_model(table):
    b = row(table, "B")
    assert b["prompt_strict"] == pytest.approx(1 / 3)
    assert b["inst_strict"] == pytest.approx(4 / 6)
    assert b["n_tasks"] == 3
    assert b["n_constraints"] == 6
    assert b["samples"] == 1


def test_errors_count_result_lines_without_a_response(table):
    assert row(table, "A")["errors"] == 1
    assert row(table, "B")["errors"] == 0


def test_per_category_and_language_columns(table):
    a = row(table, "A")
    assert a["prompt_strict[category=basic]"] == pytest.approx(0.5)
    assert a["prompt_strict[category=creative]"] == pytest.approx(1.0)
    assert a["prompt_strict[language=en]"] == pytest.approx(0.5)
    assert a["prompt_strict[language=zh]"] == pytest.approx(0.75)
    b2 = row(table, "B", "s2")
    assert b2["prompt_strict[language=en]"] == 1.0
    assert math.isnan(b2["prompt_strict[language=zh]"])  # no zh task in s2


def test_sorted_by_prompt_strict_best_first(table):
    assert list(table["prompt_strict"]) == sorted(table["prompt_strict"], reverse=True)
    assert list(zip(table["model"], table["suite"])) == [("B", "s2"), ("A", "s"), ("B", "s")]


def test_run_json_fills_version_date_and_settings(table):
    a = row(table, "A")
    assert a["ifbench_version"] == "9.9.9"
    assert a["date"] == "2026-04-01"
    assert (a["temperature"], a["max_tokens"], a["seed"], a["mode"]) == (0.0, 256, 7, "chat")


def test_without_run_json_version_is_ours_and_settings_empty(tmp_path, lb):
    from ifbench import __version__

    run = lb.write_run(tmp_path / "bare", [lb.record("M", "t1", [(True, True)])])
    t = leaderboard(load_results([run]), n_boot=50)
    assert t.loc[0, "ifbench_version"] == __version__
    assert len(t.loc[0, "date"]) == 10
    assert t.loc[0, "temperature"] is None


def test_accuracies_are_fractions(table):
    for column in [c for c in table.columns if c.startswith(("prompt_", "inst_"))]:
        values = table[column].dropna()
        assert ((values >= 0) & (values <= 1)).all(), column


def test_different_settings_in_one_group_warn(tmp_path, lb):
    one = lb.write_run(tmp_path / "one", [lb.record("M", "t1", [(True, True)])],
                       run={"settings": {"temperature": 0.0}})
    two = lb.write_run(tmp_path / "two", [lb.record("M", "t2", [(True, True)])],
                       run={"settings": {"temperature": 1.0}})
    results = load_results([one, two])
    t = leaderboard(results, n_boot=50)
    assert t.loc[0, "n_tasks"] == 2
    assert any("different temperature" in w for w in results.warnings)


def test_two_suite_hashes_stay_apart_and_warn(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [lb.record("M", "t1", [(True, True)], sha="old"),
                                        lb.record("M", "t1", [(False, False)], sha="new")])
    results = load_results([run])
    t = leaderboard(results, n_boot=50)
    assert sorted(t["suite_sha256"]) == ["new", "old"]
    assert any("2 different suite hashes" in w for w in results.warnings)


def test_task_scores_one_row_per_model_task(hand_made_dir):
    tasks = task_scores(load_results([hand_made_dir]).samples)
    assert len(tasks) == 7
    t3 = tasks[(tasks["model"] == "A") & (tasks["task_id"] == "t3")].iloc[0]
    assert (t3["prompt_strict"], t3["errors"], t3["samples"]) == (0.5, 1, 2)


def test_breakdown_by_checker_and_family(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [
        lb.record("M", "t1", [(True, True, "length.words"), (False, True, "format.bullets")], sample=0),
        lb.record("M", "t1", [(True, True, "length.words"), (True, True, "format.bullets")], sample=1),
        lb.record("M", "t2", [(False, False, "ifeval:keywords:existence"), (True, True, "length.chars")]),
    ])
    results = load_results([run])
    by_checker = breakdown(results, "checker").set_index("checker")
    assert by_checker.loc["format.bullets", "inst_strict"] == pytest.approx(0.5)
    assert by_checker.loc["format.bullets", "inst_loose"] == 1.0
    assert by_checker.loc["format.bullets", "n_constraints"] == 1  # one task; samples averaged
    by_family = breakdown(results, "family").set_index("family")
    assert set(by_family.index) == {"length", "format", "ifeval"}
    assert by_family.loc["length", "inst_strict"] == 1.0
    assert by_family.loc["length", "n_constraints"] == 2
    assert by_family.loc["ifeval", "inst_strict"] == 0.0


def test_breakdown_by_category_pattern_and_language(hand_made_dir):
    results = load_results([hand_made_dir])
    cross = breakdown(results, "pattern")
    a = cross[(cross["model"] == "A")].set_index(["category", "pattern"])
    assert a.loc[("basic", "simple"), "prompt_strict"] == pytest.approx(0.5)
    assert a.loc[("basic", "simple"), "n_tasks"] == 2
    by_language = breakdown(results, "language")
    zh = by_language[(by_language["model"] == "A") & (by_language["language"] == "zh")].iloc[0]
    assert zh["prompt_strict"] == pytest.approx(0.75)
    assert zh["inst_strict"] == pytest.approx(2.5 / 4)


def test_breakdown_without_category_uses_a_label(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [lb.record("M", "t1", [(True, True)], category=None)])
    assert list(breakdown(load_results([run]), "category")["category"]) == ["(none)"]


def test_breakdown_by_turn(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [
        lb.record("M", "t1", [(True, True), (True, True), (False, True)], turns=[0, 1, 1]),
        lb.record("M", "t2", [(True, True)], turns=[0]),
    ])
    turns = breakdown(load_results([run]), "turn").set_index("turn")
    assert turns.loc[0, "prompt_strict"] == 1.0
    assert turns.loc[0, "n_tasks"] == 2
    assert turns.loc[1, "prompt_strict"] == 0.0
    assert turns.loc[1, "prompt_loose"] == 1.0
    assert turns.loc[1, "inst_strict"] == pytest.approx(0.5)
    assert turns.loc[1, "n_tasks"] == 1


def test_unknown_breakdown_names_the_choices(hand_made_dir):
    with pytest.raises(ValueError, match="checker, family"):
        breakdown(load_results([hand_made_dir]), "colour")


def test_runs_under_different_system_prompts_are_different_protocols_ranked_apart(tmp_path, lb):
    def run_json(system):
        return {"settings": {"mode": "chat", "temperature": 0.0, "top_p": 1.0, "max_tokens": 512,
                             "seed": 0, "stop": [], "system": system, "extra_body": {}}, "samples": 1}

    strong = [lb.record("strong", f"t{i}", [(True, True)]) for i in range(40)]
    weak = [lb.record("weak", f"t{i}", [(i < 4, i < 4)]) for i in range(40)]
    same = [lb.record("same", f"t{i}", [(i < 4, i < 4)]) for i in range(40)]
    dirs = [lb.write_run(tmp_path / "a", strong, run=run_json("Answer in English.")),
            lb.write_run(tmp_path / "b", weak, run=run_json("用中文回答。")),
            lb.write_run(tmp_path / "c", same, run=run_json("Answer in English."))]
    table = leaderboard(load_results(dirs), n_boot=100)
    assert row(table, "strong")["protocol"] == row(table, "same")["protocol"] != row(table, "weak")["protocol"]
    assert len(row(table, "weak")["protocol"]) == 12
    # weak is alone under its protocol: rank 1 there, not 2 behind strong
    assert (row(table, "strong")["rank"], row(table, "same")["rank"], row(table, "weak")["rank"]) == (1, 2, 1)
    assert '"system_sha256":' in row(table, "weak")["protocol_settings"]


def test_several_samples_give_a_spread_and_an_every_sample_rate(table, tmp_path, lb):
    a, b = row(table, "A"), row(table, "B")
    assert a["prompt_strict_every_sample"] == pytest.approx(1 / 3)  # only t2 passes in both samples
    assert a["prompt_strict_sample_sd"] == pytest.approx(0.0)  # 2/3 in sample 0 and in sample 1
    assert b["prompt_strict_every_sample"] == pytest.approx(b["prompt_strict"])
    assert math.isnan(b["prompt_strict_sample_sd"])
    varied = [lb.record("V", f"t{i}", [(ok, ok)], sample=k)
              for k, passes in enumerate([{0, 1, 2}, {0}, {0, 1}]) for i in range(3) for ok in [i in passes]]
    v = row(leaderboard(load_results([lb.write_run(tmp_path / "v", varied)]), n_boot=20), "V")
    assert v["prompt_strict"] == pytest.approx(6 / 9)
    assert v["prompt_strict_every_sample"] == pytest.approx(1 / 3)
    assert v["prompt_strict_sample_sd"] == pytest.approx(1 / 3)  # per-sample 1, 1/3, 2/3
