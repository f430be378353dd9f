"""The state file's schema: the core's own tables and those each emulated resource declares
(`_resources`), with the migrations that bring an older state file up to date."""

from __future__ import annotations

import re

from ._resources import resources

# What marks a file as this pack's sandbox state ("ClkS"), whatever else shares its name.
APPLICATION_ID = 0x436C6B53
# The state's schema; a file of an older one is migrated, one of a newer one refused.
SCHEMA_VERSION = 3
# The releases before APPLICATION_ID wrote versions 1 and 2 unmarked; such a file is
# recognised by its tables, exactly those of its version, and marked when opened.
UNMARKED_VERSIONS = frozenset({1, 2})

# The core's tables: its configuration, who may call and in which workspaces (what every
# request is authenticated and admitted by), fault rules, rate-limit hits and the request log.
_CORE = """
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

# The webhook deliveries `_delivery` sends, and the modules switched off (`_plans`), added
# without a new schema version.
_CORE_ADDED = (
    # The paid modules switched off in a workspace's settings (`_plans`); Clockify's
    # settings cannot be changed over its API, so this is the sandbox's own.
    "CREATE TABLE IF NOT EXISTS modules_off ("
    " workspace_id TEXT NOT NULL, feature TEXT NOT NULL, PRIMARY KEY (workspace_id, feature))",
    # Deliveries waiting to be sent, or sent, with how the receiver answered.
    "CREATE TABLE IF NOT EXISTS webhook_deliveries ("
    " id INTEGER PRIMARY KEY, webhook_id TEXT NOT NULL, event TEXT NOT NULL, url TEXT NOT NULL,"
    " token TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'PENDING',"
    " attempts INTEGER NOT NULL DEFAULT 0, status_code INTEGER, response TEXT)",
    # Each attempt at a delivery, as Clockify's webhook logs list them.
    "CREATE TABLE IF NOT EXISTS webhook_logs ("
    " id TEXT PRIMARY KEY, delivery_id INTEGER NOT NULL, webhook_id TEXT NOT NULL,"
    " status_code INTEGER, response TEXT NOT NULL, responded_at TEXT NOT NULL)",
)

_CREATED_TABLE = re.compile(r"\s*CREATE TABLE (?:IF NOT EXISTS )?(\w+)", re.IGNORECASE)


def new_file() -> list[str]:
    """The statements that create a new state file's tables of this schema version."""
    core = [statement for statement in _CORE.split(";") if statement.strip()]
    return core + [statement for r in resources().values() for statement in r.tables]


def added_tables() -> list[str]:
    """The tables added without a new schema version, created wherever they are missing."""
    return [
        *_CORE_ADDED,
        *(statement for r in resources().values() for statement in r.added_tables),
    ]


def migrations() -> dict[int, list[str]]:
    """The statements that bring a state file from version N (the key) to N + 1."""
    steps: dict[int, list[str]] = {}
    for resource in resources().values():
        for version, statements in resource.migrations.items():
            steps.setdefault(version, []).extend(statements)
    return dict(sorted(steps.items()))


def _created(statements: list[str]) -> set[str]:
    return {found[1] for s in statements if (found := _CREATED_TABLE.match(s)) is not None}


def added_table_names() -> frozenset[str]:
    return frozenset(_created(added_tables()))


def tables_of(version: int) -> frozenset[str]:
    """The versioned tables a state file of `version` has: today's, less those that a later
    version's migration created."""
    later = [s for v, statements in migrations().items() if v >= version for s in statements]
    return frozenset(_created(new_file()) - _created(later))
