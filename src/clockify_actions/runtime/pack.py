"""What the pack is and how it is loaded: the manifests read, checked against their
meta-schemas and resolved into `Pack` and `Action`, or taken from the bundle built from
them.

It knows actions and triggers only as folders described by manifests; nothing here
names one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clockify_actions.errors import ActionError, ActionFailed, ErrorType
from clockify_actions.runtime import defaults
from clockify_actions.runtime.execution import (
    ClientOptions,
    ClientPool,
    call,
    envelope,
    poll_call,
    using_client,
    validate_input,
)
from clockify_actions.runtime.problems import connection_message
from clockify_actions.runtime.redact import Redactor, secret_settings
from clockify_actions.schemacheck import Check, compile_check
from clockify_actions.timeutil import TimestampError, parse_time_input, parse_timestamp, utc_now

# What a command does not need is imported where it is used: a run from the bundle with
# valid input needs neither jsonschema, referencing nor yaml (together about as dear to
# import as httpx), and `list` and `describe` need no Clockify client.
if TYPE_CHECKING:
    import httpx
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError
    from referencing import Registry

    from clockify_actions.clockify import ClientSettings, RequestLimiter
    from clockify_actions.runtime.execution import Handler, PollHandler


# The pack's manifests, resolved and checked, as `scripts/generate.py` writes them.
BUNDLE = Path(__file__).with_name("pack.json")


def _date_time(value: Any) -> bool:
    """The `date-time` format: a timestamp with a zone; TimestampError says why not."""
    return not isinstance(value, str) or bool(parse_timestamp(value))


def _time_input(value: Any) -> bool:
    """A time input: a timestamp with a zone, or a wall-clock time read in a zone later."""
    return not isinstance(value, str) or bool(parse_time_input(value))


# The formats the pack asserts, each with its check, which raises TimestampError saying
# why a value is not one; any other `format` is only an annotation.
_FORMAT_CHECKS: dict[str, Callable[[Any], bool]] = {
    "date-time": _date_time,
    defaults.LOCAL_OR_ZONED: _time_input,
}


def _quiet(check: Callable[[Any], bool]) -> Check:
    """`check` answering False where it would raise."""

    def quiet(value: Any) -> bool:
        try:
            return check(value)
        except TimestampError:
            return False

    return quiet


# The same checks as plain yes-or-no answers, for the compiled schema checks.
FORMATS: dict[str, Check] = {name: _quiet(check) for name, check in _FORMAT_CHECKS.items()}


@cache
def format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in _FORMAT_CHECKS.items():
        checker.checks(name, raises=TimestampError)(check)
    return checker


def pack_root() -> Path:
    """Where manifest.yaml, actions/ and schemas/ are: inside the installed wheel, or
    the source checkout when running from it."""
    packaged = Path(__file__).parents[1] / "_pack"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3]


def _read_yaml(path: Path) -> Any:
    import yaml

    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


class PackError(Exception):
    """The pack itself is broken: a manifest fails its meta-schema or a file is missing."""


def _check(
    document: Any, meta: Mapping[str, Any], where: Path, registry: Registry[Any] | None = None
) -> None:
    from jsonschema import Draft202012Validator

    validator = (
        Draft202012Validator(meta)
        if registry is None
        else Draft202012Validator(meta, registry=registry)
    )
    problems = sorted(validator.iter_errors(document), key=lambda e: e.json_path)
    if problems:
        lines = "\n".join(f"  {p.json_path}: {p.message}" for p in problems)
        raise PackError(f"{where} does not match its meta-schema:\n{lines}")


def _inline(schema: Any, registry: Registry[Any], base: str = "") -> Any:
    """The schema with every `$ref` replaced by what it points at (sibling keywords such
    as a more specific `description` win), so that tools get one self-contained schema."""
    if isinstance(schema, list):
        return [_inline(item, registry, base) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        resolved = registry.resolver(base).lookup(schema["$ref"])
        target = _inline(resolved.contents, registry, schema["$ref"].split("#")[0] or base)
        siblings = {k: _inline(v, registry, base) for k, v in schema.items() if k != "$ref"}
        return {**target, **siblings}
    return {key: _inline(value, registry, base) for key, value in schema.items()}


class _Record:
    """Equal and shown by the fields `_FIELDS` names, in that order, as a dataclass is
    (and, like a mutable one, unhashable). A plain class: building three dataclasses
    cost every start a few milliseconds."""

    _FIELDS: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Record)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"{self.__class__.__qualname__}({shown})"


class Action(_Record):
    _FIELDS = (
        "name",
        "title",
        "description",
        "hints",
        "toolset",
        "clockify",
        "parameters",
        "response",
        "examples",
        "folder",
    )

    def __init__(
        self,
        name: str,
        title: str,
        description: str,
        hints: dict[str, bool],
        toolset: str,
        clockify: list[str],
        parameters: dict[str, Any],
        response: dict[str, Any],
        examples: list[dict[str, Any]],
        folder: Path,
    ) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.hints = hints
        self.toolset = toolset
        self.clockify = clockify
        self.parameters = parameters
        self.response = response
        self.examples = examples
        self.folder = folder

    @cached_property
    def parameters_validator(self) -> Draft202012Validator:
        return _validator(self.parameters, format_checker())

    @cached_property
    def response_validator(self) -> Draft202012Validator:
        return _validator(self.response, format_checker())

    @cached_property
    def _parameters_check(self) -> Check:
        return _compiled(self.parameters, FORMATS)

    @cached_property
    def _response_check(self) -> Check:
        return _compiled(self.response, FORMATS)

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
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "hints": self.hints,
            "toolset": self.toolset,
            "clockify": self.clockify,
            "parameters": self.parameters,
            "response": self.response,
            "examples": self.examples,
        }


class Trigger(_Record):
    """A polling trigger: `poll(params, state, client)` in `triggers/<name>/handler.py`."""

    _FIELDS = (
        "name",
        "title",
        "description",
        "guarantee",
        "webhook_event",
        "clockify",
        "parameters",
        "event",
        "state",
        "examples",
        "folder",
    )

    def __init__(
        self,
        name: str,
        title: str,
        description: str,
        guarantee: dict[str, str],
        webhook_event: str,
        clockify: list[str],
        parameters: dict[str, Any],
        event: dict[str, Any],
        state: dict[str, Any],
        examples: list[dict[str, Any]],
        folder: Path,
    ) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.guarantee = guarantee
        self.webhook_event = webhook_event
        self.clockify = clockify
        self.parameters = parameters
        self.event = event
        self.state = state
        self.examples = examples
        self.folder = folder

    @cached_property
    def _parameters_check(self) -> Check:
        return _compiled(self.parameters, FORMATS)

    @cached_property
    def _event_check(self) -> Check:
        return _compiled(self.event, FORMATS)

    @cached_property
    def _state_check(self) -> Check:
        return _compiled(self.state, FORMATS)

    def parameter_errors(self, params: Any) -> list[ValidationError]:
        return _errors(self._parameters_check, self.parameters, params)

    def event_errors(self, event: Any) -> list[ValidationError]:
        return _errors(self._event_check, self.event, event)

    def state_errors(self, state: Any) -> list[ValidationError]:
        return _errors(self._state_check, self.state, state)

    @cached_property
    def handler(self) -> PollHandler:
        poll: PollHandler = _load_handler(self.folder, f"trigger_{self.name}").poll
        return poll

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": "trigger",
            "title": self.title,
            "description": self.description,
            "guarantee": self.guarantee,
            "webhook_event": self.webhook_event,
            "clockify": self.clockify,
            "parameters": self.parameters,
            "event": self.event,
            "state": self.state,
            "examples": self.examples,
        }


def admits_null(schema: Mapping[str, Any]) -> bool:
    """Whether the (inlined) schema accepts null: its type names it, its enum or const
    is it, or one of its `anyOf`/`oneOf` branches does."""
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if None in schema.get("enum", ()) or ("const" in schema and schema["const"] is None):
        return True
    return any(admits_null(branch) for key in ("anyOf", "oneOf") for branch in schema.get(key, ()))


def _errors(check: Check, schema: Mapping[str, Any], instance: Any) -> list[ValidationError]:
    if check(instance):
        return []
    return list(_validator(schema, format_checker()).iter_errors(instance))


def _load_handler(folder: Path, module_name: str) -> Any:
    path = folder / "handler.py"
    spec = importlib.util.spec_from_file_location(f"clockify_actions_pack.{module_name}", path)
    if spec is None or spec.loader is None:
        raise PackError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Pack(_Record):
    _FIELDS = (
        "name",
        "title",
        "description",
        "summary",
        "version",
        "auth",
        "connection_schema",
        "actions",
        "triggers",
    )

    def __init__(
        self,
        name: str,
        title: str,
        description: str,
        summary: str,
        version: str,
        auth: dict[str, str],
        connection_schema: dict[str, Any],
        actions: dict[str, Action],
        triggers: dict[str, Trigger],
    ) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.summary = summary
        self.version = version
        self.auth = auth
        self.connection_schema = connection_schema
        self.actions = actions
        self.triggers = triggers

    def describe(self, name: str) -> dict[str, Any]:
        """An action's or a trigger's metadata, with the connection settings it runs with
        (their schema: the key, the region, the base URLs, the workspace, retries)."""
        if isinstance(name, str) and name in self.triggers:
            return {**self.triggers[name].describe(), "connection": self.connection_schema}
        return {**self._action(name).describe(), "connection": self.connection_schema}

    def _trigger(self, name: str) -> Trigger:
        trigger = self.triggers.get(name) if isinstance(name, str) else None
        if trigger is None:
            raise ActionError(
                ErrorType.VALIDATION,
                f"Unknown trigger {name!r}. Available: {', '.join(self.triggers) or 'none'}.",
            )
        return trigger

    def _action(self, name: str) -> Action:
        action = self.actions.get(name) if isinstance(name, str) else None
        if action is None:
            raise ActionError(
                ErrorType.VALIDATION,
                f"Unknown action {name!r}. Available: {', '.join(self.actions)}.",
            )
        return action

    def settings(self, **given: Any) -> dict[str, Any]:
        """Connection settings from arguments, else each setting's `x-env` variable, else
        its default; not yet checked."""
        values: dict[str, Any] = {}
        environ = os.environ
        for setting, variable, has_default, default in self._setting_sources:
            value = given.get(setting)
            if value is None and variable:
                value = environ.get(variable) or None
            if value is None and has_default:
                value = default
            if value is not None:
                values[setting] = value
        return values

    @cached_property
    def _setting_sources(self) -> list[tuple[str, Any, bool, Any]]:
        # What `settings` reads of the connection schema, which never changes: looked up
        # once instead of on every run.
        return [
            (setting, schema.get("x-env"), "default" in schema, schema.get("default"))
            for setting, schema in self.connection_schema["properties"].items()
        ]

    @cached_property
    def _connection_check(self) -> Check:
        # Formats are not asserted in connection settings, as jsonschema's default.
        return _compiled(self.connection_schema, {})

    def redactor(self, **given: Any) -> Redactor:
        """Hides the values of the settings the manifest declares secret (`writeOnly`)."""
        return self._redactor(self.settings(**given))

    def _redactor(self, values: Mapping[str, Any]) -> Redactor:
        # Built once per set of secrets (a redactor never changes): a run reuses it.
        secrets = tuple([values.get(name) for name in self._secret_names])
        try:
            known = self._redactors.get(secrets)
        except TypeError:  # an unhashable secret: not a key of the cache
            known = None
        if known is not None:  # the cache holds only keys of strings and None
            return known
        if not all(isinstance(secret, str | None) for secret in secrets):
            return Redactor(secrets)  # not a key of the cache (such a value is refused later)
        redactor = self._redactors.get(secrets)
        if redactor is None:
            if len(self._redactors) >= 16:
                self._redactors.clear()
            redactor = self._redactors[secrets] = Redactor(secrets)
        return redactor

    @cached_property
    def _secret_names(self) -> list[str]:
        return secret_settings(self.connection_schema)

    @cached_property
    def _redactors(self) -> dict[tuple[Any, ...], Redactor]:
        return {}

    def connection(self, **given: Any) -> dict[str, Any]:
        """Checked connection settings; a missing or invalid one is a `config_error`."""
        return self._checked(self.settings(**given))

    def _checked(self, values: dict[str, Any]) -> dict[str, Any]:
        if self._connection_check(values):
            return values
        problems = list(_validator(self.connection_schema).iter_errors(values))
        if problems:
            raise ActionError(
                ErrorType.CONFIG,
                " ".join(connection_message(p, self.connection_schema) for p in problems),
            )
        return values

    def run(
        self,
        name: str,
        params: Any,
        *,
        api_key: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        settings: ClientSettings | None = None,
        reports_base_url: str | None = None,
        clock: Callable[[], datetime] | None = None,
        dry_run: bool = False,
        allow_insecure: bool = False,
        clients: ClientPool | None = None,
        limiter: RequestLimiter | None = None,
        workspace_id: str | None = None,
        retries: str | None = None,
    ) -> dict[str, Any]:
        """Run one action and return its envelope; never raises for the action's failure.

        With `clients`, the Clockify client (and its open connections) for these settings
        is kept there and reused by later runs instead of being closed. A `limiter` is
        asked before every request the action sends (see `RequestLimiter`).
        `workspace_id` (else `CLOCKIFY_WORKSPACE_ID`) is the workspace of an input that
        names none: an id, or `auto` for the user's default one (see defaults.py).
        `retries` (else `CLOCKIFY_RETRIES`) says who retries: `pack` (the default) or
        `none`, exactly one attempt per request, for a caller whose own retry policy
        (driven by the error's `retryable`) is the only one.
        """
        values = self.settings(
            api_key=api_key,
            region=region,
            base_url=base_url,
            reports_base_url=reports_base_url,
            workspace_id=workspace_id,
            retries=retries,
        )
        redactor = self._redactor(values)
        if dry_run and not values.get(self.auth["setting"]):
            # A dry run sends nothing, so it needs no key; the header shows as redacted.
            values[self.auth["setting"]] = "dry-run-placeholder"

        def attempt() -> dict[str, Any]:
            action = self._action(name)
            given = params
            # Agents and many platforms send null for an optional parameter they mean to
            # leave out: it is omitted here, so no handler sees it, unless the parameter's
            # schema admits null, which then means something (clear the field). A required
            # one stays null, which validation refuses.
            if isinstance(given, dict) and None in given.values():
                optional = action.optional_parameters
                given = {k: v for k, v in given.items() if v is not None or k not in optional}
            filling = self._filled(action, given, values)
            options = self._options(
                values, allow_insecure, settings, transport, clock, dry_run, limiter
            )
            complete = self._profiles.completer(filling, options)
            return call(action, filling.params, options, clients, complete)

        redacted: dict[str, Any] = redactor.data(envelope(name, attempt))
        return redacted

    def call(self, name: str, params: Any, **connection: Any) -> dict[str, Any]:
        """Run one action and return its result: the success envelope without its
        `status`. A failure raises `ActionFailed`, carrying the error envelope (`type`,
        `message`, `retryable`, `outcome`, `details`), the one exception an orchestrator
        needs to catch. `connection` takes the keyword arguments of `run`; with
        `retries="none"` each call makes exactly one attempt, so that the orchestrator's
        retry policy is the only one."""
        result = self.run(name, params, **connection)
        if result.get("status") == "error":
            raise ActionFailed(result)
        return {key: value for key, value in result.items() if key != "status"}

    def _filled(
        self, subject: Action | Trigger, given: Any, values: dict[str, Any]
    ) -> defaults.Filling:
        """`given` with the defaults it leaves to the connection, validated; what is still
        to fill from the user's profile is left pending (see defaults.py)."""
        workspace = values.get("workspace_id")
        if workspace is not None:
            self._checked(values)  # a workspace setting that is no id is a config_error
        properties = subject.parameters["properties"]
        filling = defaults.fill(subject.parameters, given, workspace)
        validate_input(
            subject,
            filling.params,
            excused=filling.pending,
            advice=defaults.advice(properties, workspace),
        )
        return filling.zoned()

    @cached_property
    def _profiles(self) -> defaults.Profiles:
        return defaults.Profiles()

    def _options(
        self,
        values: dict[str, Any],
        allow_insecure: bool,
        settings: ClientSettings | None,
        transport: httpx.BaseTransport | None,
        clock: Callable[[], datetime] | None,
        dry_run: bool,
        limiter: RequestLimiter | None = None,
    ) -> ClientOptions:
        api_key, base_url, reports_base_url = self._roots(values, allow_insecure)
        if values.get("retries") == "none":
            settings = single_attempt(settings)
        clock = clock or utc_now
        # The same options for the same connection and objects: a pool then finds its
        # client by identity instead of comparing settings. Objects are told apart by
        # their id, which stays theirs while the options kept here hold them.
        key = (
            api_key,
            base_url,
            reports_base_url,
            id(settings),
            id(transport),
            id(clock),
            id(dry_run),
            id(limiter),
        )
        options = self._client_options.get(key)
        if options is None:
            if len(self._client_options) >= 64:
                self._client_options.clear()
            options = self._client_options[key] = ClientOptions(
                api_key=api_key,
                base_url=base_url,
                settings=settings,
                transport=transport,
                clock=clock,
                dry_run=dry_run,
                limiter=limiter,
                reports_base_url=reports_base_url,
            )
        return options

    @cached_property
    def _client_options(self) -> dict[tuple[Any, ...], ClientOptions]:
        return {}

    def _roots(self, values: dict[str, Any], allow_insecure: bool) -> tuple[str, str, str]:
        """The checked connection's API key, API root and reports root.

        They depend on nothing but the settings and `allow_insecure`, so a long-lived
        process checks each connection it meets once: only a connection that passed every
        check is kept, and one that fails is checked afresh (and refused) every time."""
        try:
            key = (tuple(values.items()), allow_insecure)
            roots = self._checked_roots.get(key)
        except TypeError:  # a value that is no key (it cannot be valid): checked below
            key, roots = None, None
        if roots is None:
            roots = self._resolve_roots(values, allow_insecure)
            if key is not None:
                if len(self._checked_roots) >= 64:
                    self._checked_roots.clear()
                self._checked_roots[key] = roots
        return roots

    @cached_property
    def _checked_roots(self) -> dict[tuple[Any, ...], tuple[str, str, str]]:
        return {}

    def _resolve_roots(self, values: dict[str, Any], allow_insecure: bool) -> tuple[str, str, str]:
        from clockify_actions.clockify import base_url_for, reports_base_url_for

        connection = self._checked(values)
        return (
            connection[self.auth["setting"]],
            base_url_for(
                connection.get("region"),
                connection.get("base_url"),
                allow_insecure=allow_insecure,
            ),
            reports_base_url_for(
                connection.get("region"),
                connection.get("base_url"),
                connection.get("reports_base_url"),
                allow_insecure=allow_insecure,
            ),
        )

    def poll(
        self,
        name: str,
        params: Any,
        state: Any = None,
        *,
        api_key: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        reports_base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        settings: ClientSettings | None = None,
        clock: Callable[[], datetime] | None = None,
        allow_insecure: bool = False,
        clients: ClientPool | None = None,
        limiter: RequestLimiter | None = None,
        workspace_id: str | None = None,
        retries: str | None = None,
    ) -> dict[str, Any]:
        """Poll one trigger once and return `{"status": "success", "events": [...],
        "state": {...}}`, or the error envelope; never raises for the poll's failure.

        `state` is what the previous poll returned (None the first time, which only sets
        the cursor, unless the parameters ask for a backfill with `since`). Keep the new
        state only once the events are safely handed on: polling again with the old one
        delivers the same events again, with the same `event_id`s. `workspace_id` is as
        for `run`.
        """
        values = self.settings(
            api_key=api_key,
            region=region,
            base_url=base_url,
            reports_base_url=reports_base_url,
            workspace_id=workspace_id,
            retries=retries,
        )

        def attempt() -> dict[str, Any]:
            trigger = self._trigger(name)
            filling = self._filled(trigger, params, values)
            options = self._options(
                values, allow_insecure, settings, transport, clock, False, limiter
            )
            complete = self._profiles.completer(filling, options)
            given = filling.params if complete is None else using_client(options, clients, complete)
            return poll_call(trigger, given, state, options, clients)

        redacted: dict[str, Any] = self._redactor(values).data(envelope(name, attempt))
        return redacted


@lru_cache(maxsize=16)
def single_attempt(settings: ClientSettings | None) -> ClientSettings:
    """`settings` (or the defaults) with one attempt per request: nothing is retried. The
    same object for the same settings, so that the clients built with it are reused."""
    from clockify_actions.clockify import ClientSettings, RetrySettings

    given = settings if settings is not None else ClientSettings()
    fields = dict(zip(given._FIELDS, given._values(), strict=True))
    retry = dict(zip(given.retry._FIELDS, given.retry._values(), strict=True))
    return ClientSettings(**{**fields, "retry": RetrySettings(**{**retry, "max_attempts": 1})})


def _validator(
    schema: Mapping[str, Any], format_checker: FormatChecker | None = None
) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema, format_checker=format_checker)


def _compiled(schema: Mapping[str, Any], formats: Mapping[str, Check]) -> Check:
    """The schema's fast check; for a schema it cannot compile, one that always defers to
    jsonschema."""
    return compile_check(schema, formats) or (lambda instance: False)


def load_pack(root: str | os.PathLike[str] | None = None) -> Pack:
    """The pack whose manifest.yaml, actions/ and schemas/ are at `root` (default: this
    installation's): from the bundle when it was built from exactly these files, which
    spares YAML parsing, meta-schema checks and `$ref` resolution; else from the files."""
    base = Path(root) if root is not None else pack_root()
    document = _bundled(base)
    if document is None:
        document = read_pack(base)
    manifest = document["manifest"]
    actions: dict[str, Action] = {}
    for name in manifest["actions"]:
        folder = base / "actions" / name
        _check_folder(folder, name)
        actions[name] = Action(name=name, folder=folder, **document["actions"][name])
    triggers: dict[str, Trigger] = {}
    for name in manifest.get("triggers", []):
        folder = base / "triggers" / name
        _check_folder(folder, name, "trigger.yaml")
        triggers[name] = Trigger(name=name, folder=folder, **document["triggers"][name])
    return Pack(
        name=manifest["name"],
        title=manifest["title"],
        description=manifest["description"],
        summary=manifest["summary"],
        version=manifest["version"],
        auth=manifest["auth"],
        connection_schema=manifest["connection"],
        actions=actions,
        triggers=triggers,
    )


def read_pack(base: Path) -> dict[str, Any]:
    """Read manifest.yaml and every action.yaml, check them against the meta-schemas in
    schemas/ and resolve their `$ref`s: the pack as one JSON document (the bundle), with
    the digest of the files it was read from."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schema_files = sorted((base / "schemas").glob("*.yaml"))
    schemas = {path.name: _read_yaml(path) for path in schema_files}
    registry: Registry[Any] = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
        for doc in schemas.values()
    )
    manifest_path = base / "manifest.yaml"
    manifest = _read_yaml(manifest_path)
    _check(manifest, schemas["manifest.schema.yaml"], manifest_path)
    actions: dict[str, dict[str, Any]] = {}
    for name in manifest["actions"]:
        folder = base / "actions" / name
        _check_folder(folder, name)
        document = _read_yaml(folder / "action.yaml")
        _check(document, schemas["action.schema.yaml"], folder / "action.yaml")
        if document["name"] != name:
            raise PackError(
                f"{folder / 'action.yaml'} names itself {document['name']!r}, not {name!r}"
            )
        actions[name] = {
            "title": document["title"],
            "description": document["description"],
            "hints": document["hints"],
            "toolset": document["toolset"],
            "clockify": document.get("clockify", []),
            "parameters": _inline(document["parameters"], registry),
            "response": _inline(document["response"], registry),
            "examples": document["examples"],
        }
    triggers: dict[str, dict[str, Any]] = {}
    for name in manifest.get("triggers", []):
        folder = base / "triggers" / name
        _check_folder(folder, name, "trigger.yaml")
        document = _read_yaml(folder / "trigger.yaml")
        _check(document, schemas["trigger.schema.yaml"], folder / "trigger.yaml", registry)
        if document["name"] != name:
            raise PackError(
                f"{folder / 'trigger.yaml'} names itself {document['name']!r}, not {name!r}"
            )
        triggers[name] = {
            key: _inline(document[key], registry) for key in document if key != "name"
        }
    options = _options_from(manifest.get("options_from", {}), actions, manifest_path)
    for subject in (*actions.values(), *triggers.values()):
        subject["parameters"] = form_fields(subject["parameters"], options)
    return {
        "digest": _source_digest(base, manifest),
        "manifest": manifest,
        "actions": actions,
        "triggers": triggers,
    }


# Words a parameter's derived title spells otherwise than capitalized.
_TITLE_WORDS = {"id": "ID", "ids": "IDs", "url": "URL"}


def title_for(name: str) -> str:
    """A form label derived from a parameter's name: `tag_ids` is "Tag IDs"."""
    words = [_TITLE_WORDS.get(word, word) for word in name.split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def _options_from(
    table: Mapping[str, Mapping[str, str]], actions: Mapping[str, Any], where: Path
) -> dict[str, dict[str, Any]]:
    """The manifest's `options_from` rows, each checked against the action it names (its
    result's list and the items' value and label fields) and given that action's own
    required parameters, which a form passes on when it asks for the choices."""
    options: dict[str, dict[str, Any]] = {}
    for parameter, row in table.items():
        action = actions.get(row["action"])
        listed = action and action["response"]["properties"].get(row["items"], {})
        fields = (listed or {}).get("items", {}).get("properties", {})
        if not action or row["value"] not in fields or row["label"] not in fields:
            raise PackError(
                f"{where}: options_from.{parameter} names no action listing {row['items']} "
                f"with {row['value']} and {row['label']} fields"
            )
        options[parameter] = {**row, "requires": action["parameters"].get("required", [])}
    return options


def form_fields(
    parameters: Mapping[str, Any], options: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The parameters with what a form needs on each: a `title` (the manifest's, else one
    derived from the name) and, for a parameter `options` names, `x-options-from`."""
    properties = {}
    for name, schema in parameters["properties"].items():
        field = {"title": title_for(name), **schema}
        if name in options and "x-options-from" not in schema:
            field["x-options-from"] = dict(options[name])
        properties[name] = field
    return {**parameters, "properties": properties}


def _bundled(base: Path) -> dict[str, Any] | None:
    """The bundle, if it was built from the files at `base` as they are now."""
    try:
        document: dict[str, Any] = json.loads(BUNDLE.read_bytes())
        current = _source_digest(base, document["manifest"])
    except (OSError, ValueError):
        return None
    return document if document["digest"] == current else None


def _source_digest(base: Path, manifest: Mapping[str, Any]) -> str:
    """A digest of every file the bundle is built from, names and bytes."""
    # Names relative to `base`, joined as strings: building a Path for each of the
    # files cost every start more than reading them (the manifest's names are plain
    # identifiers, per its meta-schema).
    names = [
        "manifest.yaml",
        *(f"schemas/{path.name}" for path in sorted((base / "schemas").glob("*.yaml"))),
        *(f"actions/{name}/action.yaml" for name in manifest["actions"]),
        *(f"triggers/{name}/trigger.yaml" for name in manifest.get("triggers", [])),
    ]
    root = os.fspath(base)
    digest = hashlib.sha256()
    for name in names:
        with open(os.path.join(root, name), "rb") as stream:
            content = stream.read()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _check_folder(folder: Path, name: str, manifest: str = "action.yaml") -> None:
    kind = manifest.removesuffix(".yaml")
    for required in (manifest, "handler.py"):
        if not (folder / required).is_file():
            raise PackError(f"{kind} {name!r} has no {required} in {folder}")
