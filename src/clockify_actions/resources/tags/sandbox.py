"""Tags: a workspace's list and new tags (`sandbox_collection`), one tag read, updated and
deleted (`sandbox_items`); their table, seed rows and events."""

from __future__ import annotations

import sqlite3

from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._params import SORT_ORDERS
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import (
    ARCHIVED_TAG_ID,
    DEMO_WORKSPACE_ID,
    FOREIGN_TAG_ID,
    FOREIGN_WORKSPACE_ID,
    MEETING_TAG_ID,
    URGENT_TAG_ID,
)

# Time entries are checked against tags and hydrated from them since schema version 3.
_TABLES = (
    "CREATE TABLE tags (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, name TEXT NOT NULL,"
    " archived INTEGER NOT NULL, doc TEXT NOT NULL)",
)


def _seed(db: sqlite3.Connection) -> None:
    from clockify_actions.resources.tags.sandbox_collection import insert_tags

    insert_tags(
        db,
        [
            _docs.tag(MEETING_TAG_ID, "Meeting", DEMO_WORKSPACE_ID),
            _docs.tag(URGENT_TAG_ID, "Urgent", DEMO_WORKSPACE_ID),
            _docs.tag(ARCHIVED_TAG_ID, "Old", DEMO_WORKSPACE_ID, archived=True),
            _docs.tag(FOREIGN_TAG_ID, "Foreign", FOREIGN_WORKSPACE_ID),
        ],
    )


RESOURCE = Resource(
    routes=(
        Route(
            "/workspaces/{workspace}/tags",
            {"GET": "sandbox_collection:list_tags", "POST": "sandbox_collection:create_tag"},
            enums={"sort-column": ("ID", "NAME"), "sort-order": SORT_ORDERS},
        ),
        Route(
            "/workspaces/{workspace}/tags/{tag}",
            {
                "GET": "sandbox_items:get_tag",
                "PUT": "sandbox_items:update_tag",
                "DELETE": "sandbox_items:delete_tag",
            },
        ),
    ),
    tables=_TABLES,
    migrations={2: _TABLES},
    seed=_seed,
    events={
        "NEW_TAG": ("TAGS", "created"),
        "TAG_UPDATED": ("TAGS", "updated"),
        "TAG_DELETED": ("TAGS", "deleted"),
    },
)
