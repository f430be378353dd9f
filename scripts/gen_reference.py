"""Write the README's action reference from the manifests (or, with --check, fail if it
has drifted from them)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import generated
from clockify_actions.runtime import Action, load_pack

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "any")
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


def render_action(action: Action) -> str:
    lines = [f"### {action.title}", "", f"`{action.name}`: {action.description}", ""]
    properties = action.parameters["properties"]
    if properties:
        required = set(action.parameters.get("required", []))
        lines += [
            "Parameters",
            "",
            "| Parameter | Type | Required | Description |",
            "|---|---|---|---|",
        ]
        for name, schema in properties.items():
            text = " ".join(schema["description"].split())
            lines.append(
                f"| {name} | {_type(schema)} | {'Yes' if name in required else 'No'} | {text} |"
            )
        lines.append("")
    lines += [
        "Response",
        "",
        "```json",
        json.dumps(action.examples[0]["output"], indent=2, sort_keys=True),
        "```",
        "",
    ]
    return "\n".join(lines)


def render() -> str:
    pack = load_pack()
    body = "\n".join(render_action(action) for action in pack.actions.values())
    return f"{START}\n{body}{END}"


def updated(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return head + render() + tail


if __name__ == "__main__":
    sys.exit(generated.main(README, updated, __doc__, "gen_reference.py"))
