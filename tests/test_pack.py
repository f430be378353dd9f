"""The pack's shape: one name per action everywhere, manifests valid, docs in step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

import clockify_actions
from clockify_actions import Pack
from clockify_actions.runtime import PackError, load_pack

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_TITLES = {
    "list_workspaces": "List Clockify workspaces",
    "list_projects": "List Clockify projects",
    "create_project": "Create Clockify project",
    "create_time_entry": "Create Clockify time entry",
    "start_timer": "Start Clockify timer",
    "stop_timer": "Stop Clockify timer",
    "get_current_user": "Get current Clockify user",
    "list_time_entries": "List Clockify time entries",
    "get_time_entry": "Get Clockify time entry",
    "get_running_timer": "Get running Clockify timer",
    "update_time_entry": "Update Clockify time entry",
    "delete_time_entry": "Delete Clockify time entry",
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


def test_titles_are_the_contracts(pack: Pack) -> None:
    assert {name: a.title for name, a in pack.actions.items()} == CONTRACT_TITLES


@pytest.mark.parametrize(
    ("name", "required", "optional"),
    [
        ("list_workspaces", set(), set()),
        ("list_projects", {"workspace_id"}, {"archived"}),
        ("create_project", {"workspace_id", "name"}, {"client_id", "is_private"}),
        ("create_time_entry", {"workspace_id", "project_id", "start"}, {"description", "end"}),
        ("start_timer", {"workspace_id"}, {"description", "project_id"}),
        ("stop_timer", {"workspace_id", "user_id"}, set()),
        ("get_current_user", set(), set()),
    ],
)
def test_parameters_are_the_contracts(
    pack: Pack, name: str, required: set[str], optional: set[str]
) -> None:
    parameters = pack.describe(name)["parameters"]
    assert set(parameters.get("required", [])) == required
    assert set(parameters["properties"]) == required | optional
    for schema in parameters["properties"].values():
        assert schema["type"] in ("string", "boolean")


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("list_workspaces", {"count", "status", "workspaces"}),
        ("list_projects", {"count", "projects", "status"}),
        ("create_project", {"id", "name", "status"}),
        ("create_time_entry", {"description", "end", "id", "start", "status"}),
        ("start_timer", {"description", "id", "start", "status"}),
        ("stop_timer", {"end", "id", "status"}),
    ],
)
def test_responses_carry_the_contracts_fields(pack: Pack, name: str, fields: set[str]) -> None:
    response = pack.describe(name)["response"]
    assert fields <= set(response["required"])
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


def test_readme_reference_is_generated_from_the_manifests() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_reference.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_secret_settings_are_declared_write_only(pack: Pack) -> None:
    from clockify_actions.redact import secret_settings

    assert secret_settings(pack.connection_schema) == ["api_key"]


SCHEMA_KEYWORDS = {
    "$ref", "$schema", "$id", "$defs", "type", "properties", "required", "additionalProperties",
    "items", "anyOf", "oneOf", "allOf", "enum", "const", "pattern", "format", "minLength",
    "maxLength", "minimum", "maximum", "minItems", "uniqueItems", "description", "title",
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
