"""Webhooks: registered, read, changed and deleted (`sandbox_hooks`), their delivery logs
(`sandbox_logs`), and every change a resource emits queued as a delivery, in the shape of
`sandbox_bodies`, for each webhook of the workspace that listens for its event (sent by the
core's `_delivery` once the request's transaction has committed, so that a refused request
delivers nothing).

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md).
"""

from __future__ import annotations

import json

from clockify_actions.sandbox._call import Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._resources import Change, Resource, Route
from clockify_actions.sandbox._store import dump


def _queue(call: Call, change: Change) -> None:
    hooks = call.db.execute(
        "SELECT id, doc FROM webhooks WHERE workspace_id = ?", (call.params["workspace"],)
    ).fetchall()
    for hook_id, hook_doc in hooks:
        hook = json.loads(hook_doc)
        if hook["webhookEvent"] != change.event or not (
            hook["enabled"] and hook["deliveryEnabled"]
        ):
            continue
        if not _from_source(hook, change.doc, call.user_id):
            continue
        # Here: only a change some webhook listens to needs the delivery bodies' code.
        from clockify_actions.resources.webhooks.sandbox_bodies import body as delivered_body

        body = delivered_body(call.db, change.event, change.kind, change.doc)
        call.db.execute(
            "INSERT INTO webhook_deliveries (webhook_id, event, url, token, body)"
            " VALUES (?, ?, ?, ?, ?)",
            (hook_id, change.event, hook["url"], hook["authToken"], dump(body)),
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


_WEBHOOK = "/workspaces/{workspace}/webhooks/{webhook}"

RESOURCE = Resource(
    routes=(
        Route(
            "/workspaces/{workspace}/webhooks",
            {"GET": "sandbox_hooks:list_webhooks", "POST": "sandbox_hooks:create_webhook"},
            enums={"type": ("USER_CREATED", "SYSTEM", "ADDON")},
        ),
        Route(
            "/workspaces/{workspace}/addons/{addon}/webhooks",
            {"GET": "sandbox_hooks:list_addon_webhooks"},
        ),
        Route(
            _WEBHOOK,
            {
                "GET": "sandbox_hooks:get_webhook",
                "PUT": "sandbox_hooks:update_webhook",
                "DELETE": "sandbox_hooks:delete_webhook",
            },
        ),
        Route(f"{_WEBHOOK}/token", {"PATCH": "sandbox_hooks:new_token"}),
        Route(f"{_WEBHOOK}/logs", {"POST": "sandbox_logs:webhook_logs"}),
        Route(
            f"{_WEBHOOK}/statuses",
            {"GET": "sandbox_logs:webhook_statuses"},
            enums={"statuses": ("SUCCEEDED", "RETRYING", "FAILED")},
        ),
    ),
    added_tables=(
        "CREATE TABLE IF NOT EXISTS webhooks ("
        " id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, doc TEXT NOT NULL)",
    ),
    on_change=_queue,
)
