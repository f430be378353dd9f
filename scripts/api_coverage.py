"""How many of the operations of Clockify's public API the pack reaches: each operation of
`docs/clockify-operations.json` (Clockify's OpenAPI description, one line per operation)
against the `clockify:` lists of every action.yaml and trigger.yaml.

    python scripts/api_coverage.py            # {"operations": N, "reached": M, "missing": [...]}
    python scripts/api_coverage.py --write    # docs/clockify-operations.json from --spec

`--write` reads Clockify's OpenAPI description (by default `../shared/clockify/openapi.yaml`
beside the checkout, which is not part of it; see scripts/extract_openapi.py for where it is
published) and writes the operations file, which is committed: the count never needs the
network. `generate.py` prints the count in the README's index and lists every operation, with
the actions and triggers that reach it, in docs/coverage.md.

A `clockify:` line is `METHOD /path`, with an optional `?query` (a change feed's `type`) and
` (reports host)`; its path parameters may be named otherwise than the spec's. A line that
names no operation of the spec is an error (a typo would otherwise go uncounted).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
OPERATIONS = ROOT / "docs" / "clockify-operations.json"
DEFAULT_SPEC = ROOT.parent / "shared" / "clockify" / "openapi.yaml"
_METHODS = ("get", "post", "put", "patch", "delete")
_PARAMETER = re.compile(r"\{[^}]*\}")


class Operation(NamedTuple):
    method: str
    path: str  # below the host's `/v1`, parameters as the spec names them
    host: str  # "api" or "reports"
    operation_id: str
    tag: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.method, _PARAMETER.sub("{}", self.path), self.host


def from_spec(spec: dict[str, Any]) -> list[Operation]:
    """Every operation of the OpenAPI description, sorted by host, path and method."""
    operations = []
    for path, item in spec["paths"].items():
        for method in _METHODS:
            if method not in item:
                continue
            operation = item[method]
            servers = operation.get("servers") or item.get("servers") or spec.get("servers", [])
            host = "reports" if any("reports" in s["url"] for s in servers) else "api"
            operations.append(
                Operation(
                    method.upper(),
                    path.removeprefix("/v1"),
                    host,
                    operation.get("operationId", ""),
                    (operation.get("tags") or [""])[0],
                )
            )
    return sorted(operations, key=lambda o: (o.host, o.path, _METHODS.index(o.method.lower())))


def load(path: Path = OPERATIONS) -> list[Operation]:
    return [Operation(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


def route_key(line: str) -> tuple[str, str, str]:
    """A manifest's `clockify:` line as the key of the operation it names."""
    host = "api"
    if line.endswith(" (reports host)"):
        line, host = line.removesuffix(" (reports host)"), "reports"
    method, _, path = line.partition(" ")
    return method, _PARAMETER.sub("{}", path.partition("?")[0]), host


def reached_by(root: Path = ROOT) -> dict[tuple[str, str, str], list[str]]:
    """Each operation's key the pack reaches, with the actions and triggers that reach it."""
    manifest = yaml.safe_load((root / "manifest.yaml").read_text(encoding="utf-8"))
    users: dict[tuple[str, str, str], list[str]] = {}
    for kind, names in (("actions", manifest["actions"]), ("triggers", manifest["triggers"])):
        for name in names:
            file = root / kind / name / ("action.yaml" if kind == "actions" else "trigger.yaml")
            for line in yaml.safe_load(file.read_text(encoding="utf-8")).get("clockify", []):
                users.setdefault(route_key(line), []).append(name)
    return users


class Coverage(NamedTuple):
    operations: list[Operation]
    reached: dict[Operation, list[str]]  # each reached operation's actions and triggers
    unknown: dict[tuple[str, str, str], list[str]]  # `clockify:` lines naming no operation


def coverage(root: Path = ROOT) -> Coverage:
    operations = load(root / OPERATIONS.relative_to(ROOT))
    users = reached_by(root)
    keys = {operation.key for operation in operations}
    return Coverage(
        operations,
        {o: sorted(users[o.key]) for o in operations if o.key in users},
        {key: names for key, names in users.items() if key not in keys},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the operations file")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="Clockify's OpenAPI")
    args = parser.parse_args(argv)
    if args.write:
        spec = yaml.safe_load(args.spec.read_text(encoding="utf-8"))
        rows = [operation._asdict() for operation in from_spec(spec)]
        OPERATIONS.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OPERATIONS.relative_to(ROOT)}: {len(rows)} operations", file=sys.stderr)
        return 0
    found = coverage()
    missing = [o for o in found.operations if o not in found.reached]
    report = {
        "operations": len(found.operations),
        "reached": len(found.reached),
        "missing": [f"{o.method} {o.path} ({o.operation_id})" for o in missing],
        "unknown": [" ".join(key) + f" in {names}" for key, names in found.unknown.items()],
    }
    json.dump(report, sys.stdout, indent=1)
    print()
    return 1 if found.unknown else 0


if __name__ == "__main__":
    sys.exit(main())
