"""The sandbox: a persistent local emulator of Clockify's REST API v1."""

from __future__ import annotations

import email.utils
import json
import os
import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import platformdirs

from . import _docs, _plans
from ._api import api_path, internal_error, log, process
from ._delivery import Deliverer, pending
from ._docs import Doc
from ._http import Exchange, Request, Response
from ._resources import seed
from ._state_file import StateFileError, move_aside
from ._store import (
    RateLimit,
    SandboxConfig,
    Store,
    dump,
    freeze_clock,
    name_key,
    new_ids,
    populate,
    read_config,
    set_user_time_zone,
    write_config,
)
from ._time import format_instant, truncate
from ._transport import SandboxTransport
from .faults import ENV_VAR, Fault, FaultAction, FaultBody, FaultWhen, faults_from_json
from .traffic import TrafficLog

if TYPE_CHECKING:
    # Imported when a server starts: the in-process transport needs no HTTP server.
    from ._server import SandboxServer

DB_ENV_VAR = "CLOCKIFY_SANDBOX_DB"


def default_db_path() -> Path:
    """`CLOCKIFY_SANDBOX_DB` when set, else `sandbox.sqlite3` in the user's data directory."""
    configured = os.environ.get(DB_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path("clockify-actions") / "sandbox.sqlite3"


@dataclass(frozen=True)
class LoggedRequest:
    at: datetime
    method: str
    path: str
    query: str
    status: int | None  # None when a fault left the client without a response
    fault: str | None  # the action of the fault that met the request


@dataclass
class _EnvFault:
    fault: Fault
    remaining: int | None


class Sandbox:
    """One sandbox database, served in-process (`transport()`) or over HTTP (`serve()`)."""

    def __init__(
        self, store: Store, env_faults: list[Fault], traffic: TrafficLog | None = None
    ) -> None:
        self._store = store
        self._traffic = traffic
        self._env_faults = [_EnvFault(fault, fault.times) for fault in env_faults]
        self._env_lock = threading.Lock()
        self._servers: list[SandboxServer] = []
        self._deliveries = Deliverer(store)

    @classmethod
    def open(cls, db_path: str | os.PathLike[str] | None = None) -> Sandbox:
        """Opens the state in `db_path` (default: `default_db_path()`), seeding it when new.

        Fault rules in `CLOCKIFY_SANDBOX_FAULTS` (a JSON list) apply to this object's requests,
        counted in memory, on top of the rules stored in the database. Its traffic goes to
        the file `CLOCKIFY_SANDBOX_TRAFFIC_LOG` names, if any (see `traffic`).

        Raises StateFileError, leaving the file as it was, when it is not the sandbox's state
        (another database, a newer release's state, not a database at all) or cannot be
        read or created; an older release's state is migrated.
        """
        path = Path(db_path).expanduser() if db_path is not None else default_db_path()
        env_rules = os.environ.get(ENV_VAR, "").strip()
        env_faults = faults_from_json(env_rules) if env_rules else []
        store = Store(path.resolve())
        store.initialize(seed)
        return cls(store, env_faults, TrafficLog.from_environ())

    @classmethod
    def open_reset(
        cls, db_path: str | os.PathLike[str] | None = None, *, force: bool = False
    ) -> tuple[Sandbox, Path | None]:
        """Opens the state in `db_path` back at the seed state, as `sandbox reset` does.

        A corrupt database (one with an SQLite header that cannot be read) and, with `force`,
        any other file that is not sandbox state (another database, a newer release's state,
        a file that is no database at all) is first moved aside, kept beside it as `<name>.<why>-<UTC time>`;
        returns the sandbox and where the old file went, if it was moved.
        """
        path = Path(db_path).expanduser() if db_path is not None else default_db_path()
        moved = None
        try:
            sandbox = cls.open(path)
        except StateFileError as error:
            if not (error.problem == "corrupt" or (force and error.problem != "unusable")):
                raise
            try:
                moved = move_aside(error.path, error.problem, datetime.now(UTC))
            except OSError as failure:
                detail = f"it could not be moved aside: {failure.strerror or failure}"
                raise StateFileError(error.path, "unusable", detail) from None
            sandbox = cls.open(path)
        try:
            sandbox.reset()
        except BaseException:
            sandbox.close()
            raise
        return sandbox, moved

    @property
    def db_path(self) -> Path:
        return self._store.path

    def transport(self) -> httpx.BaseTransport:
        return SandboxTransport(self._handle)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
        from ._server import SandboxServer

        server = SandboxServer(self._handle, host, port)
        self._servers.append(server)
        return server

    # --- clock and behaviour ---

    def now(self) -> datetime:
        """The sandbox's clock: the frozen time when set, else UTC now to the second."""
        with self._store.read() as db:
            return read_config(db).now()

    def set_time(self, dt: datetime | None) -> None:
        """Freezes the clock at `dt` (naive means UTC), for every process; None unfreezes."""
        if dt is not None and dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        with self._store.write() as db:
            freeze_clock(db, None if dt is None else truncate(dt))

    def configure(
        self, auto_stop: bool | None = None, rate_limit: RateLimit | None = None
    ) -> SandboxConfig:
        """Changes what is given and returns the whole configuration.

        `auto_stop=False` models a service that leaves a running timer running when another
        starts. `rate_limit` applies Clockify's per-workspace limits: "paid" 50 requests a
        second, "free" 30 an hour.
        """
        if rate_limit not in (None, "off", "paid", "free"):
            raise ValueError(f"rate_limit must be off, paid or free, not {rate_limit!r}")
        with self._store.write() as db:
            return write_config(db, auto_stop, rate_limit)

    def set_plan(
        self, workspace_id: str, plan: str | None = None, modules: Mapping[str, bool] = {}
    ) -> dict[str, Any]:
        """Puts a workspace on a plan (`free`, `basic`, `standard`, `pro`, `enterprise`)
        and switches modules (Clockify's `Feature` names, such as INVOICING) on or off in
        its settings; returns its plan, features and the modules switched off. A route of
        a module off the plan is answered 402, of one switched off 403, as Clockify does."""
        with self._store.write() as db:
            if plan is not None:
                _plans.set_plan(db, workspace_id, plan)
            for feature, on in modules.items():
                _plans.switch(db, workspace_id, feature, on)
            row = db.execute(
                "SELECT json_extract(doc, '$.featureSubscriptionType'),"
                " json_extract(doc, '$.features') FROM workspaces WHERE id = ?",
                (workspace_id,),
            ).fetchone()
            if row is None:
                raise KeyError(f"no sandbox workspace {workspace_id}")
            return {
                "id": workspace_id,
                "subscription": row[0],
                "features": json.loads(row[1]),
                "modules_off": _plans.modules_off(db, workspace_id),
            }

    def set_api_key(self, user_id: str, api_key: str) -> None:
        """Gives a user a new API key, as regenerating it in Clockify's profile does; the
        old key stops working."""
        with self._store.write() as db:
            if (
                db.execute("UPDATE users SET api_key = ? WHERE id = ?", (api_key, user_id)).rowcount
                != 1
            ):
                raise KeyError(f"no sandbox user {user_id}")

    def set_time_zone(self, user_id: str, time_zone: str) -> None:
        """Sets a user's profile time zone (an IANA name such as Europe/Berlin), in which
        Clockify reads the `start` and `end` of the time-entry list."""
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {time_zone!r}; use an IANA name") from None
        with self._store.write() as db:
            set_user_time_zone(db, user_id, time_zone)

    def reset(self) -> None:
        """Back to the seed state: data, clock, configuration, faults and request log."""
        with self._store.write() as db:
            populate(db, seed)

    # --- faults ---

    def add_fault(
        self,
        *,
        action: FaultAction,
        when: FaultWhen,
        method: str = "*",
        path: str = "**",
        times: int | None = 1,
        status: int | None = None,
        seconds: float | None = None,
        body: FaultBody | None = None,
        retry_after: int | None = None,
    ) -> Fault:
        """Stores a fault rule (see `Fault`) that every process using this database obeys."""
        fault = Fault(
            action=action,
            when=when,
            method=method,
            path=path,
            times=times,
            status=status,
            seconds=seconds,
            body=body,
            retry_after=retry_after,
        )
        with self._store.write() as db:
            db.execute(
                "INSERT INTO faults (rule, remaining) VALUES (?, ?)",
                (json.dumps(fault.to_json()), fault.times),
            )
        return fault

    def faults(self) -> list[Fault]:
        """The stored rules still armed, each with `times` set to what remains of it."""
        with self._store.read() as db:
            rows = db.execute("SELECT rule, remaining FROM faults ORDER BY id").fetchall()
        return [Fault.from_json({**json.loads(rule), "times": left}) for rule, left in rows]

    def clear_faults(self) -> int:
        """Disarms every stored rule and returns how many there were."""
        with self._store.write() as db:
            return db.execute("DELETE FROM faults").rowcount

    # --- what happened ---

    def request_log(self) -> list[LoggedRequest]:
        """Every request served since the last reset, oldest first, from every process."""
        with self._store.read() as db:
            rows = db.execute(
                "SELECT at, method, path, query, status, fault FROM requests ORDER BY id"
            ).fetchall()
        return [
            LoggedRequest(datetime.fromisoformat(at), method, path, query, status, fault)
            for at, method, path, query, status, fault in rows
        ]

    def projects(self, workspace_id: str) -> list[Doc]:
        return self._docs(
            "SELECT doc FROM projects WHERE workspace_id = ? ORDER BY name_key, id", workspace_id
        )

    def clients(self, workspace_id: str) -> list[Doc]:
        return self._docs(
            "SELECT doc FROM clients WHERE workspace_id = ? ORDER BY name_key, id", workspace_id
        )

    def time_entries(self, workspace_id: str, user_id: str | None = None) -> list[Doc]:
        """A workspace's entries (one user's when given), newest first, as GET shows them."""
        return self._docs(
            "SELECT doc FROM time_entries WHERE workspace_id = ? AND user_id = coalesce(?, user_id)"
            " ORDER BY start DESC, rowid DESC",
            workspace_id,
            user_id,
        )

    def _docs(self, sql: str, *args: str | None) -> list[Doc]:
        with self._store.read() as db:
            return [json.loads(doc) for (doc,) in db.execute(sql, args)]

    def seed_projects(
        self, workspace_id: str, count: int, name_prefix: str = "Project"
    ) -> list[str]:
        """Adds `count` projects in one transaction, named `<prefix> <number>`; returns ids."""
        with self._store.write() as db:
            row = db.execute("SELECT doc FROM workspaces WHERE id = ?", (workspace_id,)).fetchone()
            if row is None:
                raise ValueError(f"no workspace {workspace_id} in the sandbox")
            workspace = json.loads(row[0])
            owner = workspace["memberships"][0]["userId"]
            ids = new_ids(db, read_config(db).now(), count)
            names = [f"{name_prefix} {int(id_[-6:], 16):06d}" for id_ in ids]
            # The projects table as the projects' sandbox declares it; what a new project
            # would emit is not emitted, as for the seed state.
            db.executemany(
                "INSERT INTO projects (id, workspace_id, name_key, archived, doc)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (id_, workspace_id, name_key(name), False, dump(doc))
                    for id_, name in zip(ids, names, strict=True)
                    for doc in [_docs.project(id_, name, workspace, owner)]
                ],
            )
        return ids

    # --- serving ---

    def _handle(self, request: Request) -> Exchange:
        """Answers one request, obeying the first fault rule that matches it. Never raises:
        a failure outside the handlers (the state file's, say) is a 500, not a lost reply."""
        arrived = time.time()
        try:
            exchange = self._obey_faults(request)
        except Exception:
            log.exception("%s %s failed", request.method, request.path)
            exchange = Exchange(internal_error())
        if self._traffic is not None:
            status = exchange.response.status if exchange.response else None
            self._traffic.record(arrived, request, status)
        return exchange

    def _obey_faults(self, request: Request) -> Exchange:
        path = api_path(request.path)
        queued = False
        with self._store.write() as db:
            fault = self._take_fault(db, request.method, path)
            delayed = fault is not None and fault.action == "delay" and fault.when == "before"
            exchange = None if delayed else self._answer(db, request, fault)
            queued = exchange is not None and request.method != "GET" and pending(db)
        if fault is not None and fault.action == "delay":
            assert fault.seconds is not None
            time.sleep(fault.seconds)
        if exchange is None:
            with self._store.write() as db:
                exchange = self._answer(db, request, fault)
                queued = request.method != "GET" and pending(db)
        if queued:
            self._deliveries.wake()  # sent now that the request's changes are committed
        return exchange

    def _answer(self, db: sqlite3.Connection, request: Request, fault: Fault | None) -> Exchange:
        config = read_config(db)
        skipped = fault is not None and fault.when == "before" and fault.action != "delay"
        processed = None if skipped else process(db, config, request)
        response = fault.response(processed) if fault else processed
        if response is not None:
            # Clockify dates every answer by its own clock, as HTTP asks; so does the sandbox,
            # by its clock, which may be set.
            date = {"Date": email.utils.format_datetime(config.now(), usegmt=True)}
            response = Response(response.status, response.body, {**response.headers, **date})
        db.execute(
            "INSERT INTO requests (at, method, path, query, status, fault) VALUES (?, ?, ?, ?, ?, ?)",
            (
                format_instant(config.now()),
                request.method,
                request.path,
                request.query,
                response.status if response else None,
                fault.action if fault else None,
            ),
        )
        return Exchange(response, fault)

    def _take_fault(self, db: sqlite3.Connection, method: str, path: str) -> Fault | None:
        with self._env_lock:
            for armed in self._env_faults:
                if armed.remaining != 0 and armed.fault.matches(method, path):
                    if armed.remaining is not None:
                        armed.remaining -= 1
                    return armed.fault
        rules = db.execute("SELECT id, rule, remaining FROM faults ORDER BY id").fetchall()
        for rule_id, rule, remaining in rules:
            fault = Fault.from_json(json.loads(rule))
            if fault.matches(method, path):
                if remaining == 1:
                    db.execute("DELETE FROM faults WHERE id = ?", (rule_id,))
                elif remaining is not None:
                    db.execute(
                        "UPDATE faults SET remaining = ? WHERE id = ?", (remaining - 1, rule_id)
                    )
                return fault
        return None

    def wait_for_deliveries(self, timeout: float | None = None) -> None:
        """Until the webhook deliveries this object has started are sent or given up."""
        self._deliveries.wait(timeout)

    def webhook_deliveries(self) -> list[dict[str, object]]:
        """Every webhook delivery since the last reset, oldest first: its event, URL,
        status (PENDING, SENDING, SUCCEEDED or FAILED), attempts and the receiver's answer."""
        with self._store.read() as db:
            rows = db.execute(
                "SELECT event, url, status, attempts, status_code, response"
                " FROM webhook_deliveries ORDER BY id"
            ).fetchall()
        keys = ("event", "url", "status", "attempts", "status_code", "response")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def close(self) -> None:
        self._deliveries.wait()
        for server in self._servers:
            server.close()
        self._servers.clear()
        self._store.close()
        if self._traffic is not None:
            self._traffic.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
