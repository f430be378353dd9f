"""tests/data/clockify-openapi.json, the part of Clockify's published OpenAPI description the
sandbox is checked against: it loads, it covers every route the sandbox answers with a body,
and scripts/extract_openapi.py, which writes it, keeps what a validator needs and nothing else."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator

from .sandbox_testkit import ANSWERS, ROOT, SPEC_PATH

SCRIPT = ROOT / "scripts" / "extract_openapi.py"


def _kept_routes() -> tuple[str, ...]:
    module_spec = importlib.util.spec_from_file_location("extract_openapi", SCRIPT)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    routes: tuple[str, ...] = module.ROUTES
    return routes


def _run(spec: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "openapi.yaml"
    source.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--spec", str(source), "--out", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _extract(spec: dict[str, Any], tmp_path: Path) -> tuple[dict[str, Any], str]:
    result = _run(spec, tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    extracted: dict[str, Any] = json.loads(text)
    return extracted, text


def _references(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_references(item) for item in node))
    if not isinstance(node, dict):
        return set()
    found = set().union(*(_references(value) for value in node.values()))
    return found | ({node["$ref"]} if isinstance(node.get("$ref"), str) else set())


def test_the_data_file_has_a_schema_for_every_answer_the_sandbox_checks() -> None:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    assert spec["info"]["x-source"] == "https://docs.clockify.me/openapi.json"
    schemas = spec["components"]["schemas"]
    for method, route in ANSWERS:
        responses = spec["paths"][route][method.lower()]["responses"]
        bodies = [
            media["schema"]
            for response in responses.values()
            for media in response.get("content", {}).values()
        ]
        assert bodies, f"{method} {route} has no response schema"
        for body in bodies:
            Draft7Validator.check_schema(body)
    for name, schema in schemas.items():
        Draft7Validator.check_schema(schema)
        assert "description" not in schema and "example" not in schema, name
    missing = _references(spec) - {f"#/components/schemas/{name}" for name in schemas}
    assert not missing, f"references without a schema: {sorted(missing)}"


def _route(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "operationId": "getThing",
            "description": "A thing.",
            "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": schema}}},
        },
        "delete": {"operationId": "deleteThing", "responses": {"204": {"description": "Gone"}}},
    }


def _tiny_spec() -> dict[str, Any]:
    """A published description in miniature: two kept routes, one left out, annotations."""
    from_ref = {"schema": {"$ref": "#/components/schemas/Thing"}}
    paths = {route: _route(from_ref) for route in ("/v1/user", "/v1/workspaces")}
    paths["/v1/workspaces/{workspaceId}/invoices"] = _route(
        {"schema": {"$ref": "#/components/schemas/Invoice"}}
    )
    return {
        "openapi": "3.0.1",
        "info": {"title": "Clockify API v1", "description": "## Introduction ...", "version": "v1"},
        "paths": paths,
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": "A thing.",
                    "example": {"id": "x"},
                    "properties": {
                        # Property names that are also annotation keywords stay.
                        "description": {"type": "string", "example": "text"},
                        "title": {"type": "string"},
                        "rate": {"$ref": "#/components/schemas/Rate"},
                        "kind": {"type": "string", "enum": ["A", "B"], "default": "A"},
                    },
                    "required": ["description"],
                },
                "Rate": {"type": "object", "properties": {"amount": {"type": "integer"}}},
                "Invoice": {"type": "object", "properties": {"total": {"type": "integer"}}},
            }
        },
    }


def test_the_extract_keeps_types_keys_and_references_and_drops_the_prose(
    tmp_path: Path,
) -> None:
    spec = _tiny_spec()
    others = [route for route in _kept_routes() if route not in spec["paths"]]
    spec["paths"].update({route: _route({"schema": {"type": "string"}}) for route in others})
    extracted, text = _extract(spec, tmp_path)
    assert "/v1/workspaces/{workspaceId}/invoices" not in extracted["paths"]
    assert set(extracted["components"]["schemas"]) == {"Thing", "Rate"}  # Invoice unreached
    assert extracted["components"]["schemas"]["Thing"] == {
        "type": "object",
        "properties": {
            "description": {"type": "string"},
            "title": {"type": "string"},
            "rate": {"$ref": "#/components/schemas/Rate"},
            "kind": {"type": "string", "enum": ["A", "B"]},
        },
        "required": ["description"],
    }
    assert extracted["paths"]["/v1/user"] == {
        "get": {
            "operationId": "getThing",
            "responses": {
                "200": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    }
                }
            },
        },
        "delete": {"operationId": "deleteThing", "responses": {"204": {}}},
    }
    assert extracted["info"]["x-source"] == "https://docs.clockify.me/openapi.json"
    assert _extract(spec, tmp_path)[1] == text  # the same input gives the same bytes


def test_the_extract_refuses_a_description_without_a_kept_route(tmp_path: Path) -> None:
    result = _run(_tiny_spec(), tmp_path)
    assert result.returncode != 0
    assert "/v1/workspaces/{workspaceId}/time-entries/status/in-progress" in result.stderr
    assert not (tmp_path / "out.json").exists()
