"""The state a new or reset sandbox starts from, with well-known ids and keys."""

from __future__ import annotations

import json
import sqlite3

from . import _docs
from ._docs import Doc
from ._store import (
    add_tracked_time,
    insert_client,
    insert_projects,
    insert_tags,
    insert_tasks,
    insert_time_entries,
    insert_user,
    insert_workspace,
)

# Public demo credentials: they open nothing but a sandbox.
DEMO_API_KEY = "sandbox-demo-api-key"
DEMO_ADDON_TOKEN = "sandbox-demo-addon-token"
OTHER_API_KEY = "sandbox-other-api-key"

DEMO_USER_ID = "64b7c0de5eed000000000a01"
OTHER_USER_ID = "64b7c0de5eed000000000a02"

DEMO_WORKSPACE_ID = "64b7c0de5eed000000000b01"
SECOND_WORKSPACE_ID = "64b7c0de5eed000000000b02"
FORCED_PROJECT_WORKSPACE_ID = "64b7c0de5eed000000000b03"
FOREIGN_WORKSPACE_ID = "64b7c0de5eed000000000b04"

DEMO_CLIENT_ID = "64b7c0de5eed000000000c01"

SAMPLE_PROJECT_ID = "64b7c0de5eed000000000d01"
CLIENT_PROJECT_ID = "64b7c0de5eed000000000d02"
ARCHIVED_PROJECT_ID = "64b7c0de5eed000000000d03"
SECOND_WORKSPACE_PROJECT_ID = "64b7c0de5eed000000000d04"
FORCED_WORKSPACE_PROJECT_ID = "64b7c0de5eed000000000d05"
FOREIGN_PROJECT_ID = "64b7c0de5eed000000000d06"

SAMPLE_TIME_ENTRY_ID = "64b7c0de5eed000000000e01"

MEETING_TAG_ID = "64b7c0de5eed0000000f0001"
URGENT_TAG_ID = "64b7c0de5eed0000000f0002"
ARCHIVED_TAG_ID = "64b7c0de5eed0000000f0003"
FOREIGN_TAG_ID = "64b7c0de5eed0000000f0004"

DESIGN_TASK_ID = "64b7c0de5eed000000001101"  # on the sample project
BUILD_TASK_ID = "64b7c0de5eed000000001102"  # on the client's project
REVIEW_TASK_ID = "64b7c0de5eed000000001103"  # on the sample project, done
WEBSITE_DESIGN_TASK_ID = "64b7c0de5eed000000001104"  # "Design" again, on the client's project

# The catalog: more clients, and colleagues in the demo workspace (one only invited).
GLOBEX_CLIENT_ID = "64b7c0de5eed000000000c02"
ARCHIVED_CLIENT_ID = "64b7c0de5eed000000000c03"
COLLEAGUE_USER_ID = "64b7c0de5eed000000000a03"
INVITED_USER_ID = "64b7c0de5eed000000000a04"
COLLEAGUE_API_KEY = "sandbox-colleague-api-key"
INVITED_API_KEY = "sandbox-invited-api-key"


def seed(db: sqlite3.Connection) -> None:
    demo = _docs.user(
        DEMO_USER_ID, "Demo User", "demo.user@example.com", "Europe/Berlin", DEMO_WORKSPACE_ID
    )
    other = _docs.user(
        OTHER_USER_ID,
        "Other User",
        "other.user@example.com",
        "America/New_York",
        FOREIGN_WORKSPACE_ID,
    )
    insert_user(db, demo, DEMO_API_KEY, DEMO_ADDON_TOKEN)
    insert_user(db, other, OTHER_API_KEY, None)

    mine = _docs.workspace(DEMO_WORKSPACE_ID, "My Workspace", "USD", [DEMO_USER_ID])
    second = _docs.workspace(SECOND_WORKSPACE_ID, "Second Workspace", "EUR", [DEMO_USER_ID])
    forced = _docs.workspace(
        FORCED_PROJECT_WORKSPACE_ID,
        "Projects Required",
        "USD",
        [DEMO_USER_ID],
        force_projects=True,
    )
    foreign = _docs.workspace(FOREIGN_WORKSPACE_ID, "Other's Workspace", "USD", [OTHER_USER_ID])
    for workspace in (mine, second, forced, foreign):
        insert_workspace(db, workspace)

    acme = _docs.client(DEMO_CLIENT_ID, "Acme Corp", mine, {"note": "", "address": ""})
    insert_client(db, acme)

    sample = _docs.project(
        SAMPLE_PROJECT_ID,
        "Sample Project",
        mine,
        DEMO_USER_ID,
        public=True,
        billable=True,
        hourly_rate=5000,
    )
    insert_projects(
        db,
        [
            sample,
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

    insert_tags(
        db,
        [
            _docs.tag(MEETING_TAG_ID, "Meeting", DEMO_WORKSPACE_ID),
            _docs.tag(URGENT_TAG_ID, "Urgent", DEMO_WORKSPACE_ID),
            _docs.tag(ARCHIVED_TAG_ID, "Old", DEMO_WORKSPACE_ID, archived=True),
            _docs.tag(FOREIGN_TAG_ID, "Foreign", FOREIGN_WORKSPACE_ID),
        ],
    )
    website = json.loads(
        db.execute("SELECT doc FROM projects WHERE id = ?", (CLIENT_PROJECT_ID,)).fetchone()[0]
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

    entry = _docs.time_entry(
        SAMPLE_TIME_ENTRY_ID,
        mine,
        DEMO_USER_ID,
        {"start": "2024-01-15T09:00:00Z", "end": "2024-01-15T10:30:00Z", "duration": "PT1H30M"},
        {"description": "Seeded entry", "billable": True},
        sample,
    )
    insert_time_entries(db, [entry])
    add_tracked_time(db, SAMPLE_PROJECT_ID, 5400)
    seed_catalog(db, mine)


def seed_catalog(db: sqlite3.Connection, workspace: Doc) -> None:
    """Clients beside Acme, and two more members of the demo workspace: a colleague, and
    someone invited who has not signed up (no name, no settings: docs/clockify-api.md §18).
    They join the memberships only, so the workspace document stays as it was."""
    globex = _docs.client(
        GLOBEX_CLIENT_ID, "Globex", workspace, {"email": "billing@globex.example"}
    )
    retired = {**_docs.client(ARCHIVED_CLIENT_ID, "Initech", workspace, {}), "archived": True}
    for doc in (globex, retired):
        insert_client(db, doc)
    colleague = _docs.user(
        COLLEAGUE_USER_ID,
        "Sam Colleague",
        "sam.colleague@example.com",
        "Europe/London",
        DEMO_WORKSPACE_ID,
    )
    invited = {
        **_docs.user(INVITED_USER_ID, "", "pat.invited@example.com", "UTC", DEMO_WORKSPACE_ID),
        "name": None,
        "settings": None,
        "status": "NOT_REGISTERED",
    }
    insert_user(db, colleague, COLLEAGUE_API_KEY, None)
    insert_user(db, invited, INVITED_API_KEY, None)
    db.executemany(
        "INSERT INTO memberships (user_id, workspace_id) VALUES (?, ?)",
        [(COLLEAGUE_USER_ID, DEMO_WORKSPACE_ID), (INVITED_USER_ID, DEMO_WORKSPACE_ID)],
    )
