"""What the runtime fills in for a parameter an input leaves out, and how it reads a local
time: so that a caller (an agent above all) can say "my workspace", "my timer" and "9:00
my time" without first asking Clockify who it is.

`DEFAULTS` is the one table: a parameter's name and where its value comes from. It
applies to every action or trigger that declares the parameter, before the input is
validated; the manifests keep the parameter as they declare it (a required one stays
required, and `describe` shows it so). What needs the caller's profile (`GET /user`,
docs/clockify-api.md §2) takes one request, made only when an input needs it and kept
for the connection's life in the process: a caller that gives every id and an offset on
every time pays nothing.

A time input (the `date-time-or-local` format) is an ISO 8601 timestamp with a zone, or a
wall-clock time without one, read in the input's `time_zone`, else in the profile's zone
(`settings.timeZone`). Handlers only ever see UTC timestamps (see `local_to_instant` for
the daylight saving rules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

from clockify_actions.errors import invalid
from clockify_actions.timeutil import (
    TimestampError,
    is_local_time,
    local_to_instant,
    time_zone,
    to_wire,
)

if TYPE_CHECKING:
    from clockify_actions.clockify import ClockifyClient

# The value of the workspace setting that means "the user's default workspace".
AUTO = "auto"
# The format of a time input that may be a wall-clock time (schemas/common.yaml TimeInput).
LOCAL_OR_ZONED = "date-time-or-local"


class Source(Enum):
    """Where a left-out parameter's value comes from."""

    # The connection's `workspace_id` setting: a workspace id, or `auto` for the profile's
    # default workspace (its active one when it has none).
    WORKSPACE = "workspace"
    # The API key's own user, where the action requires a user (an optional one is the
    # handler's to default, after its own checks of the input).
    CALLER = "caller"
    # The profile's time zone; only when a time input is a local time that needs a zone.
    ZONE = "zone"


# Parameter name → where its value comes from when the input leaves it out.
DEFAULTS: dict[str, Source] = {
    "workspace_id": Source.WORKSPACE,
    "user_id": Source.CALLER,
    "time_zone": Source.ZONE,
}

# Whether a source needs the profile for a parameter the input leaves out, given whether
# the action requires it, the workspace setting, and whether the input has a local time.
_ASKS_PROFILE: dict[Source, Callable[[bool, Any, bool], bool]] = {
    Source.WORKSPACE: lambda required, workspace, local: workspace == AUTO,
    Source.CALLER: lambda required, workspace, local: required,
    Source.ZONE: lambda required, workspace, local: local,
}

# The parameter a local time is read in.
ZONE_FIELD = next(name for name, source in DEFAULTS.items() if source is Source.ZONE)

# What a "missing" message adds, by source: how the caller could have left it out.
ADVICE: dict[Source, str] = {
    Source.WORKSPACE: (
        "is required (or set the connection's workspace: CLOCKIFY_WORKSPACE_ID, --workspace, "
        "an id or auto for your default workspace)"
    ),
}


class Profile:
    """What the defaults need of `GET /user`."""

    __slots__ = ("time_zone", "user_id", "workspace_id")

    def __init__(self, user_id: str, workspace_id: str | None, time_zone: str | None) -> None:
        self.user_id = user_id
        self.workspace_id = workspace_id
        self.time_zone = time_zone

    @classmethod
    def fetch(cls, client: ClockifyClient) -> Profile:
        from clockify_actions.resources.users.wire import User

        user = client.get("/user", User)
        zone = user.settings.time_zone if user.settings else None
        # §2: `defaultWorkspace` is the one the user chose; `activeWorkspace` the last used.
        return cls(user.id, user.default_workspace or user.active_workspace, zone)

    def value(self, source: Source) -> str | None:
        return {
            Source.WORKSPACE: self.workspace_id,
            Source.CALLER: self.user_id,
            Source.ZONE: self.time_zone,
        }[source]


# What to say when the profile has no value for a source.
_PROFILE_LACKS: dict[Source, str] = {
    Source.WORKSPACE: "your Clockify profile has no default workspace; give workspace_id",
    Source.CALLER: "Clockify did not say who the API key's user is; give user_id",
    Source.ZONE: "your Clockify profile has no time zone; give time_zone or an offset",
}


class Filling:
    """One input with the defaults known without a request filled in: `pending` names the
    parameters still to fill from the profile, `local` the time inputs given as local
    times, still to read in a zone."""

    def __init__(self, params: Any, pending: dict[str, Source], local: list[str]) -> None:
        self.params = params
        self.pending = pending
        self.local = local

    @property
    def needs_profile(self) -> bool:
        return bool(self.pending)

    def zoned(self) -> Filling:
        """After validation: the local times read in the input's own `time_zone`, when it
        gives one (a zone that does not exist, or a time its clocks skip, is a
        `validation_error`, before anything is sent)."""
        if ZONE_FIELD not in self.params:
            return self
        return Filling(_read_local_times(self.params, self.local), self.pending, [])

    def complete(self, profile: Profile) -> dict[str, Any]:
        """The input with every pending default taken from `profile`."""
        params = dict(self.params)
        for name, source in self.pending.items():
            value = profile.value(source)
            if value is None:
                raise invalid(f"/{name}", _PROFILE_LACKS[source])
            params[name] = value
        return _read_local_times(params, self.local)


def fill(parameters: Mapping[str, Any], params: Any, workspace: Any) -> Filling:
    """`params` with what the defaults give without a request (the workspace setting's
    id), and what is left to fill from the profile; `params` is not validated yet."""
    if not isinstance(params, dict):
        return Filling(params, {}, [])
    properties = parameters["properties"]
    required = parameters.get("required", ())
    given = dict(params)
    local = [
        name
        for name, schema in properties.items()
        if isinstance(schema, dict)
        and schema.get("format") == LOCAL_OR_ZONED
        and is_local_time(given.get(name))
    ]
    pending: dict[str, Source] = {}
    for name, source in DEFAULTS.items():
        if name not in properties or name in given:
            continue
        if source is Source.WORKSPACE and workspace not in (None, AUTO):
            given[name] = workspace
        elif _ASKS_PROFILE[source](name in required, workspace, bool(local)):
            pending[name] = source
    if pending:
        # The profile is read anyway: an optional user left out is the key's own, taken
        # from it instead of asked for again by the handler.
        for name, source in DEFAULTS.items():
            if source is Source.CALLER and name in properties and name not in given:
                pending[name] = source
    return Filling(given, pending, local)


# What a left-out parameter becomes, by source, in words for the caller.
FILLED_WITH: dict[Source, str] = {
    Source.WORKSPACE: "the connection's workspace (auto: your default workspace)",
    Source.CALLER: "you, the API key's user",
}


def fillable(parameters: Mapping[str, Any], workspace: Any) -> dict[str, str]:
    """The required parameters a caller on a connection with this workspace setting may
    leave out, each with what it becomes then: the workspace with a workspace setting,
    the user always."""
    properties = parameters.get("properties", {})
    return {
        name: FILLED_WITH[source]
        for name, source in DEFAULTS.items()
        if name in parameters.get("required", ())
        and name in properties
        and source in FILLED_WITH
        and (source is not Source.WORKSPACE or workspace is not None)
    }


def advice(properties: Mapping[str, Any], workspace: Any) -> dict[str, str]:
    """The "is required" message of each declared parameter a default could have filled."""
    if workspace is not None:
        return {}
    return {
        f"/{name}": ADVICE[source]
        for name, source in DEFAULTS.items()
        if name in properties and source in ADVICE
    }


def _read_local_times(params: dict[str, Any], local: list[str]) -> dict[str, Any]:
    """`params` with its local times read in its `time_zone`, which is checked."""
    if ZONE_FIELD not in params:
        return params
    try:
        zone = time_zone(params[ZONE_FIELD])
    except TimestampError as error:
        raise invalid(f"/{ZONE_FIELD}", str(error)) from None
    read = dict(params)
    for name in local:
        try:
            read[name] = to_wire(local_to_instant(params[name], zone))
        except TimestampError as error:
            raise invalid(f"/{name}", str(error)) from None
    return read


class Profiles:
    """Each connection's profile, asked for once and kept for the life of the process."""

    MAX = 64

    def __init__(self) -> None:
        self._known: dict[Any, Profile] = {}

    def get(self, key: Any, client: ClockifyClient) -> Profile:
        profile = self._known.get(key)
        if profile is None:
            profile = Profile.fetch(client)
            if len(self._known) >= self.MAX:
                self._known.clear()
            self._known[key] = profile
        return profile

    def completer(
        self, filling: Filling, key: Any
    ) -> Callable[[ClockifyClient], dict[str, Any]] | None:
        """What completes `filling` with a client, or None when nothing is left to fill."""
        if not filling.needs_profile:
            return None
        return lambda client: filling.complete(self.get(key, client))
