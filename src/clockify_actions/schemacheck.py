"""A compiled yes/no check for the part of JSON Schema 2020-12 that the manifests use.

jsonschema explains every way an instance fails, but it takes tens of milliseconds to
import and walks each schema keyword by keyword. Nearly every instance is
valid, and for those one fast yes is all the runtime needs; jsonschema is asked only
when this check says no, to judge and explain. The check follows jsonschema's rules
keyword for keyword (bool is not a number, 1.0 is an integer, `pattern` searches,
`additionalProperties` sees only `properties`), and a schema that uses any keyword not
implemented here gets no check at all, so that jsonschema alone judges it. Any other key
(a title, `x-message`, a typo) is ignored, as jsonschema ignores it.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from functools import reduce
from typing import Any

Check = Callable[[Any], bool]

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


class _Unsupported(Exception):
    pass


def compile_check(schema: Any, formats: Mapping[str, Check]) -> Check | None:
    """A predicate true exactly for the instances jsonschema's Draft 2020-12 validator
    accepts, asserting `formats` as its format checker would; None when the schema uses a
    keyword this module does not implement."""
    try:
        return _tiered(schema, formats, _compile(schema, formats))
    except _Unsupported:
        return None


def _tiered(schema: Any, formats: Mapping[str, Check], closure: Check) -> Check:
    """`closure` for the first `LONG_LIST` instances; from then on the written check (see
    `_Writer`): a check used that often (each event of a poll, each action a worker runs)
    is worth building, one used once or twice (a cold start) is not."""
    state: list[Any] = [closure, 0]

    def check(value: Any) -> bool:
        current = state[0]
        if current is closure:
            state[1] += 1
            if state[1] > LONG_LIST:
                state[0] = current = _Writer(formats).function(schema)
        return bool(current(value))

    return check


def compile_fast_check(schema: Any, formats: Mapping[str, Check]) -> Check | None:
    """The check of `compile_check`, written as Python source and compiled (see
    `_Writer`): several times faster on each instance, dearer to build. For the items
    of long lists."""
    try:
        _compile(schema, formats)  # refuses what is not implemented
        return _Writer(formats).function(schema)
    except _Unsupported:
        return None


# A list longer than this has its items checked by the written check (see `_Writer`),
# built when first needed: a short list is not worth its building.
LONG_LIST = 64


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


_CLASSES: dict[str, type] = {"array": list, "boolean": bool, "object": dict, "string": str}
_TYPES: dict[str, Check] = {
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "integer": _is_integer,
    "null": lambda value: value is None,
    "number": _is_number,
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


def _compile(schema: Any, formats: Mapping[str, Check]) -> Check:
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise _Unsupported(schema)
    for keyword in schema:
        # `$id`, `$anchor` and the like change how references resolve: not handled either.
        if keyword not in _IMPLEMENTED and (
            keyword in KEYWORDS or (keyword.startswith("$") and keyword != "$comment")
        ):
            raise _Unsupported(keyword)
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
        raise _Unsupported("type")
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
            raise _Unsupported("const")
        return lambda value: isinstance(value, str) and value == const
    if "enum" in schema:
        enum = schema["enum"]
        if not isinstance(enum, list) or not all(isinstance(each, str) for each in enum):
            raise _Unsupported("enum")
        choices = frozenset(enum)
        return lambda value: isinstance(value, str) and value in choices
    return None


def _string(schema: dict[str, Any]) -> Check | None:
    if not schema.keys() & {"minLength", "maxLength", "pattern"}:
        return None
    shortest, longest = schema.get("minLength", 0), schema.get("maxLength")
    pattern = schema.get("pattern")
    if not _is_integer(shortest) or not (longest is None or _is_integer(longest)):
        raise _Unsupported("minLength/maxLength")
    if not (pattern is None or isinstance(pattern, str)):
        raise _Unsupported("pattern")
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
        raise _Unsupported("format")
    # jsonschema's format checker passes any format it does not know.
    return formats.get(schema["format"])


def _number(schema: dict[str, Any]) -> Check | None:
    if "minimum" not in schema:
        return None
    minimum = schema["minimum"]
    if not _is_number(minimum):
        raise _Unsupported("minimum")
    return lambda value: not _is_number(value) or not value < minimum


def _object(schema: dict[str, Any], formats: Mapping[str, Check], *, strict: bool) -> Check | None:
    if not schema.keys() & {"required", "properties", "additionalProperties"}:
        return None
    required, properties = schema.get("required", []), schema.get("properties", {})
    if not isinstance(required, list) or not isinstance(properties, dict):
        raise _Unsupported("required/properties")
    needed = frozenset(required)
    tests = {name: _compile(sub, formats) for name, sub in properties.items()}
    additional = schema.get("additionalProperties", True)
    # Keys outside `properties` meet `additionalProperties`; true lets them all through.
    extra = None if additional is True else _compile(additional, formats)
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
    item = _compile(schema.get("items", True), formats)
    fewest, most = schema.get("minItems", 0), schema.get("maxItems")
    if not _is_integer(fewest) or not (most is None or _is_integer(most)):
        raise _Unsupported("minItems/maxItems")
    items = schema.get("items", True)
    written: list[Check] = []

    def each(value: list[Any]) -> bool:
        if len(value) <= LONG_LIST or items is True or items == {}:
            return all(map(item, value))
        if not written:
            written.append(_Writer(formats).function(items))
        return all(map(written[0], value))

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
        raise _Unsupported("anyOf")
    branches = [_compile(branch, formats) for branch in schema["anyOf"]]

    return lambda value: any(branch(value) for branch in branches)


# --- the same check written as Python source -----------------------------------------
#
# The closures above call one function per keyword and per property: for a list of
# 10,000 of Clockify's objects that is most of the time the pack spends on it. `_Writer`
# writes the same rules as one Python expression per object schema (a property whose
# schema is a plain type, a choice or a string rule is tested inline; an object, an
# array or an `anyOf` below gets a function of its own), compiled once. The closures
# stay the reference (and check what is rare: `additionalProperties` other than true,
# `minItems`/`maxItems`); the tests hold both to jsonschema's answers.

_TYPE_TESTS: dict[str, str] = {
    "array": "isinstance({x}, list)",
    "boolean": "isinstance({x}, bool)",
    # The JSON types by their exact class first; any other class (a subclass, a Decimal)
    # by the closures' own rule.
    "integer": "(type({x}) is int or (type({x}) is float and {x}.is_integer())"
    " or (type({x}) not in _JSON_CLASSES and _is_integer({x})))",
    "null": "{x} is None",
    "number": "(type({x}) is int or type({x}) is float"
    " or (type({x}) not in _JSON_CLASSES and _is_number({x})))",
    "object": "isinstance({x}, dict)",
    "string": "isinstance({x}, str)",
}


class _Writer:
    """Writes checks as source and compiles them, sharing one namespace."""

    def __init__(self, formats: Mapping[str, Check]) -> None:
        self.formats = formats
        self.names: dict[str, Any] = {
            "_JSON_CLASSES": frozenset({bool, dict, float, int, list, str, type(None)}),
            "type": type,
            "_is_integer": _is_integer,
            "_is_number": _is_number,
            "isinstance": isinstance,
            "all": all,
            "map": map,
            "len": len,
        }

    def bind(self, value: Any) -> str:
        name = f"_v{len(self.names)}"
        self.names[name] = value
        return name

    def function(self, schema: Any) -> Check:
        source = f"lambda x: {self.expression(schema, 'x')}"
        check: Check = eval(compile(source, "<schemacheck>", "eval"), self.names)
        return check

    def _leaf(self, schema: Any) -> bool:
        """Whether `schema` is tested inline: no object, array or anyOf rules."""
        return isinstance(schema, dict) and not schema.keys() & {
            "properties",
            "required",
            "additionalProperties",
            "items",
            "minItems",
            "maxItems",
            "anyOf",
        }

    def expression(self, schema: Any, x: str) -> str:
        if schema is True:
            return "True"
        if schema is False:
            return "False"
        kind = schema.get("type")
        strict = kind if kind in ("object", "array") else None
        parts = [
            self._type(schema) if strict is None else _TYPE_TESTS[strict],
            self._choice(schema),
            self._string(schema),
            self._format(schema),
            self._number(schema),
            self._object(schema, strict == "object"),
            self._array(schema, strict == "array"),
            self._any_of(schema),
        ]
        written = [part.format(x=x) for part in parts if part is not None]
        return "(" + " and ".join(written) + ")" if written else "True"

    def _type(self, schema: dict[str, Any]) -> str | None:
        if "type" not in schema:
            return None
        names = schema["type"]
        names = [names] if isinstance(names, str) else names
        return "(" + (" or ".join(_TYPE_TESTS[name] for name in names) or "False") + ")"

    def _choice(self, schema: dict[str, Any]) -> str | None:
        if "const" in schema:
            return f"(isinstance({{x}}, str) and {{x}} == {self.bind(schema['const'])})"
        if "enum" in schema:
            choices = self.bind(frozenset(schema["enum"]))
            return f"(isinstance({{x}}, str) and {{x}} in {choices})"
        return None

    def _string(self, schema: dict[str, Any]) -> str | None:
        if not schema.keys() & {"minLength", "maxLength", "pattern"}:
            return None
        tests = []
        if schema.get("minLength", 0):
            tests.append(f"len({{x}}) >= {self.bind(schema['minLength'])}")
        if schema.get("maxLength") is not None:
            tests.append(f"len({{x}}) <= {self.bind(schema['maxLength'])}")
        if schema.get("pattern") is not None:
            search = self.bind(re.compile(schema["pattern"]).search)
            tests.append(f"{search}({{x}}) is not None")
        if not tests:
            return None
        return f"(not isinstance({{x}}, str) or ({' and '.join(tests)}))"

    def _format(self, schema: dict[str, Any]) -> str | None:
        test = self.formats.get(schema["format"]) if "format" in schema else None
        return None if test is None else f"{self.bind(test)}({{x}})"

    def _number(self, schema: dict[str, Any]) -> str | None:
        if "minimum" not in schema:
            return None
        number = _TYPE_TESTS["number"]
        return f"(not {number} or not {{x}} < {self.bind(schema['minimum'])})"

    def _sub(self, schema: Any, x: str) -> str:
        """The test of a value below: inline when simple, else a function of its own."""
        if self._leaf(schema) or isinstance(schema, bool):
            return self.expression(schema, x)
        return f"{self.bind(self.function(schema))}({x})"

    def _object(self, schema: dict[str, Any], strict: bool) -> str | None:
        if not schema.keys() & {"required", "properties", "additionalProperties"}:
            return None
        additional = schema.get("additionalProperties", True)
        if additional is not True and additional is not False:
            # Every other key must meet a schema: the closure judges each.
            rest = self.bind(_object(schema, self.formats, strict=strict))
            return f"{rest}({{x}})"
        tests = []
        if additional is False:
            tests.append(f"{{x}}.keys() <= {self.bind(frozenset(schema.get('properties', {})))}")
        if schema.get("required"):
            tests.append(f"{self.bind(frozenset(schema['required']))} <= {{x}}.keys()")
        for name, sub in schema.get("properties", {}).items():
            key = repr(name) if isinstance(name, str) and name.isidentifier() else self.bind(name)
            if sub is True or sub == {}:
                continue
            if sub is False:
                tests.append(f"{key} not in {{x}}")
                continue
            # The value is read once the key is known to be there.
            test = self._sub(sub, f"{{x}}[{key}]")
            tests.append(f"({key} not in {{x}} or {test})")
        body = " and ".join(tests) or "True"
        if strict:
            return f"({body})"
        return f"(not isinstance({{x}}, dict) or ({body}))"

    def _array(self, schema: dict[str, Any], strict: bool) -> str | None:
        if not schema.keys() & {"items", "minItems", "maxItems"}:
            return None
        if schema.get("minItems", 0) or schema.get("maxItems") is not None:
            rest = self.bind(_array(schema, self.formats, strict=strict))
            return f"{rest}({{x}})"
        item = schema.get("items", True)
        if item is True or item == {}:
            return None if strict else "True"
        test = f"all(map({self.bind(self.function(item))}, {{x}}))"
        return f"({test})" if strict else f"(not isinstance({{x}}, list) or {test})"

    def _any_of(self, schema: dict[str, Any]) -> str | None:
        if "anyOf" not in schema:
            return None
        branches = [self._sub(branch, "{x}") for branch in schema["anyOf"]]
        return "(" + " or ".join(branches) + ")"
