"""Helpers for the sandbox tests: Clockify's spec as a response check, and paths.

A module of its own (not conftest) so that test modules can import it by a unique name."""

from __future__ import annotations

import copy
import fnmatch
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT.parent / "shared" / "clockify" / "openapi.yaml"
SPEC_URI = "urn:clockify:openapi"

# Where the official spec is wrong about what Clockify sends. Keys are JSON pointers into a
# response body, array indexes written as `*`. Durations need no entry: the spec's examples
# show milliseconds ("8000") but its types say string, which ISO-8601 strings are; likewise
# `public` is declared, and `isPublic` is write-only (checked absent below).
NULLABLE = {
    # The spec marks nothing nullable, yet Clockify sends null for every unset value.
    "*/timeInterval/end": "a running entry has no end",
    "*/timeInterval/duration": "nor a duration",
    "*/projectId": "an entry without a project",
    "*/taskId": "an entry without a task",
    "*/kioskId": "an entry not made on a kiosk",
    "*/memberships/*/hourlyRate": "a membership without its own rate",
    "*/memberships/*/costRate": "a membership without its own cost rate",
    "*/costRate": "a project created without a cost rate",
    "*/budgetEstimate": "a project without a budget",
    "*/estimateReset": "a project whose estimate never resets",
    "*/timeEstimate/resetOption": "a time estimate that never resets",
    "*/workspaceSettings/lockTimeEntries": "a workspace that locks nothing",
    "*/workspaceSettings/lockTimeZone": "nor has a lock time zone",
    "*/workspaceSettings/automaticLock": "nor locks automatically",
    "*/subdomain/name": "a workspace without a subdomain",
    "*/email": "a client created without an email",
    "*/address": "nor an address",
    "*/note": "nor a note",
    "*/ccEmails": "nor cc addresses",
}
SPEC_MISTAKES = {
    "/status": "AccountStatus is an enum string on the wire; the spec types it as an object",
    "*/features": "a list of Feature names; the spec types it as one Feature object",
    "*/adminOnlyPages": "a list of pages; the spec types it as one page name",
    "*/clientId": "live projects carry it (and clientName); the spec's ProjectDtoV1 omits both",
    "*/clientName": "see clientId",
}

# Spec schemas no validator can use, replaced by what the wire carries.
SCHEMA_REPLACEMENTS = {
    # `oneOf: [$ref FeaturePlan]` inside FeaturePlan itself: validation never ends.
    "FeaturePlan": {"type": "string"},
}

_WIRE_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_ISO_DURATION = re.compile(r"PT(?=\d)(\d+H)?(\d+M)?(\d+S)?")
_OBJECT_ID = re.compile(r"[0-9a-f]{24}")


def _is_wire_instant(value: object) -> bool:
    return not isinstance(value, str) or bool(_WIRE_INSTANT.fullmatch(value))


def _strict(node: Any) -> Any:
    """The spec with every declared object closed, so an undeclared key is an error at its own
    path, and with write-only properties forbidden in responses."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    strict = {key: _strict(value) for key, value in node.items()}
    if isinstance(node.get("properties"), dict):
        strict["properties"] = {
            name: {"not": {}} if isinstance(prop, dict) and prop.get("writeOnly") else _strict(prop)
            for name, prop in node["properties"].items()
        }
        strict.setdefault("additionalProperties", {"not": {}})
    return strict


def _pointer(parts: list[str]) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


class SpecChecker:
    """Checks sandbox responses against the official spec, minus its known mistakes."""

    def __init__(self, spec: dict[str, Any]) -> None:
        spec = copy.deepcopy(spec)
        spec["components"]["schemas"].update(SCHEMA_REPLACEMENTS)
        resource = Resource.from_contents(_strict(spec), DRAFT7)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._formats = FormatChecker(formats=())
        self._formats.checks("date-time")(_is_wire_instant)
        self._templates = sorted(
            (
                (re.compile(re.sub(r"\{[^}]+\}", "[^/]+", template)), template)
                for template in spec["paths"]
            ),
            key=lambda pair: pair[1].count("{"),
        )
        self._paths = spec["paths"]
        self.forgiven: set[str] = set()
        self.checked: set[tuple[str, str]] = set()

    def _schema_pointer(self, method: str, path: str, status: int) -> str | None:
        below_api = "/" + path.removeprefix("/api/").strip("/")
        for regex, template in self._templates:
            if regex.fullmatch(below_api):
                operation = self._paths[template].get(method.lower(), {})
                content = operation.get("responses", {}).get(str(status), {}).get("content")
                if not content:
                    return None
                self.checked.add((method, template))
                media_type = next(iter(content))
                where = ["paths", template, method.lower(), "responses", str(status)]
                return _pointer([*where, "content", media_type, "schema"])
        return None

    def problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        if status >= 400:
            shaped = isinstance(body, dict) and set(body) == {"message", "code"}
            ok = shaped and isinstance(body["message"], str) and type(body["code"]) is int
            return [] if ok else [f"error body is not {{message, code}}: {body!r}"]
        pointer = self._schema_pointer(method, path, status)
        if pointer is None:
            return [f"the spec has no {status} schema for {method} {path}"]
        validator = Draft7Validator(
            {"$ref": SPEC_URI + "#" + pointer},
            registry=self._registry,
            format_checker=self._formats,
        )
        found = []
        for error in validator.iter_errors(body):
            where = "/" + "/".join("*" if isinstance(p, int) else str(p) for p in error.path)
            allowed = {
                **(NULLABLE if error.instance is None else {}),
                **SPEC_MISTAKES,
            }
            match = next((key for key in allowed if fnmatch.fnmatchcase(where, key)), None)
            if match is None:
                found.append(f"{where}: {error.message}")
            else:
                self.forgiven.add(match)
        return found + _wire_problems(body, "")


def _wire_problems(node: Any, where: str) -> list[str]:
    """Clockify's wire conventions the spec does not state: ids, durations."""
    found = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += _wire_problems(item, f"{where}/{index}")
    elif isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}/{key}"
            is_id = key == "id" or key.endswith("Id") or key == "activeWorkspace"
            if is_id and isinstance(value, str) and value and not _OBJECT_ID.fullmatch(value):
                found.append(f"{here}: {value!r} is not a 24-hex id")
            is_duration = key in ("duration", "estimate") and isinstance(value, str)
            if is_duration and not _ISO_DURATION.fullmatch(value):
                found.append(f"{here}: {value!r} is not an ISO-8601 duration")
            found += _wire_problems(value, here)
    return found


def response_hook(checker: SpecChecker | None) -> Callable[[httpx.Response], None]:
    """Fails the request (and so the test) whose response breaks Clockify's contract."""

    def check(response: httpx.Response) -> None:
        if checker is None or "json" not in response.headers.get("content-type", ""):
            return
        response.read()
        try:
            body = response.json()
        except ValueError:
            return  # a `truncate` fault at work
        request = response.request
        problems = checker.problems(request.method, request.url.path, response.status_code, body)
        assert not problems, f"{request.method} {request.url.path}: {problems}"

    return check


ClientFactory = Callable[..., httpx.Client]
