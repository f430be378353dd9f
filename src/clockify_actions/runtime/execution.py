"""How one action runs, or one trigger polls: its input checked against its parameters,
its handler called with a Clockify client, its output checked against its response (a
trigger's state and each of its events), and any failure turned into the envelope the
caller gets instead of an exception.

It knows an action or a trigger only by the little it needs (`Runnable`, `Pollable`),
never by name.

Every failure of an action that writes says what became of its write (see errors.py):
`envelope` keeps a record of the run it wraps, in which `validate_input` notes whether
the action writes and `call` which client it uses, so that a failure the client did not
settle (an invalid input, a configuration error, a bug) still gets its outcome:
`not_applied` when the run sent no write, `unknown` when it did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from clockify_actions.errors import ActionError, ErrorType, WriteOutcome
from clockify_actions.jsonio import unencodable_string
from clockify_actions.runtime.connection import client_settings
from clockify_actions.runtime.problems import json_type, problem

# The Clockify client is imported where a run needs it: `list` and `describe` need none.
if TYPE_CHECKING:
    import httpx
    from jsonschema import ValidationError

    from clockify_actions.clockify import ClientSettings, ClockifyClient, RequestLimiter

    Handler = Callable[[dict[str, Any], ClockifyClient], dict[str, Any]]
    PollHandler = Callable[[dict[str, Any], dict[str, Any] | None, ClockifyClient], dict[str, Any]]

log = logging.getLogger("clockify_actions")
_T = TypeVar("_T")


class Validated(Protocol):
    """What checking an input needs: a name and the parameters' check."""

    @property
    def name(self) -> str: ...

    def parameter_errors(self, params: Any) -> list[ValidationError]: ...


class Runnable(Validated, Protocol):
    """What running an action needs of it: its name, its handler and its two checks."""

    @property
    def handler(self) -> Handler: ...

    @property
    def hints(self) -> dict[str, bool]: ...

    @property
    def feature(self) -> dict[str, str] | None: ...

    def response_errors(self, result: Any) -> list[ValidationError]: ...


class Pollable(Validated, Protocol):
    """What polling a trigger needs of it: its handler and the checks of its state and
    of one event."""

    @property
    def handler(self) -> PollHandler: ...

    def state_errors(self, state: Any) -> list[ValidationError]: ...

    def event_errors(self, event: Any) -> list[ValidationError]: ...


class ClientOptions:
    """How to build a Clockify client: immutable, and equal and hashable by value (a key
    of `ClientPool`). A plain slotted class, its hash computed once: it is looked up in
    the pool on every run, and a dataclass costs its start-up."""

    _FIELDS = (
        "api_key",
        "base_url",
        "settings",
        "transport",
        "clock",
        "dry_run",
        "limiter",
        "reports_base_url",
    )
    __slots__ = (*_FIELDS, "_hash", "_values")
    api_key: str
    base_url: str
    settings: ClientSettings | None
    transport: httpx.BaseTransport | None
    clock: Callable[[], datetime]
    dry_run: bool
    limiter: RequestLimiter | None
    reports_base_url: str | None
    _values: tuple[Any, ...]
    _hash: int | None

    def __init__(
        self,
        api_key: str,
        base_url: str,
        settings: ClientSettings | None,
        transport: httpx.BaseTransport | None,
        clock: Callable[[], datetime],
        dry_run: bool,
        limiter: RequestLimiter | None = None,
        reports_base_url: str | None = None,
    ) -> None:
        values = (
            api_key,
            base_url,
            settings,
            transport,
            clock,
            dry_run,
            limiter,
            reports_base_url,
        )
        setter = object.__setattr__
        for name, value in zip(self._FIELDS, values, strict=True):
            setter(self, name, value)
        setter(self, "_values", values)
        setter(self, "_hash", None)  # computed when first asked for, as a dataclass's

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: ClientOptions are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: ClientOptions are immutable")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values == other._values

    def __hash__(self) -> int:
        known: int | None = self._hash
        if known is None:
            known = hash(self._values)
            object.__setattr__(self, "_hash", known)
        return known

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._FIELDS, self._values, strict=True)
        )
        return f"ClientOptions({fields})"

    def client(self) -> ClockifyClient:
        from clockify_actions.clockify import ClockifyClient

        return ClockifyClient(
            self.api_key,
            self.base_url,
            settings=client_settings(self.settings),
            transport=self.transport,
            clock=self.clock,
            dry_run=self.dry_run,
            limiter=self.limiter,
            reports_base_url=self.reports_base_url,
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


class _Run:
    """What the failure of the run under way needs to know to say what became of its
    write: whether its action writes, and how many writes its client had sent before it."""

    def __init__(self) -> None:
        self.writes = False
        self._client: ClockifyClient | None = None
        self._writes_before = 0

    def uses(self, client: ClockifyClient) -> None:
        self._client, self._writes_before = client, client.writes_sent

    def writes_sent(self) -> int:
        """The writes this run's client has sent since the run began, retries included."""
        return 0 if self._client is None else self._client.writes_sent - self._writes_before


_current_run: ContextVar[_Run | None] = ContextVar("clockify_actions_run", default=None)


def validate_input(
    action: Validated,
    params: Any,
    excused: Collection[str] = (),
    advice: Mapping[str, str] | None = None,
) -> None:
    """A `validation_error` naming every problem of `params`, unless there is none.

    A parameter named in `excused` may be missing (a default fills it in later); `advice`
    words the "is required" problem of a parameter by its path."""
    run = _current_run.get()
    if run is not None:
        # A trigger has no hints: a poll only reads.
        run.writes = not getattr(action, "hints", {"read_only": True})["read_only"]
    if not isinstance(params, dict):
        raise ActionError(
            ErrorType.VALIDATION,
            f"The input must be a JSON object, not {json_type(params)}.",
            details=[{"path": "", "message": f"expected an object, got {json_type(params)}"}],
        )
    # One value can break several keywords that share one rule (an id's length and
    # pattern): each sentence is reported once.
    problems = list({repr(p): p for p in map(problem, action.parameter_errors(params))}.values())
    if excused or advice:
        problems = [
            {**p, "message": (advice or {}).get(p["path"], p["message"])}
            if p["message"] == "is required"
            else p
            for p in problems
            if p["message"] != "is required" or p["path"][1:] not in excused
        ]
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


def using_client(
    options: ClientOptions, clients: ClientPool | None, work: Callable[[ClockifyClient], _T]
) -> _T:
    """What `work` does with a client kept in `clients`, or else with one made for it and
    closed after it."""
    if clients is not None:
        return work(clients.get(options))
    with options.client() as client:
        return work(client)


def call(
    action: Runnable,
    params: dict[str, Any],
    options: ClientOptions,
    clients: ClientPool | None = None,
    complete: Callable[[ClockifyClient], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The handler's checked success for validated `params`, with a client kept in
    `clients`, or else one made for this call and closed after it. `complete`, when
    given, makes the handler's parameters with that client first (see defaults.py)."""

    def handled(client: ClockifyClient) -> dict[str, Any]:
        run = _current_run.get()
        if run is not None:
            run.uses(client)
        given = params if complete is None else complete(client)
        try:
            output = action.handler(dict(given), client)
        except ActionError as error:
            raise _with_needs(error, action.feature) from None
        return _output(action, output)

    return using_client(options, clients, handled)


def _with_needs(error: ActionError, feature: dict[str, str] | None) -> ActionError:
    """A refusal of a paid module's action (402; a 403, which Clockify also gives when the
    module is switched off or the role lacks it), with what the module needs."""
    if feature is None or error.type is not ErrorType.PERMISSION:
        return error
    if error.http_status == 403:
        # Clockify's 403 also means a role without the right: the module may not be why.
        return error.reworded(f"{error.message} If it is the paid module: {feature['needs']}")
    return error.reworded(f"{error.message} {feature['needs']}")


def _output(action: Runnable, output: dict[str, Any]) -> dict[str, Any]:
    result = {"status": "success", **output}
    problems: list[dict[str, Any]] = [problem(e) for e in action.response_errors(result)]
    if problems:
        message = (
            f"{action.name} produced a result that breaks its response schema; it was not "
            "returned as a success. This is a bug in the pack or a change in Clockify."
        )
        if not action.hints["read_only"]:
            # The handler returned, so Clockify accepted every write it made.
            message += " Its change was applied: look it up in Clockify before running it again."
            run = _current_run.get()
            sent = 0 if run is None else run.writes_sent()
            problems.append({"attempts": sent, "outcome": WriteOutcome.APPLIED.value})
        raise ActionError(ErrorType.CONTRACT, message, details=problems)
    return result


def poll_call(
    trigger: Pollable,
    params: dict[str, Any],
    state: Any,
    options: ClientOptions,
    clients: ClientPool | None = None,
) -> dict[str, Any]:
    """One poll of `trigger` for validated `params` from `state` (None: the first poll):
    the state is checked before the handler sees it, and the events and the new state
    after, so that a runner never stores a state or hands on an event that breaks them.

    A state names the trigger that wrote it (stamped here) and the parameters it watches
    (the handler's, such as `workspace_id`): handed to another trigger, or to a poll of
    other parameters, it is refused before anything is sent."""
    if state is not None:
        _check_owner(trigger, params, state)
    if clients is not None:
        output = trigger.handler(dict(params), state, clients.get(options))
    else:
        with options.client() as client:
            output = trigger.handler(dict(params), state, client)
    events, new_state = output["events"], {"trigger": trigger.name, **output["state"]}
    new_state["trigger"] = trigger.name
    problems = [
        {**p, "path": f"/events/{index}{p['path']}"}
        for index, event in enumerate(events)
        for p in map(problem, trigger.event_errors(event))
    ]
    problems += [
        {**p, "path": f"/state{p['path']}"} for p in map(problem, trigger.state_errors(new_state))
    ]
    if problems:
        raise ActionError(
            ErrorType.CONTRACT,
            f"{trigger.name} produced an event or a state that breaks its schema; nothing was "
            "returned, so polling again with the same state loses nothing. This is a bug in "
            "the pack or a change in Clockify.",
            details=problems,
        )
    return {"status": "success", "events": events, "state": new_state}


def _check_owner(trigger: Pollable, params: dict[str, Any], state: Any) -> None:
    """A `validation_error` unless `state` is one `trigger` returned for these parameters."""
    problems = [problem(e) for e in trigger.state_errors(state)]
    if not problems:
        if state.get("trigger") != trigger.name:
            problems = [{"path": "/trigger", "message": f"written by {state.get('trigger')}"}]
        problems += [
            {"path": f"/{key}", "message": f"written for {state[key]}, not {value}"}
            for key, value in sorted(params.items())
            if key in state and state[key] != value
        ]
    if problems:
        raise ActionError(
            ErrorType.VALIDATION,
            f"The state given to {trigger.name} is not one it returned for these parameters "
            "(was it edited, written by another trigger or for another workspace, or by an "
            "earlier release?); it was not used. Poll without a state to start afresh.",
            details=problems,
        )


def envelope(name: str, attempt: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What `attempt` (a run of the action `name`) returns, or the envelope of how it
    failed: never raises for the action's failure."""
    from clockify_actions.clockify import DryRun

    # The run's record, set by hand rather than by a context manager: this wraps every run.
    run = _Run()
    token = _current_run.set(run)
    try:
        return attempt()
    except DryRun as signal:
        return {"status": "dry_run", "requests": [signal.request]}
    except ActionError as error:
        return _settled(error, run).envelope()
    except Exception as error:  # the last resort: a bug becomes an envelope, not a crash
        log.debug("internal error in %s", name, exc_info=True)
        internal = ActionError(
            ErrorType.INTERNAL,
            f"Internal error while running {name!r}: {type(error).__name__}: {error}",
        )
        return _settled(internal, run).envelope()
    finally:
        _current_run.reset(token)


def _settled(error: ActionError, run: _Run) -> ActionError:
    """The error of a writing action with its write's outcome in its request record,
    when the client did not already put one there."""
    if not run.writes or any("outcome" in detail for detail in error.details):
        return error
    sent = run.writes_sent()
    if sent:
        outcome = WriteOutcome.UNKNOWN
        error = error.reworded(
            f"{error.message} It had sent a change to Clockify, which may or may not have "
            "been applied: check Clockify for the record before running it again."
        )
        error.retryable = False
    else:
        outcome = WriteOutcome.NOT_APPLIED
    # The record of the request that failed, if one did; else of the write itself.
    attempts = next((d["attempts"] for d in error.details if "attempts" in d), sent)
    return error.about_request(attempts, outcome)


def refused_before_sending(error: ActionError, *, writes: bool) -> ActionError:
    """`error`, which refused a run before it began (a usage mistake, a connection a
    worker does not allow), with the record every failure of an action that writes
    carries: nothing was sent, so its write was not applied."""
    if not writes or any("outcome" in detail for detail in error.details):
        return error
    return error.about_request(0, WriteOutcome.NOT_APPLIED)
