"""Clockify's change tracking (Experimental): every change a resource emits noted with when
the entity was created, last updated or deleted and its latest form, and read back by
`GET /workspaces/{ws}/entities/{created,updated,deleted}`.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md
§23.2): `type` required and repeatable, paging by `page` (from 0) and `limit` (50, at most
5000), bare arrays of the entity plus `documentCode` and `auditMetadata`, sparse records
for deletions; an entity created inside the window is only in `/created`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from clockify_actions.sandbox._call import Call
from clockify_actions.sandbox._errors import ApiError
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._resources import Change, Resource, Route
from clockify_actions.sandbox._store import dump
from clockify_actions.sandbox._time import format_instant, parse_instant

TYPES = (
    "CLIENTS",
    "PROJECTS",
    "TAGS",
    "TASKS",
    "SCHEDULED_ASSIGNMENT",
    "TIME_ENTRY",
    "TIME_ENTRY_RATE",
    "TIME_ENTRY_CUSTOM_FIELD_VALUE",
)
_WINDOW = timedelta(days=30)
_MAX_LIMIT = 5000
# Which change each route lists: the column that must fall in the window, and whether the
# entity must have been created before the window (so that it is in `/created` alone).
_ROUTES = {
    "created": ("created_at", False),
    "updated": ("updated_at", True),
    "deleted": ("deleted_at", True),
}


def list_changes(call: Call) -> Response:
    change = call.params["kind"]
    if change not in _ROUTES:
        raise ApiError(
            404,
            f"No static resource v1/workspaces/{call.params['workspace']}/entities/{change}.",
            3000,
        )
    kinds = call.query.get("type", [])
    kinds = [kind for value in kinds for kind in value.split(",") if kind]
    if not kinds:
        raise ApiError(
            400,
            "Required request parameter 'type' for method parameter type List is not present",
            3001,
        )
    for kind in kinds:
        if kind not in TYPES:
            raise ApiError(
                400,
                "Failed to convert value of type 'java.lang.String' to required type"
                f" 'java.util.List'; No enum constant for value [{kind}]",
                3000,
            )
    start, end = _window(call)
    page = call.integer("page", 0)
    limit = call.integer("limit", 50)
    if limit < 1 or page < 0:
        raise ApiError(400, "Page size must be a positive value", 501)
    if limit > _MAX_LIMIT:
        raise ApiError(400, f"Page size cannot be larger than {_MAX_LIMIT:,}.", 501)
    column, before_window = _ROUTES[change]
    where = [
        "workspace_id = ?",
        f"type IN ({','.join('?' * len(kinds))})",
        f"{column} >= ?",
        f"{column} <= ?",
    ]
    args: list[str | int] = [call.params["workspace"], *kinds, start, end]
    if before_window:
        where.append("created_at < ?")
        args.append(start)
    if change != "deleted":
        where.append("deleted_at IS NULL")
    if change == "updated":
        where.append("updated_at > created_at")
    rows = call.db.execute(
        f"SELECT type, id, created_at, updated_at, deleted_at, doc FROM entity_changes"
        f" WHERE {' AND '.join(where)} ORDER BY {column}, rowid LIMIT ? OFFSET ?",
        (*args, limit, page * limit),
    ).fetchall()
    items = []
    for kind, entity_id, created, updated, deleted, doc in rows:
        audit = {"createdAt": _audit(created), "updatedAt": _audit(updated)}
        entity = json.loads(doc)
        if change == "deleted":
            items.append(
                {
                    "deletedAt": _audit(deleted),
                    "document": {
                        "_id": entity_id,
                        "auditMetadata": audit,
                        "name": entity.get("name") or entity.get("description"),
                        "workspaceId": entity.get("workspaceId"),
                    },
                    "documentCode": kind,
                    "id": entity_id,
                }
            )
        else:
            items.append({**entity, "documentCode": kind, "auditMetadata": audit})
    return Response.json(200, dump(items))


def _window(call: Call) -> tuple[str, str]:
    """The window as stored instants: one bound missing, 30 days from the other; both, the
    last 30 days."""
    start, end = _instant(call, "start"), _instant(call, "end")
    if end is None:
        end = call.now if start is None else min(start + _WINDOW, call.now)
    if start is None:
        start = end - _WINDOW
    return format_instant(start), format_instant(end)


def _instant(call: Call, name: str) -> datetime | None:
    raw = call.text(name)
    if not raw:
        return None
    moment = parse_instant(raw)
    if moment is None:
        # The live message is unknown; this is Spring's conversion refusal (§25.1).
        raise ApiError(
            400,
            f"Failed to convert value of type 'java.lang.String' to required type"
            f" 'java.time.Instant'; Failed to convert from type [java.lang.String] to type"
            f" [java.time.Instant] for value [{raw}]",
            3000,
        )
    return moment


def _audit(stamp: str | None) -> str | None:
    # With milliseconds, as live writes `deletedAt` (§23.2).
    return None if stamp is None else stamp.replace("Z", ".000Z")


def _record(call: Call, change: Change) -> None:
    doc, kind = change.doc, change.kind
    workspace_id, now = call.params["workspace"], format_instant(call.now)
    if change.change == "created":
        call.db.execute(
            "INSERT OR REPLACE INTO entity_changes"
            " (type, id, workspace_id, created_at, updated_at, deleted_at, doc)"
            " VALUES (?, ?, ?, ?, ?, NULL, ?)",
            (kind, doc["id"], workspace_id, now, now, dump(doc)),
        )
        return
    column = "updated_at" if change.change == "updated" else "deleted_at"
    updated = call.db.execute(
        f"UPDATE entity_changes SET {column} = ?, doc = ? WHERE type = ? AND id = ?",
        (now, dump(doc), kind, doc["id"]),
    ).rowcount
    if not updated:
        # An entity from before change tracking began (the seed data): its creation
        # time is unknown, so it is taken as older than any window that could ask.
        call.db.execute(
            "INSERT INTO entity_changes"
            " (type, id, workspace_id, created_at, updated_at, deleted_at, doc)"
            " VALUES (?, ?, ?, '0001-01-01T00:00:00Z', ?, ?, ?)",
            (
                kind,
                doc["id"],
                workspace_id,
                now,
                now if change.change == "deleted" else None,
                dump(doc),
            ),
        )


RESOURCE = Resource(
    routes=(Route("/workspaces/{workspace}/entities/{kind}", {"GET": list_changes}),),
    added_tables=(
        "CREATE TABLE IF NOT EXISTS entity_changes ("
        " type TEXT NOT NULL, id TEXT NOT NULL, workspace_id TEXT NOT NULL,"
        " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, doc TEXT NOT NULL,"
        " PRIMARY KEY (type, id))",
    ),
    on_change=_record,
)
