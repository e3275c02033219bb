"""A single self-contained HTML report: sortable table, bar chart, heat map, per-task view.

Works offline (inline CSS, one inline script, static SVG, the tasks as embedded JSON). Model
output is untrusted: every piece of text goes through escaping.py (`esc` into markup,
`script_json` into the data the per-task view draws as text nodes), and a
Content-Security-Policy lets only the report's own script (by its hash) run, so even a missed
escape could not execute code.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from ifbench import __version__
from ifbench.leaderboard.aggregate import breakdown, task_scores
from ifbench.leaderboard.charts import bar_chart, heat_map
from ifbench.leaderboard.columns import LANGUAGE_PREFIX, is_dynamic
from ifbench.leaderboard.curves import curves, svg_curve
from ifbench.leaderboard.drilldown import MAX_TASKS, collect
from ifbench.leaderboard.escaping import esc
from ifbench.leaderboard.load import Results
from ifbench.leaderboard.markdown import percent, protocol_differences, settings_text, short_header
from ifbench.leaderboard.stats import DEFAULT_BOOTSTRAP
from ifbench.leaderboard.taskview import TASK_VIEW_SCRIPT, task_view

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;
margin:0 auto;max-width:1200px;padding:0 20px 40px;color:#1b1f24;background:#fff}
h1{margin:24px 0 4px}h2{margin-top:36px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.note{color:#57606a;font-size:13px}table{border-collapse:collapse;margin:8px 0}
th,td{padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer;user-select:none;white-space:nowrap}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
.heatmap td{text-align:center;min-width:64px}
.heatmap caption,figcaption{text-align:left;font-weight:600;margin:8px 0}
svg.bars .bar{fill:#4c78a8}svg.bars .ci{stroke:#1b1f24;stroke-width:1.5}svg.bars .grid{stroke:#e5e7eb}
svg.bars text{font-size:12px;fill:#1b1f24}svg.bars .tick{fill:#57606a}
details.task{border:1px solid #d0d7de;border-radius:6px;margin:6px 0;padding:4px 10px}
details.task>summary{cursor:pointer}.tid{font-family:ui-monospace,monospace;font-weight:600}
.badge{display:inline-block;border-radius:10px;padding:0 7px;margin-left:4px;font-size:12px}
.pass{background:#dafbe1;color:#116329}.fail{background:#ffebe9;color:#a40e26}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:8px;border-radius:4px;
max-height:24em;overflow:auto}
.verdicts td{font-size:13px}.verdicts tr.chosen td{background:#fff8c5}
.controls{display:flex;flex-wrap:wrap;gap:16px;align-items:center;margin:8px 0}
details.reasoning>summary{cursor:pointer;color:#57606a;font-size:13px}
"""

_SORT_SCRIPT = """(function () {
  function value(row, i) {
    var cell = row.cells[i], raw = cell.getAttribute("data-value");
    return raw === null ? cell.textContent.trim() : raw;
  }
  function sortBy(table, th, i) {
    var ascending = th.getAttribute("aria-sort") === "descending";
    var numeric = th.getAttribute("data-type") === "number";
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, i), y = value(b, i);
      if (numeric) {
        x = x === "" ? -Infinity : parseFloat(x); y = y === "" ? -Infinity : parseFloat(y);
        return ascending ? x - y : y - x;
      }
      return ascending ? x.localeCompare(y) : y.localeCompare(x);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, th, i); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, i); }
      });
    });
  });
})();
"""

_SCRIPT = f""""use strict";
{_SORT_SCRIPT}{TASK_VIEW_SCRIPT}document.body.setAttribute("data-ready", "1");
"""
"""The report's only script: sortable tables, then the per-task view; it marks the page ready."""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"


def _num_cell(value: object, text: str | None = None) -> str:
    number = pd.to_numeric(value, errors="coerce")
    raw = "" if pd.isna(number) else f"{float(number):.6g}"
    return f'<td class="num" data-value="{raw}">{esc(text if text is not None else percent(value))}</td>'


def leaderboard_table(table: pd.DataFrame) -> str:
    dynamic = [c for c in table.columns if is_dynamic(c)]
    headers = [("rank", "Rank", "number"), ("model", "Model", "text"), ("suite", "Suite", "text"),
               ("n_tasks", "Tasks", "number"), ("prompt_strict", "Prompt strict %", "number"),
               ("ci", "95% CI", "number"), ("prompt_loose", "Prompt loose %", "number"),
               ("inst_strict", "Inst. strict %", "number"), ("inst_loose", "Inst. loose %", "number"),
               ("errors", "Errors", "number"), ("truncated", "Cut at cap %", "number"),
               ("prompt_strict_completed", "Strict, finished %", "number")]
    headers += [(c, ("lang " if c.startswith(LANGUAGE_PREFIX) else "") + short_header(c), "number")
                for c in dynamic]
    head = "".join(
        f'<th scope="col" data-type="{kind}" class="{"num" if kind == "number" else ""}" '
        f'title="{esc(name)}">{esc(label)}</th>' for name, label, kind in headers
    )
    rows = []
    for row in table.to_dict("records"):
        cells = [_num_cell(row.get("rank"), str(row.get("rank", ""))),
                 f"<td>{esc(row['model'])}</td>",
                 f'<td title="sha256 {esc(row["suite_sha256"])}">{esc(row["suite"])}</td>',
                 _num_cell(row.get("n_tasks"), str(row.get("n_tasks", ""))),
                 _num_cell(row["prompt_strict"]),
                 _num_cell(row.get("prompt_strict_ci_low"), f"{percent(row.get('prompt_strict_ci_low'))}–"
                                                           f"{percent(row.get('prompt_strict_ci_high'))}")]
        cells += [_num_cell(row.get(c)) for c in ("prompt_loose", "inst_strict", "inst_loose")]
        cells.append(_num_cell(row.get("errors"), str(row.get("errors", ""))))
        cells += [_num_cell(row.get(c)) for c in ("truncated", "prompt_strict_completed")]
        cells += [_num_cell(row.get(c)) for c in dynamic]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table id="leaderboard-table" class="sortable"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def render(table: pd.DataFrame, results: Results, *, seed: int = 0, n_boot: int = DEFAULT_BOOTSTRAP,
           max_tasks: int = MAX_TASKS, title: str = "ifbench leaderboard") -> str:
    """The whole report as one HTML string. `table` is aggregate.leaderboard(results)."""
    families = breakdown(results, "family")
    charts, heat = [], []
    for (suite, sha), rows in table.groupby(["suite", "suite_sha256"], sort=False):
        name = f"{suite} (sha256 {str(sha)[:12]})" if sha else str(suite)
        charts.append(f"<figure>{bar_chart(rows, title=f'Prompt-level strict accuracy, {name}')}"
                      f"<figcaption>{esc(name)}</figcaption></figure>")
        same = (families["suite"].astype(str) == suite) & (families["suite_sha256"].astype(str) == sha)
        part = families[same]
        heat.append(heat_map(part, [str(m) for m in rows["model"]], caption=name))
    difficulty = "".join(f"<figure>{svg_curve(part, title=f'Prompt-level strict accuracy by constraints per task, {label}')}"
                         f"<figcaption>{esc(label)}</figcaption></figure>" for label, part in curves(results))
    details, total = collect(results, task_scores(results.samples), max_tasks=max_tasks)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_csp()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{_STYLE}</style></head>
<body>
<h1>{esc(title)}</h1>
<p class="note">Generated {generated} by ifbench {esc(__version__)}. Accuracies in percent; samples are
averaged per task first. 95% CI: percentile bootstrap over tasks ({n_boot} replicates, seed {seed}).
Models share a rank unless their intervals separate them. Click a column header to sort.</p>
<h2 id="leaderboard">Leaderboard</h2>
{leaderboard_table(table)}
{protocol_notes(table)}
<h2 id="chart">Prompt-level strict accuracy with 95% intervals</h2>
<div id="bar-charts">{"".join(charts)}</div>
<h2 id="difficulty">Prompt-level strict accuracy by constraints per task (95% Wilson intervals)</h2>
<div id="difficulty-curves">{difficulty}</div>
<h2 id="heatmap">Pass rate by checker family (instruction-level, strict)</h2>
<div id="heatmaps">{"".join(heat)}</div>
<h2 id="tasks">Tasks</h2>
{task_view(details, total)}
<script>{_SCRIPT}</script>
</body></html>
"""


def protocol_notes(table: pd.DataFrame) -> str:
    """A note per suite whose rows ran under several protocols, with the settings that differ."""
    notes = []
    for suite, protocols in protocol_differences(table):
        items = "".join(f"<li><code>{esc(pid)}</code>: {esc(settings_text(s))}</li>" for pid, s in protocols.items())
        notes.append(f'<div class="note protocols">Suite {esc(suite)} ran under {len(protocols)} '
                     f"protocols, ranked apart (not comparable across them):<ul>{items}</ul></div>")
    return "".join(notes)


def write_html(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8", errors="replace")


__all__ = ["render", "write_html"]
