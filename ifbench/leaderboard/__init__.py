"""The leaderboard: results.jsonl -> pandas tables -> published CSV, Markdown and HTML.

    load.py       results.jsonl files / run directories (read through ifbench.records) -> Results
    aggregate.py  Results -> one row per (model, suite, suite_sha256); breakdowns (--by)
    stats.py      bootstrap intervals, paired comparison, McNemar, ranks
    columns.py    the CSV's columns, their order and meaning
    publish.py    merge into a published CSV (same key replaces), write it
    markdown.py   Markdown table;  html.py, charts.py, drilldown.py  the HTML report
    command.py    what `ifbench leaderboard` does (its options: ifbench/cli/leaderboard.py)
"""
