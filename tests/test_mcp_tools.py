"""The tools as an agent is served them, without a server: slim and portable schemas,
descriptions and annotations that say what a tool does, and after a failure the next
step naming the tool to call. The expected tools come from the pack."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.adapters.mcp import (
    DESTRUCTIVE_WARNING,
    id_sources,
    next_step,
    runner_notes_removed,
    served_schema,
    tool_description,
)


def test_a_destructive_action_says_so_in_its_description(pack: Pack) -> None:
    described = {**pack.describe("create_project")}
    assert DESTRUCTIVE_WARNING not in tool_description(described)
    described["hints"] = {**described["hints"], "destructive": True}
    assert tool_description(described).startswith(runner_notes_removed(described["description"]))
    assert tool_description(described).endswith(DESTRUCTIVE_WARNING)


def test_served_schemas_are_slim_and_keep_what_the_runtime_checks(pack: Pack) -> None:
    for name in pack.actions:
        described = pack.describe(name)
        served = json.dumps([served_schema(described["parameters"]), tool_description(described)])
        assert "x-message" not in served and '"examples"' not in served, name
        # Function schemas of every model family take `anyOf` with null, not a list of types.
        assert '"type": [' not in served, name
        for note in ("One request", "one request", "never sent twice", "a request"):
            assert note not in tool_description(described), (name, note)
        # The runtime still checks the manifest's own schemas.
        assert pack.actions[name].parameters is described["parameters"]
    update = served_schema(pack.describe("update_time_entry")["parameters"])["properties"]
    assert update["project_id"]["anyOf"][1] == {"type": "null"}


# The MCP Inspector's `--strict` schema portability rules (its CLI 2.x, `lintToolSchemas`):
# keywords holding schemas, and those that constrain a value.
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMAS = ("items", "contains", "not", "if", "then", "else", "additionalProperties")
_CONSTRAINING = {
    *("type", "enum", "const", "minimum", "maximum", "minLength", "maxLength", "pattern"),
    *("format", "minItems", "maxItems", "uniqueItems", "required", "not", "$ref"),
    *_SUBSCHEMA_MAPS,
    *_SUBSCHEMA_LISTS,
    *("items", "contains", "additionalProperties"),
}


def _portability_findings(schema: Any, path: str = "") -> list[str]:
    if isinstance(schema, bool):
        return [] if path.endswith("additionalProperties") else [f"{path}: a bare boolean"]
    findings = []
    if isinstance(schema.get("type"), list):
        findings.append(f"{path}: a list of types")
    if isinstance(schema.get("$ref"), str) and not schema["$ref"].startswith("#"):
        findings.append(f"{path}: a remote $ref")
    if not _CONSTRAINING & set(schema) and not path.endswith("not"):
        findings.append(f"{path}: constrains nothing")
    for key in _SUBSCHEMA_MAPS:
        for name, sub in schema.get(key, {}).items():
            findings += _portability_findings(sub, f"{path}.{key}.{name}")
    for key in _SUBSCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key, [])):
            findings += _portability_findings(sub, f"{path}.{key}[{index}]")
    for key in _SUBSCHEMAS:
        if key in schema:
            findings += _portability_findings(schema[key], f"{path}.{key}")
    return findings


def test_served_schemas_pass_the_inspectors_portability_rules(pack: Pack) -> None:
    for name in pack.actions:
        described = pack.describe(name)
        served = {
            "input": served_schema(described["parameters"]),
            "output": served_schema(described["response"], output=True),
        }
        for kind, schema in served.items():
            assert _portability_findings(schema) == [], (name, kind)


def test_every_id_parameter_names_a_tool_that_gives_it(pack: Pack) -> None:
    for name in pack.actions:
        for parameter, schema in pack.describe(name)["parameters"]["properties"].items():
            takes_ids = "[0-9a-f]{24}" in json.dumps(schema)
            if takes_ids and parameter.endswith(("_id", "_ids")):
                assert id_sources([pack.describe(name)]).get(parameter), (name, parameter)


@pytest.mark.parametrize(
    ("name", "destructive", "idempotent"),
    [("start_timer", True, False), ("create_time_entry", True, False), ("stop_timer", False, True)],
)
def test_annotations_say_what_the_timer_tools_do(
    pack: Pack, name: str, destructive: bool, idempotent: bool
) -> None:
    # Starting a timer stops the one running; stopping twice changes nothing more.
    hints = pack.describe(name)["hints"]
    assert (hints["destructive"], hints["idempotent"]) == (destructive, idempotent)
    assert tool_description(pack.describe(name)).endswith(DESTRUCTIVE_WARNING) is destructive


@pytest.mark.parametrize(
    ("tool", "error", "said"),
    [
        (
            "start_timer",
            {
                "type": "validation_error",
                "message": "Invalid input.",
                "details": [{"path": "/tag_ids/0"}],
            },
            "Call find_tag to get a valid tag_ids, then call start_timer again.",
        ),
        (
            "update_time_entry",
            {"type": "not_found", "message": "Time entry doesn't belong to Workspace."},
            "Call list_time_entries to get a valid time_entry_id, then call update_time_entry again.",
        ),
        (
            "create_project",
            {"type": "conflict", "message": "Project with this name already exists."},
            "Call find_project to get the existing one's id instead of creating it again.",
        ),
        (
            "start_timer",
            {"type": "upstream_error", "message": "503.", "details": [{"outcome": "unknown"}]},
            "read it back before you call start_timer again.",
        ),
        (
            "create_tag",
            {"type": "contract_error", "message": "Odd.", "details": [{"outcome": "applied"}]},
            "do not call again.",
        ),
    ],
)
def test_the_next_step_names_the_tool_to_call(
    pack: Pack, tool: str, error: dict[str, Any], said: str
) -> None:
    sources = id_sources(pack.describe(name) for name in pack.actions)

    def source(parameter: str) -> str:
        return sources[parameter][0]

    parameters = pack.describe(tool)["parameters"]["properties"]
    assert next_step(tool, error, parameters, source, sources).endswith(said)
