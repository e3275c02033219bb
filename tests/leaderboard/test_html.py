"""The HTML report: escaping, self-containment, drill-down; and a real headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil

import pytest

from ifbench.leaderboard.aggregate import leaderboard
from ifbench.leaderboard.html import render, write_html
from ifbench.leaderboard.load import load_results

PAYLOAD = "<script>document.title='pwned'</script><img src=x onerror=\"document.body.id='pwned'\"></pre>"


def hostile_run(tmp_path, lb):
    """Two models, three tasks; model text, names and reasons try to inject markup."""
    records, responses = [], []
    for model in ("good-model", "<b>evil</b>-model"):
        for i, task in enumerate(["t1", "t2", "t3"]):
            ok = model == "good-model" or i == 0
            rec = lb.record(model, task, [(ok, ok, "length.words"), (True, True, "format.bullets")],
                            language="zh" if i else "en", turns=[0, 0])
            rec["constraints"][0]["reason"] = f"{PAYLOAD} 120 words; at most 100 allowed"
            records.append(rec)
            responses.append({"task_id": task, "suite": "s", "model": model, "sample": 0, "turn": 0,
                              "prompt": f"Prompt for {task}: 用100字以内解释相对论。",
                              "response": f"Answer {task}\n{PAYLOAD}"})
    return lb.write_run(tmp_path / "run", records, responses=responses)


@pytest.fixture
def report(tmp_path, lb):
    results = load_results([hostile_run(tmp_path, lb)])
    html = render(leaderboard(results, n_boot=200), results, n_boot=200)
    path = tmp_path / "report.html"
    write_html(path, html)
    return path, html


def embedded_tasks(html: str) -> list[dict]:
    """The per-task view's data, as the page's script reads it."""
    found = re.findall(r'<script type="application/json" id="task-data">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])["tasks"]


def test_model_text_is_escaped(report):
    _, html = report
    assert "<script>document.title" not in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;evil&lt;/b&gt;-model" in html and "<b>evil</b>" not in html
    assert html.count("<script") == 2  # the report's own and its data
    answers = [a for task in embedded_tasks(html) for a in task["answers"]]
    assert {a["turns"][0]["answer"] for a in answers} == {f"Answer {t}\n{PAYLOAD}" for t in ("t1", "t2", "t3")}
    assert {v["reason"] for a in answers for v in a["verdicts"]} >= {f"{PAYLOAD} 120 words; at most 100 allowed"}


def test_report_is_self_contained(report):
    _, html = report
    without_namespace = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://|<link|@import|url\(|<iframe", without_namespace)
    assert not re.search(r"<(img|script)[^>]* src=", html)


def test_only_the_reports_own_script_may_run(report):
    _, html = report
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html
    assert "default-src 'none'" in html


def test_report_has_table_charts_heat_map_and_drilldown(report):
    _, html = report
    assert html.count('<table id="leaderboard-table" class="sortable">') == 1
    assert html.count('<svg class="bars"') == 1 and html.count('class="ci"') >= 2
    assert '<table class="heatmap">' in html and "<th scope=\"row\">format</th>" in html
    tasks = embedded_tasks(html)
    assert sorted(t["id"] for t in tasks) == ["t1", "t2", "t3"]
    assert all(len(t["answers"]) == 2 for t in tasks)
    assert tasks[0]["prompts"][0]["text"].endswith("用100字以内解释相对论。")
    assert "用100字以内解释相对论" in html  # as UTF-8, not \u escapes


def test_drilldown_is_limited_and_says_so(tmp_path, lb):
    results = load_results([hostile_run(tmp_path, lb)])
    html = render(leaderboard(results, n_boot=50), results, max_tasks=1)
    assert len(embedded_tasks(html)) == 1
    assert "Showing 1 of 3 tasks" in html


def test_without_responses_the_report_says_so(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [lb.record("M", "t1", [(True, True)])])
    results = load_results([run])
    html = render(leaderboard(results, n_boot=50), results)
    [task] = embedded_tasks(html)
    assert task["prompts"] == [] and task["answers"][0]["turns"] is None


def test_long_responses_are_cut_for_display(tmp_path, lb):
    run = lb.write_run(tmp_path / "r", [lb.record("M", "t1", [(True, True)])], responses=[
        {"task_id": "t1", "suite": "s", "model": "M", "sample": 0, "turn": 0, "prompt": "p",
         "response": "x" * 50_000}])
    results = load_results([run])
    html = render(leaderboard(results, n_boot=50), results)
    [turn] = embedded_tasks(html)[0]["answers"][0]["turns"]
    assert turn["cut_note"] == "Showing 20,000 of 50,000 characters."
    assert turn["answer"] == "x" * 20_000 and "x" * 20_001 not in html


@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                    reason="chromium is not installed (Debian: apt-get install -y chromium)")
def test_report_in_headless_chromium(report, tmp_path, browser):
    path, _ = report
    page = browser.open_page(path, tmp_path / "profile", """(async function () {
        var state = {
            title: document.title,
            ready: document.body.getAttribute("data-ready"),
            bodyId: document.body.id,
            scripts: document.scripts.length,
            images: document.images.length,
            rows: document.querySelectorAll("#leaderboard-table tbody tr").length,
            bars: document.querySelectorAll("svg.bars rect.bar").length,
            whiskers: document.querySelectorAll("svg.bars line.ci").length,
            heat: document.querySelectorAll("table.heatmap td").length,
            tasks: document.querySelectorAll("details.task").length
        };
        var task = document.querySelector("details.task");
        task.open = true;
        await new Promise(function (done) { task.addEventListener("toggle", done); });
        state.response = task.querySelector("pre.response").textContent;
        var th = document.querySelectorAll("#leaderboard-table th")[1];
        th.click();
        var first = document.querySelector("#leaderboard-table tbody tr td:nth-child(2)").textContent;
        th.click();
        state.sorted = [first, document.querySelector("#leaderboard-table tbody tr td:nth-child(2)").textContent];
        var box = document.getElementById("task-filter");
        box.value = "t2"; box.dispatchEvent(new Event("input"));
        state.filtered = Array.from(document.querySelectorAll("details.task .tid")).map(function (e) {
            return e.textContent;
        });
        return JSON.stringify(state);
    })()""")
    assert page.errors == [], page.errors
    state = page.value
    assert state["ready"] == "1"  # the report's own script ran
    assert state["title"] == "ifbench leaderboard" and state["bodyId"] != "pwned"
    assert (state["scripts"], state["images"]) == (2, 0)
    assert state["rows"] == 2 and state["bars"] == 2 and state["whiskers"] == 6
    assert state["heat"] == 4 and state["tasks"] == 3
    assert "<script>document.title='pwned'</script>" in state["response"]
    assert sorted(state["sorted"]) == ["<b>evil</b>-model", "good-model"]
    assert state["sorted"][0] != state["sorted"][1]
    assert state["filtered"] == ["t2"]


def test_drilldown_shows_disagreements_first_in_natural_order(tmp_path, lb):
    from ifbench.leaderboard.aggregate import task_scores
    from ifbench.leaderboard.drilldown import select

    records = [lb.record(m, t, [(ok, ok)]) for t in ("t10", "t2", "t1", "t3")
               for m, ok in (("A", True), ("B", t != "t3"))]
    tasks = task_scores(load_results([lb.write_run(tmp_path / "r", records)]).samples)
    chosen = select(tasks, max_tasks=10)
    assert list(chosen["task_id"]) == ["t3", "t1", "t2", "t10"]
    assert list(chosen["disagree"]) == [True, False, False, False]


def test_suite_task_checker_and_category_names_are_escaped_too(tmp_path, lb):
    rec = lb.record("m", "<u>task</u>", [(True, True, "<s>check.er</s>")], suite="<i>suite</i>",
                    category="<em>cat</em>", pattern="<a href='javascript:alert(1)'>p</a>")
    results = load_results([lb.write_run(tmp_path / "run", [rec])])
    html = render(leaderboard(results, n_boot=20), results, n_boot=20)
    for raw in ("<u>task", "<s>check", "<i>suite", "<em>cat", "<a href"):
        assert raw not in html
    assert "&lt;i&gt;suite&lt;/i&gt;" in html
    [task] = embedded_tasks(html)
    assert (task["id"], task["suite"], task["category"]) == ("<u>task</u>", "<i>suite</i>", "<em>cat</em>")
    assert task["answers"][0]["verdicts"][0]["checker"] == "<s>check.er</s>"
