"""Time entries: created and timers stopped (`sandbox_writes`), listed, read, replaced and
deleted (`sandbox_read`), and handled many at once (`sandbox_bulk`); their table, seed
row and events."""

from __future__ import annotations

import json
import sqlite3

from clockify_actions.resources.projects.sandbox_collection import add_tracked_time
from clockify_actions.resources.time_entries.sandbox_bulk import (
    delete_many,
    duplicate_entry,
    replace_many,
    update_invoiced,
)
from clockify_actions.resources.time_entries.sandbox_read import (
    delete_entry,
    get_entry,
    list_in_progress,
    list_user_entries,
    update_entry,
)
from clockify_actions.resources.time_entries.sandbox_writes import (
    create_own_entry,
    create_user_entry,
    insert_time_entries,
    stop_timer,
)
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import (
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
)


def _seed(db: sqlite3.Connection) -> None:
    (mine,) = db.execute("SELECT doc FROM workspaces WHERE id = ?", (DEMO_WORKSPACE_ID,)).fetchone()
    (sample,) = db.execute("SELECT doc FROM projects WHERE id = ?", (SAMPLE_PROJECT_ID,)).fetchone()
    entry = _docs.time_entry(
        SAMPLE_TIME_ENTRY_ID,
        json.loads(mine),
        DEMO_USER_ID,
        {"start": "2024-01-15T09:00:00Z", "end": "2024-01-15T10:30:00Z", "duration": "PT1H30M"},
        {"description": "Seeded entry", "billable": True},
        json.loads(sample),
    )
    insert_time_entries(db, [entry])
    add_tracked_time(db, SAMPLE_PROJECT_ID, 5400)


_ENTRIES = "/workspaces/{workspace}/time-entries"
_USER_ENTRIES = "/workspaces/{workspace}/user/{user}/time-entries"

RESOURCE = Resource(
    routes=(
        Route(_ENTRIES, {"POST": create_own_entry}),
        Route(f"{_ENTRIES}/status/in-progress", {"GET": list_in_progress}),
        Route(f"{_ENTRIES}/invoiced", {"PATCH": update_invoiced}),
        Route(
            f"{_ENTRIES}/{{entry}}", {"GET": get_entry, "PUT": update_entry, "DELETE": delete_entry}
        ),
        Route(
            _USER_ENTRIES,
            # PUT (bulk edit) and DELETE (bulk delete) exist live (docs/clockify-api.md §13.2,
            # §13.3).
            {
                "GET": list_user_entries,
                "POST": create_user_entry,
                "PATCH": stop_timer,
                "PUT": replace_many,
                "DELETE": delete_many,
            },
        ),
        Route(f"{_USER_ENTRIES}/{{entry}}/duplicate", {"POST": duplicate_entry}),
    ),
    tables=(
        "CREATE TABLE time_entries (\n"
        "    id TEXT PRIMARY KEY,\n"
        "    workspace_id TEXT NOT NULL,\n"
        "    user_id TEXT NOT NULL,\n"
        "    project_id TEXT,\n"
        "    start TEXT NOT NULL,\n"
        "    running INTEGER NOT NULL,\n"
        "    doc TEXT NOT NULL\n"
        ")",
        "CREATE INDEX entries_by_user ON time_entries (workspace_id, user_id, start)",
        "CREATE INDEX running_entries ON time_entries (workspace_id, start) WHERE running",
    ),
    seed=_seed,
    seed_after=("projects", "workspaces"),
    events={
        "NEW_TIME_ENTRY": ("TIME_ENTRY", "created"),
        "NEW_TIMER_STARTED": ("TIME_ENTRY", "created"),
        "TIMER_STOPPED": ("TIME_ENTRY", "updated"),
        "TIME_ENTRY_UPDATED": ("TIME_ENTRY", "updated"),
        "TIME_ENTRY_DELETED": ("TIME_ENTRY", "deleted"),
    },
)
