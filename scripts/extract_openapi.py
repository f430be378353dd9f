"""Write tests/data/clockify-openapi.json: the response schemas of the Clockify routes the
sandbox emulates (or is about to), cut from Clockify's published OpenAPI description.

Source: Clockify's OpenAPI 3.0.1 description of its REST API v1, published at
https://docs.clockify.me/openapi.json (the API reference at https://docs.clockify.me/). A
snapshot of it is committed as `spec/official/clockify.official.openapi.yaml` in the public
repository apet97/clockify-ts-sdk; that snapshot, saved as YAML, is what this script reads
(by default `../shared/clockify/openapi.yaml` beside the repository, which is not part of it).

What is kept: for each route listed in ROUTES, every operation's id and, per status, the
response media types and their schemas; and every component schema those reach through
`$ref`, with the references left as they are. Inside schemas only what a validator uses is
kept (types, properties, required, enums, formats, bounds, writeOnly, $ref); descriptions,
examples, defaults and deprecation notes are dropped. Request bodies and parameters are
dropped: the tests check what Clockify answers, not what it accepts.

The output is deterministic (sorted keys, the input's digest recorded), so running the script again on
the same input changes nothing. Run it by hand when the published description changes:

    python scripts/extract_openapi.py [--spec PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "clockify" / "openapi.yaml"
DEFAULT_OUT = ROOT / "tests" / "data" / "clockify-openapi.json"
SOURCE = "https://docs.clockify.me/openapi.json"

_WS = "/v1/workspaces/{workspaceId}"
# Every route of the resources the sandbox emulates (docs/clockify-api.md §9, §27; part 3
# of Clockify's API facts, §32 to §38): the spec's operations tagged with one of RESOURCE_TAGS. `extract` refuses a
# description with a route of those tags that is not listed here, so the list stays whole.
ROUTES = (
    "/v1/user",
    "/v1/file/image",
    "/v1/workspaces",
    _WS,
    f"{_WS}/hourly-rate",
    f"{_WS}/cost-rate",
    f"{_WS}/users",
    f"{_WS}/users/info",
    f"{_WS}/users/{{userId}}",
    f"{_WS}/users/{{userId}}/hourly-rate",
    f"{_WS}/users/{{userId}}/cost-rate",
    f"{_WS}/users/{{userId}}/roles",
    f"{_WS}/users/{{userId}}/managers",
    f"{_WS}/users/{{userId}}/custom-field/{{customFieldId}}/value",
    f"{_WS}/member-profile/{{userId}}",
    f"{_WS}/projects",
    f"{_WS}/projects/from-template",
    f"{_WS}/projects/{{projectId}}",
    f"{_WS}/projects/{{projectId}}/estimate",
    f"{_WS}/projects/{{projectId}}/memberships",
    f"{_WS}/projects/{{projectId}}/template",
    f"{_WS}/projects/{{projectId}}/users/{{userId}}/hourly-rate",
    f"{_WS}/projects/{{projectId}}/users/{{userId}}/cost-rate",
    f"{_WS}/projects/{{projectId}}/tasks",
    f"{_WS}/projects/{{projectId}}/tasks/{{taskId}}",
    f"{_WS}/projects/{{projectId}}/tasks/{{id}}/hourly-rate",
    f"{_WS}/projects/{{projectId}}/tasks/{{id}}/cost-rate",
    f"{_WS}/clients",
    f"{_WS}/clients/{{id}}",
    f"{_WS}/tags",
    f"{_WS}/tags/{{id}}",
    f"{_WS}/time-entries",
    f"{_WS}/time-entries/invoiced",
    f"{_WS}/time-entries/status/in-progress",
    f"{_WS}/time-entries/{{id}}",
    f"{_WS}/user/{{userId}}/time-entries",
    f"{_WS}/user/{{userId}}/time-entries/{{id}}/duplicate",
    f"{_WS}/webhooks",
    f"{_WS}/webhooks/{{webhookId}}",
    f"{_WS}/webhooks/{{webhookId}}/logs",
    f"{_WS}/webhooks/{{webhookId}}/token",
    f"{_WS}/addons/{{addonId}}/webhooks",
    f"{_WS}/entities/created",
    f"{_WS}/entities/updated",
    f"{_WS}/entities/deleted",
    f"{_WS}/reports/detailed",
    f"{_WS}/reports/summary",
    f"{_WS}/reports/weekly",
    f"{_WS}/reports/attendance",
)
RESOURCE_TAGS = frozenset(
    {
        "Client",
        "Entity changes (Experimental)",
        "Project",
        "Tag",
        "Task",
        "Team Report",
        "Time Entry Report",
        "Time entry",
        "User",
        "Webhooks",
        "Workspace",
    }
)
METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA_REF = "#/components/schemas/"

# Annotations: no validator reads them, and they are most of the published text.
DROPPED = frozenset({"description", "example", "examples", "default", "deprecated", "title"})
# Keywords whose value is one schema, a list of schemas, or a map of names to schemas.
ONE_SCHEMA = frozenset({"items", "additionalProperties", "not"})
SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf"})
SCHEMA_MAP = frozenset({"properties"})
# paths/<route>/<method> and components/schemas/<name>: one line each.
COMPACT_DEPTH = 3


def clean(schema: Any) -> Any:
    """The schema with its annotations dropped, at every depth, property names untouched."""
    if not isinstance(schema, dict):
        return schema
    kept: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DROPPED or key.startswith("x-"):
            continue
        if key in ONE_SCHEMA:
            kept[key] = clean(value)
        elif key in SCHEMA_LIST:
            kept[key] = [clean(item) for item in value]
        elif key in SCHEMA_MAP:
            kept[key] = {name: clean(item) for name, item in value.items()}
        else:
            kept[key] = value
    return kept


def references(node: Any) -> set[str]:
    """The names of the component schemas `node` refers to directly."""
    if isinstance(node, list):
        return set().union(*(references(item) for item in node))
    if not isinstance(node, dict):
        return set()
    found = set().union(*(references(value) for value in node.values()))
    ref = node.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith(SCHEMA_REF):
            raise SystemExit(f"unexpected reference {ref}: only component schemas are kept")
        found.add(ref.removeprefix(SCHEMA_REF))
    return found


def responses(operation: dict[str, Any]) -> dict[str, Any]:
    """Per status, the media types and their cleaned schemas (`{}` when there is no body)."""
    kept: dict[str, Any] = {}
    for status, response in operation.get("responses", {}).items():
        content = response.get("content") or {}
        media = {name: {"schema": clean(body.get("schema", {}))} for name, body in content.items()}
        kept[str(status)] = {"content": media} if media else {}
    return kept


def extract(spec: dict[str, Any], digest: str) -> dict[str, Any]:
    missing = [route for route in ROUTES if route not in spec["paths"]]
    if missing:
        raise SystemExit(f"the description has no {', '.join(missing)}")
    unlisted = [
        route
        for route, operations in spec["paths"].items()
        if route not in ROUTES
        and any(
            RESOURCE_TAGS & set(operations[method].get("tags", []))
            for method in METHODS
            if method in operations
        )
    ]
    if unlisted:
        raise SystemExit(f"routes of emulated resources not in ROUTES: {', '.join(unlisted)}")
    paths: dict[str, Any] = {}
    for route in ROUTES:
        operations = spec["paths"][route]
        paths[route] = {
            method: {
                "operationId": operations[method]["operationId"],
                "responses": responses(operations[method]),
            }
            for method in METHODS
            if method in operations
        }
    available = spec["components"]["schemas"]
    wanted, pending = set(), references(paths)
    while pending:
        name = pending.pop()
        if name in wanted:
            continue
        if name not in available:
            raise SystemExit(f"{SCHEMA_REF}{name} is referenced but not defined")
        wanted.add(name)
        pending |= references(clean(available[name]))
    return {
        "openapi": spec["openapi"],
        "info": {
            "title": spec["info"]["title"],
            "x-source": SOURCE,
            "x-source-sha256": digest,
            "x-extracted-by": "scripts/extract_openapi.py",
        },
        "paths": paths,
        "components": {"schemas": {name: clean(available[name]) for name in wanted}},
    }


def dump(node: Any, depth: int = 0) -> str:
    """JSON with sorted keys: indented down to one operation or one component schema per
    line, so that a diff names what changed, and compact below (the enums are long)."""
    if depth == COMPACT_DEPTH or not isinstance(node, dict) or not node:
        return json.dumps(node, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    pad = " " * (depth + 1)
    items = [f"{pad}{json.dumps(key)}: {dump(node[key], depth + 1)}" for key in sorted(node)]
    return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"


def render(spec_text: bytes) -> str:
    spec = yaml.load(spec_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return dump(extract(spec, hashlib.sha256(spec_text).hexdigest())) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the published description")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the extract")
    args = parser.parse_args()
    if not args.spec.is_file():
        print(
            f"{args.spec} not found: pass --spec with Clockify's OpenAPI description",
            file=sys.stderr,
        )
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(args.spec.read_bytes()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
