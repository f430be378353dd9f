"""The compiled check says yes exactly when jsonschema does, so that skipping jsonschema
for valid instances loosens nothing."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from clockify_actions import Pack, load_pack
from clockify_actions.runtime import FORMATS, format_checker
from clockify_actions.schemacheck import KEYWORDS, LONG_LIST, compile_check, compile_fast_check

PACK = load_pack()
SCHEMAS = {
    **{
        f"{name}.{part}": getattr(action, part)
        for name, action in PACK.actions.items()
        for part in ("parameters", "response")
    },
    "connection": PACK.connection_schema,
}
EXAMPLES: dict[str, list[Any]] = {
    f"{name}.{part}": [example[key] for example in action.examples]
    for name, action in PACK.actions.items()
    for part, key in (("parameters", "input"), ("response", "output"))
}
EXAMPLES["connection"] = [{"api_key": "k" * 20, "region": "euc1"}]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "2026-01-28T09:00:00Z", "2026-01-28T09:00:00Z\n", "5f1a2b3c4d5e"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=10,
)


@st.composite
def near(draw: st.DrawFn, value: Any) -> Any:
    """`value` with a few changes at any depth: most stay close to valid, where a wrong
    yes would hide."""
    if isinstance(value, dict):
        changed = dict(value)
        keys = (
            draw(st.lists(st.sampled_from(sorted(value)), max_size=3, unique=True)) if value else []
        )
        for key in keys:
            how = draw(st.sampled_from(["drop", "replace", "recurse"]))
            if how == "drop":
                del changed[key]
            else:
                changed[key] = draw(json_values if how == "replace" else near(value[key]))
        if draw(st.booleans()):
            changed[draw(st.text(max_size=8))] = draw(json_values)
        return changed
    if isinstance(value, list):
        return [draw(near(item)) for item in value] + draw(st.lists(json_values, max_size=1))
    return draw(
        st.just(value) | json_values | st.sampled_from([1.0, 0, True, None, " ", "x" * 251])
    )


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=format_checker())


def test_keywords_are_those_jsonschema_acts_on() -> None:
    assert set(Draft202012Validator.VALIDATORS) == KEYWORDS


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_of_the_pack_compiles(name: str) -> None:
    assert compile_check(SCHEMAS[name], FORMATS) is not None


@pytest.mark.slow
@pytest.mark.parametrize("name", SCHEMAS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_check_agrees_with_jsonschema_near_the_examples(name: str, data: st.DataObject) -> None:
    schema = SCHEMAS[name]
    check = compile_check(schema, FORMATS)
    assert check is not None
    instance = data.draw(near(data.draw(st.sampled_from(EXAMPLES[name]))) | json_values)
    assert check(instance) == _validator(schema).is_valid(instance), instance


@pytest.mark.parametrize(
    ("schema", "instances"),
    [
        ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None]),
        ({"type": "number"}, [0, 2.5, False, "3"]),
        ({"type": ["string", "null"]}, ["", None, 0, False, []]),
        ({"type": ["integer", "boolean"]}, [1, 1.0, True, 0.5]),
        ({"type": []}, [None, 1]),
        ({"const": "success"}, ["success", "error", None, ["success"]]),
        ({"enum": ["a", "b"]}, ["a", "c", 1, None]),
        ({"minimum": 0}, [0, -1, -0.5, "x", True, None]),
        ({"minLength": 2, "maxLength": 3}, ["a", "ab", "abcd", 5, ["a"]]),
        ({"pattern": "^a[0-9]$"}, ["a1", "a1\n", "xa1", "a12", 1]),
        ({"pattern": "b"}, ["abc", "a", ""]),
        ({"format": "date-time"}, ["2026-01-28T09:00:00Z", "2026-01-28", 7, None]),
        ({"format": "email"}, ["not an email", 3]),
        ({"required": ["a"]}, [{"a": 1}, {}, [], "a"]),
        ({"properties": {"a": {"type": "string"}}}, [{"a": "x"}, {"a": 1}, {"b": 1}, 3]),
        ({"properties": {"a": True}, "additionalProperties": False}, [{"a": 1}, {"b": 1}, {}]),
        ({"additionalProperties": {"type": "integer"}}, [{"a": 1}, {"a": "1"}, {}]),
        ({"items": {"type": "string"}}, [["a"], ["a", 1], [], "ab", {"0": 1}]),
        ({"items": False}, [[], [1]]),
        ({"anyOf": [{"type": "string"}, {"minimum": 3}]}, ["x", 5, 1, None]),
        ({"x-message": "shown", "title": "t", "foo": {"type": "string"}}, [1, "x"]),
        (True, [1, None]),
        (False, [1, None]),
    ],
)
def test_each_keyword_follows_jsonschemas_rules(schema: Any, instances: list[Any]) -> None:
    check = compile_check(schema, FORMATS)
    written = compile_fast_check(schema, FORMATS)
    # A long list's items are checked by the written check, built when first needed.
    in_a_long_list = compile_check({"type": "array", "items": schema}, FORMATS)
    assert check is not None and written is not None and in_a_long_list is not None
    validator = Draft202012Validator(schema, format_checker=format_checker())
    for instance in instances:
        valid = validator.is_valid(instance)
        assert check(instance) == valid, instance
        assert written(instance) is valid, instance
        assert in_a_long_list([instance] * (LONG_LIST + 1)) is valid, instance


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/$defs/x"},
        {"oneOf": [{"type": "string"}]},
        {"not": {"type": "string"}},
        {"properties": {"a": {"maximum": 3}}},
        {"$id": "urn:x", "type": "string"},
        {"const": 1},
        {"prefixItems": [{"type": "string"}], "items": False},
    ],
)
def test_a_keyword_it_does_not_implement_leaves_the_schema_to_jsonschema(schema: Any) -> None:
    assert compile_check(schema, FORMATS) is None
    assert compile_fast_check(schema, FORMATS) is None


def _python_calls(check: Any, value: Any) -> int:
    calls = 0

    def count(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        assert check(value)
    finally:
        sys.setprofile(None)
    return calls


def test_a_long_list_of_objects_costs_one_python_call_per_item() -> None:
    """Each item of a long list is one written function, not a function per keyword and
    per property (most of the time a 10,000-item list spent being checked)."""
    item = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
            "name": {"type": ["string", "null"], "minLength": 1},
            "billable": {"type": "boolean"},
            "status": {"enum": ["ACTIVE", "DONE"]},
        },
        "required": ["id", "name"],
        "additionalProperties": False,
    }
    check = compile_check({"type": "array", "items": item}, FORMATS)
    assert check is not None
    items = [
        {"id": f"{i:024x}", "name": f"P {i}", "billable": True, "status": "DONE"}
        for i in range(1000)
    ]
    check(items)  # builds the written check
    assert _python_calls(check, items) <= 1000 + 5


def test_an_invalid_input_is_still_explained_by_jsonschema(pack: Pack) -> None:
    result = pack.run("list_projects", {"workspace_id": "nope", "extra": 1}, api_key="k" * 10)
    assert result["error"]["type"] == "validation_error"
    assert [d["path"] for d in result["error"]["details"]] == ["/extra", "/workspace_id"]


def test_a_check_used_often_becomes_the_written_one() -> None:
    """Each event of a poll, or each action a worker runs, is checked one at a time: after
    `LONG_LIST` of them the same check runs as written source, one call per instance."""
    schema = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "n": {"type": "integer", "minimum": 0}},
        "required": ["id"],
        "additionalProperties": False,
    }
    check = compile_check(schema, FORMATS)
    assert check is not None
    for number in range(LONG_LIST + 1):
        assert check({"id": "x", "n": number})
    assert not check({"id": "x", "n": -1}) and not check({"n": 1}) and not check([])
    assert _python_calls(check, {"id": "x", "n": 1}) <= 2
