"""How one action runs: its input checked against its parameters, its handler called with
a Clockify client, its output checked against its response, and any failure turned into
the envelope the caller gets instead of an exception.

It knows an action only by the little it needs (`Runnable`), never by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from clockify_actions.errors import ActionError, ErrorType, WriteOutcome
from clockify_actions.jsonio import unencodable_string
from clockify_actions.problems import json_type, problem

# The Clockify client is imported where a run needs it: `list` and `describe` need none.
if TYPE_CHECKING:
    import httpx
    from jsonschema import ValidationError

    from clockify_actions.clockify import ClientSettings, ClockifyClient, RequestLimiter

    Handler = Callable[[dict[str, Any], ClockifyClient], dict[str, Any]]

log = logging.getLogger("clockify_actions")


class Runnable(Protocol):
    """What running an action needs of it: its name, its handler and its two checks."""

    @property
    def name(self) -> str: ...

    @property
    def handler(self) -> Handler: ...

    @property
    def hints(self) -> dict[str, bool]: ...

    def parameter_errors(self, params: Any) -> list[ValidationError]: ...

    def response_errors(self, result: Any) -> list[ValidationError]: ...


@dataclass(frozen=True)
class ClientOptions:
    api_key: str
    base_url: str
    settings: ClientSettings | None
    transport: httpx.BaseTransport | None
    clock: Callable[[], datetime]
    dry_run: bool
    limiter: RequestLimiter | None = None

    def client(self) -> ClockifyClient:
        from clockify_actions.clockify import ClockifyClient

        return ClockifyClient(
            self.api_key,
            self.base_url,
            settings=self.settings,
            transport=self.transport,
            clock=self.clock,
            dry_run=self.dry_run,
            limiter=self.limiter,
        )


class ClientPool:
    """Clockify clients kept open across runs, one per distinct connection, so that a
    long-lived process reuses its connections (keep-alive) instead of reconnecting."""

    def __init__(self) -> None:
        self._clients: dict[ClientOptions, ClockifyClient] = {}

    def get(self, options: ClientOptions) -> ClockifyClient:
        client = self._clients.get(options)
        if client is None:
            client = self._clients[options] = options.client()
        return client

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


def validate_input(action: Runnable, params: Any) -> None:
    """A `validation_error` naming every problem of `params`, unless there is none."""
    if not isinstance(params, dict):
        raise ActionError(
            ErrorType.VALIDATION,
            f"The input must be a JSON object, not {json_type(params)}.",
            details=[{"path": "", "message": f"expected an object, got {json_type(params)}"}],
        )
    # One value can break several keywords that share one rule (an id's length and
    # pattern): each sentence is reported once.
    problems = list({repr(p): p for p in map(problem, action.parameter_errors(params))}.values())
    unencodable = unencodable_string(params)
    if unencodable is not None:
        problems.append({"path": unencodable, "message": "holds an unpaired surrogate, not text"})
    if problems:
        problems.sort(key=lambda p: p["path"])
        summary = "; ".join(f"{p['path'] or '/'}: {p['message']}" for p in problems[:5])
        raise ActionError(
            ErrorType.VALIDATION,
            f"Invalid input for {action.name}: {summary}.",
            details=problems,
        )


def call(
    action: Runnable,
    params: dict[str, Any],
    options: ClientOptions,
    clients: ClientPool | None = None,
) -> dict[str, Any]:
    """The handler's checked success for validated `params`, with a client kept in
    `clients`, or else one made for this call and closed after it."""
    if clients is not None:
        return _output(action, action.handler(dict(params), clients.get(options)))
    with options.client() as client:
        return _output(action, action.handler(dict(params), client))


def _output(action: Runnable, output: dict[str, Any]) -> dict[str, Any]:
    result = {"status": "success", **output}
    problems = [problem(e) for e in action.response_errors(result)]
    if problems:
        message = (
            f"{action.name} produced a result that breaks its response schema; it was not "
            "returned as a success. This is a bug in the pack or a change in Clockify."
        )
        if not action.hints["read_only"]:
            # The handler returned, so Clockify accepted every write it made.
            message += " Its change was applied: look it up in Clockify before running it again."
            problems.append({"outcome": WriteOutcome.APPLIED.value})
        raise ActionError(ErrorType.CONTRACT, message, details=problems)
    return result


def envelope(name: str, attempt: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What `attempt` (a run of the action `name`) returns, or the envelope of how it
    failed: never raises for the action's failure."""
    from clockify_actions.clockify import DryRun

    try:
        return attempt()
    except DryRun as signal:
        return {"status": "dry_run", "requests": [signal.request]}
    except ActionError as error:
        return error.envelope()
    except Exception as error:  # the last resort: a bug becomes an envelope, not a crash
        log.debug("internal error in %s", name, exc_info=True)
        return ActionError(
            ErrorType.INTERNAL,
            f"Internal error while running {name!r}: {type(error).__name__}: {error}",
        ).envelope()
