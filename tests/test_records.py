"""The file schemas: versions are checked, a torn tail is the only line dropped, `ifbench score`
writes run.json with provenance, and the leaderboard takes the scorer's version and date from it."""

from __future__ import annotations

import hashlib
import json

import pytest

from ifbench import __version__
from ifbench.cli import main
from ifbench.errors import LeaderboardError, ResponsesError
from ifbench.leaderboard.aggregate import leaderboard
from ifbench.leaderboard.load import load_results
from ifbench.records import (
    RESPONSE_VERSION,
    ResponseRecord,
    ResultRecord,
    read_jsonl,
    read_manifest,
    read_responses,
    write_jsonl,
)
from ifbench.tasks.models import Task

TASK = Task(id="t", suite="s", prompt="Say hi in 3 words or fewer.", constraints=[{"id": "length.words", "max": 3}])


def test_a_complete_last_line_without_newline_is_kept_and_a_torn_one_dropped(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n{"b": 2}', encoding="utf-8")
    assert [data for _, data in read_jsonl(path)] == [{"a": 1}, {"b": 2}]
    path.write_text('{"a": 1}\n{"b": ', encoding="utf-8")
    assert [data for _, data in read_jsonl(path)] == [{"a": 1}]
    path.write_text('{"a": 1}\n{"b": \n{"c": 3}\n', encoding="utf-8")
    with pytest.raises(ResponsesError, match=r"x.jsonl:2: invalid JSON"):
        list(read_jsonl(path))


def test_response_records_carry_a_version_and_a_newer_one_is_refused(tmp_path):
    record = ResponseRecord(task_id="t", suite="s", model="m", response="Hi there.")
    assert record.model_dump()["version"] == RESPONSE_VERSION
    path = tmp_path / "responses.jsonl"
    write_jsonl(path, [record.model_dump() | {"version": RESPONSE_VERSION + 1}])
    with pytest.raises(ResponsesError, match=r"responses.jsonl:1: .*newer ifbench .*upgrade"):
        read_responses(path, [TASK])


def test_a_results_line_of_a_newer_version_is_refused_by_the_leaderboard(tmp_path):
    result = ResultRecord(task_id="t", suite="s", model="m", language="en", prompt_strict=True,
                          prompt_loose=True, constraints=[])
    write_jsonl(tmp_path / "results.jsonl", [result.model_dump() | {"version": 99}])
    with pytest.raises(LeaderboardError, match=r"results.jsonl:1: .*version 99 .*newer ifbench"):
        load_results([tmp_path])
    with pytest.raises(ValueError, match="newer ifbench"):
        ResultRecord.model_validate(result.model_dump() | {"version": 99})


def test_score_writes_run_json_with_provenance_and_the_leaderboard_uses_it(tmp_path, write):
    tasks = write("tasks.jsonl", TASK.model_dump_json(exclude={"suite"}) + "\n")
    responses = tmp_path / "responses.jsonl"
    write_jsonl(responses, [ResponseRecord(task_id="t", suite="tasks", model="m", response="Hi there.")])
    out = tmp_path / "scored"
    assert main(["score", str(tasks), "--responses", str(responses), "--out", str(out)]) == 0
    manifest = read_manifest(out / "run.json")
    assert manifest is not None and manifest.status == "scored"
    assert manifest.scoring.ifbench_version == __version__
    assert manifest.scoring.responses_sha256 == hashlib.sha256(responses.read_bytes()).hexdigest()
    # A re-scored run: the generating run's run.json says 0.0.1 and an old date; the rows say who scored.
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    data |= {"ifbench_version": "0.0.1", "started_at": "2020-01-01T00:00:00+00:00"}
    data["scoring"] |= {"ifbench_version": "7.7.7", "scored_at": "2026-05-02T10:00:00+00:00"}
    (out / "run.json").write_text(json.dumps(data), encoding="utf-8")
    row = leaderboard(load_results([out]), n_boot=20).iloc[0]
    assert (row["ifbench_version"], row["date"]) == ("7.7.7", "2026-05-02")


def test_rescoring_a_run_directory_keeps_its_run_json_and_adds_provenance(tmp_path, write):
    tasks = write("tasks.jsonl", TASK.model_dump_json(exclude={"suite"}) + "\n")
    run = tmp_path / "run"
    write_jsonl(run / "responses.jsonl", [ResponseRecord(task_id="t", suite="tasks", model="m", response="Hi.")])
    (run / "run.json").write_text(json.dumps({"model": "m", "settings": {"max_tokens": 9}, "extra": 1}))
    assert main(["score", str(tasks), "--responses", str(run / "responses.jsonl"), "--out", str(run)]) == 0
    data = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert (data["settings"], data["extra"]) == ({"max_tokens": 9}, 1)
    assert data["scoring"]["responses"] == "responses.jsonl"


HI_TASKS = [Task(id=f"t{n}", suite="s", prompt=f"Say hi, {n}.", constraints=[{"id": "length.words", "max": 3}])
            for n in range(30)]


def _answers(tasks: list[Task], rounds: int) -> list[dict]:
    return [{"task_id": task.id, "suite": task.suite, "model": "m", "sample": sample,
             "prompt": task.prompt, "response": f"答案 {sample}: hi there"}
            for sample in range(rounds) for task in tasks]


def test_two_readers_index_a_file_exactly_as_one(tmp_path, monkeypatch):
    import ifbench.responses as responses

    tasks = HI_TASKS
    lines = _answers(tasks, 4)
    lines[70] = dict(lines[70], task_id="gone")  # in the second half: a line of no task
    lines[90] = dict(lines[90], error="timeout", response="")  # an error, answered again below
    lines.append(dict(lines[90], error=None, response="retried"))
    path = tmp_path / "responses.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    monkeypatch.setattr(responses, "PARALLEL_BYTES", 0)  # a small file is split too
    one = responses.index_responses(path, tasks, workers=1)
    two = responses.index_responses(path, tasks, workers=2)
    assert responses._second_half(path) is not None
    assert two.chosen == one.chosen and two.unmatched == one.unmatched == [
        f"{path}:71: task s/gone is not among the tasks"]
    assert [r.response for r in two.records()] == [r.response for r in one.records()]
    assert "retried" in {r.response for r in two.records()}


def test_two_readers_name_the_same_line_of_a_bad_file(tmp_path, monkeypatch):
    import ifbench.responses as responses

    tasks = HI_TASKS
    lines = [json.dumps(line, ensure_ascii=False) for line in _answers(tasks, 4)]
    lines[100] = '{"task_id": "t1", "suite": "s"'  # broken JSON, far into the second half
    path = tmp_path / "responses.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(responses, "PARALLEL_BYTES", 0)
    for workers in (1, 2):
        with pytest.raises(ResponsesError, match=r"responses.jsonl:101: invalid JSON"):
            responses.index_responses(path, tasks, workers=workers)
