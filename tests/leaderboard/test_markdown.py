"""The Markdown table."""

from __future__ import annotations

import html as entities
import re

import pandas as pd
from markdown_it import MarkdownIt

from ifbench.leaderboard.aggregate import leaderboard
from ifbench.leaderboard.load import load_results
from ifbench.leaderboard.markdown import cell, markdown_table, percent


def test_table_rows_in_leaderboard_order(hand_made_dir):
    text = markdown_table(leaderboard(load_results([hand_made_dir]), n_boot=100), n_boot=100)
    lines = text.splitlines()
    assert lines[0].startswith("| Rank | Model | Suite | Tasks | Prompt strict (95% CI) |")
    assert lines[0].endswith("| basic | creative | en | zh |")
    assert set(lines[1]) <= set("|-: ")
    body = [line for line in lines[2:] if line.startswith("|")]
    assert [line.split(" | ")[1] for line in body] == ["B", "A", "B"]
    a = body[1].split(" | ")
    assert a[4].startswith("**66.7** (")  # prompt_strict with its interval
    assert a[5:9] == ["83.3", "66.7", "75.0", "1"]
    assert a[9:11] == ["0.0", "66.7"]  # nothing cut at the cap: strict on finished replies is strict
    assert a[11:13] == ["33.3", "0.0"]  # every sample passes, spread across samples (A has 2)
    assert a[13:] == ["50.0", "100.0", "50.0", "75.0 |"]
    assert "1 | B | s2" in body[0] and "| – |" in body[0]  # no zh task in s2
    assert "bootstrap over tasks (100 replicates, seed 0)" in text
    assert "s `h1`" in text


def test_every_row_has_as_many_cells_as_the_header(hand_made_dir):
    lines = markdown_table(leaderboard(load_results([hand_made_dir]), n_boot=50)).splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert len({line.count(" | ") for line in table if "---" not in line}) == 1


def test_cells_cannot_break_the_table():
    assert cell("a|b\nc <script>") == "a\\|b c &lt;script&gt;"
    assert cell(None) == ""


def test_percent():
    assert percent(0.7126) == "71.3"
    assert percent(1) == "100.0"
    assert percent(float("nan")) == "–"
    assert percent(None) == "–"


def test_names_cannot_add_links_emphasis_code_or_html():
    hostile = "[x](javascript:alert(1)) *em* _u_ ~~s~~ `code` <b>b</b> | &lt;"
    table = pd.DataFrame([{"rank": 1, "model": hostile, "suite": "[s](http://evil)",
                           "suite_sha256": "`x`[y](z)", "n_tasks": 1, "prompt_strict": 1.0, "errors": 0}])
    text = markdown_table(table)
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert "<a " not in html and "<em>" not in html and "<code>" not in html and "<s>" not in html
    assert "<b>" not in html and html.count("<strong>") == 1  # the score's own bold
    assert html.count("<tr>") == 2  # header and one row: the pipe did not split the row
    assert hostile in html_text(html)


def html_text(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded."""
    return entities.unescape(re.sub(r"<[^>]+>", "", html))


def test_the_settings_that_differ_between_protocols_are_named(tmp_path, lb):
    def run_json(max_tokens):
        return {"settings": {"mode": "chat", "temperature": 0.0, "top_p": 1.0, "max_tokens": max_tokens,
                             "seed": 0, "stop": [], "system": None, "extra_body": {}}, "samples": 1}

    dirs = [lb.write_run(tmp_path / "a", [lb.record("A", "t1", [(True, True)])], run=run_json(512)),
            lb.write_run(tmp_path / "b", [lb.record("B", "t1", [(True, True)])], run=run_json(2048))]
    text = markdown_table(leaderboard(load_results(dirs), n_boot=10), n_boot=10)
    assert "| Strict, finished | Protocol | basic |" in text.splitlines()[0]
    [note] = [line for line in text.splitlines() if "protocols, ranked apart" in line]
    assert note.startswith("Suite s ran under 2 protocols, ranked apart (not comparable across them): `")
    assert "max\\_tokens 512" in note and "max\\_tokens 2048" in note and "temperature" not in note


def test_one_protocol_adds_no_column(hand_made_dir):
    text = markdown_table(leaderboard(load_results([hand_made_dir]), n_boot=10), n_boot=10)
    assert "Protocol" not in text and "ranked apart" not in text


def test_several_samples_show_the_every_sample_rate_and_the_spread(hand_made_dir):
    lines = markdown_table(leaderboard(load_results([hand_made_dir]), n_boot=10), n_boot=10).splitlines()
    assert "| Strict, finished | Every sample | SD across samples | basic |" in lines[0]
    assert all(len(line.split(" | ")) == len(lines[0].split(" | ")) for line in lines if line.startswith("| "))


def test_a_run_published_beside_rows_without_a_protocol_is_shown(tmp_path, lb):
    # Rows published before the protocol columns existed have them empty in the CSV.
    from ifbench.leaderboard.publish import publish, read_csv, write_csv

    old = leaderboard(load_results([lb.write_run(tmp_path / "old", [lb.record("Old", "t1", [(True, True)])])]),
                      n_boot=10)
    old["protocol"] = old["protocol_settings"] = ""
    path = tmp_path / "published.csv"
    write_csv(old, path)
    run = {"settings": {"mode": "completion", "temperature": 0.0, "top_p": 1.0, "max_tokens": 512,
                        "seed": 0, "stop": [], "system": None, "extra_body": {}}, "samples": 1}
    new = leaderboard(load_results([lb.write_run(tmp_path / "new", [lb.record("New", "t1", [(False, False)])],
                                                 run=run)]), n_boot=10)
    publish(new, path)
    text = markdown_table(read_csv(path), n_boot=10)
    assert "| Old |" in text and "| New |" in text
    [note] = [line for line in text.splitlines() if "protocols, ranked apart" in line]
    assert "`unknown`: settings not recorded" in note
    assert 'mode "completion"' in note and "max\\_tokens 512" in note  # what is known of the other one
