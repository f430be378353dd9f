"""The sandbox's state: one SQLite file shared by every thread and process that opens it."""

from __future__ import annotations

import json
import queue
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ._docs import Doc
from ._time import format_duration, format_instant, parse_instant, truncate

RateLimit = Literal["off", "paid", "free"]

SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE config (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    frozen_time TEXT,
    auto_stop INTEGER NOT NULL DEFAULT 1,
    rate_limit TEXT NOT NULL DEFAULT 'off',
    id_counter INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    api_key TEXT NOT NULL UNIQUE,
    addon_token TEXT UNIQUE,
    active_workspace TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE workspaces (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE memberships (
    user_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    PRIMARY KEY (user_id, workspace_id)
);
CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name_key TEXT NOT NULL,
    archived INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX clients_by_name ON clients (workspace_id, name_key);
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name_key TEXT NOT NULL,
    archived INTEGER NOT NULL,
    tracked_seconds INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
);
CREATE INDEX projects_by_name ON projects (workspace_id, name_key, id);
CREATE TABLE time_entries (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    project_id TEXT,
    start TEXT NOT NULL,
    running INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX entries_by_user ON time_entries (workspace_id, user_id, start);
CREATE INDEX running_entries ON time_entries (workspace_id, start) WHERE running;
CREATE TABLE faults (id INTEGER PRIMARY KEY, rule TEXT NOT NULL, remaining INTEGER);
CREATE TABLE rate_hits (workspace_id TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX rate_hits_by_workspace ON rate_hits (workspace_id, at);
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    status INTEGER,
    fault TEXT
);
"""

# The middle of every generated id: constant, so that a frozen clock gives the same ids each run.
_ID_MIDDLE = "5a4db0c10c"


@dataclass(frozen=True)
class SandboxConfig:
    """How the sandbox behaves; every process using the database shares it."""

    frozen_time: datetime | None  # None: the clock follows real UTC time
    auto_stop: bool
    rate_limit: RateLimit

    def now(self) -> datetime:
        return self.frozen_time or truncate(datetime.now(UTC))

    def instant(self) -> float:
        """Seconds since the epoch, finer than `now()` when the clock runs, for rate windows."""
        return self.frozen_time.timestamp() if self.frozen_time else time.time()


def dump(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


class Store:
    """A pool of connections to one database file.

    Writers take the lock up front (`BEGIN IMMEDIATE`) and wait for it under a generous busy
    timeout, so concurrent processes queue instead of failing with "database is locked".
    """

    _BUSY_TIMEOUT_S = 60.0

    def __init__(self, path: Path) -> None:
        self.path = path
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._opened: list[sqlite3.Connection] = []

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path,
            timeout=self._BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
        )
        db.execute("PRAGMA synchronous = NORMAL")
        self._opened.append(db)
        return db

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            db = self._idle.get_nowait()
        except queue.Empty:
            db = self._connect()
        try:
            yield db
        finally:
            self._idle.put(db)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("COMMIT")

    def initialize(self, seed: Callable[[sqlite3.Connection], None]) -> None:
        """Creates and seeds a new or outdated database; leaves a current one as it is."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            _enable_wal(db)
        with self.write() as db:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version == SCHEMA_VERSION:
                return
            for (name,) in db.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table'"
            ).fetchall():
                db.execute(f'DROP TABLE "{name}"')
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            populate(db, seed)

    def close(self) -> None:
        for db in self._opened:
            db.close()
        self._opened.clear()


def _enable_wal(db: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs a moment alone with it, which the busy handler does
    # not always wait for when several processes open the file at once.
    deadline = time.monotonic() + Store._BUSY_TIMEOUT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def populate(db: sqlite3.Connection, seed: Callable[[sqlite3.Connection], None]) -> None:
    """Empties every table and writes the seed state, as on a fresh database."""
    tables = db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()
    for (table,) in tables:
        db.execute(f'DELETE FROM "{table}"')
    db.execute("INSERT INTO config (singleton) VALUES (1)")
    seed(db)


def read_config(db: sqlite3.Connection) -> SandboxConfig:
    frozen, auto_stop, rate_limit = db.execute(
        "SELECT frozen_time, auto_stop, rate_limit FROM config"
    ).fetchone()
    return SandboxConfig(
        frozen_time=parse_instant(frozen) if frozen else None,
        auto_stop=bool(auto_stop),
        rate_limit=rate_limit,
    )


def freeze_clock(db: sqlite3.Connection, moment: datetime | None) -> None:
    frozen = format_instant(moment) if moment else None
    db.execute("UPDATE config SET frozen_time = ?", (frozen,))


def write_config(
    db: sqlite3.Connection, auto_stop: bool | None, rate_limit: RateLimit | None
) -> SandboxConfig:
    if auto_stop is not None:
        db.execute("UPDATE config SET auto_stop = ?", (int(auto_stop),))
    if rate_limit is not None:
        db.execute("UPDATE config SET rate_limit = ?", (rate_limit,))
    return read_config(db)


def new_ids(db: sqlite3.Connection, now: datetime, count: int = 1) -> list[str]:
    """ObjectId-shaped ids: the clock's seconds, a constant middle and this database's counter."""
    (last,) = db.execute(
        "UPDATE config SET id_counter = id_counter + ? RETURNING id_counter", (count,)
    ).fetchone()
    stamp = f"{int(now.timestamp()):08x}"
    return [f"{stamp}{_ID_MIDDLE}{n % 0x1000000:06x}" for n in range(last - count + 1, last + 1)]


def insert_user(db: sqlite3.Connection, doc: Doc, api_key: str, addon_token: str | None) -> None:
    db.execute(
        "INSERT INTO users (id, api_key, addon_token, active_workspace, doc) VALUES (?, ?, ?, ?, ?)",
        (doc["id"], api_key, addon_token, doc["activeWorkspace"], dump(doc)),
    )


def insert_workspace(db: sqlite3.Connection, doc: Doc) -> None:
    db.execute("INSERT INTO workspaces (id, doc) VALUES (?, ?)", (doc["id"], dump(doc)))
    db.executemany(
        "INSERT INTO memberships (user_id, workspace_id) VALUES (?, ?)",
        [(member["userId"], doc["id"]) for member in doc["memberships"]],
    )


def insert_client(db: sqlite3.Connection, doc: Doc) -> None:
    db.execute(
        "INSERT INTO clients (id, workspace_id, name_key, archived, doc) VALUES (?, ?, ?, ?, ?)",
        (doc["id"], doc["workspaceId"], doc["name"].casefold(), doc["archived"], dump(doc)),
    )


def insert_projects(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO projects (id, workspace_id, name_key, archived, doc) VALUES (?, ?, ?, ?, ?)",
        [(d["id"], d["workspaceId"], d["name"].casefold(), d["archived"], dump(d)) for d in docs],
    )


def insert_time_entries(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO time_entries (id, workspace_id, user_id, project_id, start, running, doc)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                d["id"],
                d["workspaceId"],
                d["userId"],
                d["projectId"],
                d["timeInterval"]["start"],
                d["timeInterval"]["end"] is None,
                dump(d),
            )
            for d in docs
        ],
    )


def add_tracked_time(db: sqlite3.Connection, project_id: str | None, seconds: int) -> None:
    """Keeps a project's `duration` the sum of its finished entries, as Clockify reports it."""
    if project_id is None:
        return
    (total,) = db.execute(
        "UPDATE projects SET tracked_seconds = tracked_seconds + ? WHERE id = ?"
        " RETURNING tracked_seconds",
        (seconds, project_id),
    ).fetchone()
    db.execute(
        "UPDATE projects SET doc = json_set(doc, '$.duration', ?) WHERE id = ?",
        (format_duration(total), project_id),
    )


# --- tags and tasks, and the account zone the time-entry list reads its window in --------
# Minimal tables that time entries are checked against and hydrated from; their own routes
# are not emulated yet.

_SCHEMA += """;
CREATE TABLE tags (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    archived INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX tasks_by_project ON tasks (project_id)
"""


def insert_tags(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO tags (id, workspace_id, name, archived, doc) VALUES (?, ?, ?, ?, ?)",
        [(d["id"], d["workspaceId"], d["name"], d["archived"], dump(d)) for d in docs],
    )


def insert_tasks(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO tasks (id, project_id, name, status, doc) VALUES (?, ?, ?, ?, ?)",
        [(d["id"], d["projectId"], d["name"], d["status"], dump(d)) for d in docs],
    )


def set_user_time_zone(db: sqlite3.Connection, user_id: str, time_zone: str) -> None:
    """The user's profile zone (`settings.timeZone`), which Clockify reads list windows in."""
    changed = db.execute(
        "UPDATE users SET doc = json_set(doc, '$.settings.timeZone', ?) WHERE id = ?",
        (time_zone, user_id),
    ).rowcount
    if changed != 1:
        raise KeyError(f"no sandbox user {user_id}")
