"""What happened, as Clockify records it: every create, update and delete of an entity
noted for the change-tracking routes (`_entities`), and queued as a webhook delivery for
every webhook of the workspace that listens for the event, in the shape of
`_webhook_bodies` (sent by `_delivery` once the request's transaction has committed, so
that a refused request delivers nothing).

A resource module calls `emit(call, EVENT, doc)` once where the change is made; nothing
else here knows the resources.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md).
"""

from __future__ import annotations

import json

from ._call import Call
from ._docs import Doc
from ._store import dump
from ._time import format_instant
from ._webhook_bodies import body as delivered_body

# Each webhook event: the change-tracking `type` of its entity, and what kind of change it is.
EVENTS: dict[str, tuple[str, str]] = {
    "NEW_TIME_ENTRY": ("TIME_ENTRY", "created"),
    "NEW_TIMER_STARTED": ("TIME_ENTRY", "created"),
    "TIMER_STOPPED": ("TIME_ENTRY", "updated"),
    "TIME_ENTRY_UPDATED": ("TIME_ENTRY", "updated"),
    "TIME_ENTRY_DELETED": ("TIME_ENTRY", "deleted"),
    "NEW_PROJECT": ("PROJECTS", "created"),
    "PROJECT_UPDATED": ("PROJECTS", "updated"),
    "PROJECT_DELETED": ("PROJECTS", "deleted"),
    "NEW_CLIENT": ("CLIENTS", "created"),
    "CLIENT_UPDATED": ("CLIENTS", "updated"),
    "CLIENT_DELETED": ("CLIENTS", "deleted"),
    "NEW_TASK": ("TASKS", "created"),
    "TASK_UPDATED": ("TASKS", "updated"),
    "TASK_DELETED": ("TASKS", "deleted"),
    "NEW_TAG": ("TAGS", "created"),
    "TAG_UPDATED": ("TAGS", "updated"),
    "TAG_DELETED": ("TAGS", "deleted"),
}


def emit(call: Call, event: str, doc: Doc) -> None:
    """Note that `event` happened to `doc` (as the route answers it) in the call's workspace."""
    kind, change = EVENTS[event]
    workspace_id, now = call.params["workspace"], format_instant(call.now)
    if change == "created":
        call.db.execute(
            "INSERT OR REPLACE INTO entity_changes"
            " (type, id, workspace_id, created_at, updated_at, deleted_at, doc)"
            " VALUES (?, ?, ?, ?, ?, NULL, ?)",
            (kind, doc["id"], workspace_id, now, now, dump(doc)),
        )
    else:
        column = "updated_at" if change == "updated" else "deleted_at"
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
                    now if change == "deleted" else None,
                    dump(doc),
                ),
            )
    hooks = call.db.execute(
        "SELECT id, doc FROM webhooks WHERE workspace_id = ?", (workspace_id,)
    ).fetchall()
    for hook_id, hook_doc in hooks:
        hook = json.loads(hook_doc)
        if hook["webhookEvent"] != event or not (hook["enabled"] and hook["deliveryEnabled"]):
            continue
        if not _from_source(hook, doc, call.user_id):
            continue
        body = delivered_body(call.db, event, kind, doc)
        call.db.execute(
            "INSERT INTO webhook_deliveries (webhook_id, event, url, token, body)"
            " VALUES (?, ?, ?, ?, ?)",
            (hook_id, event, hook["url"], hook["authToken"], dump(body)),
        )


def _from_source(hook: Doc, doc: Doc, user_id: str) -> bool:
    """Whether the change comes from the webhook's trigger source. Which source types
    really filter is unknown live (§21): an empty source, or the workspace, means all."""
    sources = hook.get("triggerSource") or []
    match hook.get("triggerSourceType"):
        case "PROJECT_ID" if sources:
            return doc.get("projectId") in sources or doc.get("id") in sources
        case "USER_ID" if sources:
            return (doc.get("userId") or user_id) in sources
        case "TASK_ID" if sources:
            return doc.get("taskId") in sources
        case "TAG_ID" if sources:
            return bool(set(doc.get("tagIds") or []) & set(sources))
    return True
