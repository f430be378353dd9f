from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.webhooks.wire import WebhookLog
from clockify_actions.timeutil import parse_timestamp, to_wire

# The page size the spec's example asks for; Clockify's maximum is unknown (§39).
_PAGE = 50
_MOST = 1000


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": params.get("status", "ALL"),
        "sortByNewest": params.get("newest_first", False),
    }
    for key in ("from", "to"):
        if key in params:
            body[key] = to_wire(parse_timestamp(params[key]))
    if (
        "from" in body
        and "to" in body
        and parse_timestamp(body["to"]) < parse_timestamp(body["from"])
    ):
        raise invalid("/to", f"to ({body['to']}) must not be earlier than from ({body['from']})")
    path = client.path(
        "workspaces", params["workspace_id"], "webhooks", params["webhook_id"], "logs"
    )
    limit = int(params.get("limit", _PAGE))
    if limit > _MOST:
        raise invalid("/limit", f"must be at most {_MOST}")
    logs: list[WebhookLog] = []
    page = 0
    while True:
        # A 0-based page and `size`, with no Last-Page header (§21, §39): a short page ends.
        found = client.search(path, body, WebhookLog, {"page": page, "size": _PAGE})
        logs.extend(found)
        if len(found) < _PAGE or len(logs) >= limit:
            break
        page += 1
    more = len(logs) >= limit and len(found) == _PAGE
    return {
        "count": min(len(logs), limit),
        "more": more,
        "logs": [_log(log) for log in logs[:limit]],
    }


def _log(log: WebhookLog) -> dict[str, Any]:
    return {
        "id": log.id,
        "status_code": log.status_code,
        "request_body": log.request_body,
        "response_body": log.response_body,
        "responded_at": log.responded_at,
        "event_status_id": log.webhook_event_status_id,
    }
