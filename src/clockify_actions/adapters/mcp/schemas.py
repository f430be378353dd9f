"""What an MCP tool's schemas leave out of an action's manifest (see the package's
docstring): the runtime's wording, the examples, the notes about requests, and in an
output schema the checks already made."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Keywords whose value is a schema, a list of schemas, or a map of names to schemas: the
# only places a served schema is walked into (a `const`, `enum` or `default` is data).
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMAS = ("not", "contains", "additionalProperties", "if", "then", "else")
# Besides every `x-` keyword (the runtime's wording of a problem, a secret's mark): the
# examples, the same id or timestamp repeated in every schema that takes one.
_NOT_SERVED = ("examples",)
# An output schema documents the result; these were checked before the result left.
_CHECKS = (
    "required",
    "additionalProperties",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "format",
)

# How deep in lists an output schema is spelt out: the items of a list, but not of a
# list within them.
_OUTPUT_ARRAY_DEPTH = 2

# How a run works is the runner's business, not the agent's: notes about the requests a
# run makes are left out of a served description. Each row is a pattern and what it
# becomes, applied in order.
RUNNER_NOTES: tuple[tuple[re.Pattern[str], str], ...] = (
    # A sentence of its own: "One request.", "One request; a write, never sent twice.",
    # "One request per page of ... (one, unless there are thousands)."
    (re.compile(r"(?:^|(?<=[.)]) )(?:Makes )?[Oo]ne request\b[^.]*(?:\([^)]*\))?[^.]*\.\s*"), ""),
    # The tail of a sentence: "...; makes one request per page, plus one to ..."
    (re.compile(r"; makes one request[^.]*"), ""),
    # A parenthesis about requests: "(one request per 5000 tags)", "(one more request)".
    (re.compile(r" \([^()]*\brequests?\b[^()]*\)"), ""),
    # A clause: "with one request", ", 1000 entries a request,".
    (re.compile(r" with one request\b"), ""),
    (re.compile(r", \d+ \w+ a request,"), ","),
)


def runner_notes_removed(text: str) -> str:
    for pattern, replacement in RUNNER_NOTES:
        text = pattern.sub(replacement, text)
    return text.strip()


def served_schema(
    schema: Any, *, output: bool = False, described: bool = False, within: int = 0
) -> Any:
    """`schema` as an agent is served it (see the module's docstring). `described`: the
    schema is a branch of an `anyOf`, or the items of an array, whose parent already says
    what the value is; `within`: how many arrays it is the items of."""
    if not isinstance(schema, Mapping):
        return schema
    if output and within >= _OUTPUT_ARRAY_DEPTH:
        # A list inside a list's items (a report's second level of groups, an entry's tag
        # ids in a list of entries) is said in its parent's description, not spelt out.
        return {key: schema[key] for key in ("type",) if key in schema}
    served: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in _NOT_SERVED or (output and key in _CHECKS):
            continue
        if described and key == "description":
            continue
        if key in _SCHEMA_MAPS:
            value = {
                name: served_schema(s, output=output, within=within) for name, s in value.items()
            }
        elif key in _SCHEMA_LISTS:
            value = [
                served_schema(s, output=output, described="description" in schema, within=within)
                for s in value
            ]
        elif key == "items":
            value = served_schema(
                value, output=output, described="description" in schema, within=within + 1
            )
        elif key in _SCHEMAS:
            value = served_schema(value, output=output, within=within)
        served[key] = value
    return _nullable_as_any_of(served)


def _nullable_as_any_of(schema: dict[str, Any]) -> dict[str, Any]:
    """`{"type": [x, "null"], ...}` as `{"anyOf": [{"type": x, ...}, {"type": "null"}]}`,
    its description outside the branches: a list of types is legal JSON Schema, but a
    client that maps tool schemas onto a one-type dialect (Gemini's function declarations)
    rejects it, and the MCP Inspector's `--strict` flags it as not portable."""
    kinds = schema.get("type")
    if not isinstance(kinds, list) or "null" not in kinds:
        return schema
    others = [kind for kind in kinds if kind != "null"]
    branch = {key: value for key, value in schema.items() if key not in ("type", "description")}
    branch["type"] = others[0] if len(others) == 1 else others
    nullable: dict[str, Any] = {"anyOf": [branch, {"type": "null"}]}
    if "description" in schema:
        return {"description": schema["description"], **nullable}
    return nullable
