"""The HTML report's per-task view: every prompt, reply and verdict, with filters and pages.

The tasks travel as one JSON document in a `<script type="application/json">` element (written
by `escaping.script_json`); `TASK_VIEW_SCRIPT` draws one page of task summaries at a time and
builds a task's prompt, replies and verdict tables only when it is opened, so 1,000 tasks × 5
models cost a few dozen DOM rows, not thousands. It inserts data only as text nodes.

Filters: suite, category, language, checker (tasks that use it), free text (task id, suite,
language, category, prompt), "only where models disagree", and "passed by A" / "failed by B"
for two chosen models. Passing means prompt-level strict; with a checker chosen, it means every
constraint of that checker passes (strict), and failing means one of them fails. The filters
and the page live in the address's fragment (`#tasks?checker=format.json&passed=A&failed=B`),
so a filtered view can be bookmarked or shared.
"""

from __future__ import annotations

import json
from typing import Any

from ifbench.leaderboard.drilldown import Answer, TaskDetail, TurnText
from ifbench.leaderboard.escaping import script_json

PAGE_SIZE = 50
"""Tasks drawn per page."""
MAX_PARAMS_CHARS = 200
"""A constraint's parameters are shown as JSON, cut to this many characters."""

REASONING_NOTES = {
    "separate": "The server returned reasoning apart from the reply; it was not checked.",
    "kept": "Reasoning blocks were checked with the answer (--keep-reasoning).",
    "stripped": "Reasoning blocks were removed before checking.",
    "unclosed": "A reasoning block never closed (cut at the token cap?).",
}
"""What the report says about each `reasoning` outcome of results.jsonl ("none" says nothing)."""

FILTERS = (("suite", "Suite"), ("category", "Category"), ("language", "Language"),
           ("checker", "Checker"), ("passed", "Passed by"), ("failed", "failed by"))
"""The select boxes: the name used in the address fragment, and the label."""


def _text_or_none(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _turn(turn: int, text: TurnText) -> dict[str, Any]:
    cut = (f"Showing {len(text.answer):,} of {text.answer_length:,} characters."
           if text.answer_length > len(text.answer) else None)
    return {"turn": turn, "answer": text.answer, "cut_note": cut, "with_reasoning": text.with_reasoning,
            "reasoning_apart": text.reasoning_apart}


def _verdict(verdict: dict[str, Any]) -> dict[str, Any]:
    params = json.dumps(verdict.get("params") or {}, ensure_ascii=False)
    if len(params) > MAX_PARAMS_CHARS:
        params = params[: MAX_PARAMS_CHARS - 1] + "…"
    return {"checker": str(verdict.get("id", "")), "params": params, "turn": int(verdict.get("turn") or 0),
            "strict": bool(verdict.get("strict")), "loose": bool(verdict.get("loose")),
            "reason": str(verdict.get("reason") or ""), "loose_reason": _text_or_none(verdict.get("loose_reason"))}


def _answer(answer: Answer) -> dict[str, Any]:
    return {
        "model": answer.model, "sample": answer.sample, "strict": answer.prompt_strict,
        "error": _text_or_none(answer.error),
        "reasoning_note": REASONING_NOTES.get(answer.reasoning or ""),
        "turns": None if answer.turns is None else [_turn(k, t) for k, t in sorted(answer.turns.items())],
        "verdicts": [_verdict(v) for v in answer.verdicts],
    }


def view_data(details: list[TaskDetail]) -> dict[str, Any]:
    """What the page's script gets: the models, the page size and every shown task."""
    return {
        "page_size": PAGE_SIZE,
        "models": sorted({a.model for task in details for a in task.answers}),
        "tasks": [{
            "suite": task.suite, "id": task.task_id,
            "language": task.language, "category": task.category, "pattern": task.pattern,
            "disagree": task.disagree,
            "prompts": [{"turn": turn, "text": text} for turn, text in task.prompts.items()],
            "answers": [_answer(a) for a in task.answers],
        } for task in details],
    }


def task_view(details: list[TaskDetail], total: int) -> str:
    """The view's markup: a note, the filter controls, the pager, the list and the data."""
    shown = (f"{len(details):,} of {total:,} tasks (those where models disagree first)"
             if len(details) < total else f"all {total:,} tasks")
    selects = "".join(f'<label>{label} <select id="filter-{name}" data-filter="{name}">'
                      f'<option value="">any</option></select></label>' for name, label in FILTERS)
    return f"""<p class="note">Showing {shown}: each model's first sample, with every verdict's reason.
"Passed by" / "failed by" compare prompt-level strict verdicts, or, with a checker chosen, that
checker's verdicts. Reasoning is folded away under each reply. The filters are kept in the address.</p>
<div class="controls">{selects}
<label>Search <input id="task-filter" data-filter="search" type="search" placeholder="task id, suite, language, prompt"></label>
<label><input id="disagree-only" data-filter="disagree" type="checkbox"> only tasks where models disagree</label></div>
<div class="controls"><button type="button" id="task-prev">Previous</button>
<span id="task-page"></span><button type="button" id="task-next">Next</button>
<span class="note"><span id="task-count">0</span> tasks match</span></div>
<div id="task-list"></div>
<script type="application/json" id="task-data">{script_json(view_data(details))}</script>"""


TASK_VIEW_SCRIPT = """(function () {
  var data = JSON.parse(document.getElementById("task-data").textContent);
  var tasks = data.tasks, list = document.getElementById("task-list"), page = 1;
  var controls = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var count = document.getElementById("task-count"), pageLabel = document.getElementById("task-page");
  var previous = document.getElementById("task-prev"), next = document.getElementById("task-next");

  function node(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined && text !== null) { made.textContent = String(text); }
    return made;
  }
  function append(parent, children) {
    children.forEach(function (child) { parent.appendChild(child); });
    return parent;
  }
  function sortedSet(values) {
    return Array.from(new Set(values.filter(Boolean))).sort();
  }
  tasks.forEach(function (task) {
    task.checkers = new Set();
    task.byModel = new Map();
    task.answers.forEach(function (answer) {
      task.byModel.set(answer.model, answer);
      answer.verdicts.forEach(function (v) { task.checkers.add(v.checker); });
    });
    task.search = [task.id, task.suite, task.language, task.category].concat(
      task.prompts.map(function (p) { return p.text; })).join(" ").toLowerCase();
  });
  var choices = {
    suite: sortedSet(tasks.map(function (t) { return t.suite; })),
    category: sortedSet(tasks.map(function (t) { return t.category; })),
    language: sortedSet(tasks.map(function (t) { return t.language; })),
    checker: sortedSet([].concat.apply([], tasks.map(function (t) { return Array.from(t.checkers); }))),
    passed: data.models, failed: data.models
  };
  controls.forEach(function (control) {
    (choices[control.getAttribute("data-filter")] || []).forEach(function (value) {
      control.appendChild(new Option(value, value));
    });
  });

  function chosenFilters() {
    var chosen = {};
    controls.forEach(function (c) {
      chosen[c.getAttribute("data-filter")] = c.type === "checkbox" ? c.checked : c.value.trim();
    });
    return chosen;
  }
  function ownVerdicts(answer, checker) {
    return answer.verdicts.filter(function (v) { return v.checker === checker; });
  }
  function passes(answer, checker) {
    if (!checker) { return answer.strict; }
    var own = ownVerdicts(answer, checker);
    return own.length > 0 && own.every(function (v) { return v.strict; });
  }
  function fails(answer, checker) {
    if (!checker) { return !answer.strict; }
    return ownVerdicts(answer, checker).some(function (v) { return !v.strict; });
  }
  function matches(task, f) {
    if ((f.suite && task.suite !== f.suite) || (f.category && task.category !== f.category) ||
        (f.language && task.language !== f.language) || (f.checker && !task.checkers.has(f.checker)) ||
        (f.disagree && !task.disagree) || (f.search && task.search.indexOf(f.search.toLowerCase()) < 0)) {
      return false;
    }
    var a = task.byModel.get(f.passed), b = task.byModel.get(f.failed);
    return (!f.passed || (a !== undefined && passes(a, f.checker))) &&
      (!f.failed || (b !== undefined && fails(b, f.checker)));
  }

  function mark(passed) {
    var word = passed ? "pass" : "fail";
    return node("td", word, word);
  }
  function folded(label, text) {
    return append(node("details", "reasoning"), [node("summary", "", label), node("pre", "reasoning", text)]);
  }
  function verdictTable(verdicts, checker) {
    var head = node("tr"), body = node("tbody");
    ["checker", "params", "turn", "strict", "loose", "reason"].forEach(function (h) {
      head.appendChild(node("th", "", h));
    });
    verdicts.forEach(function (v) {
      var reason = node("td", "", v.reason);
      if (v.loose_reason) { append(reason, [node("br"), node("small", "", "loose: " + v.loose_reason)]); }
      body.appendChild(append(node("tr", v.checker === checker ? "chosen" : ""), [
        node("td", "", v.checker), append(node("td"), [node("code", "", v.params)]),
        node("td", "", v.turn + 1), mark(v.strict), mark(v.loose), reason]));
    });
    return append(node("table", "verdicts"), [append(node("thead"), [head]), body]);
  }
  function answerBlock(answer, manyTurns, checker) {
    var word = answer.strict ? "pass" : "fail";
    var block = append(node("div", "answer"), [append(node("h4", "", answer.model + " "), [
      node("small", "", "sample " + answer.sample), node("span", "badge " + word, word)])]);
    if (answer.error) { block.appendChild(node("p", "note", "error: " + answer.error)); }
    if (answer.reasoning_note) { block.appendChild(node("p", "note", answer.reasoning_note)); }
    if (answer.turns === null) {
      block.appendChild(node("p", "note", "Reply not available: no responses.jsonl line for this model and task."));
    }
    (answer.turns || []).forEach(function (turn) {
      append(block, [node("h5", "", manyTurns ? "Response (turn " + (turn.turn + 1) + ")" : "Response"),
                     node("pre", "response", turn.answer)]);
      if (turn.cut_note) { block.appendChild(node("p", "note", turn.cut_note)); }
      if (turn.with_reasoning !== null) { block.appendChild(folded("The whole reply, with its reasoning", turn.with_reasoning)); }
      if (turn.reasoning_apart !== null) { block.appendChild(folded("Reasoning returned apart by the server", turn.reasoning_apart)); }
    });
    block.appendChild(verdictTable(answer.verdicts, checker));
    return block;
  }
  function taskBody(task, checker) {
    var manyTurns = task.prompts.length > 1, parts = [];
    task.prompts.forEach(function (p) {
      parts.push(node("h5", "", manyTurns ? "Prompt (turn " + (p.turn + 1) + ")" : "Prompt"), node("pre", "prompt", p.text));
    });
    if (!task.prompts.length) { parts.push(node("p", "note", "Prompt not available: no responses.jsonl line for this task.")); }
    task.answers.forEach(function (answer) { parts.push(answerBlock(answer, manyTurns, checker)); });
    return parts;
  }
  function taskItem(task, checker) {
    var summary = append(node("summary"), [node("span", "tid", task.id), document.createTextNode(" "),
      node("span", "note", [task.suite, task.language, task.category, task.pattern].filter(Boolean).join(" \\u00b7 "))]);
    task.answers.forEach(function (answer) {
      var badge = node("span", "badge " + (answer.strict ? "pass" : "fail"), answer.model + (answer.strict ? " \\u2713" : " \\u2717"));
      badge.title = answer.model;
      summary.appendChild(badge);
    });
    var item = append(node("details", "task"), [summary]);
    item.addEventListener("toggle", function () {
      if (item.open && item.childNodes.length === 1) { append(item, taskBody(task, checker)); }
    });
    return item;
  }

  function remember(chosen) {
    var params = new URLSearchParams();
    Object.keys(chosen).forEach(function (name) {
      if (chosen[name] === true) { params.set(name, "1"); } else if (chosen[name]) { params.set(name, chosen[name]); }
    });
    if (page > 1) { params.set("page", String(page)); }
    history.replaceState(null, "", "#tasks?" + params.toString());
  }
  function recall() {
    if (location.hash.indexOf("#tasks?") !== 0) { return false; }
    var params = new URLSearchParams(location.hash.slice("#tasks?".length));
    controls.forEach(function (c) {
      var value = params.get(c.getAttribute("data-filter")) || "";
      if (c.type === "checkbox") { c.checked = value === "1"; } else { c.value = value; }
    });
    page = parseInt(params.get("page"), 10) || 1;
    return true;
  }
  function draw(keep) {
    var chosen = chosenFilters(), size = data.page_size;
    var found = tasks.filter(function (task) { return matches(task, chosen); });
    var pages = Math.max(1, Math.ceil(found.length / size));
    page = Math.min(Math.max(page, 1), pages);
    list.textContent = "";
    append(list, found.slice((page - 1) * size, page * size).map(function (task) { return taskItem(task, chosen.checker); }));
    count.textContent = String(found.length);
    pageLabel.textContent = "page " + page + " of " + pages;
    previous.disabled = page <= 1;
    next.disabled = page >= pages;
    if (keep) { remember(chosen); }
  }
  controls.forEach(function (control) {
    control.addEventListener(control.type === "search" ? "input" : "change", function () { page = 1; draw(true); });
  });
  previous.addEventListener("click", function () { page -= 1; draw(true); });
  next.addEventListener("click", function () { page += 1; draw(true); });
  window.addEventListener("hashchange", function () { if (recall()) { draw(false); } });
  var linked = recall();
  draw(false);
  if (linked) { document.getElementById("tasks").scrollIntoView(); }
})();
"""
