"""The resources the sandbox emulates, found rather than named.

Each folder `clockify_actions.resources.<name>` whose `sandbox` module declares
`RESOURCE = Resource(...)` is emulated: its routes join the router, its tables the state
file's schema, its seed rows the seed state and its events what `_events.emit` knows. The
core imports no resource by name; it walks the folders (`pkgutil`), once, when first asked.
A resource's `sandbox.py` may share the work with `sandbox_*.py` modules of its folder, and
imports only the sandbox's core, other resources' sandbox modules and the standard library.

A handler, a seed or a listener is a function, or `"module:function"` of a module in the
resource's folder (`"sandbox_items:get_tag"`), imported when first used: a process then
imports the declarations of every resource but only the code of the routes it serves.
"""

from __future__ import annotations

import functools
import heapq
import importlib
import importlib.util
import pkgutil
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from ._call import Call
    from ._http import Response

# A function, or "module:function" in the declaring resource's folder (see above).
Lazy = Callable[..., Any] | str
Host = Literal["api", "reports"]
ChangeKind = Literal["created", "updated", "deleted"]

_PACKAGE = "clockify_actions.resources"


@dataclass(frozen=True)
class Route:
    """One path of Clockify's and the handler of each method served there, in the order
    Spring lists them in a 405's `Allow`."""

    path: str  # "/workspaces/{workspace}/projects": each `{name}` reaches handlers as a param
    # None: a method Clockify serves there and the sandbox does not (answered 501).
    handlers: Mapping[str, Callable[[Call], Response] | str | None]
    # "api": below `/api/v1` on the API host; "reports": below `/v1` on the reports host.
    host: Host = "api"
    # Enum query parameters and the values Clockify takes, refused before any handler runs.
    enums: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The boolean query parameters Spring converts one by one, refused alike.
    flags: tuple[str, ...] = ()
    # The paid module the route belongs to (a name of Clockify's `Feature` enum, such as
    # "INVOICING" or "EXPENSES"): a workspace whose plan lacks it, or which has it
    # switched off, is answered as Clockify answers it (see `sandbox configure --plan`).
    feature: str | None = None
    # The declaring resource's package, where its "module:function" handlers are: set by
    # `resources()`.
    package: str = ""

    @property
    def pattern(self) -> tuple[str, ...]:
        return tuple(self.path.strip("/").split("/"))

    def handler(self, method: str) -> Callable[[Call], Response] | None:
        """The handler of a method the route serves, imported on first use."""
        declared = self.handlers[method]
        if isinstance(declared, str):
            resolved: Callable[[Call], Response] = _function(self.package, declared)
            return resolved
        return declared


class Change(NamedTuple):
    """One create, update or delete of an entity, as `_events.emit` hands it on."""

    event: str  # the webhook event, e.g. "NEW_PROJECT"
    kind: str  # the entity's change-tracking type, e.g. "PROJECTS"
    change: ChangeKind
    doc: dict[str, Any]  # the entity as the route answered it


@dataclass(frozen=True)
class Resource:
    """What one resource adds to the sandbox."""

    routes: tuple[Route, ...] = ()
    # DDL of its tables as this schema version has them, run on a new state file.
    tables: tuple[str, ...] = ()
    # `CREATE TABLE IF NOT EXISTS` of tables added without a new schema version: run on
    # every state file that lacks them, ignored by releases that do not know them.
    added_tables: tuple[str, ...] = ()
    # The statements that bring its tables from schema version N (the key) to N + 1.
    migrations: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    # Writes its rows of the seed state, after the resources named in `seed_after`.
    seed: Callable[[sqlite3.Connection], None] | str | None = None
    seed_after: tuple[str, ...] = ()
    # Each webhook event its writes emit: the entity's change-tracking type and the change.
    events: Mapping[str, tuple[str, ChangeKind]] = field(default_factory=dict)
    # Told of every change any resource emits, inside the request's transaction.
    on_change: Callable[[Call, Change], None] | str | None = None
    # Its package, where its "module:function" references are: set by `resources()`.
    package: str = ""


class EmulatedRoute(NamedTuple):
    """A method and path the sandbox serves, on the API host or the reports host."""

    method: str
    path: str  # the path template below the host's root, e.g. "/workspaces/{workspace}/tags"
    host: Host


@functools.cache
def resources() -> dict[str, Resource]:
    """Every emulated resource by its folder's name, in the order of the folders' names."""
    package = importlib.import_module(_PACKAGE)
    found: dict[str, Resource] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        name = f"{_PACKAGE}.{info.name}.sandbox"
        if info.ispkg and importlib.util.find_spec(name) is not None:
            declared = getattr(importlib.import_module(name), "RESOURCE", None)
            if isinstance(declared, Resource):
                # Frozen for their readers; told once here where they were declared.
                where = f"{_PACKAGE}.{info.name}"
                object.__setattr__(declared, "package", where)
                for route in declared.routes:
                    object.__setattr__(route, "package", where)
                found[info.name] = declared
    return found


@functools.cache
def _function(package: str, reference: str) -> Any:
    """`"module:function"` of `package`, imported."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(f"{package}.{module}"), name)


def _resolved(resource: Resource, declared: Lazy) -> Any:
    return _function(resource.package, declared) if isinstance(declared, str) else declared


def routes(host: Host) -> list[Route]:
    """The host's routes as the router tries them: a literal segment before a `{…}` one in
    the same place, as Spring prefers the literal (`projects/from-template` before
    `projects/{project}`). Two declarations of one path are a mistake, refused."""
    chosen = [route for r in resources().values() for route in r.routes if route.host == host]
    patterns = [route.pattern for route in chosen]
    repeated = {pattern for pattern in patterns if patterns.count(pattern) > 1}
    if repeated:
        raise RuntimeError(f"sandbox routes declared twice: {sorted(repeated)}")
    return sorted(chosen, key=lambda route: [part.startswith("{") for part in route.pattern])


def emulated_routes() -> list[EmulatedRoute]:
    """Every method and path the sandbox serves (not those it answers "not emulated")."""
    hosts: tuple[Host, ...] = ("api", "reports")
    return [
        EmulatedRoute(method, route.path, route.host)
        for host in hosts
        for route in routes(host)
        for method, handler in route.handlers.items()
        if handler is not None
    ]


def events() -> dict[str, tuple[str, ChangeKind]]:
    """Every event a resource emits, with its change-tracking type and kind of change."""
    return {name: event for r in resources().values() for name, event in r.events.items()}


def listeners() -> list[Callable[[Call, Change], None]]:
    return [_resolved(r, r.on_change) for r in resources().values() if r.on_change is not None]


def seed(db: sqlite3.Connection) -> None:
    """Every resource's seed rows, each after those it names: of the resources free to go
    next, the first by name."""
    declared = {name: r for name, r in resources().items() if r.seed is not None}
    waiting = {name: set(r.seed_after) & declared.keys() for name, r in declared.items()}
    ready = [name for name, after in waiting.items() if not after]
    heapq.heapify(ready)
    while ready:
        name = heapq.heappop(ready)
        seeder = declared[name].seed
        assert seeder is not None
        _resolved(declared[name], seeder)(db)
        for other, after in waiting.items():
            if name in after:
                after.discard(name)
                if not after:
                    heapq.heappush(ready, other)
        del waiting[name]
    if waiting:
        raise RuntimeError(f"sandbox seeds wait on one another: {sorted(waiting)}")
