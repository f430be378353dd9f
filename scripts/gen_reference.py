"""Write the README's action reference from the manifests (or, with --check, fail if it
has drifted from them)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if README.md is not up to date")
    args = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    wanted = updated(current)
    if args.check:
        if current != wanted:
            print(
                "README.md's action reference is stale: run scripts/gen_reference.py",
                file=sys.stderr,
            )
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
