"""`ifbench leaderboard` through its own argparse parser (the lead wires add_parser into cli.py)."""

from __future__ import annotations

import argparse

import pytest

from ifbench.cli.leaderboard import add_parser
from ifbench.leaderboard.load import LeaderboardError
from ifbench.leaderboard.publish import read_csv


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="ifbench")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["leaderboard", *map(str, argv)])
    return args.handler(args)


def test_out_markdown_html_and_breakdowns(hand_made_dir, tmp_path, capsys):
    csv, md, html = tmp_path / "board.csv", tmp_path / "board.md", tmp_path / "report.html"
    code = run(hand_made_dir, "--out", csv, "--markdown", md, "--html", html, "--by", "family",
               "--by", "language", "--bootstrap", "200")
    assert code == 0
    rows = read_csv(csv)
    assert list(rows["model"]) == ["B", "A", "B"]
    assert md.read_text(encoding="utf-8").startswith("| Rank | Model |")
    assert "<table id=\"leaderboard-table\"" in html.read_text(encoding="utf-8")
    family = read_csv_plain(tmp_path / "board.by-family.csv")
    assert family[0] == "model,suite,suite_sha256,family,n_constraints,inst_strict,inst_loose"
    assert (tmp_path / "board.by-language.csv").exists()
    printed = capsys.readouterr().out
    assert "Wrote 3 row(s)" in printed and "inst_strict by family" in printed


def read_csv_plain(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_second_run_merges_into_the_published_csv(hand_made_dir, tmp_path, lb, capsys):
    csv = tmp_path / "board.csv"
    run(hand_made_dir, "--out", csv, "--bootstrap", "100")
    other = lb.write_run(tmp_path / "other", [lb.record("C", "t1", [(True, True)])])
    run(other, "--out", csv, "--bootstrap", "100")
    assert "1 added, 0 replaced, 3 kept" in capsys.readouterr().out
    assert sorted(read_csv(csv)["model"]) == ["A", "B", "B", "C"]
    run(other, "--out", csv, "--no-merge", "--bootstrap", "100")
    assert list(read_csv(csv)["model"]) == ["C"]


def test_markdown_without_a_file_goes_to_stdout(hand_made_dir, capsys):
    run(hand_made_dir, "--markdown", "--bootstrap", "100")
    out = capsys.readouterr().out
    assert out.startswith("| Rank | Model | Suite |")


def test_compare_prints_difference_interval_and_p_values(tmp_path, lb, capsys):
    records = [lb.record(m, f"t{i}", [(ok, ok)]) for i in range(80)
               for m, ok in (("A", True), ("B", i % 2 == 0))]
    run(lb.write_run(tmp_path / "r", records), "--compare", "A", "B", "--bootstrap", "500")
    out = capsys.readouterr().out
    assert "difference +50.0 points, 95% CI [+" in out
    assert "McNemar exact: 40 pairs only A passes, 0 only B" in out
    assert "A is better" in out


def test_compare_unknown_model_suggests_the_close_name(hand_made_dir):
    with pytest.raises(LeaderboardError, match=r"no results for model 'a'.*models present: A, B"):
        run(hand_made_dir, "--compare", "a", "B")


def test_bootstrap_must_be_positive(hand_made_dir, capsys):
    with pytest.raises(SystemExit):
        run(hand_made_dir, "--bootstrap", "0")
    assert "must be at least 1" in capsys.readouterr().err


def test_breakdown_csvs_quote_formula_like_checker_ids(tmp_path, lb, capsys):
    run_dir = lb.write_run(tmp_path / "r", [lb.record("@model", "t1", [(True, True, "=cmd|' /C calc'!A0")])])
    assert run(run_dir, "--out", tmp_path / "board.csv", "--by", "checker", "--bootstrap", "20") == 0
    text = (tmp_path / "board.by-checker.csv").read_text(encoding="utf-8")
    assert "'@model,s,h1,'=cmd|' /C calc'!A0,1," in text
