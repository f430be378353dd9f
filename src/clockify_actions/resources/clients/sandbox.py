"""Clients: a workspace's list and new clients (`sandbox_collection`), one client read,
updated and deleted (`sandbox_items`); their table, seed rows and events."""

from __future__ import annotations

import json
import sqlite3

from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._params import SORT_ORDERS
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import (
    ARCHIVED_CLIENT_ID,
    DEMO_CLIENT_ID,
    DEMO_WORKSPACE_ID,
    GLOBEX_CLIENT_ID,
)


def _seed(db: sqlite3.Connection) -> None:
    from clockify_actions.resources.clients.sandbox_collection import (
        insert_client,  # here: only a new state file is seeded
    )

    (text,) = db.execute("SELECT doc FROM workspaces WHERE id = ?", (DEMO_WORKSPACE_ID,)).fetchone()
    mine = json.loads(text)
    acme = _docs.client(DEMO_CLIENT_ID, "Acme Corp", mine, {"note": "", "address": ""})
    globex = _docs.client(GLOBEX_CLIENT_ID, "Globex", mine, {"email": "billing@globex.example"})
    retired = {**_docs.client(ARCHIVED_CLIENT_ID, "Initech", mine, {}), "archived": True}
    for doc in (acme, globex, retired):
        insert_client(db, doc)


RESOURCE = Resource(
    routes=(
        Route(
            "/workspaces/{workspace}/clients",
            {"GET": "sandbox_collection:list_clients", "POST": "sandbox_collection:create_client"},
            # The sort columns are [CSPEC]'s (docs/clockify-api.md §15.1).
            enums={"sort-column": ("NAME", "EMAIL", "NOTE"), "sort-order": SORT_ORDERS},
        ),
        Route(
            "/workspaces/{workspace}/clients/{client}",
            {
                "GET": "sandbox_items:get_client",
                "PUT": "sandbox_items:update_client",
                "DELETE": "sandbox_items:delete_client",
            },
        ),
    ),
    tables=(
        "CREATE TABLE clients (\n"
        "    id TEXT PRIMARY KEY,\n"
        "    workspace_id TEXT NOT NULL,\n"
        "    name_key TEXT NOT NULL,\n"
        "    archived INTEGER NOT NULL,\n"
        "    doc TEXT NOT NULL\n"
        ")",
        "CREATE INDEX clients_by_name ON clients (workspace_id, name_key)",
    ),
    seed=_seed,
    seed_after=("workspaces",),
    events={
        "NEW_CLIENT": ("CLIENTS", "created"),
        "CLIENT_UPDATED": ("CLIENTS", "updated"),
        "CLIENT_DELETED": ("CLIENTS", "deleted"),
    },
)
