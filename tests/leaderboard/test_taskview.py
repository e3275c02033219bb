"""The HTML report's per-task view: its embedded data, and in a real headless Chromium, that
hostile replies run nothing and show literally, the filters, the pages and the lazy task bodies."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from ifbench.leaderboard.aggregate import leaderboard
from ifbench.leaderboard.escaping import script_json
from ifbench.leaderboard.html import render, write_html
from ifbench.leaderboard.load import load_results
from ifbench.leaderboard.taskview import PAGE_SIZE

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
    reason="chromium is not installed (Debian: apt-get install -y chromium)")

HOSTILE_REPLY = (
    "</script><script>window.injected = 'script'; document.title = 'pwned'</script>\n"
    "<img src=x onerror=\"window.injected = 'img'\">\n"
    "<!--<script>window.injected = 'comment'</script>-->\n"
    "<a href=\"javascript:window.injected = 'link'\">click</a> javascript:alert(1)\n"
    "line\u2028separator\u2029paragraph & &amp; \\u003c </SCRIPT >"
)
"""Each line tries a different way out of the data or into markup."""


def embedded(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="task-data">(.*?)</script>',
                                html, re.S).group(1))


def write_report(tmp_path, lb, records, responses) -> tuple:
    results = load_results([lb.write_run(tmp_path / "run", records, responses=responses)])
    html = render(leaderboard(results, n_boot=20), results, n_boot=20)
    path = tmp_path / "report.html"
    write_html(path, html)
    return path, html


def reply(model: str, task: str, text: str, **extra) -> dict:
    return {"task_id": task, "suite": "s", "model": model, "sample": 0, "turn": 0,
            "prompt": f"Prompt of {task}", "response": text, **extra}


def test_script_json_has_no_character_that_could_end_or_change_a_script_element():
    value = {"reply": HOSTILE_REPLY, "<key>": ["&", "\u2028", "\u2029", "中文"]}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value
    assert "中文" in text  # other text stays as it is


def test_reasoning_is_kept_apart_from_the_answer(tmp_path, lb):
    rec = lb.record("M", "t1", [(True, True)])
    rec["reasoning"] = "stripped"
    _, html = write_report(tmp_path, lb, [rec], [reply(
        "M", "t1", "<think>plan: count words</think>\nThe answer.", reasoning_content="server-side thoughts")])
    [answer] = embedded(html)["tasks"][0]["answers"]
    [turn] = answer["turns"]
    assert turn["answer"] == "The answer."
    assert turn["with_reasoning"] == "<think>plan: count words</think>\nThe answer."
    assert turn["reasoning_apart"] == "server-side thoughts"
    assert answer["reasoning_note"] == "Reasoning blocks were removed before checking."


def test_a_reply_without_reasoning_has_nothing_to_fold(tmp_path, lb):
    _, html = write_report(tmp_path, lb, [lb.record("M", "t1", [(True, True)])], [reply("M", "t1", "Plain.")])
    [turn] = embedded(html)["tasks"][0]["answers"][0]["turns"]
    assert (turn["answer"], turn["with_reasoning"], turn["reasoning_apart"]) == ("Plain.", None, None)


@needs_chromium
def test_a_hostile_reply_runs_nothing_and_shows_literally(tmp_path, lb, browser):
    records = [lb.record("M", "t1", [(False, False)])]
    records[0]["constraints"][0]["reason"] = HOSTILE_REPLY
    path, html = write_report(tmp_path, lb, records, [reply("M", "t1", HOSTILE_REPLY)])
    assert "window.injected" not in html.split('id="task-data">', 1)[0]  # only inside the data
    page = browser.open_page(path, tmp_path / "profile", """(async function () {
        var task = document.querySelector("#task-list details.task");
        task.open = true;
        await new Promise(function (done) { task.addEventListener("toggle", done); });
        return JSON.stringify({
            injected: window.injected === undefined ? null : String(window.injected),
            title: document.title,
            ready: document.body.getAttribute("data-ready"),
            scripts: document.scripts.length,
            images: document.images.length,
            links: task.querySelectorAll("a, [href], [onerror]").length,
            comments: document.createNodeIterator(task, NodeFilter.SHOW_COMMENT).nextNode() !== null,
            response: task.querySelector("pre.response").textContent,
            reason: task.querySelector("table.verdicts tbody td:last-child").textContent
        });
    })()""")
    assert page.errors == [], page.errors  # a blocked inline script would be reported here
    state = page.value
    assert state["ready"] == "1"  # the report's own script ran to its end
    assert state["injected"] is None and state["title"] == "ifbench leaderboard"
    assert (state["scripts"], state["images"], state["links"], state["comments"]) == (2, 0, 0, False)
    assert state["response"] == HOSTILE_REPLY
    assert state["reason"] == HOSTILE_REPLY


MODELS = ("A", "B", "C")
N_TASKS = 120


def task_facts(i: int) -> dict:
    """Task t{i}: suite, language, category, checkers, and who passes which checker.

    Every fourth task also has a format.json constraint. A fails length.words on every fifth
    task and format.json on every eighth; B fails length.words on even tasks; C passes all."""
    checkers = ["length.words"] + (["format.json"] if i % 4 == 0 else [])
    rules = {"A": {"length.words": i % 5 != 0, "format.json": i % 8 != 0},
             "B": {"length.words": i % 2 != 0, "format.json": True},
             "C": {"length.words": True, "format.json": True}}
    passes = {model: {c: rule[c] for c in checkers} for model, rule in rules.items()}
    return {"suite": "s1" if i < 80 else "s2", "language": "zh" if i % 3 == 0 else "en",
            "category": ("basic", "creative")[i % 2], "checkers": checkers, "passes": passes}


def filtered(rule) -> list[str]:
    return sorted(f"t{i}" for i in range(N_TASKS) if rule(task_facts(i)))


@pytest.fixture
def many_tasks(tmp_path, lb):
    records, responses = [], []
    for i in range(N_TASKS):
        facts = task_facts(i)
        for model in MODELS:
            verdicts = [(facts["passes"][model][c],) * 2 + (c,) for c in facts["checkers"]]
            records.append(lb.record(model, f"t{i}", verdicts, suite=facts["suite"],
                                     language=facts["language"], category=facts["category"]))
            responses.append({**reply(model, f"t{i}", f"reply of {model} to t{i}"), "suite": facts["suite"]})
    return write_report(tmp_path, lb, records, responses)[0]


IDS = """function ids() {
    return Array.from(document.querySelectorAll("#task-list details.task .tid"), function (e) {
        return e.textContent; }).sort();
}
function choose(name, value) {
    var control = document.getElementById("filter-" + name);
    control.value = value;
    control.dispatchEvent(new Event("change"));
}"""


@needs_chromium
def test_filters_from_the_address_and_from_the_controls(many_tasks, tmp_path, browser):
    page = browser.open_page(many_tasks, tmp_path / "profile", IDS + """
    (async function () {
        var state = {linked: ids(), linkedCount: document.getElementById("task-count").textContent,
                     linkedSuite: document.getElementById("filter-suite").value};
        choose("suite", ""); choose("passed", "B"); choose("failed", "A");
        state.promptLevel = ids();
        choose("checker", "format.json");
        state.checkerLevel = ids();
        state.address = decodeURIComponent(location.hash);
        var task = document.querySelector("#task-list details.task");
        task.open = true;
        await new Promise(function (done) { task.addEventListener("toggle", done); });
        state.highlighted = Array.from(task.querySelectorAll("tr.chosen td:first-child"), function (e) {
            return e.textContent; });
        choose("checker", ""); choose("passed", ""); choose("failed", "");
        choose("language", "zh"); choose("category", "basic");
        state.zhBasic = ids();
        location.hash = "#tasks?checker=format.json&failed=C";
        await new Promise(function (done) { window.addEventListener("hashchange", done); });
        state.nobodyFails = [ids().length, document.getElementById("filter-language").value];
        return JSON.stringify(state);
    })()""", fragment="tasks?suite=s1&passed=A&failed=B")
    assert page.errors == [], page.errors
    state = page.value
    assert state["linked"] == filtered(lambda t: t["suite"] == "s1" and all(t["passes"]["A"].values())
                                       and not all(t["passes"]["B"].values()))
    assert state["linkedSuite"] == "s1" and state["linkedCount"] == str(len(state["linked"]))
    assert state["promptLevel"] == filtered(lambda t: all(t["passes"]["B"].values())
                                            and not all(t["passes"]["A"].values()))
    by_checker = filtered(lambda t: "format.json" in t["checkers"] and t["passes"]["B"]["format.json"]
                          and not t["passes"]["A"]["format.json"])
    assert state["checkerLevel"] == by_checker == sorted(f"t{i}" for i in range(0, N_TASKS, 8))
    assert not set(by_checker) & set(state["promptLevel"])  # B fails those tasks at prompt level
    assert state["address"] == "#tasks?checker=format.json&passed=B&failed=A"
    assert state["highlighted"] == ["format.json"] * len(MODELS)
    assert state["zhBasic"] == filtered(lambda t: t["language"] == "zh" and t["category"] == "basic")
    assert state["nobodyFails"] == [0, ""]


@needs_chromium
def test_pages_and_task_bodies_are_drawn_only_when_needed(many_tasks, tmp_path, browser):
    page = browser.open_page(many_tasks, tmp_path / "profile", IDS + """
    (function () {
        var pages = [], seen = [], next = document.getElementById("task-next");
        var bodies = document.querySelectorAll("#task-list pre, #task-list table").length;
        for (;;) {
            pages.push([ids().length, document.getElementById("task-page").textContent]);
            seen = seen.concat(ids());
            if (next.disabled) { break; }
            next.click();
        }
        return JSON.stringify({pages: pages, seen: seen.sort(), bodies: bodies, address: location.hash});
    })()""")
    assert page.errors == [], page.errors
    state = page.value
    starts = range(0, N_TASKS, PAGE_SIZE)
    assert len(starts) > 1
    assert state["pages"] == [[min(PAGE_SIZE, N_TASKS - start), f"page {n} of {len(starts)}"]
                              for n, start in enumerate(starts, 1)]
    assert state["seen"] == sorted(f"t{i}" for i in range(N_TASKS))
    assert state["bodies"] == 0  # no prompt, reply or verdict table before a task is opened
    assert state["address"] == f"#tasks?page={len(starts)}"


@needs_chromium
def test_turns_are_labelled_and_a_missing_reply_is_said(tmp_path, lb, browser):
    records = [lb.record("M", "t1", [(True, True), (False, False)], turns=[0, 1]),
               lb.record("M", "t2", [(True, True)])]
    responses = [{**reply("M", "t1", f"answer {turn}"), "turn": turn, "prompt": f"prompt {turn}"}
                 for turn in (0, 1)]
    path, _ = write_report(tmp_path, lb, records, responses)
    page = browser.open_page(path, tmp_path / "profile", """(async function () {
        var shown = {};
        for (var task of document.querySelectorAll("#task-list details.task")) {
            task.open = true;
            await new Promise(function (done) { task.addEventListener("toggle", done); });
            shown[task.querySelector(".tid").textContent] = Array.from(
                task.querySelectorAll("h5, pre, p.note, table.verdicts td:nth-child(3)"),
                function (e) { return e.textContent; });
        }
        return JSON.stringify(shown);
    })()""")
    assert page.errors == [], page.errors
    assert page.value["t1"] == ["Prompt (turn 1)", "prompt 0", "Prompt (turn 2)", "prompt 1",
                                "Response (turn 1)", "answer 0", "Response (turn 2)", "answer 1", "1", "2"]
    assert page.value["t2"] == ["Prompt not available: no responses.jsonl line for this task.",
                                "Reply not available: no responses.jsonl line for this model and task.", "1"]
