"""Whether the file at the state path is the sandbox's own, judged before anything is
written to it, and the refusal that leaves it untouched when it is not."""

from __future__ import annotations

import os
import shlex
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Literal, NamedTuple

from ._schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    UNMARKED_VERSIONS,
    added_table_names,
    migrations,
    tables_of,
)

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


def identify(db: sqlite3.Connection, path: Path) -> _Found:
    """What the open file is, read without writing; raises StateFileError unless it is the
    sandbox's own state (of this or an older version) or empty."""
    (application_id,) = db.execute("PRAGMA application_id").fetchone()
    (version,) = db.execute("PRAGMA user_version").fetchone()
    schema = db.execute("SELECT type, name FROM sqlite_schema").fetchall()
    return _judge(path, application_id, version, frozenset(schema))


def identify_at_once(db: sqlite3.Connection, path: Path) -> _Found:
    """`identify` in one read transaction, so that a file another process is creating or
    migrating is seen before or after, never half done."""
    db.execute("BEGIN")
    try:
        return identify(db, path)
    finally:
        db.execute("COMMIT")


_SQLITE_MAGIC = b"SQLite format 3\x00"


def judge_header(path: Path) -> None:
    """Refuses, from its first 100 bytes alone, a file that is plainly not sandbox state,
    before SQLite opens it: even a read-only connection leaves journal files beside a
    database in WAL mode. What the header cannot settle, `identify` does."""
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
        if version < min(migrations(), default=SCHEMA_VERSION) and schema is not None:
            raise StateFileError(path, "foreign", f"unknown schema version {version}")
        return _Found(version, marked=True)
    if application_id == 0 and version == 0 and not schema:
        return _Found(None, marked=False)
    tables = None if schema is None else {name for kind, name in schema if kind == "table"}
    if (
        application_id == 0
        and version in UNMARKED_VERSIONS
        and (tables is None or tables - added_table_names() == tables_of(version))
    ):
        return _Found(version, marked=False)
    owner = "" if application_id == 0 else f", application_id {application_id:#x}"
    raise StateFileError(path, "foreign", f"an SQLite database of something else{owner}")


def has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


SQLITE_READONLY = 8


def error_code(error: sqlite3.Error) -> int:
    """SQLite's primary result code of the error."""
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def problem_of(error: sqlite3.Error) -> Problem:
    # SQLITE_CORRUPT and SQLITE_NOTADB: the bytes are not a database; anything else (cannot
    # open, read-only, I/O) is about access to the file.
    return "corrupt" if error_code(error) in (11, 26) else "unusable"


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
