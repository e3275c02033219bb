"""format.json: the whole response is JSON (one fence allowed) and matches an optional schema."""

from __future__ import annotations

import json

import pytest

import ifbench
from ifbench import ConstraintError
from ifbench.checking import patterns


def check(text: str, **params) -> ifbench.Verdict:
    return ifbench.check(text, {"id": "format.json", **params})


FENCED = '```json\n{"a": 1}\n```'
PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}
LOCAL_REF = {
    "$defs": {"n": {"type": "integer"}},
    "properties": {"a": {"properties": {"b": {"$ref": "#/$defs/n"}}}},
}


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ('{"a": 1}', {}, True),
        ('\n  {"a": 1}  \n', {}, True),
        ("[1, 2, 3]", {}, True),
        ('"just a string"', {}, True),
        ("42", {}, True),
        (FENCED, {}, True),
        ('```JSON\n{"a": 1}\n```', {}, True),
        ('```\n{"a": 1}\n```', {}, True),
        ('```{"a": 1}```', {}, True),
        ('```json\n{"a": 1}```', {}, True),
        ('```python\n{"a": 1}\n```', {}, False),
        ('Here is the JSON:\n```json\n{"a": 1}\n```', {}, False),
        ('{"a": 1}\nHope this helps!', {}, False),
        ('{"a": 1} {"b": 2}', {}, False),
        ("{'a': 1}", {}, False),
        ('{"a": 1,}', {}, False),
        ("[NaN]", {}, False),
        ("[Infinity]", {}, False),
        ("", {}, False),
        ('{"城市": "北京", "人口": 2189}', {}, True),
        ('```json\n{"城市": "北京"}\n```', {}, True),
        ('```json\n{"城市": "北京"}\n```\n以上就是结果。', {}, False),
        ("{“城市”: “北京”}", {}, False),
        # fence policy
        (FENCED, {"fence": "forbid"}, False),
        ('{"a": 1}', {"fence": "forbid"}, True),
        ('{"a": 1}', {"fence": "require"}, False),
        (FENCED, {"fence": "require"}, True),
        ('```\n{"a": 1}\n```', {"fence": "require"}, True),
        # schema
        ('{"name": "Ann", "age": 31}', {"schema": PERSON}, True),
        ('{"name": "Ann", "age": "31"}', {"schema": PERSON}, False),
        ('{"name": "Ann"}', {"schema": PERSON}, False),
        ('{"name": "安", "age": 31}', {"schema": PERSON}, True),
        ("[1, 2]", {"schema": {"type": "array", "minItems": 3}}, False),
        ("[1, 2, 3]", {"schema": {"type": "array", "minItems": 3}}, True),
        ("[1, 2, 3, 4]", {"schema": {"type": "array", "maxItems": 3}}, False),
        ('{"a": 1}', {"schema": True}, True),
        ('{"a": 1}', {"schema": False}, False),
        ('{"a": {"b": 2}}', {"schema": LOCAL_REF}, True),
        ('{"a": {"b": "x"}}', {"schema": LOCAL_REF}, False),
        # `format` is an annotation in Draft 2020-12, as the standard says
        ('{"e": "not an email"}', {"schema": {"properties": {"e": {"format": "email"}}}}, True),
    ],
)
def test_json(text, params, expected):
    verdict = check(text, **params)
    assert verdict.passed is expected, verdict.reason


DRAFT4 = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "maximum": 5,
    "exclusiveMaximum": True,
}


@pytest.mark.parametrize(("text", "expected"), [("4", True), ("5", False)])
def test_the_schema_dialect_named_by_dollar_schema_is_honoured(text, expected):
    # A boolean exclusiveMaximum exists only in draft 4; under 2020-12 the schema would be refused.
    assert check(text, schema=DRAFT4).passed is expected


def test_a_parse_error_is_located_in_the_response():
    assert check('{\n  "a": 1,\n}').reason == (
        "not valid JSON: Expecting property name enclosed in double quotes at line 3:1"
    )
    assert "at line 2:" in check('```json\n{"a": 1,}\n```').reason
    assert check('  {"a" 1}').reason.endswith("at line 1:8")  # the 2 trimmed spaces count


def test_text_after_the_json_is_named():
    reason = check('{"a": 1}\nHope this helps!').reason
    assert "extra text after the JSON value at line 2:1" in reason
    assert "Hope this helps!" in reason


@pytest.mark.parametrize(
    "text, problem",
    [
        ('```json\n{"a": 1}\n```\nHope this helps!', "text after the closing ``` ('Hope this helps!')"),
        ('```json\n{"a": 1}\n', "the ```json fence is never closed"),
        ('Here it is:\n```json\n{"a": 1}\n```', "text before the ```json fence ('Here it is:')"),
        ('结果如下：\n```json\n{"城市": "北京"}\n```\n以上。',
         "text before the ```json fence ('结果如下：'); text after the closing ``` ('以上。')"),
    ],
)
def test_text_around_a_fence_is_named_not_taken_for_a_parse_error(text, problem):
    assert check(text).reason == (
        f"not JSON alone: {problem}; nothing but the JSON (and one fence around all of it) may be in the response"
    )


def test_backticks_inside_a_line_are_no_fence():
    assert check('{"a": "```"').reason == "not valid JSON: Expecting ',' delimiter at line 1:12"


def test_a_schema_mismatch_names_the_path_and_the_problem():
    reason = check('{"name": "Ann", "age": "31"}', schema=PERSON).reason
    assert reason.startswith("JSON does not match the schema: $.age: ")
    assert "is not of type 'integer'" in reason


def test_fence_reasons_say_what_was_found_and_what_is_allowed():
    assert check(FENCED, fence="forbid").reason == "fenced in ```json but fence: forbid"
    assert check('{"a": 1}', fence="require").reason == "not fenced in ```json but fence: require"
    assert "```python" in check('```python\n{"a": 1}\n```').reason


def test_a_passing_verdict_says_what_was_parsed():
    assert check("[1]").reason == "valid JSON array; no schema required"
    assert check('{"name": "Ann", "age": 1}', schema=PERSON).reason == (
        "valid JSON object; matches the schema"
    )


@pytest.mark.parametrize("text", ["[" * 100_000, "[" * 5_000 + "]" * 5_000, '{"a":' * 50_000])
def test_deeply_nested_json_fails_with_a_reason_instead_of_crashing(text):
    verdict = check(text)
    assert not verdict.passed
    assert "nested too deeply" in verdict.reason or "not valid JSON" in verdict.reason
    assert "failed on this response" not in verdict.reason


def test_nesting_too_deep_for_validation_fails_with_a_reason():
    text = "[" * 600 + "]" * 600
    verdict = check(text, schema={"items": {"$ref": "#"}})
    assert not verdict.passed and "nested too deeply" in verdict.reason


def test_a_huge_integer_is_a_verdict_not_a_crash():
    verdict = check("1" * 10_000)
    assert not verdict.passed and verdict.reason.startswith("not valid JSON")


def test_remote_references_are_never_fetched():
    verdict = check('{"a": 1}', schema={"$ref": "https://example.com/schema.json"})
    assert not verdict.passed
    assert "not fetched" in verdict.reason


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"schema": {"type": "nope"}}, "not a valid JSON Schema"),
        ({"schema": {"minItems": -1}}, "not a valid JSON Schema"),
        ({"schema": {"$schema": "https://example.com/my-dialect"}}, "unknown $schema"),
        ({"schema": "object"}, "schema"),
        ({"fence": "maybe"}, "fence"),
        ({"shema": {}}, "did you mean"),
    ],
)
def test_bad_parameters_are_refused_when_the_constraint_is_bound(params, fragment):
    with pytest.raises(ConstraintError, match="format.json") as error:
        check("{}", **params)
    assert fragment in str(error.value)


def test_the_catalog_calls_the_parameters_schema_and_fence():
    schemas = {cid: schema for cid, _, schema in ifbench.checkers_catalog()}
    assert set(schemas["format.json"]["properties"]) == {"schema", "fence"}


# Hostile replies against schema keywords that jsonschema runs slowly: each costs at most a
# pattern time limit (patterns.py) or is linear.
BACKTRACKS = "^(a|a)+$"  # exponential even for the `regex` module: each extra `a` doubles the time
NEAR_MISS = "a" * 22 + "!"  # a second or so for `regex`, seconds for `re`


@pytest.fixture()
def quick_patterns(monkeypatch):
    monkeypatch.setattr(patterns, "PATTERN_TIMEOUT_S", 0.1)


@pytest.mark.parametrize(
    "schema",
    [
        {"pattern": BACKTRACKS},
        {"patternProperties": {BACKTRACKS: {"type": "integer"}}},
        {"patternProperties": {BACKTRACKS: {}}, "additionalProperties": False},
        {"propertyNames": {"pattern": BACKTRACKS}},
    ],
)
def test_a_schema_pattern_that_backtracks_fails_after_its_time_limit(quick_patterns, schema):
    text = json.dumps(NEAR_MISS if "pattern" in schema else {NEAR_MISS: 1})
    verdict = check(text, schema=schema)
    assert not verdict.passed
    assert verdict.reason == (
        f"schema pattern {BACKTRACKS!r} took over 0.1 s on a 23-character string; "
        "treated as not matching"
    )


def test_a_pattern_re_backtracks_on_runs_at_once():
    # `re` takes about a minute on this string; the `regex` module answers at once.
    verdict = check(json.dumps("a" * 30 + "!"), schema={"pattern": "^(a+)+$"})
    assert verdict.reason == (
        "JSON does not match the schema: $: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' does not match '^(a+)+$'"
    )


@pytest.mark.parametrize(
    ("text", "schema", "expected"),
    [
        ('{"城市": "北京"}', {"patternProperties": {"^城": {"type": "string"}}}, True),
        ('{"城市": 1}', {"patternProperties": {"^城": {"type": "string"}}}, False),
        ('{"城市": 1}', {"patternProperties": {"^城": {}}, "additionalProperties": False}, True),
        ('{"人口": 1}', {"patternProperties": {"^城": {}}, "additionalProperties": False}, False),
        ('{"name": "x1"}', {"properties": {"name": {"pattern": "^[a-z]+\\d$"}}}, True),
        ('{"name": "x"}', {"properties": {"name": {"pattern": "^[a-z]+\\d$"}}}, False),
    ],
)
def test_pattern_keywords_keep_their_meaning(text, schema, expected):
    assert check(text, schema=schema).passed is expected


def test_additional_properties_name_the_unexpected_keys():
    assert check('{"a": 1, "b": 2}', schema={"additionalProperties": False}).reason == (
        "JSON does not match the schema: $: Additional properties are not allowed ('a', 'b' were unexpected)"
    )


def test_unevaluated_properties_with_pattern_properties_is_refused():
    schema = {"patternProperties": {"^a": {}}, "unevaluatedProperties": False}
    with pytest.raises(ConstraintError, match="use additionalProperties"):
        check("{}", schema=schema)


UNIQUE = {"type": "array", "uniqueItems": True}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2, 3]", True),
        ("[1, 1.0]", False),  # JSON numbers: 1 and 1.0 are the same value
        ("[1, true]", True),
        ("[0, false]", True),
        ('[{"a": 1, "b": 2}, {"b": 2, "a": 1}]', False),  # key order is irrelevant
        ('[{"a": 1}, {"a": true}]', True),
        ("[[1, 2], [2, 1]]", True),  # array order matters
        ("[[1, [2]], [1.0, [2.0]]]", False),
        ('["北京", "上海"]', True),
        ('[{"城市": "北京"}, {"城市": "北京"}]', False),
        ("[null, null]", False),
        ('[null, "null", 0, "", [], {}]', True),
    ],
)
def test_unique_items_follows_json_equality(text, expected):
    assert check(text, schema=UNIQUE).passed is expected


def test_unique_items_on_ten_thousand_objects_is_linear():
    # jsonschema compares unhashable items pairwise: over a minute here, past the check budget.
    items = [{"id": i, "tags": [i, str(i)]} for i in range(10_000)]
    assert check(json.dumps(items), schema=UNIQUE).passed
    verdict = check(json.dumps([*items, {"tags": [0, "0"], "id": 0.0}]), schema=UNIQUE)
    assert verdict.reason == (
        "JSON does not match the schema: $: has non-unique elements: items 0 and 10000 are equal"
    )
