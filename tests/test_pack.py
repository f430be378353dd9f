"""The pack's shape: one name per action everywhere, manifests valid, docs in step."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

import clockify_actions
from clockify_actions import Pack
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.runtime import PackError, load_pack
from conftest import Run
from fake_clockify import FakeClockify

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SeedAction:
    title: str
    parameters: dict[str, tuple[str, bool]]  # name: (JSON type, required)
    response: set[str]


# The seed's contract, from the spec the pack was built to (clockify-actions-seed.txt):
# the six actions it names, their titles, parameters and response fields. Written out by
# hand on purpose and never derived from the manifests: it is what the pack promised, so
# a manifest that drifts from it must fail here. Every other table in the tests comes
# from `load_pack()`.
SEED_CONTRACT = {
    "create_project": SeedAction(
        "Create Clockify project",
        {
            "workspace_id": ("string", True),
            "name": ("string", True),
            "client_id": ("string", False),
            "is_private": ("boolean", False),
        },
        {"id", "name", "status"},
    ),
    "create_time_entry": SeedAction(
        "Create Clockify time entry",
        {
            "workspace_id": ("string", True),
            "project_id": ("string", True),
            "description": ("string", False),
            "start": ("string", True),
            "end": ("string", False),
        },
        {"description", "end", "id", "start", "status"},
    ),
    "list_projects": SeedAction(
        "List Clockify projects",
        {"workspace_id": ("string", True), "archived": ("boolean", False)},
        {"count", "projects", "status"},
    ),
    "list_workspaces": SeedAction(
        "List Clockify workspaces", {}, {"count", "status", "workspaces"}
    ),
    "start_timer": SeedAction(
        "Start Clockify timer",
        {
            "workspace_id": ("string", True),
            "description": ("string", False),
            "project_id": ("string", False),
        },
        {"description", "id", "start", "status"},
    ),
    "stop_timer": SeedAction(
        "Stop Clockify timer",
        {"workspace_id": ("string", True), "user_id": ("string", True)},
        {"end", "id", "status"},
    ),
}


def test_every_action_folder_is_complete_and_named_consistently(pack: Pack) -> None:
    folders = {
        p.name for p in (ROOT / "actions").iterdir() if p.is_dir() and not p.name.startswith("_")
    }
    assert folders == set(pack.actions), "every folder is listed in manifest.yaml and vice versa"
    for name in folders:
        folder = ROOT / "actions" / name
        assert (folder / "action.yaml").is_file()
        assert (folder / "handler.py").is_file()
        assert yaml.safe_load((folder / "action.yaml").read_text())["name"] == name


@pytest.mark.parametrize("name", SEED_CONTRACT)
def test_the_seed_actions_keep_their_contract(pack: Pack, name: str) -> None:
    contract = SEED_CONTRACT[name]
    described = pack.describe(name)
    assert described["title"] == contract.title
    parameters = described["parameters"]
    fields = {
        field: (schema["type"], field in parameters.get("required", []))
        for field, schema in parameters["properties"].items()
    }
    # The contract's parameters stay as they were; a parameter added since must be optional,
    # so that every call written against the contract still runs.
    assert {field: fields.get(field) for field in contract.parameters} == contract.parameters
    added = set(fields) - set(contract.parameters)
    assert not [field for field in added if fields[field][1]], "an added parameter is required"
    response = described["response"]
    assert contract.response <= set(response["required"])
    assert response["additionalProperties"] is False


def test_examples_validate_against_their_own_schemas(pack: Pack) -> None:
    for action in pack.actions.values():
        for example in action.examples:
            assert list(action.parameters_validator.iter_errors(example["input"])) == [], (
                action.name
            )
            assert list(action.response_validator.iter_errors(example["output"])) == [], action.name


def test_schemas_are_valid_json_schema(pack: Pack) -> None:
    for action in pack.actions.values():
        Draft202012Validator.check_schema(action.parameters)
        Draft202012Validator.check_schema(action.response)


def test_a_manifest_breaking_its_meta_schema_is_refused(pack_copy: Path) -> None:
    action_yaml = pack_copy / "actions" / "stop_timer" / "action.yaml"
    document = yaml.safe_load(action_yaml.read_text())
    document["parameters"]["additionalProperties"] = True
    action_yaml.write_text(yaml.safe_dump(document))
    with pytest.raises(PackError, match="additionalProperties"):
        load_pack(pack_copy)


def test_a_missing_handler_is_refused(pack_copy: Path) -> None:
    (pack_copy / "actions" / "start_timer" / "handler.py").unlink()
    with pytest.raises(PackError, match=r"handler\.py"):
        load_pack(pack_copy)


def test_manifest_version_is_the_package_version(pack: Pack) -> None:
    assert pack.version == clockify_actions.__version__


def test_secret_settings_are_declared_write_only(pack: Pack) -> None:
    from clockify_actions.runtime.redact import secret_settings

    assert secret_settings(pack.connection_schema) == ["api_key"]


SCHEMA_KEYWORDS = {
    "$ref", "$schema", "$id", "$defs", "type", "properties", "required", "additionalProperties",
    "items", "anyOf", "oneOf", "allOf", "enum", "const", "pattern", "format", "minLength",
    "maxLength", "minimum", "maximum", "minItems", "maxItems", "uniqueItems", "description", "title",
    "examples", "default", "writeOnly", "readOnly",
}  # fmt: skip


def _schema_keys(schema: object) -> set[str]:
    """Every key used as a keyword anywhere in a schema (property names excluded)."""
    if isinstance(schema, list):
        return set().union(*(_schema_keys(item) for item in schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    keys = set(schema)
    for key, value in schema.items():
        if key == "properties":
            keys |= set().union(*(_schema_keys(v) for v in value.values())) if value else set()
        elif key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
            keys |= _schema_keys(value)
    return keys


def test_manifests_use_only_schema_keywords(pack: Pack) -> None:
    # A YAML flow mapping splits an unquoted description at its comma, leaving a junk key.
    for action in pack.actions.values():
        for schema in (action.parameters, action.response):
            unknown = {k for k in _schema_keys(schema) if not k.startswith("x-")} - SCHEMA_KEYWORDS
            assert not unknown, f"{action.name}: {unknown}"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


COMMON = _yaml(ROOT / "schemas" / "common.yaml")


def test_resolved_schemas_are_closed_objects(pack: Pack) -> None:
    # A response may be a shared result by `$ref`: once resolved it must still be closed.
    closed = Draft202012Validator(
        _yaml(ROOT / "schemas" / "action.schema.yaml")["$defs"]["ObjectSchema"]
    )
    for action in pack.actions.values():
        for schema in (action.parameters, action.response):
            assert list(closed.iter_errors(schema)) == [], action.name


def test_a_shared_result_is_the_common_shape_with_the_actions_own_description(
    pack: Pack,
) -> None:
    for action in pack.actions.values():
        written = _yaml(action.folder / "action.yaml")["response"]
        if "$ref" not in written:
            continue
        shared = COMMON["$defs"][written["$ref"].rpartition("/")[2]]
        assert action.response["description"] == written["description"] != shared["description"]
        assert set(action.response["properties"]) == set(shared["properties"]), action.name
        assert action.response["required"] == shared["required"], action.name


def test_a_sibling_description_wins_over_the_referenced_one(pack_copy: Path) -> None:
    action_yaml = pack_copy / "actions" / "stop_timer" / "action.yaml"
    document = _yaml(action_yaml)
    document["response"]["description"] = "What stop_timer says of its own result."
    document["parameters"]["properties"]["user_id"]["description"] = "Whose timer to stop."
    action_yaml.write_text(yaml.safe_dump(document), encoding="utf-8")
    described = load_pack(pack_copy).describe("stop_timer")
    assert described["response"]["description"] == "What stop_timer says of its own result."
    user_id = described["parameters"]["properties"]["user_id"]
    assert user_id["description"] == "Whose timer to stop."
    assert user_id["pattern"] == COMMON["$defs"]["ClockifyId"]["pattern"], "the rest is shared"


def test_a_shared_result_needs_a_description_of_its_own(pack_copy: Path) -> None:
    action_yaml = pack_copy / "actions" / "stop_timer" / "action.yaml"
    document = _yaml(action_yaml)
    del document["response"]["description"]
    action_yaml.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(PackError, match="description"):
        load_pack(pack_copy)


ERROR_ENVELOPE = Draft202012Validator(COMMON["$defs"]["ErrorEnvelope"])


def test_the_error_envelope_schema_names_every_error_type() -> None:
    declared = COMMON["$defs"]["ErrorEnvelope"]["properties"]["error"]["properties"]["type"]
    assert declared["enum"] == [kind.value for kind in ErrorType]


def test_every_failure_matches_the_error_envelope_schema(
    pack: Pack, run: Run, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLOCKIFY_API_KEY", raising=False)
    clockify.answer_everything(401, {"message": "Api key does not exist", "code": 4003})
    envelopes = [
        run("list_projects", {"workspace_id": "not-an-id", "extra": 1}),
        run("no_such_action", {}),
        run("list_workspaces", {}),
        pack.run("list_workspaces", {}),
        *(ActionError(kind, "a message").envelope() for kind in ErrorType),
    ]
    assert {e["error"]["type"] for e in envelopes[:4]} == {
        "validation_error",
        "auth_error",
        "config_error",
    }
    for envelope in envelopes:
        assert list(ERROR_ENVELOPE.iter_errors(envelope)) == [], envelope


def test_every_action_and_trigger_says_how_many_requests_it_makes() -> None:
    # A Free workspace gets 30 requests an hour: the person choosing an action or a trigger
    # must be able to count them from its description.
    pack = load_pack()
    silent = [name for name, a in pack.actions.items() if "request" not in a.description.lower()]
    silent += [
        name
        for name, trigger in pack.triggers.items()
        if "request" not in (trigger.description + trigger.guarantee.get("requests", "")).lower()
    ]
    assert silent == []
