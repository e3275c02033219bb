"""Bootstrap intervals, paired comparison, McNemar and ranks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ifbench.leaderboard.aggregate import leaderboard
from ifbench.leaderboard.load import load_results
from ifbench.leaderboard.stats import assign_ranks, mcnemar_exact, paired_comparison


def outcomes_run(tmp_path, lb, name, outcomes_by_model, *, suite="s"):
    """A run with one single-constraint task per outcome, per model."""
    records = [
        lb.record(model, f"t{i:04d}", [(bool(ok), bool(ok))], suite=suite)
        for model, outcomes in outcomes_by_model.items()
        for i, ok in enumerate(outcomes)
    ]
    return lb.write_run(tmp_path / name, records)


def binary(n, p, seed):
    return (np.random.default_rng(seed).random(n) < p).tolist()


def test_interval_contains_the_estimate(tmp_path, lb):
    run = outcomes_run(tmp_path, lb, "r", {"M": binary(300, 0.6, 1), "N": binary(300, 0.3, 2)})
    table = leaderboard(load_results([run]), n_boot=500)
    for metric in ("prompt_strict", "prompt_loose", "inst_strict", "inst_loose"):
        assert (table[f"{metric}_ci_low"] <= table[metric]).all()
        assert (table[metric] <= table[f"{metric}_ci_high"]).all()
        assert (table[f"{metric}_ci_low"] < table[f"{metric}_ci_high"]).all()


def test_interval_shrinks_with_more_tasks(tmp_path, lb):
    small = outcomes_run(tmp_path, lb, "small", {"M": [True, False] * 50})
    large = outcomes_run(tmp_path, lb, "large", {"M": [True, False] * 1000})
    width = {}
    for name, run in (("small", small), ("large", large)):
        row = leaderboard(load_results([run]), n_boot=500).iloc[0]
        assert row["prompt_strict"] == 0.5
        width[name] = row["prompt_strict_ci_high"] - row["prompt_strict_ci_low"]
    assert width["large"] < width["small"] / 3  # about 1/sqrt(20)
    assert width["small"] == pytest.approx(2 * 1.96 * math.sqrt(0.25 / 100), rel=0.2)


def test_same_seed_same_interval_other_seed_other_interval(tmp_path, lb):
    run = outcomes_run(tmp_path, lb, "r", {"M": binary(200, 0.5, 3)})
    columns = ["prompt_strict_ci_low", "prompt_strict_ci_high", "inst_loose_ci_low"]
    first = leaderboard(load_results([run]), seed=1, n_boot=300)[columns]
    again = leaderboard(load_results([run]), seed=1, n_boot=300)[columns]
    other = leaderboard(load_results([run]), seed=2, n_boot=300)[columns]
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_a_rows_interval_does_not_depend_on_other_models_loaded(tmp_path, lb):
    alone = outcomes_run(tmp_path, lb, "alone", {"M": binary(150, 0.5, 4)})
    other = outcomes_run(tmp_path, lb, "other", {"N": binary(150, 0.7, 5)})
    by_itself = leaderboard(load_results([alone]), n_boot=300).iloc[0]
    together = leaderboard(load_results([alone, other]), n_boot=300).set_index("model").loc["M"]
    assert by_itself["prompt_strict_ci_low"] == together["prompt_strict_ci_low"]
    assert by_itself["prompt_strict_ci_high"] == together["prompt_strict_ci_high"]


def test_paired_comparison_detects_a_real_difference(tmp_path, lb):
    a = binary(400, 0.7, 6)
    rng = np.random.default_rng(7)
    b = [ok and rng.random() > 0.25 for ok in a]  # B fails a quarter of what A passes
    run = outcomes_run(tmp_path, lb, "r", {"A": a, "B": b})
    (result,) = paired_comparison(load_results([run]).samples, "A", "B", n_boot=1000)
    assert result.n_tasks == 400
    assert result.difference == pytest.approx(np.mean(a) - np.mean(b))
    assert result.ci_low > 0 and result.significant
    assert result.p_bootstrap < 0.01
    assert result.b_only == 0 and result.a_only > 40
    assert result.p_mcnemar < 1e-6


def test_paired_comparison_finds_no_difference_where_there_is_none(tmp_path, lb):
    a = binary(300, 0.6, 8)
    b = list(a)
    passes = [i for i, ok in enumerate(a) if ok][:15]
    fails = [i for i, ok in enumerate(a) if not ok][:15]
    for i in passes + fails:  # 15 flips each way: the same accuracy, different tasks
        b[i] = not b[i]
    run = outcomes_run(tmp_path, lb, "r", {"A": a, "B": b})
    (result,) = paired_comparison(load_results([run]).samples, "A", "B", n_boot=1000)
    assert result.difference == 0
    assert result.ci_low < 0 < result.ci_high and not result.significant
    assert result.p_bootstrap > 0.5
    assert (result.a_only, result.b_only, result.p_mcnemar) == (15, 15, 1.0)


def test_paired_comparison_uses_only_shared_tasks_and_suites(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [
        lb.record("A", "t1", [(True, True)]), lb.record("A", "t2", [(True, True)]),
        lb.record("B", "t1", [(False, False)]), lb.record("B", "x", [(True, True)], suite="other"),
    ])
    (result,) = paired_comparison(load_results([run]).samples, "A", "B", n_boot=100)
    assert (result.suite, result.n_tasks, result.score_a, result.score_b) == ("s", 1, 1.0, 0.0)


@pytest.mark.parametrize(("a_only", "b_only"), [(0, 0), (5, 0), (3, 7), (10, 10), (1, 20), (40, 60)])
def test_mcnemar_matches_the_binomial_formula(a_only, b_only):
    n, k = a_only + b_only, min(a_only, b_only)
    expected = 1.0 if n == 0 else min(1.0, 2 * sum(math.comb(n, j) for j in range(k + 1)) / 2**n)
    assert mcnemar_exact(a_only, b_only) == pytest.approx(expected, rel=1e-9)


def test_mcnemar_is_fast_and_finite_for_huge_counts():
    p = mcnemar_exact(500_000, 501_000)
    assert 0 < p < 1


def ranked(rows):
    table = pd.DataFrame(rows, columns=["model", "prompt_strict", "prompt_strict_ci_low",
                                        "prompt_strict_ci_high"])
    table["suite"], table["suite_sha256"] = "s", "h"
    return dict(zip(table["model"], assign_ranks(table)))


def test_rank_separates_only_non_overlapping_intervals():
    ranks = ranked([("A", 0.75, 0.70, 0.80), ("B", 0.70, 0.65, 0.75), ("C", 0.35, 0.30, 0.40)])
    assert ranks == {"A": 1, "B": 1, "C": 3}


def test_rank_does_not_split_a_chain_of_overlaps():
    # A and C are apart, but B overlaps both: no cut puts all of one side above the other.
    ranks = ranked([("A", 0.72, 0.65, 0.80), ("B", 0.60, 0.50, 0.70), ("C", 0.50, 0.40, 0.60)])
    assert ranks == {"A": 1, "B": 1, "C": 1}


def test_rank_is_per_suite_and_hash():
    table = pd.DataFrame({
        "model": ["A", "B", "A"], "suite": ["s", "s", "t"], "suite_sha256": ["h", "h", "h"],
        "prompt_strict": [0.9, 0.1, 0.1], "prompt_strict_ci_low": [0.85, 0.05, 0.05],
        "prompt_strict_ci_high": [0.95, 0.15, 0.15],
    })
    assert list(assign_ranks(table)) == [1, 2, 1]


def test_rows_without_intervals_are_never_separated():
    table = pd.DataFrame({"model": ["A", "B"], "suite": "s", "suite_sha256": "h",
                          "prompt_strict": [0.9, 0.1]})
    assert list(assign_ranks(table)) == [1, 1]
