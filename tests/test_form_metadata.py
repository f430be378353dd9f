"""What a platform needs to build a form from `describe`: a title on every parameter, the
action that fills an id's dropdown, the connection's settings, and the hints in `list`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clockify_actions import Pack, load_pack
from clockify_actions.runtime import PackError, pack_root
from clockify_actions.runtime.loading import title_for


def _subjects(pack: Pack) -> list[str]:
    return [*pack.actions, *pack.triggers]


def test_every_parameter_has_a_title(pack: Pack) -> None:
    untitled = [
        f"{name}.{parameter}"
        for name in _subjects(pack)
        for parameter, schema in pack.describe(name)["parameters"]["properties"].items()
        if not schema.get("title")
    ]
    assert untitled == []


@pytest.mark.parametrize(
    ("name", "title"),
    [("workspace_id", "Workspace ID"), ("tag_ids", "Tag IDs"), ("time_zone", "Time zone")],
)
def test_a_title_is_derived_from_the_name(name: str, title: str) -> None:
    assert title_for(name) == title


def test_a_manifests_own_title_wins(pack_copy: Path) -> None:
    path = pack_copy / "actions" / "list_projects" / "action.yaml"
    document = yaml.safe_load(path.read_text())
    document["parameters"]["properties"]["archived"]["title"] = "Show archived"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    described = load_pack(pack_copy).describe("list_projects")["parameters"]["properties"]
    assert described["archived"]["title"] == "Show archived"
    assert described["workspace_id"]["title"] == "Workspace ID"


def test_id_parameters_name_the_action_that_fills_their_dropdown(pack: Pack) -> None:
    table = yaml.safe_load((pack_root() / "manifest.yaml").read_text())["options_from"]
    for name in _subjects(pack):
        for parameter, schema in pack.describe(name)["parameters"]["properties"].items():
            row = table.get(parameter)
            if row is None:
                assert "x-options-from" not in schema
                continue
            options = schema["x-options-from"]
            assert {k: options[k] for k in row} == row
            listing = pack.describe(options["action"])
            assert listing["hints"]["read_only"]
            items = listing["response"]["properties"][options["items"]]["items"]["properties"]
            assert {options["value"], options["label"]} <= set(items)
            assert options["requires"] == listing["parameters"].get("required", [])
    described = pack.describe("list_tasks")["parameters"]["properties"]["project_id"]
    assert described["x-options-from"]["action"] == "list_projects"
    assert described["x-options-from"]["requires"] == ["workspace_id"]


def test_an_options_row_naming_no_such_listing_is_refused(pack_copy: Path) -> None:
    path = pack_copy / "manifest.yaml"
    row = "project_id: {find: [find_project], action: list_projects, items: projects,"
    text = path.read_text()
    assert row in text
    path.write_text(text.replace(row, row.replace("items: projects", "items: project_list")))
    with pytest.raises(PackError, match=r"options_from\.project_id"):
        load_pack(pack_copy)


def test_an_options_row_finding_with_no_such_action_is_refused(pack_copy: Path) -> None:
    path = pack_copy / "manifest.yaml"
    row = "project_id: {find: [find_project],"
    text = path.read_text()
    assert row in text
    path.write_text(text.replace(row, "project_id: {find: [look_up_project],"))
    with pytest.raises(PackError, match=r"options_from\.project_id finds with no action"):
        load_pack(pack_copy)


def test_describe_gives_the_connection_settings(pack: Pack) -> None:
    for name in ("create_tag", "new_project"):
        settings = pack.describe(name)["connection"]["properties"]
        assert {"api_key", "region", "base_url", "reports_base_url", "workspace_id"} <= set(
            settings
        )
        assert settings["api_key"]["writeOnly"] is True


def test_list_gives_each_actions_hints(pack: Pack) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "list"], capture_output=True, timeout=60
    )
    listed = json.loads(done.stdout)["actions"]
    assert {a["name"]: a["hints"] for a in listed} == {
        name: action.hints for name, action in pack.actions.items()
    }
