"""What an action and a trigger are: each a record of its manifest's fields, declared
once, with what is derived from them (their checks, their handler) worked out when first
asked for.

A record's fields are its class annotations, named once: it is built from them by name,
equal and shown by them, as a dataclass is (and, like a mutable one, unhashable). A plain
class: building dataclasses or named tuples costs every start a millisecond or two.
"""

from __future__ import annotations

import importlib.util
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from clockify_actions.runtime.checks import (
    FORMATS,
    admits_null,
    compiled,
    errors,
    format_checker,
    validator,
)
from clockify_actions.schemacheck import Check

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

    from clockify_actions.runtime.execution import Handler, PollHandler


class PackError(Exception):
    """The pack itself is broken: a manifest fails its meta-schema or a file is missing."""


class Record:
    """Fields declared once, as the subclass's annotations."""

    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        # The class's own annotations, read directly: `inspect` costs every start its import.
        cls._fields = tuple(cls.__dict__.get("__annotations__", {}))  # noqa: RUF063

    def __init__(self, **values: Any) -> None:
        if values.keys() != set(self._fields):
            wrong = sorted(values.keys() ^ set(self._fields))
            raise TypeError(f"{type(self).__name__} takes exactly its fields; not so: {wrong}")
        self.__dict__.update(values)

    def _asdict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._fields}

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._asdict() == other._asdict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self._asdict().items())
        return f"{self.__class__.__qualname__}({shown})"


class Action(Record):
    """An action: `run(params, client)` in `actions/<name>/handler.py`."""

    name: str
    title: str
    description: str
    hints: dict[str, bool]
    toolset: str
    clockify: list[str]
    # The paid module the action uses: its Clockify `Feature` name and what it needs
    # (`features:` of manifest.yaml); None for what every plan has.
    feature: dict[str, str] | None
    parameters: dict[str, Any]
    response: dict[str, Any]
    examples: list[dict[str, Any]]
    folder: Path

    @cached_property
    def parameters_validator(self) -> Draft202012Validator:
        return validator(self.parameters, format_checker())

    @cached_property
    def response_validator(self) -> Draft202012Validator:
        return validator(self.response, format_checker())

    @cached_property
    def _parameters_check(self) -> Check:
        return compiled(self.parameters, FORMATS)

    @cached_property
    def _response_check(self) -> Check:
        return compiled(self.response, FORMATS)

    def parameter_errors(self, params: Any) -> list[ValidationError]:
        if self._parameters_check(params):
            return []
        return list(self.parameters_validator.iter_errors(params))

    def response_errors(self, result: Any) -> list[ValidationError]:
        if self._response_check(result):
            return []
        return list(self.response_validator.iter_errors(result))

    @cached_property
    def optional_parameters(self) -> frozenset[str]:
        """The parameters an input may leave out, and whose null means "left out": the
        optional ones whose schema does not admit null. Where it does, null is a value
        the handler gets (`project_id: null`: take the entry off its project)."""
        required = set(self.parameters.get("required", []))
        properties = self.parameters["properties"]
        return frozenset(
            name for name in properties.keys() - required if not admits_null(properties[name])
        )

    @cached_property
    def handler(self) -> Handler:
        run: Handler = _load_handler(self.folder, self.name).run
        return run

    def describe(self) -> dict[str, Any]:
        described = self._asdict()
        del described["folder"]
        return described


class Trigger(Record):
    """A trigger: `poll(params, state, client, webhook_event)` and `event(webhook_event,
    body)` in `triggers/<name>/handler.py`, both handed the manifest's `webhook_event`,
    the one place a trigger's Clockify event is named: a poll's events and a webhook
    delivery's event are made by the same `event`, with the same `event_id`."""

    name: str
    title: str
    description: str
    guarantee: dict[str, str]
    webhook_event: str
    clockify: list[str]
    parameters: dict[str, Any]
    event: dict[str, Any]
    state: dict[str, Any]
    examples: list[dict[str, Any]]
    folder: Path

    @cached_property
    def _parameters_check(self) -> Check:
        return compiled(self.parameters, FORMATS)

    @cached_property
    def _event_check(self) -> Check:
        return compiled(self.event, FORMATS)

    @cached_property
    def _state_check(self) -> Check:
        return compiled(self.state, FORMATS)

    def parameter_errors(self, params: Any) -> list[ValidationError]:
        return errors(self._parameters_check, self.parameters, params)

    def event_errors(self, event: Any) -> list[ValidationError]:
        return errors(self._event_check, self.event, event)

    def state_errors(self, state: Any) -> list[ValidationError]:
        return errors(self._state_check, self.state, state)

    @cached_property
    def _module(self) -> Any:
        return _load_handler(self.folder, f"trigger_{self.name}")

    @cached_property
    def handler(self) -> PollHandler:
        poll = self._module.poll
        webhook_event = self.webhook_event

        def polled(params: dict[str, Any], state: Any, client: Any) -> dict[str, Any]:
            result: dict[str, Any] = poll(params, state, client, webhook_event)
            return result

        return polled

    def delivery_event(self, body: dict[str, Any]) -> dict[str, Any]:
        """The event a webhook delivery's body (the entity, flat) makes: the one a poll
        delivers for the same change. Raises what the handler's `event` raises on a body
        that is not the entity (KeyError, TypeError, ValueError)."""
        event: dict[str, Any] = self._module.event(self.webhook_event, body)
        return event

    def describe(self) -> dict[str, Any]:
        fields = self._asdict()
        del fields["folder"]
        return {"name": fields.pop("name"), "kind": "trigger", **fields}


def _load_handler(folder: Path, module_name: str) -> Any:
    path = folder / "handler.py"
    spec = importlib.util.spec_from_file_location(f"clockify_actions_pack.{module_name}", path)
    if spec is None or spec.loader is None:
        raise PackError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
