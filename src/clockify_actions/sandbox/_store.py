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
from typing import Literal, TypeVar

from ._docs import Doc
from ._schema import APPLICATION_ID, SCHEMA_VERSION, added_tables, migrations, new_file
from ._state_file import (
    SQLITE_READONLY,
    StateFileError,
    error_code,
    has_content,
    identify,
    identify_at_once,
    judge_header,
    problem_of,
)
from ._time import format_instant, parse_instant, truncate

RateLimit = Literal["off", "paid", "free"]
_T = TypeVar("_T")
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
            problem, detail = problem_of(error), str(error)
            if problem == "unusable" and not has_content(self.path):
                detail = f"cannot create it ({error})"
            elif error_code(error) == SQLITE_READONLY:
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
            judge_header(self.path)
            self._inspect()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            _patiently(lambda: db.execute("PRAGMA journal_mode = WAL"))
        # Decided again under the write lock: another process may have created or migrated
        # the file since, and nobody sees it half done.
        with self.write() as db:
            found = identify(db, self.path)
            if found.version is None:
                # The added tables too, before the seed, which may write rows in them.
                for statement in [*new_file(), *added_tables()]:
                    db.execute(statement)
                populate(db, seed)
            else:
                steps = migrations()
                for version in range(found.version, SCHEMA_VERSION):
                    try:
                        for statement in steps[version]:
                            db.execute(statement)
                    except sqlite3.OperationalError as error:  # not the version it claims
                        detail = f"version {version} that cannot be migrated: {error}"
                        raise StateFileError(self.path, "foreign", detail) from None
            for statement in added_tables():
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
            _patiently(lambda: identify_at_once(db, self.path))
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


def set_user_time_zone(db: sqlite3.Connection, user_id: str, time_zone: str) -> None:
    """The user's profile zone (`settings.timeZone`), which Clockify reads list windows in."""
    changed = db.execute(
        "UPDATE users SET doc = json_set(doc, '$.settings.timeZone', ?) WHERE id = ?",
        (time_zone, user_id),
    ).rowcount
    if changed != 1:
        raise KeyError(f"no sandbox user {user_id}")
