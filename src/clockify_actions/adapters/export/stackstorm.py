"""A StackStorm pack: `pack.yaml`, `config.schema.yaml`, and per action its metadata
`actions/<name>.yaml` beside one shared entry point, `actions/clockify_action.py`.

StackStorm's python runner is Python 3.8, and this pack needs 3.11, so the entry point
does not import the pack: it is a stdlib-only script that pipes the parameters, as JSON on
stdin, to the installed `clockify-actions run NAME` (in its own 3.11 environment, named by
the pack's `cli` setting) and returns its envelope. A python-script runner (rather than
`local-shell-cmd`) gets the parameters typed, with no shell quoting of JSON, and hands the
API key to the command through its environment, never on a command line.

StackStorm checks each parameter against its own meta-schema, a draft 4 dialect in which
`required` is a per-parameter boolean and unknown keywords are refused
(`st2common/util/schema/action_params.json`); `st2_parameter` rewrites the pack's JSON
Schema into it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.adapters.export._shared import GENERATED, Source, to_yaml

PACK_REF = "clockify"
ENTRY_POINT = "clockify_action.py"
# The immutable parameter that tells the shared entry point which action to run.
ACTION_PARAMETER = "clockify_action"
# The keywords StackStorm's action parameter meta-schema accepts (draft 4 plus `secret`,
# `position` and `immutable`, and `required` as a boolean, which `st2_parameter` writes).
KEPT_KEYWORDS = frozenset(
    {
        "title", "description", "default", "multipleOf", "maximum", "exclusiveMaximum",
        "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "additionalItems",
        "items", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties",
        "additionalProperties", "properties", "enum", "type", "allOf", "anyOf", "oneOf", "not",
    }
)  # fmt: skip
# Keywords holding one subschema, and those holding a list of them.
ONE_SCHEMA = frozenset({"items", "additionalItems", "additionalProperties", "not"})
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})

ENTRY_SCRIPT = f'''"""Runs one clockify-actions action: {GENERATED}

StackStorm's python runner is Python 3.8 and the pack needs 3.11, so this script only
pipes the parameters, as JSON, to the installed `clockify-actions` command (the pack's
`cli` setting) and returns its envelope.
"""

import json
import os
import subprocess

from st2common.runners.base_action import Action

# Connection settings of the pack's config and the command's option for each.
OPTIONS = (("region", "--region"), ("base_url", "--base-url"), ("workspace_id", "--workspace"))


class ClockifyAction(Action):
    def run(self, {ACTION_PARAMETER}, **parameters):
        # StackStorm gives an optional parameter nobody set as None: it is left out, so
        # the pack's own default applies.
        given = {{key: value for key, value in parameters.items() if value is not None}}
        command = [self.config.get("cli") or "clockify-actions", "run", {ACTION_PARAMETER}]
        for setting, option in OPTIONS:
            if self.config.get(setting):
                command += [option, self.config[setting]]
        environment = dict(os.environ, CLOCKIFY_API_KEY=self.config["api_key"])
        try:
            done = subprocess.run(
                command, input=json.dumps(given), capture_output=True, text=True, env=environment
            )
            envelope = json.loads(done.stdout)
        except (OSError, ValueError) as error:
            # The command is missing or broke before its one JSON document: a setup problem.
            message = f"{{command[0]}} could not be run ({{error}}); check the pack's cli setting."
            return False, {{"status": "error", "error": {{"type": "config_error", "message": message}}}}
        return envelope["status"] == "success", envelope
'''

CONFIG_SCHEMA = {
    "api_key": {
        "description": "The Clockify API key (Profile settings > API); kept secret.",
        "type": "string",
        "secret": True,
        "required": True,
    },
    "region": {
        "description": "The Clockify region: global, euc1, use2, euw2 or apse2.",
        "type": "string",
        "required": False,
    },
    "base_url": {
        "description": "A full API root instead of the region's.",
        "type": "string",
        "required": False,
    },
    "workspace_id": {
        "description": "The workspace of an input that names none: an id, or auto.",
        "type": "string",
        "required": False,
    },
    "cli": {
        "description": "The clockify-actions command, installed with Python 3.11 or later.",
        "type": "string",
        "default": "clockify-actions",
        "required": False,
    },
}


def st2_parameter(schema: Mapping[str, Any], required: bool = False) -> dict[str, Any]:
    """`schema` in StackStorm's dialect: per-property `required: true` instead of a list,
    `const` as a one-value `enum`, a list of types as `anyOf`, and the keywords it does not
    know (`format`, `examples`, `x-message`) left out; the pack still checks them all."""
    converted: dict[str, Any] = {}
    if "const" in schema:
        converted["enum"] = [schema["const"]]
    kind = schema.get("type")
    if isinstance(kind, list):
        converted["anyOf"] = [{"type": one} for one in kind]
    inner_required = set(schema.get("required", ()))
    for key, value in schema.items():
        if key not in KEPT_KEYWORDS or (key == "type" and isinstance(kind, list)):
            continue
        if key == "properties":
            value = {n: st2_parameter(s, n in inner_required) for n, s in value.items()}
        elif key in ONE_SCHEMA and isinstance(value, Mapping):
            value = st2_parameter(value)
        elif key in SCHEMA_LISTS:
            value = [st2_parameter(option) for option in value]
        converted[key] = value
    if required:
        converted["required"] = True
    return converted


def action_metadata(described: Mapping[str, Any]) -> dict[str, Any]:
    schema = described["parameters"]
    required = set(schema.get("required", ()))
    properties = schema.get("properties", {})
    if ACTION_PARAMETER in properties:
        raise ValueError(f"{described['name']}: {ACTION_PARAMETER!r} is taken by the export")
    parameters = {
        ACTION_PARAMETER: {
            "description": "The clockify-actions action this runs.",
            "type": "string",
            "default": described["name"],
            "immutable": True,
        },
        **{name: st2_parameter(s, name in required) for name, s in properties.items()},
    }
    return {
        "name": described["name"],
        "description": f"{described['title']}. {described['description']}",
        "runner_type": "python-script",
        "enabled": True,
        "entry_point": ENTRY_POINT,
        "parameters": parameters,
    }


def files(src: Source) -> dict[str, str]:
    header = f"# {GENERATED}\n"
    pack = {
        "ref": PACK_REF,
        "name": PACK_REF,
        "description": src.description,
        "keywords": ["clockify", "time tracking"],
        "version": src.version,
        "author": "clockify-actions",
        "python_versions": ["3"],
    }
    written = {
        "pack.yaml": header + to_yaml(pack),
        "config.schema.yaml": header + to_yaml(CONFIG_SCHEMA),
        f"actions/{ENTRY_POINT}": ENTRY_SCRIPT,
    }
    for described in src.actions:
        written[f"actions/{described['name']}.yaml"] = header + to_yaml(action_metadata(described))
    return written
