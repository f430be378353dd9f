"""Clockify's wire objects without pydantic: the light twins that each resource's `wire`
module declares.

A resource's `models` module (pydantic, `clockify_actions.resources.<name>.models`) stays
the one description of its wire objects; the generate command derives from it, for each
model, a JSON Schema table and a light frozen class with the same name and attribute names
(the resource's `wire.py`). An answer the pack's compiled checker
(`clockify_actions.schemacheck`) accepts against that table is built into the light class
directly; any other answer is judged by the pydantic model itself, which either accepts it
(what it coerces, such as `"true"` for a bool, the twin then holds) or explains precisely
what is wrong. So a run parses exactly what pydantic parses, and a process that only meets
valid answers never imports pydantic (about 60 ms of a cold start).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar

from clockify_actions.schemacheck import LONG_LIST, Check, compile_check, compile_fast_check

if TYPE_CHECKING:
    from pydantic import BaseModel


class Spec:
    """One light class's table row: the pydantic model it mirrors (its module's name and
    its own), the JSON Schema its valid answers meet, and its builder."""

    __slots__ = ("_check", "_fast_check", "build", "model_name", "module", "schema")

    def __init__(
        self, module: str, model_name: str, schema: dict[str, Any], build: Callable[[Any], Any]
    ):
        self.module = module
        self.model_name = model_name
        self.schema = schema
        self.build = build
        self._check: Check | None = None
        self._fast_check: Check | None = None

    @property
    def check(self) -> Check:
        if self._check is None:
            check = compile_check(self.schema, {})
            if check is None:  # the generate command refuses such a table; never at run time
                raise TypeError(f"the wire table of {self.model_name} cannot be compiled")
            self._check = check
        return self._check

    @property
    def fast_check(self) -> Check:
        """The same check, written as source: for the items of a long list."""
        if self._fast_check is None:
            check = compile_fast_check(self.schema, {})
            if check is None:
                raise TypeError(f"the wire table of {self.model_name} cannot be compiled")
            self._fast_check = check
        return self._fast_check

    def model(self) -> type[BaseModel]:
        """The pydantic model, imported only now: a run that meets only valid answers
        never imports pydantic."""
        model: type[BaseModel] = getattr(import_module(self.module), self.model_name)
        return model


class WireObject:
    """A frozen object of Clockify's answer; its class says which fields it has."""

    __slots__ = ()
    _wire: ClassVar[Spec]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be deleted")

    def _fields(self) -> tuple[tuple[str, Any], ...]:
        return tuple((name, getattr(self, name)) for name in _field_names(type(self)))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, WireObject)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self._fields())
        return f"{type(self).__name__}({fields})"


def _field_names(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        names.extend(vars(klass).get("__slots__", ()))
    return names


def parse_fast(spec: Spec, body: Any) -> Any:
    """The light object for a body the table accepts, or None (then ask pydantic)."""
    if type(body) is dict and spec.check(body):
        try:
            return spec.build(body)
        except (OverflowError, ValueError):  # a float field given an int too large
            return None
    return None


def parse_list_fast(spec: Spec, body: Any) -> list[Any] | None:
    """The light objects for a list the table accepts item by item, or None."""
    if type(body) is not list:
        return None
    check = spec.fast_check if len(body) > LONG_LIST else spec.check
    for item in body:
        if type(item) is not dict or not check(item):
            return None
    build = spec.build
    try:
        return [build(item) for item in body]
    except (OverflowError, ValueError):
        return None


def from_pydantic(spec: Spec, parsed: BaseModel) -> Any:
    """The light twin of what pydantic parsed (its values, coerced as pydantic did)."""
    return spec.build(parsed.model_dump(by_alias=True))
