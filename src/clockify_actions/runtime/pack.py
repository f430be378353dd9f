"""What the pack is, and how it runs: `Pack`, its actions and triggers by name, and
`load_pack`, which builds it from the manifests (or their bundle).

`Pack` holds no rule of its own: where requests go and with what is `connection`'s,
how a document is checked is `checks`' and the records', how one action runs or one
trigger polls is `execution`'s, and what fills a parameter an input leaves out is
`defaults`'. It knows actions and triggers only as folders described by manifests;
nothing here names one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clockify_actions.errors import ActionError, ActionFailed, ErrorType
from clockify_actions.runtime import defaults
from clockify_actions.runtime.connection import Connection, single_attempt
from clockify_actions.runtime.execution import (
    ClientOptions,
    ClientPool,
    call,
    envelope,
    poll_call,
    using_client,
    validate_input,
)
from clockify_actions.runtime.loading import check_folder, pack_document, pack_root
from clockify_actions.runtime.records import Action, Trigger
from clockify_actions.runtime.redact import Redactor
from clockify_actions.timeutil import utc_now

# `list` and `describe` need no Clockify client, nor httpx.
if TYPE_CHECKING:
    import httpx

    from clockify_actions.clockify import ClientSettings, RequestLimiter


class Pack:
    """The pack: its manifest's fields, its actions and triggers by name, and the one way
    to run an action (`run`, `call`) or poll a trigger (`poll`)."""

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
        self.connection_rules = Connection(connection_schema, auth)

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
        return self.connection_rules.settings(**given)

    def redactor(self, **given: Any) -> Redactor:
        """Hides the values of the settings the manifest declares secret (`writeOnly`)."""
        return self.connection_rules.redactor(self.settings(**given))

    def connection(self, **given: Any) -> dict[str, Any]:
        """Checked connection settings; a missing or invalid one is a `config_error`."""
        return self.connection_rules.checked(self.settings(**given))

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
        redactor = self.connection_rules.redactor(values)
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
            self.connection_rules.checked(
                values
            )  # a workspace setting that is no id is a config_error
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
        api_key, base_url, reports_base_url = self.connection_rules.roots(values, allow_insecure)
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

        redacted: dict[str, Any] = self.connection_rules.redactor(values).data(
            envelope(name, attempt)
        )
        return redacted


def load_pack(root: str | os.PathLike[str] | None = None) -> Pack:
    """The pack whose manifest.yaml, actions/ and schemas/ are at `root` (default: this
    installation's): from the bundle when it was built from exactly these files, which
    spares YAML parsing, meta-schema checks and `$ref` resolution; else from the files."""
    base = Path(root) if root is not None else pack_root()
    document = pack_document(base)
    manifest = document["manifest"]
    actions: dict[str, Action] = {}
    for name in manifest["actions"]:
        folder = base / "actions" / name
        check_folder(folder, name)
        actions[name] = Action(name=name, folder=folder, **document["actions"][name])
    triggers: dict[str, Trigger] = {}
    for name in manifest.get("triggers", []):
        folder = base / "triggers" / name
        check_folder(folder, name, "trigger.yaml")
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
