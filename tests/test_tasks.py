"""Task files: YAML and JSONL load as Task models; bad files list every problem as path:line."""

from __future__ import annotations

import json

import pytest

from ifbench.errors import TaskFileError
from ifbench.tasks.load import load_tasks, suite_sha256

GOOD_YAML = """\
suite: core-zh
version: 1
tasks:
  - id: zh-relativity-100
    language: zh
    category: basic
    pattern: constrained
    prompt: 用100字以内解释相对论。
    constraints:
      - {id: length.words, max: 100}
  - id: zh-two-turns
    language: zh
    category: multi_step
    turns:
      - prompt: 写一句话介绍长城。
        constraints: [{id: length.sentences, exact: 1}]
      - prompt: 再写两句。
        constraints: [{id: length.sentences, exact: 2}]
  - id: zh-system
    language: zh
    messages:
      - {role: system, content: 你是一名初中物理老师。}
      - {role: user, content: 解释光合作用。}
"""


def problems_of(*paths) -> list[str]:
    with pytest.raises(TaskFileError) as error:
        load_tasks(paths)
    return error.value.problems


def test_yaml_suite_loads_prompt_turns_and_messages_tasks(write):
    tasks = load_tasks([write("core-zh.yaml", GOOD_YAML)])
    assert [t.id for t in tasks] == ["zh-relativity-100", "zh-two-turns", "zh-system"]
    assert all(t.suite == "core-zh" for t in tasks)
    relativity, turns, system = tasks
    assert relativity.constraints[0].id == "length.words"
    assert relativity.constraints[0].params == {"max": 100}
    assert [t.prompt for t in turns.user_turns()] == ["写一句话介绍长城。", "再写两句。"]
    assert system.user_turns()[0].prompt == "解释光合作用。"


def test_native_jsonl_takes_its_suite_from_the_file_name(write):
    line = {"id": "t1", "prompt": "Say hi.", "constraints": [{"id": "length.words", "max": 3}]}
    tasks = load_tasks([write("mini.jsonl", json.dumps(line) + "\n\n")])
    assert tasks[0].suite == "mini" and tasks[0].language == "en"


def test_ifeval_and_ifbench_records_map_to_their_namespaces_and_drop_nulls(write):
    ifeval = {"key": 1000, "prompt": "Write.", "instruction_id_list": ["punctuation:no_comma", "punctuation:no_comma"],
              "kwargs": [{}, {"unused": None}]}
    ifbench_record = {"key": "7", "prompt": "Count.", "instruction_id_list": ["count:word_count_range"],
                      "kwargs": [{"min_words": 5, "max_words": 9, "N": None}]}
    from ifbench.tasks.load import _from_compat

    as_ifeval = _from_compat(ifeval)
    assert as_ifeval["id"] == "1000" and as_ifeval["suite"] == "ifeval"
    assert as_ifeval["constraints"] == [{"id": "ifeval:punctuation:no_comma"}] * 2
    as_ifbench = _from_compat(ifbench_record)
    assert as_ifbench["constraints"] == [{"id": "ifbench:count:word_count_range", "min_words": 5, "max_words": 9}]


def test_every_problem_is_reported_with_path_line_and_task(write):
    path = write("bad.yaml", """\
suite: demo
tasks:
  - id: a
    prompt: Explain gravity.
    constraints:
      - {id: length.word, max: 100}
      - {id: length.words, maxx: 3}
      - {id: length.words}
  - id: a
    prompt: A duplicate.
  - id: b
    language: zh
    prompt: 解释。
    constraints:
      - {id: role.reading_level, max_grade: 8}
      - {id: steps.ordered, steps: [{marker: "("}]}
      - {id: format.json, schema: {type: 12}}
  - id: c
    prompt: Hello.
    colour: red
  - id: d
    constraints: []
""")
    found = problems_of(path)
    expected = [
        f"{path}:6: task 'a': unknown checker id 'length.word' (did you mean 'length.words'?)",
        f"{path}:7: task 'a': length.words: unknown parameter 'maxx' (did you mean 'max'?)",
        f"{path}:8: task 'a': length.words: give at least one of 'exact', 'min', 'max'",
        f"{path}:9: task 'a': duplicate task id (first defined on line 3)",
        f"{path}:15: task 'b': role.reading_level applies only to en tasks; this task's language is 'zh'",
        f"{path}:16: task 'b': steps.ordered: parameter 'steps.0.marker' = '(': invalid regular expression",
        f"{path}:17: task 'b': format.json: ",
        f"{path}:18: task 'c': unknown field 'colour'",
        f"{path}:21: task 'd': give exactly one of 'prompt', 'messages', 'turns'",
    ]
    assert len(found) == len(expected), "\n".join(found)
    for problem, start in zip(found, expected):
        assert problem.startswith(start), (problem, start)


def test_yaml_syntax_errors_name_the_line(write):
    path = write("broken.yaml", "suite: x\ntasks:\n  - id: a\n    prompt: [unclosed\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:") and "invalid YAML" in problem


def test_jsonl_problems_name_their_lines(write):
    path = write("bad.jsonl", '{"id": "a", "prompt": "x"}\nnot json\n{"id": "a", "prompt": "y"}\n')
    assert problems_of(path) == [
        f"{path}:2: invalid JSON: Expecting value (column 1)",
        f"{path}:3: task 'a': duplicate task id (first defined on line 1)",
    ]


def test_problems_from_several_files_are_all_reported(write):
    one = write("one.yaml", "suite: s\ntasks:\n  - {id: a, prompt: x, constraints: [{id: nope}]}\n")
    two = write("two.yaml", "tasks: []\n")
    found = problems_of(one, two)
    assert [p.split(":")[0] for p in found] == [str(one), str(two)]


def test_the_same_suite_in_two_files_is_refused(write):
    one = write("one.yaml", "suite: s\ntasks:\n  - {id: a, prompt: x}\n")
    two = write("two.yaml", "suite: s\ntasks:\n  - {id: b, prompt: y}\n")
    assert "suite 's' is also defined in" in problems_of(one, two)[0]


def test_an_unknown_file_type_is_refused(write):
    assert "unknown task file type '.txt'" in problems_of(write("tasks.txt", ""))[0]


def test_suite_hash_changes_with_prompts_not_with_order_or_reference_answers(write):
    tasks = load_tasks([write("core-zh.yaml", GOOD_YAML)])
    assert suite_sha256(tasks) == suite_sha256(list(reversed(tasks)))
    changed = tasks[0].model_copy(update={"prompt": "用50字以内解释相对论。"})
    assert suite_sha256([changed, *tasks[1:]]) != suite_sha256(tasks)
    answered = tasks[0].model_copy(update={"reference": "相对论认为时空是相对的。"})
    assert suite_sha256([answered, *tasks[1:]]) == suite_sha256(tasks)


def test_a_directory_loads_every_task_file_in_it(write, tmp_path):
    write("a.yaml", "suite: a\ntasks:\n  - {id: t, prompt: x}\n")
    write("b.jsonl", '{"id": "t", "prompt": "y"}\n')
    write("notes.md", "not a task file")
    assert [(t.suite, t.id) for t in load_tasks([tmp_path])] == [("a", "t"), ("b", "t")]


def test_a_language_bound_checker_nested_in_steps_is_refused_too(write):
    path = write("nested.yaml", """\
suite: s
tasks:
  - id: zh-nested
    language: zh
    prompt: 先总结，再解释。
    constraints:
      - id: steps.ordered
        steps:
          - {marker: 总结}
          - {marker: 解释, constraints: [{id: role.reading_level, max_grade: 5}]}
""")
    assert problems_of(path) == [
        f"{path}:7: task 'zh-nested': role.reading_level (inside steps.ordered) applies only to en tasks; "
        "this task's language is 'zh'",
    ]


# Hostile and careless task files: each is refused with path:line, quickly, and every problem is listed.


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A flow list of nested anchors and aliases ("billion laughs"): width**levels strings once expanded."""
    first = "&a0 [" + ", ".join(["lol"] * width) + "]"
    rest = [f"&a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]" for n in range(1, levels)]
    return "[" + ", ".join([first, *rest]) + "]"


@pytest.mark.parametrize("where", ["parameter", "steps", "id"])
def test_an_alias_bomb_is_refused_at_its_line(write, where):
    bomb = alias_bomb(levels=6, width=10)  # a million strings once expanded; the real attack has 9 levels
    task = {
        "parameter": f"  - id: t\n    prompt: Say hi.\n    constraints:\n      - {{id: length.words, max: 5, junk: {bomb}}}\n",
        "steps": f"  - id: t\n    prompt: Say hi.\n    constraints:\n      - id: steps.ordered\n        steps: {bomb}\n",
        "id": f"  - id: {bomb}\n    prompt: Say hi.\n",
    }[where]
    path = write("bomb.yaml", "suite: s\ntasks:\n" + task)
    found = problems_of(path)
    line = {"parameter": 6, "steps": 7, "id": 3}[where]
    assert found and all(p.startswith(f"{path}:{line}: ") and "YAML alias" in p and len(p) < 300 for p in found), found


def test_aliases_and_merge_keys_are_refused_even_when_small(write):
    path = write("alias.yaml", """\
suite: s
tasks:
  - id: a
    prompt: &p Say hi.
    constraints:
      - &c {id: length.words, max: 5}
  - id: b
    prompt: *p
    constraints:
      - *c
      - {<<: {id: length.words}, max: 3}
""")
    found = problems_of(path)
    assert [p.split(": ")[0] for p in found] == [f"{path}:8", f"{path}:10", f"{path}:11"], found
    assert "alias" in found[0] and "line 4" in found[0] and "alias" in found[1] and "line 6" in found[1]
    assert "merge key" in found[2]


def test_a_merge_key_supplying_tasks_is_refused(write):
    path = write("merge.yaml", "suite: s\n<<: {tasks: [{id: a, prompt: x}]}\n")
    assert problems_of(path) == [
        f"{path}:1: missing 'tasks': a YAML task file is a mapping with 'suite' and a 'tasks' list",
        f"{path}:2: merge keys ('<<') are not allowed in task files; write the keys out",
    ]


def test_the_same_file_given_twice_loads_once(write, tmp_path):
    path = write("a.yaml", "suite: a\ntasks:\n  - {id: t, prompt: x}\n  - {id: u, prompt: y}\n")
    (tmp_path / "link.yaml").symlink_to(path)
    loaded = load_tasks([tmp_path, path, tmp_path / "link.yaml", str(path)])
    assert [(t.suite, t.id) for t in loaded] == [("a", "t"), ("a", "u")]


def test_the_same_task_in_two_files_names_both_places(write):
    one = write("one.jsonl", '{"id": "t", "suite": "s", "prompt": "x"}\n')
    two = write("two.jsonl", '{"id": "u", "suite": "s", "prompt": "y"}\n{"id": "t", "suite": "s", "prompt": "z"}\n')
    found = problems_of(one, two)
    assert f"{two}:2: task 't': also defined in suite 's' at {one}:1" in found, found


def test_duplicate_keys_are_refused_at_the_second_one(write):
    path = write("dup.yaml", """\
suite: s
tasks:
  - id: a
    prompt: First.
    prompt: Second.
    constraints:
      - {id: length.words, max: 5, max: 6}
tasks:
  - id: b
    prompt: Hidden.
""")
    assert problems_of(path) == [
        f"{path}:5: duplicate key 'prompt' (first given on line 4); a mapping gives each key once",
        f"{path}:7: duplicate key 'max' (first given on line 7); a mapping gives each key once",
        f"{path}:8: duplicate key 'tasks' (first given on line 2); a mapping gives each key once",
    ]


def test_duplicate_keys_in_a_json_object_are_refused(write):
    path = write("dup.jsonl", '{"id": "a", "prompt": "x", "prompt": "y"}\n'
                              '{"id": "b", "prompt": "x", "constraints": [{"id": "length.words", "max": 1, "max": 2}]}\n')
    assert problems_of(path) == [
        f"{path}:1: duplicate key 'prompt' in a JSON object; give each key once",
        f"{path}:2: duplicate key 'max' in a JSON object; give each key once",
    ]


@pytest.mark.parametrize("name, text, line, reason", [
    ("deep.yaml", "suite: s\ntasks:\n  - id: a\n    prompt: " + "[" * 100_000 + "\n", 4, "nest"),
    ("deep.jsonl", '{"id": "a", "prompt": "x"}\n{"id": "b", "prompt": ' + "[" * 100_000 + "]" * 100_000 + "}\n", 2, "nest"),
    ("long-int.yaml", "suite: s\ntasks:\n  - id: a\n    prompt: x\n    constraints: [{id: length.words, max: " + "9" * 5000 + "}]\n", 5, "5000 digits"),
    ("long-int.jsonl", '{"id": "a", "prompt": "x", "constraints": [{"id": "length.words", "max": ' + "9" * 5000 + "}]}\n", 1, "5000 digits"),
    ("surrogate.jsonl", '{"id": "a", "prompt": "bad \\ud800 text"}\n', 1, "surrogate"),
    ("kwargs.jsonl", '{"key": 1, "prompt": "x", "instruction_id_list": ["punctuation:no_comma"], "kwargs": ["oops"]}\n', 1, "kwargs"),
])
def test_hostile_values_are_refused_with_their_line(write, name, text, line, reason):
    path = write(name, text)
    found = problems_of(path)
    assert found[0].startswith(f"{path}:{line}: ") and reason in found[0], found


def test_a_bad_suite_name_does_not_hide_the_other_problems(write):
    path = write("suite.yaml", """\
suite: 5
colour: red
tasks:
  - {id: a, prompt: x, constraints: [{id: nope}]}
  - {id: b, prompt: y, constraints: [{id: length.words, max: -1}, {id: length.wordz}]}
""")
    found = problems_of(path)
    assert [p.split(": ")[0] for p in found] == [f"{path}:1", f"{path}:2", f"{path}:4", f"{path}:5", f"{path}:5"], found
    assert "'suite'" in found[0] and "colour" in found[1]


def test_the_pure_python_yaml_loader_refuses_the_same_inputs(write, monkeypatch):
    from ifbench.tasks import yamlfile

    monkeypatch.setattr(yamlfile, "LOADER", __import__("yaml").SafeLoader)
    deep = write("deep.yaml", "suite: s\ntasks:\n  - id: a\n    prompt: " + "[" * 100_000 + "\n")
    assert "nest" in problems_of(deep)[0]
    surrogate = write("surrogate.yaml", 'suite: s\ntasks:\n  - {id: a, prompt: "bad \\ud800"}\n')
    assert problems_of(surrogate)[0].startswith(f"{surrogate}:3: ")
    bomb = write("bomb.yaml", f"suite: s\ntasks:\n  - id: {alias_bomb(levels=6, width=10)}\n    prompt: x\n")
    assert "alias" in problems_of(bomb)[0]
