"""Projects: a workspace's list, new projects, one read and updated
(`sandbox_collection`), deleted, estimated, shared and templated (`sandbox_items`); their
table, seed rows and events."""

from __future__ import annotations

import json
import sqlite3

from clockify_actions.resources.projects.sandbox_collection import (
    create_project,
    get_project,
    insert_projects,
    list_projects,
    update_project,
)
from clockify_actions.resources.projects.sandbox_items import (
    add_memberships,
    delete_project,
    project_from_template,
    set_template,
    update_estimate,
    update_memberships,
)
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._params import MEMBERSHIP_STATUSES, SORT_ORDERS
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import (
    ARCHIVED_PROJECT_ID,
    CLIENT_PROJECT_ID,
    DEMO_CLIENT_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    FORCED_PROJECT_WORKSPACE_ID,
    FORCED_WORKSPACE_PROJECT_ID,
    FOREIGN_PROJECT_ID,
    FOREIGN_WORKSPACE_ID,
    OTHER_USER_ID,
    SAMPLE_PROJECT_ID,
    SECOND_WORKSPACE_ID,
    SECOND_WORKSPACE_PROJECT_ID,
)


def _doc(db: sqlite3.Connection, table: str, doc_id: str) -> Doc:
    (text,) = db.execute(f"SELECT doc FROM {table} WHERE id = ?", (doc_id,)).fetchone()
    doc: Doc = json.loads(text)
    return doc


def _seed(db: sqlite3.Connection) -> None:
    mine, second, forced, foreign = (
        _doc(db, "workspaces", workspace_id)
        for workspace_id in (
            DEMO_WORKSPACE_ID,
            SECOND_WORKSPACE_ID,
            FORCED_PROJECT_WORKSPACE_ID,
            FOREIGN_WORKSPACE_ID,
        )
    )
    acme = _doc(db, "clients", DEMO_CLIENT_ID)
    insert_projects(
        db,
        [
            _docs.project(
                SAMPLE_PROJECT_ID,
                "Sample Project",
                mine,
                DEMO_USER_ID,
                public=True,
                billable=True,
                hourly_rate=5000,
            ),
            _docs.project(
                CLIENT_PROJECT_ID,
                "Website Redesign",
                mine,
                DEMO_USER_ID,
                client=acme,
                color="#9C27B0",
                billable=True,
            ),
            _docs.project(
                ARCHIVED_PROJECT_ID,
                "Archived Project",
                mine,
                DEMO_USER_ID,
                archived=True,
                color="#795548",
            ),
            _docs.project(
                SECOND_WORKSPACE_PROJECT_ID,
                "Second Workspace Project",
                second,
                DEMO_USER_ID,
                color="#8BC34A",
            ),
            _docs.project(
                FORCED_WORKSPACE_PROJECT_ID,
                "Required Project",
                forced,
                DEMO_USER_ID,
                color="#FF5722",
            ),
            _docs.project(
                FOREIGN_PROJECT_ID, "Foreign Project", foreign, OTHER_USER_ID, color="#3F51B5"
            ),
        ],
    )


_PROJECT = "/workspaces/{workspace}/projects/{project}"

RESOURCE = Resource(
    routes=(
        Route(
            "/workspaces/{workspace}/projects",
            {"GET": list_projects, "POST": create_project},
            enums={
                "client-status": ("ACTIVE", "ARCHIVED", "ALL"),
                "user-status": MEMBERSHIP_STATUSES,
                "sort-column": ("ID", "NAME", "CLIENT_NAME", "DURATION", "BUDGET", "PROGRESS"),
                "sort-order": SORT_ORDERS,
                "access": ("PUBLIC", "PRIVATE"),
            },
            flags=("contains-client", "contains-user", "contains-group", "is-template"),
        ),
        Route(
            "/workspaces/{workspace}/projects/from-template",
            {"POST": project_from_template},
            feature="PROJECT_TEMPLATES",
        ),
        Route(_PROJECT, {"GET": get_project, "PUT": update_project, "DELETE": delete_project}),
        # A time estimate is Clockify's PROJECT_ESTIMATE, a budget PROJECT_BUDGET and a reset
        # RECURRING_ESTIMATES (§32.7); a route names one module, and which one live checks
        # for a body of which parts is UNKNOWN.
        Route(f"{_PROJECT}/estimate", {"PATCH": update_estimate}, feature="PROJECT_ESTIMATE"),
        Route(f"{_PROJECT}/memberships", {"PATCH": update_memberships, "POST": add_memberships}),
        Route(f"{_PROJECT}/template", {"PATCH": set_template}, feature="PROJECT_TEMPLATES"),
    ),
    tables=(
        "CREATE TABLE projects (\n"
        "    id TEXT PRIMARY KEY,\n"
        "    workspace_id TEXT NOT NULL,\n"
        "    name_key TEXT NOT NULL,\n"
        "    archived INTEGER NOT NULL,\n"
        "    tracked_seconds INTEGER NOT NULL DEFAULT 0,\n"
        "    doc TEXT NOT NULL\n"
        ")",
        "CREATE INDEX projects_by_name ON projects (workspace_id, name_key, id)",
    ),
    migrations={1: ("ALTER TABLE projects DROP COLUMN client_id",)},
    seed=_seed,
    seed_after=("clients", "workspaces"),
    events={
        "NEW_PROJECT": ("PROJECTS", "created"),
        "PROJECT_UPDATED": ("PROJECTS", "updated"),
        "PROJECT_DELETED": ("PROJECTS", "deleted"),
    },
)
