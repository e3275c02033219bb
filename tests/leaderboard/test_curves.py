"""Difficulty curves: `--by n_constraints` with intervals, and the accuracy-vs-constraints plot."""

from __future__ import annotations

from pathlib import Path

from ifbench.cli.main import main
from ifbench.leaderboard.aggregate import breakdown
from ifbench.leaderboard.curves import markdown_curves, svg_curve
from ifbench.leaderboard.html import render
from ifbench.leaderboard.aggregate import leaderboard
from ifbench.leaderboard.load import load_results


def _runs(tmp_path: Path, lb) -> list[Path]:
    """Model `steady` passes everything; `fragile` passes 1-constraint tasks, half of 2, none of 3."""
    steady, fragile = [], []
    for n in (1, 2, 3):
        for t in range(4):
            task = f"t{n}-{t}"
            steady.append(lb.record("steady", task, [(True, True)] * n))
            ok = n == 1 or (n == 2 and t < 2)
            fragile.append(lb.record("fragile", task, [(True, True)] * (n - 1) + [(ok, ok)]))
    return [lb.write_run(tmp_path / "a", steady), lb.write_run(tmp_path / "b", fragile)]


def test_by_n_constraints_gives_accuracy_and_interval_per_count(tmp_path, lb):
    table = breakdown(load_results(_runs(tmp_path, lb)), "n_constraints")
    fragile = table[table["model"] == "fragile"].set_index("n_constraints")
    assert list(fragile["prompt_strict"]) == [1.0, 0.5, 0.0]
    assert list(fragile["n_tasks"]) == [4, 4, 4]
    assert (fragile["prompt_strict_ci_low"] <= fragile["prompt_strict"]).all()
    assert (fragile["prompt_strict"] <= fragile["prompt_strict_ci_high"]).all()
    assert 0.15 < fragile.loc[2, "prompt_strict_ci_low"] < 0.5 < fragile.loc[2, "prompt_strict_ci_high"] < 0.85


def test_the_svg_draws_one_line_per_model(tmp_path, lb):
    table = breakdown(load_results(_runs(tmp_path, lb)), "n_constraints")
    svg = svg_curve(table, title="curve")
    assert svg.count("<polyline") == 2 and "fragile" in svg and "steady" in svg
    assert "fragile, 2 constraints: 50.0% of 4 tasks" in svg


def test_markdown_and_html_reports_carry_the_curve(tmp_path, lb):
    results = load_results(_runs(tmp_path, lb))
    text = markdown_curves(results)
    assert "xychart-beta" in text and text.count("    line [") == 2
    assert "| fragile | 100.0" in text
    html = render(leaderboard(results), results)
    assert 'id="difficulty"' in html and html.count("<polyline") == 2


def test_cli_by_n_constraints_writes_its_csv(tmp_path, lb, capsys):
    runs = _runs(tmp_path, lb)
    out = tmp_path / "lb.csv"
    assert main(["leaderboard", *map(str, runs), "--out", str(out), "--by", "n_constraints",
                 "--markdown", str(tmp_path / "lb.md")]) == 0
    csv = (tmp_path / "lb.by-n_constraints.csv").read_text(encoding="utf-8")
    assert "prompt_strict_ci_low" in csv.splitlines()[0]
    assert "xychart-beta" in (tmp_path / "lb.md").read_text(encoding="utf-8")
