"""A workspace's clients: listed, created, and looked up for the records that name one.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md).
"""

from __future__ import annotations

import json
import sqlite3

from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import (
    ADAPTERS,
    AUTH,
    Body,
    Call,
    listing_filter,
    paged,
    string_field,
)
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, not_belonging
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import flag, page
from clockify_actions.sandbox._store import dump, name_key

_CLIENT_BODY = Body(
    f"{ADAPTERS}.requests.CreateClientRequestV1",
    f"public {ADAPTERS}.dto.ClientWithCurrencyDtoV1 {ADAPTERS}.client.ClientHttpAdapter.create("
    f"java.lang.String,{ADAPTERS}.requests.CreateClientRequestV1,{AUTH})",
)


def find_client(call: Call, client_id: str | None) -> Doc | None:
    if not client_id:
        return None
    row = call.db.execute(
        "SELECT doc FROM clients WHERE id = ? AND workspace_id = ?",
        (client_id, call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Client")
    doc: Doc = json.loads(row[0])
    return doc


def list_clients(call: Call) -> Response:
    # `archived` and paging are bound one by one: a value that does not convert is 3000.
    flag(call, "archived")
    page(call)
    condition, args = listing_filter(call, strict_names=False)
    (total,) = call.db.execute(f"SELECT count(*) FROM clients WHERE {condition}", args).fetchone()
    return paged(
        call,
        f"SELECT doc FROM clients WHERE {condition} ORDER BY name_key, id",
        args,
        headers={"Total-Count": str(total)},  # sent on /clients, unlike /projects
    )


def create_client(call: Call) -> Response:
    data = call.json(_CLIENT_BODY)
    name = (string_field(data, "name") or "").strip()
    if not name:
        raise ApiError(400, "Client name is required", 501)
    taken = call.db.execute(
        "SELECT 1 FROM clients WHERE workspace_id = ? AND name_key = ?",
        (call.params["workspace"], name_key(name)),
    ).fetchone()
    if taken:
        # An archived client keeps its name taken (docs/clockify-api.md §15.2).
        raise ApiError(400, f"Client with name '{name}' already exists", 501)
    fields = {key: string_field(data, key) for key in ("email", "address", "note")}
    doc = _docs.client(call.new_id(), name, call.workspace, fields)
    insert_client(call.db, doc)
    emit(call, "NEW_CLIENT", doc)
    return Response.json(201, dump(doc))


def insert_client(db: sqlite3.Connection, doc: Doc) -> None:
    db.execute(
        "INSERT INTO clients (id, workspace_id, name_key, archived, doc) VALUES (?, ?, ?, ?, ?)",
        (doc["id"], doc["workspaceId"], name_key(doc["name"]), doc["archived"], dump(doc)),
    )
