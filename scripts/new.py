"""Scaffold a new action, resource or trigger: every file the suite asks of it, each place a
person must fill marked `FILL:` with what to write there.

    python scripts/new.py action delete_project --route "DELETE /workspaces/{workspaceId}/projects/{projectId}"
    python scripts/new.py resource expense_categories
    python scripts/new.py trigger tag_deleted --route "GET /workspaces/{workspaceId}/entities/deleted?type=TAGS"

The files come from the plain-text templates in scripts/templates/<kind>/ (`$name` fills in,
`string.Template`); an action or a trigger also gets its line in manifest.yaml, a resource
its section in docs/clockify-api.md. A folder that exists already is never touched. Until
every `FILL:` is filled, tests/test_fill_markers.py names each one, with its file and line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "templates"
MARKER = "FILL:"
RESOURCES = Path("src") / "clockify_actions" / "resources"
CLOCKIFY_API = Path("docs") / "clockify-api.md"
# The placeholder id of an input the person replaces (a seeded id of the sandbox, say).
SOME_ID = "000000000000000000000000"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAMETER = re.compile(r"\{(\w+)\}")
_SECTION = re.compile(r"^## (\d+)\. ", re.MULTILINE)


def snake(name: str) -> str:
    """`workspaceId` → `workspace_id`: a path parameter as the pack names its input."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def split_route(route: str) -> tuple[str, str]:
    method, _, path = route.strip().partition(" ")
    if method not in ("GET", "POST", "PUT", "PATCH", "DELETE") or not path.startswith("/"):
        raise SystemExit(
            f'a route is "METHOD /path", e.g. "GET /workspaces/{{workspaceId}}": {route}'
        )
    return method, path


def route_values(route: str) -> dict[str, str]:
    """What the templates of an action or a trigger take from its route: its inputs are
    the route's path parameters."""
    method, path = split_route(route)
    parameters = [snake(p) for p in _PARAMETER.findall(path.partition("?")[0])]
    segments = [
        f'params["{snake(part[1:-1])}"]' if part.startswith("{") else f'"{part}"'
        for part in path.partition("?")[0].strip("/").split("/")
    ]
    properties = "".join(
        f"    {p}:\n"
        '      $ref: "urn:clockify-actions:common#/$defs/ClockifyId"\n'
        f"      description: >-\n        {MARKER} what the {p} names, and where it comes from"
        " (use list_... to find it).\n"
        for p in parameters
    )
    return {
        "route": route.strip(),
        "method": method,
        "path": path,
        "required": ", ".join(parameters),
        "properties": properties.rstrip("\n"),
        "example_input": ", ".join(f"{p}: {SOME_ID!r}" for p in parameters),
        "path_segments": ", ".join(segments),
    }


def render(kind: str, values: dict[str, str]) -> dict[Path, str]:
    """Each template of `kind` rendered, by its path below the new folder."""
    return {
        path.relative_to(TEMPLATES / kind).with_suffix(""): Template(
            path.read_text(encoding="utf-8")
        ).substitute(values)
        for path in sorted((TEMPLATES / kind).rglob("*.tmpl"))
    }


def write_folder(root: Path, folder: Path, files: dict[Path, str]) -> list[Path]:
    if (root / folder).exists():
        raise SystemExit(f"{folder} exists already: nothing written")
    written = []
    for relative, text in files.items():
        path = root / folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(folder / relative)
    return written


def add_to_manifest(root: Path, key: str, name: str) -> None:
    """`name` last in the manifest's `key` list: `actions:` is the file's last key, and
    `triggers:` the list just before it."""
    manifest = root / "manifest.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"{key}:\n")
    end = start + 1
    while end < len(lines) and lines[end].startswith("  - "):
        end += 1
    lines.insert(end, f"  - {name}\n")
    manifest.write_text("".join(lines), encoding="utf-8")


def resource_of(root: Path, route: str) -> str:
    """The resource folder named by the route's last literal segment that names one."""
    path = split_route(route)[1].partition("?")[0]
    named = [p.replace("-", "_") for p in path.strip("/").split("/") if not p.startswith("{")]
    found = [n for n in named if (root / RESOURCES / n).is_dir()]
    return found[-1] if found else f"<resource> ({MARKER} the resource folder)"


def new_action(root: Path, name: str, route: str, resource: str | None) -> list[Path]:
    values = {"name": name, **route_values(route), "resource": resource or resource_of(root, route)}
    written = write_folder(root, Path("actions") / name, render("action", values))
    add_to_manifest(root, "actions", name)
    return [*written, Path("manifest.yaml")]


def new_trigger(root: Path, name: str, route: str) -> list[Path]:
    values = {"name": name, **route_values(route)}
    written = write_folder(root, Path("triggers") / name, render("trigger", values))
    add_to_manifest(root, "triggers", name)
    return [*written, Path("manifest.yaml")]


def new_resource(root: Path, name: str) -> list[Path]:
    doc = root / CLOCKIFY_API
    text = doc.read_text(encoding="utf-8")
    singular = name.removesuffix("s").removesuffix("ie") + ("y" if name.endswith("ies") else "")
    values = {
        "name": name,
        "singular": singular,
        "title": name.replace("_", " "),
        "Title": name.replace("_", " ").capitalize(),
        "model": "".join(part.capitalize() for part in singular.split("_")),
        "section": str(max(int(n) for n in _SECTION.findall(text)) + 1),
    }
    files = render("resource", values)
    section = files.pop(Path("clockify-api.md"))
    written = write_folder(root, RESOURCES / name, files)
    doc.write_text(text.rstrip("\n") + "\n" + section, encoding="utf-8")
    return [*written, CLOCKIFY_API]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("action", "resource", "trigger"))
    parser.add_argument("name", help="lower case with _, e.g. delete_project")
    parser.add_argument("--route", help='"METHOD /path" of Clockify (action, trigger)')
    parser.add_argument("--resource", help="the resource folder its wire models come from")
    parser.add_argument("--root", type=Path, default=ROOT, help="the pack's root")
    args = parser.parse_args(argv)
    if not _NAME.match(args.name):
        parser.error(f"a name is lower case with _: {args.name}")
    if args.kind != "resource" and not args.route:
        parser.error(f"a new {args.kind} needs --route")
    if args.kind == "action":
        written = new_action(args.root, args.name, args.route, args.resource)
    elif args.kind == "trigger":
        written = new_trigger(args.root, args.name, args.route)
    else:
        written = new_resource(args.root, args.name)
    print(json.dumps({"written": [path.as_posix() for path in written]}, indent=1))
    print(
        f"Fill every {MARKER} in them: tests/test_fill_markers.py names those left.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
