"""The check as closures, one per keyword and property: the reference, cheap to build.

Each keyword of the schema becomes a closure, and the closures of a schema are chained;
a schema with a keyword not implemented here raises `Unsupported`, so that jsonschema
alone judges it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import reduce
from typing import Any

from clockify_actions.schemacheck.jsontypes import Check, is_integer, is_number
from clockify_actions.schemacheck.written import LONG_LIST, Writer

# Every keyword jsonschema's Draft 2020-12 validator acts on; it ignores any other key.
KEYWORDS = frozenset(
    {
        "$dynamicRef",
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "contains",
        "dependentRequired",
        "dependentSchemas",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "if",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "prefixItems",
        "properties",
        "propertyNames",
        "required",
        "type",
        "unevaluatedItems",
        "unevaluatedProperties",
        "uniqueItems",
    }
)


class Unsupported(Exception):
    pass


def written(schema: Any, formats: Mapping[str, Check]) -> Check:
    """The same check written as Python source (see `Writer`), whose rare rules these
    closures judge."""
    return Writer(formats, lambda part: compile_closures(part, formats)).function(schema)


_CLASSES: dict[str, type] = {"array": list, "boolean": bool, "object": dict, "string": str}
_TYPES: dict[str, Check] = {
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "integer": is_integer,
    "null": lambda value: value is None,
    "number": is_number,
    "object": lambda value: isinstance(value, dict),
    "string": lambda value: isinstance(value, str),
}


_IMPLEMENTED = frozenset(
    {
        "type",
        "const",
        "enum",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "anyOf",
    }
)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def compile_closures(schema: Any, formats: Mapping[str, Check]) -> Check:
    """The check of `schema` as closures; raises `Unsupported` for a keyword not
    implemented here."""
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise Unsupported(schema)
    for keyword in schema:
        # `$id`, `$anchor` and the like change how references resolve: not handled either.
        if keyword not in _IMPLEMENTED and (
            keyword in KEYWORDS or (keyword.startswith("$") and keyword != "$comment")
        ):
            raise Unsupported(keyword)
    # `type: object` (or `array`) with the keywords of its kind is one function that
    # refuses any other type itself: the commonest schemas, checked without a chain.
    kind = schema.get("type")
    strict = kind if kind in ("object", "array") else None
    parts = (
        None if strict is not None else _type(schema),
        _choice(schema),
        _string(schema),
        _format(schema, formats),
        _number(schema),
        _object(schema, formats, strict=strict == "object"),
        _array(schema, formats, strict=strict == "array"),
        _any_of(schema, formats),
    )
    checks = [part for part in parts if part is not None]
    if strict is not None and (parts[5] if strict == "object" else parts[6]) is None:
        checks.insert(0, _TYPES[strict])  # no keyword of its kind: the type alone
    return _all(checks)


def _all(checks: list[Check]) -> Check:
    return reduce(_both, checks) if checks else _always


def _both(first: Check, second: Check) -> Check:
    return lambda value: first(value) and second(value)


def _type(schema: dict[str, Any]) -> Check | None:
    if "type" not in schema:
        return None
    names = schema["type"]
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not all(name in _TYPES for name in names):
        raise Unsupported("type")
    if len(names) == 1:
        return _TYPES[names[0]]
    if set(names) <= _CLASSES.keys() | {"null"}:
        # The common `[string, "null"]` as one isinstance: no bool/int subtleties here.
        classes = tuple(_CLASSES[name] for name in names if name != "null")
        nullable = "null" in names
        return lambda value: isinstance(value, classes) or (nullable and value is None)
    tests = [_TYPES[name] for name in names]
    return lambda value: any(test(value) for test in tests)


def _choice(schema: dict[str, Any]) -> Check | None:
    # With strings alone, jsonschema's `equal` is plain `==`: no bool/int or nesting rules.
    if "const" in schema:
        const = schema["const"]
        if "enum" in schema or not isinstance(const, str):
            raise Unsupported("const")
        return lambda value: isinstance(value, str) and value == const
    if "enum" in schema:
        enum = schema["enum"]
        if not isinstance(enum, list) or not all(isinstance(each, str) for each in enum):
            raise Unsupported("enum")
        choices = frozenset(enum)
        return lambda value: isinstance(value, str) and value in choices
    return None


def _string(schema: dict[str, Any]) -> Check | None:
    if not schema.keys() & {"minLength", "maxLength", "pattern"}:
        return None
    shortest, longest = schema.get("minLength", 0), schema.get("maxLength")
    pattern = schema.get("pattern")
    if not is_integer(shortest) or not (longest is None or is_integer(longest)):
        raise Unsupported("minLength/maxLength")
    if not (pattern is None or isinstance(pattern, str)):
        raise Unsupported("pattern")
    search = None if pattern is None else re.compile(pattern).search

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        if len(value) < shortest or (longest is not None and len(value) > longest):
            return False
        return search is None or search(value) is not None

    return check


def _format(schema: dict[str, Any], formats: Mapping[str, Check]) -> Check | None:
    if "format" not in schema:
        return None
    if not isinstance(schema["format"], str):
        raise Unsupported("format")
    # jsonschema's format checker passes any format it does not know.
    return formats.get(schema["format"])


def _number(schema: dict[str, Any]) -> Check | None:
    if "minimum" not in schema:
        return None
    minimum = schema["minimum"]
    if not is_number(minimum):
        raise Unsupported("minimum")
    return lambda value: not is_number(value) or not value < minimum


def _object(schema: dict[str, Any], formats: Mapping[str, Check], *, strict: bool) -> Check | None:
    if not schema.keys() & {"required", "properties", "additionalProperties"}:
        return None
    required, properties = schema.get("required", []), schema.get("properties", {})
    if not isinstance(required, list) or not isinstance(properties, dict):
        raise Unsupported("required/properties")
    needed = frozenset(required)
    tests = {name: compile_closures(sub, formats) for name, sub in properties.items()}
    additional = schema.get("additionalProperties", True)
    # Keys outside `properties` meet `additionalProperties`; true lets them all through.
    extra = None if additional is True else compile_closures(additional, formats)
    # With `strict`, the schema's `type: object` too: anything but an object fails.
    other_types = not strict
    known = tuple(tests.items())
    few = len(known)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return other_types
        if not needed <= value.keys():
            return False
        if extra is None and len(value) > few:
            # Only `properties` constrain it: look up those, not each key it carries
            # (Clockify's objects carry many more keys than the pack reads).
            for name, listed in known:  # noqa: SIM110 - a loop: all() would be slower
                if name in value and not listed(value[name]):
                    return False
            return True
        for name, item in value.items():
            test = tests.get(name, extra)
            if test is not None and not test(item):
                return False
        return True

    return check


def _array(schema: dict[str, Any], formats: Mapping[str, Check], *, strict: bool) -> Check | None:
    if not schema.keys() & {"items", "minItems", "maxItems"}:
        return None
    item = compile_closures(schema.get("items", True), formats)
    fewest, most = schema.get("minItems", 0), schema.get("maxItems")
    if not is_integer(fewest) or not (most is None or is_integer(most)):
        raise Unsupported("minItems/maxItems")
    items = schema.get("items", True)
    built: list[Check] = []

    def each(value: list[Any]) -> bool:
        if len(value) <= LONG_LIST or items is True or items == {}:
            return all(map(item, value))
        if not built:
            built.append(written(items, formats))
        return all(map(built[0], value))

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return not strict
        if len(value) < fewest or (most is not None and len(value) > most):
            return False
        return each(value)

    return check


def _any_of(schema: dict[str, Any], formats: Mapping[str, Check]) -> Check | None:
    if "anyOf" not in schema:
        return None
    if not isinstance(schema["anyOf"], list) or not schema["anyOf"]:
        raise Unsupported("anyOf")
    branches = [compile_closures(branch, formats) for branch in schema["anyOf"]]

    return lambda value: any(branch(value) for branch in branches)
