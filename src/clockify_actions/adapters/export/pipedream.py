"""Pipedream Python steps: per action, `clockify/<name>.py`, holding its component
metadata (`COMPONENT`: key, name, description, version, `props` for the form and
`annotations`, the pack's hints one to one) and the step's `handler`.

The handler runs the action in-process through `load_pack().run`, taking each prop from
the step's inputs (`pd.inputs`) or else from the trigger's event (an HTTP trigger's JSON
body), the API key from the `CLOCKIFY_API_KEY` environment variable; a failed action
raises, so that the step fails with the pack's error.
"""

from __future__ import annotations

import pprint
from collections.abc import Mapping
from typing import Any

from clockify_actions.adapters.export._shared import GENERATED, Source, parameters, python_string

FOLDER = "clockify"
# Every action talks to Clockify, a service outside the workflow.
OPEN_WORLD = True
# Pipedream's prop types for JSON Schema's.
PROP_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "string",
    "boolean": "boolean",
    "object": "object",
}
ANNOTATIONS = {"readOnlyHint": "read_only", "destructiveHint": "destructive", "idempotentHint": "idempotent"}  # fmt: skip

STEP = '''# pipedream add-package clockify-actions
"""{title}: {generated}"""

import json

from clockify_actions import load_pack

COMPONENT = {component}


def handler(pd: "pipedream"):
    # Each prop from the step's inputs, else from the trigger's event (the JSON body of
    # an HTTP trigger); one given as None is left out, so that the pack's default applies.
    inputs = dict(getattr(pd, "inputs", None) or {{}})
    event = (pd.steps.get("trigger") or {{}}).get("event") or {{}}
    body = event.get("body") if isinstance(event.get("body"), dict) else event
    params = {{}}
    for name in COMPONENT["props"]:
        value = inputs.get(name, body.get(name))
        if value is not None:
            params[name] = value
    envelope = load_pack().run({name}, params)
    if envelope["status"] != "success":
        raise Exception(json.dumps(envelope["error"]))
    return envelope
'''


def prop_type(schema: Mapping[str, Any]) -> str:
    """The Pipedream prop type of a parameter; a nullable one takes its other type."""
    for option in schema.get("anyOf", ()):
        if option.get("type") != "null":
            return prop_type(option)
    kind = schema.get("type")
    if kind == "array":
        return f"{prop_type(schema.get('items', {}))}[]"
    return PROP_TYPES.get(kind, "string") if isinstance(kind, str) else "string"


def prop(name: str, schema: Mapping[str, Any], required: bool) -> dict[str, Any]:
    made: dict[str, Any] = {
        "type": prop_type(schema),
        "label": name.replace("_", " ").capitalize(),
        "description": schema.get("description", ""),
        "optional": not required,
    }
    if "enum" in schema:
        made["options"] = list(schema["enum"])
    if "default" in schema:
        made["default"] = schema["default"]
    return made


def component(described: Mapping[str, Any], version: str) -> dict[str, Any]:
    hints = described["hints"]
    return {
        "key": f"clockify_actions-{described['name']}",
        "name": described["title"],
        "description": described["description"],
        "version": version,
        "type": "action",
        "annotations": {
            **{annotation: hints[hint] for annotation, hint in ANNOTATIONS.items()},
            "openWorldHint": OPEN_WORLD,
        },
        "props": {p.name: prop(p.name, p.schema, p.required) for p in parameters(described)},
    }


def files(src: Source) -> dict[str, str]:
    return {
        f"{FOLDER}/{described['name']}.py": STEP.format(
            title=described["title"],
            generated=GENERATED,
            component=pprint.pformat(component(described, src.version), width=88, sort_dicts=False),
            name=python_string(described["name"]),
        )
        for described in src.actions
    }
