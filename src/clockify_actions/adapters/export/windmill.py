"""Windmill scripts: per action, `f/clockify/<name>.py`, whose typed `main` takes the
connection (a `clockify` resource) and then the action's parameters, required ones
first, and `f/clockify/<name>.script.yaml`, its metadata with the arguments' JSON Schema.
`clockify.resource-type.yaml` declares the resource, whose `api_key` is a secret.

A script runs the action in-process through `load_pack().run`; a failed action raises,
so that Windmill marks the job failed and its retries apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.adapters.export._shared import (
    GENERATED,
    Source,
    parameters,
    python_string,
    signature,
    to_yaml,
)

FOLDER = "f/clockify"
RESOURCE_TYPE = "clockify"
CONNECTION_ARGUMENT = "connection"
# Keywords for the pack's own messages, which Windmill's form has no use for.
LEFT_OUT = frozenset({"x-message"})

RESOURCE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["api_key"],
    "properties": {
        "api_key": {
            "type": "string",
            "description": "The Clockify API key (Profile settings > API).",
            "password": True,
        },
        "region": {"type": "string", "description": "global, euc1, use2, euw2 or apse2."},
        "base_url": {"type": "string", "description": "A full API root instead of the region's."},
    },
}

SCRIPT = '''# requirements:
# clockify-actions
"""{title}: {generated}"""

import json
from typing import Any, TypedDict

from clockify_actions import load_pack


class {resource}(TypedDict):
    api_key: str
    region: str
    base_url: str


def main({signature}) -> dict[str, Any]:
    given = {given}
    params = {{key: value for key, value in given.items() if value is not None}}
    envelope = load_pack().run(
        {name},
        params,
        api_key={connection}["api_key"],
        region={connection}.get("region") or None,
        base_url={connection}.get("base_url") or None,
    )
    if envelope["status"] != "success":
        raise RuntimeError(json.dumps(envelope["error"]))
    return envelope
'''


def argument_schema(schema: Mapping[str, Any]) -> Any:
    """A parameter's schema for Windmill's form: the pack's, without its own keywords."""
    if isinstance(schema, Mapping):
        return {k: argument_schema(v) for k, v in schema.items() if k not in LEFT_OUT}
    if isinstance(schema, list):
        return [argument_schema(item) for item in schema]
    return schema


def script(described: Mapping[str, Any]) -> str:
    names = [p.name for p in parameters(described)]
    return SCRIPT.format(
        title=described["title"],
        generated=GENERATED,
        resource=RESOURCE_TYPE,
        signature=signature(described, (f"{CONNECTION_ARGUMENT}: {RESOURCE_TYPE}",)),
        given="{" + ", ".join(f"{python_string(n)}: {n}" for n in names) + "}",
        name=python_string(described["name"]),
        connection=CONNECTION_ARGUMENT,
    )


def metadata(described: Mapping[str, Any]) -> dict[str, Any]:
    ordered = parameters(described)
    properties: dict[str, Any] = {
        CONNECTION_ARGUMENT: {
            "type": "object",
            "format": f"resource-{RESOURCE_TYPE}",
            "description": "The Clockify connection: its API key and region.",
        }
    }
    properties.update({p.name: argument_schema(p.schema) for p in ordered})
    return {
        "summary": described["title"],
        "description": described["description"],
        "lock": "",
        "kind": "script",
        "schema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "order": list(properties),
            "properties": properties,
            "required": [CONNECTION_ARGUMENT, *(p.name for p in ordered if p.required)],
        },
    }


def files(src: Source) -> dict[str, str]:
    header = f"# {GENERATED}\n"
    written = {
        f"{RESOURCE_TYPE}.resource-type.yaml": header
        + to_yaml({"description": "A Clockify connection.", "schema": RESOURCE_SCHEMA})
    }
    for described in src.actions:
        base = f"{FOLDER}/{described['name']}"
        written[f"{base}.py"] = script(described)
        written[f"{base}.script.yaml"] = header + to_yaml(metadata(described))
    return written
