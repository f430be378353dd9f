"""The check written as Python source and compiled: several times faster on each
instance, dearer to build.

The closures call one function per keyword and per property: for a list of 10,000 of
Clockify's objects that is most of the time the pack spends on it. `Writer` writes the
same rules as one Python expression per object schema (a property whose schema is a
plain type, a choice or a string rule is tested inline; an object, an array or an
`anyOf` below gets a function of its own), compiled once. The closures stay the
reference, and judge what is rare (`additionalProperties` other than true,
`minItems`/`maxItems`): `Writer` is handed the closures' compiler for those, and binds
what it builds from the schema's own keywords of that kind. The tests hold both forms
to jsonschema's answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from clockify_actions.schemacheck.jsontypes import Check, is_integer, is_number

# A list longer than this has its items checked by the written check (see `_Writer`),
# built when first needed: a short list is not worth its building.
LONG_LIST = 64

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


_OBJECT_KEYWORDS = ("required", "properties", "additionalProperties")
_ARRAY_KEYWORDS = ("items", "minItems", "maxItems")


class Writer:
    """Writes checks as source and compiles them, sharing one namespace; `closures`
    compiles a schema as closures, for the rules left to them."""

    def __init__(self, formats: Mapping[str, Check], closures: Callable[[Any], Check]) -> None:
        self.formats = formats
        self.closures = closures
        self.names: dict[str, Any] = {
            "_JSON_CLASSES": frozenset({bool, dict, float, int, list, str, type(None)}),
            "type": type,
            "_is_integer": is_integer,
            "_is_number": is_number,
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

    @staticmethod
    def _kept(schema: dict[str, Any], keywords: tuple[str, ...], kind: str, strict: bool) -> Any:
        """The schema's keywords of one kind, and its type when it is that kind
        (`strict`): as closures, the rules of that kind alone, as they apply to it."""
        kept = {key: schema[key] for key in keywords if key in schema}
        return {"type": kind, **kept} if strict else kept

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
            rest = self.bind(self.closures(self._kept(schema, _OBJECT_KEYWORDS, "object", strict)))
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
            rest = self.bind(self.closures(self._kept(schema, _ARRAY_KEYWORDS, "array", strict)))
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
