"""The sandbox's state: one SQLite file shared by every thread and process that opens it."""

from __future__ import annotations

import json
import os
import queue
import shlex
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple, TypeVar

from ._docs import Doc
from ._time import format_duration, format_instant, parse_instant, truncate

RateLimit = Literal["off", "paid", "free"]
_T = TypeVar("_T")

# What marks a file as this pack's sandbox state ("ClkS"), whatever else shares its name.
APPLICATION_ID = 0x436C6B53
# The state's schema; a file of an older one is migrated, one of a newer one refused.
SCHEMA_VERSION = 3
# The statements that bring a state file from version N (the key) to N + 1.
# Tags and tasks, which time entries are checked against and hydrated from (version 3).
_TAGS_AND_TASKS = (
    "CREATE TABLE tags (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, name TEXT NOT NULL,"
    " archived INTEGER NOT NULL, doc TEXT NOT NULL)",
    "CREATE TABLE tasks (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL,"
    " status TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX tasks_by_project ON tasks (project_id)",
)
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE projects DROP COLUMN client_id",),
    2: _TAGS_AND_TASKS,
}
# The releases before APPLICATION_ID wrote versions 1 and 2 unmarked, with exactly these
# tables; such a file is recognised by them and marked when opened.
_UNMARKED_VERSIONS = frozenset({1, 2})
_UNMARKED_TABLES = frozenset(
    {
        "config",
        "users",
        "workspaces",
        "memberships",
        "clients",
        "projects",
        "time_entries",
        "faults",
        "rate_hits",
        "requests",
    }
)

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

# Tables that releases reading this schema version ignore, so adding them needs no new
# version: created in every state file that lacks them, and emptied by a reset like the rest.
_ADDED_TABLES = (
    # Clockify's change tracking (/entities/*): when each entity was created, last updated
    # or deleted, with its latest form.
    "CREATE TABLE IF NOT EXISTS entity_changes ("
    " type TEXT NOT NULL, id TEXT NOT NULL, workspace_id TEXT NOT NULL,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, doc TEXT NOT NULL,"
    " PRIMARY KEY (type, id))",
    "CREATE TABLE IF NOT EXISTS webhooks ("
    " id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, doc TEXT NOT NULL)",
    # Deliveries waiting to be sent, or sent, with how the receiver answered.
    "CREATE TABLE IF NOT EXISTS webhook_deliveries ("
    " id INTEGER PRIMARY KEY, webhook_id TEXT NOT NULL, event TEXT NOT NULL, url TEXT NOT NULL,"
    " token TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'PENDING',"
    " attempts INTEGER NOT NULL DEFAULT 0, status_code INTEGER, response TEXT)",
    # Each attempt at a delivery, as Clockify's webhook logs list them.
    "CREATE TABLE IF NOT EXISTS webhook_logs ("
    " id TEXT PRIMARY KEY, delivery_id INTEGER NOT NULL, webhook_id TEXT NOT NULL,"
    " status_code INTEGER, response TEXT NOT NULL, responded_at TEXT NOT NULL)",
    # Members' roles and profiles in a workspace, which no document of a member carries.
    "CREATE TABLE IF NOT EXISTS member_roles ("
    " workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,"
    " entity_id TEXT NOT NULL, PRIMARY KEY (workspace_id, user_id, role, entity_id))",
    "CREATE TABLE IF NOT EXISTS member_profiles ("
    " workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, doc TEXT NOT NULL,"
    " PRIMARY KEY (workspace_id, user_id))",
)

_ADDED_TABLE_NAMES = frozenset(
    {
        "entity_changes",
        "webhooks",
        "webhook_deliveries",
        "webhook_logs",
        "member_roles",
        "member_profiles",
    }
)

# The middle of every generated id: constant, so that a frozen clock gives the same ids each run.
_ID_MIDDLE = "5a4db0c10c"


def name_key(name: str) -> str:
    """How Clockify compares the names of clients, tags, projects and tasks, in its
    duplicate check and its `name` filter: ignoring letter case, in every alphabet.
    Case-insensitive for task filters is LIKELY (docs/clockify-api.md §17.1); for the
    duplicate check, and for the other filters, it is a guess (§15.1, §16.2, §19.4,
    §20). That spacing and Unicode form count (the name is only trimmed) is a guess too.
    Stored as the `name_key` of clients and projects, and registered for queries as the
    SQL function `name_key_of(name)`."""
    return name.casefold()


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


Problem = Literal["foreign", "newer", "corrupt", "unusable"]


class StateFileError(Exception):
    """The file at the state path is not one the sandbox may use; it was left as it was.

    `problem` says why: "foreign" (a file that is not sandbox state: another database, or
    no database at all), "newer" (state of a later release), "corrupt" (a database, by its
    SQLite header, that cannot be read) or "unusable" (a directory, or a file that cannot
    be read, written or created).
    """

    def __init__(self, path: Path, problem: Problem, detail: str) -> None:
        self.path = path
        self.problem = problem
        self.detail = detail
        super().__init__(_explain(path, problem, detail))


def _explain(path: Path, problem: Problem, detail: str) -> str:
    elsewhere = "set CLOCKIFY_SANDBOX_DB (or the sandbox command's --db) to another file"
    reset = f"clockify-actions sandbox reset --db {shlex.quote(str(path))}"
    if problem == "unusable":
        return (
            f"The sandbox state file {path} cannot be used: {detail}. Fix its permissions, "
            f"or {elsewhere} that this user can read and write."
        )
    what = {
        "foreign": f"is not a sandbox state file ({detail})",
        "newer": f"holds sandbox state of a newer release ({detail})",
        "corrupt": f"is not a readable database ({detail})",
    }[problem]
    force = "" if problem == "corrupt" else " --force"
    upgrade = "upgrade clockify-actions, " if problem == "newer" else ""
    return (
        f"The sandbox state file {path} {what}; it was left untouched. To keep it, "
        f"{upgrade}{elsewhere}; to start afresh, `{reset}{force}` moves it aside (kept "
        "beside it) and seeds a new one."
    )


class _Found(NamedTuple):
    version: int | None  # None: an empty file, to be created
    marked: bool


def _identify(db: sqlite3.Connection, path: Path) -> _Found:
    """What the open file is, read without writing; raises StateFileError unless it is the
    sandbox's own state (of this or an older version) or empty."""
    (application_id,) = db.execute("PRAGMA application_id").fetchone()
    (version,) = db.execute("PRAGMA user_version").fetchone()
    schema = db.execute("SELECT type, name FROM sqlite_schema").fetchall()
    return _judge(path, application_id, version, frozenset(schema))


def _identify_at_once(db: sqlite3.Connection, path: Path) -> _Found:
    """`_identify` in one read transaction, so that a file another process is creating or
    migrating is seen before or after, never half done."""
    db.execute("BEGIN")
    try:
        return _identify(db, path)
    finally:
        db.execute("COMMIT")


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _judge_header(path: Path) -> None:
    """Refuses, from its first 100 bytes alone, a file that is plainly not sandbox state,
    before SQLite opens it: even a read-only connection leaves journal files beside a
    database in WAL mode. What the header cannot settle, `_identify` does."""
    with path.open("rb") as file:
        header = file.read(100)
    if not header:
        return  # an empty file is a new database
    if not header.startswith(_SQLITE_MAGIC):
        # Only a database can be damaged sandbox state: anything else is someone's file.
        raise StateFileError(path, "foreign", "not an SQLite database: no SQLite header")
    if len(header) < 100:
        raise StateFileError(path, "corrupt", "an SQLite header cut short")
    version = int.from_bytes(header[60:64], "big", signed=True)
    application_id = int.from_bytes(header[68:72], "big", signed=True)
    _judge(path, application_id, version, schema=None)


def _judge(
    path: Path, application_id: int, version: int, schema: frozenset[tuple[str, str]] | None
) -> _Found:
    """`schema`: the (type, name) of every table, index, view and trigger, or None when only
    the header was read, which judges what it can and lets the rest pass."""
    if application_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            detail = f"schema version {version}; this release reads up to {SCHEMA_VERSION}"
            raise StateFileError(path, "newer", detail)
        # The header alone lets this pass: read while another process checkpoints the
        # file's creation, it may show the new marker beside the old version.
        if version < min(_MIGRATIONS, default=SCHEMA_VERSION) and schema is not None:
            raise StateFileError(path, "foreign", f"unknown schema version {version}")
        return _Found(version, marked=True)
    if application_id == 0 and version == 0 and not schema:
        return _Found(None, marked=False)
    tables = None if schema is None else {name for kind, name in schema if kind == "table"}
    if (
        application_id == 0
        and version in _UNMARKED_VERSIONS
        and (tables is None or tables - _ADDED_TABLE_NAMES == _UNMARKED_TABLES)
    ):
        return _Found(version, marked=False)
    owner = "" if application_id == 0 else f", application_id {application_id:#x}"
    raise StateFileError(path, "foreign", f"an SQLite database of something else{owner}")


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


_SQLITE_READONLY = 8


def _error_code(error: sqlite3.Error) -> int:
    """SQLite's primary result code of the error."""
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def _problem(error: sqlite3.Error) -> Problem:
    # SQLITE_CORRUPT and SQLITE_NOTADB: the bytes are not a database; anything else (cannot
    # open, read-only, I/O) is about access to the file.
    return "corrupt" if _error_code(error) in (11, 26) else "unusable"


def move_aside(path: Path, label: str, now: datetime) -> Path:
    """Renames the file (and its journal files) to `<name>.<label>-<UTC time>` beside it."""
    stem = f"{path.name}.{label}-{now.strftime('%Y%m%dT%H%M%SZ')}"
    aside, n = path.with_name(stem), 1
    while any(Path(f"{aside}{suffix}").exists() for suffix in _JOURNALS):
        n += 1
        aside = path.with_name(f"{stem}-{n}")
    for suffix in _JOURNALS:
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.rename(source, f"{aside}{suffix}")
    return aside


_JOURNALS = ("", "-wal", "-shm", "-journal")


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
        db.create_function("name_key_of", 1, name_key, deterministic=True)
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
        """Creates and seeds an empty or missing file, migrates an older state file and
        leaves a current one as it is. Anything else raises StateFileError, untouched."""
        try:
            self._initialize(seed)
        except StateFileError:
            self.close()
            raise
        except sqlite3.Error as error:
            self.close()
            problem, detail = _problem(error), str(error)
            if problem == "unusable" and not _has_content(self.path):
                detail = f"cannot create it ({error})"
            elif _error_code(error) == _SQLITE_READONLY:
                detail = f"this process cannot write it ({error})"
            raise StateFileError(self.path, problem, detail) from None
        except OSError as error:
            self.close()
            raise StateFileError(self.path, "unusable", error.strerror or str(error)) from None

    def _initialize(self, seed: Callable[[sqlite3.Connection], None]) -> None:
        if self.path.is_dir():
            raise StateFileError(self.path, "unusable", "it is a directory")
        if self.path.exists():
            # Switching to WAL writes to the file: first make sure it is ours, read-only.
            _judge_header(self.path)
            self._inspect()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            _patiently(lambda: db.execute("PRAGMA journal_mode = WAL"))
        # Decided again under the write lock: another process may have created or migrated
        # the file since, and nobody sees it half done.
        with self.write() as db:
            found = _identify(db, self.path)
            if found.version is None:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                populate(db, seed)
            else:
                for version in range(found.version, SCHEMA_VERSION):
                    try:
                        for statement in _MIGRATIONS[version]:
                            db.execute(statement)
                    except sqlite3.OperationalError as error:  # not the version it claims
                        detail = f"version {version} that cannot be migrated: {error}"
                        raise StateFileError(self.path, "foreign", detail) from None
            for statement in _ADDED_TABLES:
                db.execute(statement)
            # A state file this process cannot write (a read-only file, directory or mount,
            # an immutable file) opens read-only without a word, and would fail each request
            # that writes: a write that changes nothing refuses it now, while no request is
            # in flight.
            db.execute("DELETE FROM config WHERE 0")
            if found.version != SCHEMA_VERSION or not found.marked:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _inspect(self) -> None:
        uri = f"{self.path.as_uri()}?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=self._BUSY_TIMEOUT_S, isolation_level=None)
        try:
            _patiently(lambda: _identify_at_once(db, self.path))
        finally:
            db.close()

    def close(self) -> None:
        for db in self._opened:
            db.close()
        self._opened.clear()


def _patiently(step: Callable[[], _T]) -> _T:
    # Switching a new file to WAL needs a moment alone with it, which the busy handler does
    # not always wait for when several processes open the file at once; nor does a reader
    # that meets the switch.
    deadline = time.monotonic() + Store._BUSY_TIMEOUT_S
    while True:
        try:
            return step()
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
        (doc["id"], doc["workspaceId"], name_key(doc["name"]), doc["archived"], dump(doc)),
    )


def insert_projects(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO projects (id, workspace_id, name_key, archived, doc) VALUES (?, ?, ?, ?, ?)",
        [(d["id"], d["workspaceId"], name_key(d["name"]), d["archived"], dump(d)) for d in docs],
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

_SCHEMA += ";" + ";".join(_TAGS_AND_TASKS)


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
