"""Tasks: a project's list and new tasks (`sandbox_collection`), one task read, updated,
deleted and given rates (`sandbox_items`); their table, seed rows and events."""

from __future__ import annotations

import json
import sqlite3

from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._params import MEMBERSHIP_STATUSES, SORT_ORDERS
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import (
    BUILD_TASK_ID,
    CLIENT_PROJECT_ID,
    DESIGN_TASK_ID,
    REVIEW_TASK_ID,
    SAMPLE_PROJECT_ID,
    WEBSITE_DESIGN_TASK_ID,
)

# Time entries are checked against tasks and hydrated from them since schema version 3.
_TABLES = (
    "CREATE TABLE tasks (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL,"
    " status TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX tasks_by_project ON tasks (project_id)",
)


def _seed(db: sqlite3.Connection) -> None:
    from clockify_actions.resources.tasks.sandbox_collection import (
        insert_tasks,  # here: only a new state file is seeded
    )

    sample, website = (
        json.loads(db.execute("SELECT doc FROM projects WHERE id = ?", (pid,)).fetchone()[0])
        for pid in (SAMPLE_PROJECT_ID, CLIENT_PROJECT_ID)
    )
    insert_tasks(
        db,
        [
            _docs.task(DESIGN_TASK_ID, "Design", sample),
            _docs.task(BUILD_TASK_ID, "Build", website),
            _docs.task(REVIEW_TASK_ID, "Review", sample, status="DONE"),
            _docs.task(WEBSITE_DESIGN_TASK_ID, "Design", website),
        ],
    )


_TASK = "/workspaces/{workspace}/projects/{project}/tasks/{task}"

RESOURCE = Resource(
    routes=(
        Route(
            "/workspaces/{workspace}/projects/{project}/tasks",
            {"GET": "sandbox_collection:list_tasks", "POST": "sandbox_collection:create_task"},
            enums={"sort-column": ("ID", "NAME"), "sort-order": SORT_ORDERS},
        ),
        Route(
            _TASK,
            {
                "GET": "sandbox_items:get_task",
                "PUT": "sandbox_items:update_task",
                "DELETE": "sandbox_items:delete_task",
            },
            enums={"membership-status": MEMBERSHIP_STATUSES},
            flags=("contains-assignee",),
        ),
        Route(
            f"{_TASK}/hourly-rate",
            {"PUT": "sandbox_items:set_task_hourly_rate"},
            feature="TASK_RATES",
        ),
        Route(
            f"{_TASK}/cost-rate", {"PUT": "sandbox_items:set_task_cost_rate"}, feature="TASK_RATES"
        ),
    ),
    tables=_TABLES,
    migrations={2: _TABLES},
    seed=_seed,
    seed_after=("projects",),
    events={
        "NEW_TASK": ("TASKS", "created"),
        "TASK_UPDATED": ("TASKS", "updated"),
        "TASK_DELETED": ("TASKS", "deleted"),
    },
)
