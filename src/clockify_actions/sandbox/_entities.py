"""Clockify's change tracking (Experimental): `GET /workspaces/{ws}/entities/{created,
updated,deleted}`, read from what `_events.emit` noted.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md
§23.2): `type` required and repeatable, paging by `page` (from 0) and `limit` (50, at most
5000), bare arrays of the entity plus `documentCode` and `auditMetadata`, sparse records
for deletions; an entity created inside the window is only in `/created`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from ._call import Call
from ._errors import ApiError
from ._http import Response
from ._store import dump
from ._time import format_instant, parse_instant

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
