"""A webhook's delivery record: its logs (one per attempt) and its event statuses (one per
delivery, with the latest attempt), as `_delivery` writes them.

- `POST …/webhooks/{id}/logs?page=0&size=50` with `{from, to, status: ALL|SUCCEEDED|FAILED,
  sortByNewest}` → 200, a bare array of `{id, webhookId, statusCode, requestBody,
  responseBody, respondedAt, webhookEventStatusId}`; `GET` there → 405 `Allow: POST`; an
  unknown webhook → 400 "Webhook doesn't belong to Workspace" (docs/clockify-api.md §21;
  Clockify's API facts, part 3, §38.1; CONFIRMED-LIVE(1)).
- `GET …/webhooks/{id}/statuses?page&size&statuses=SUCCEEDED|RETRYING|FAILED` → 200, a bare
  array of `{id, webhookId, webhookLogId, status, statusCode, requestBody, responseBody,
  respondedAt, retryCount}` ([CSPEC]-only, live 2026-06-23).

Both page with a 0-based `page` and a `size` (default 50); their maximum is unknown (§39),
so none is enforced (part 3, §39).
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

from clockify_actions.resources.webhooks.sandbox_hooks import stored_webhook
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, boolean_field, string_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import integer
from clockify_actions.sandbox._store import dump
from clockify_actions.sandbox._time import parse_instant

_LOG_BODY = Body(
    f"{ADAPTERS}.requests.WebhookLogSearchRequestV1",
    f"public java.util.List {ADAPTERS}.webhook.WebhookHttpAdapter.getLogsForWebhook("
    f"java.lang.String,java.lang.String,int,int,{ADAPTERS}.requests.WebhookLogSearchRequestV1,"
    f"{AUTH})",
)
_LOG_STATUSES = ("ALL", "SUCCEEDED", "FAILED")
# A delivery still being tried is RETRYING (INFERRED for one not tried yet).
_EVENT_STATUSES = {
    "PENDING": "RETRYING",
    "SENDING": "RETRYING",
    "SUCCEEDED": "SUCCEEDED",
    "FAILED": "FAILED",
}


def _status_id(delivery: int) -> str:
    return hashlib.sha256(f"sandbox-webhook-status:{delivery}".encode()).hexdigest()[:24]


def _responded(at: str | None) -> str | None:
    """The time as live writes `respondedAt`: milliseconds and `+00:00`."""
    return None if at is None else at.removesuffix("Z") + ".000+00:00"


def _paging(call: Call) -> tuple[int, int]:
    number, size = integer(call, "page", 0), integer(call, "size", 50)
    if number < 0 or size < 1:
        # The spec's bounds (`size` minimum 1); the live wording is unknown.
        raise ApiError(400, "Page must not be negative and size must be positive", 501)
    return number, size


def _instant(data: Doc, key: str) -> str | None:
    raw = string_field(data, key)
    if raw is None:
        return None
    moment = parse_instant(raw)
    if moment is None:
        raise body_error("java.time.Instant", raw)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _page(rows: list[Any], number: int, size: int) -> list[Any]:
    return rows[number * size : (number + 1) * size]


def webhook_logs(call: Call) -> Response:
    hook = stored_webhook(call)
    data = call.json(_LOG_BODY)
    number, size = _paging(call)
    status = string_field(data, "status") or "ALL"
    if status not in _LOG_STATUSES:
        raise body_error(f"{ADAPTERS}.webhook.WebhookLogStatus", status)
    start, end = _instant(data, "from"), _instant(data, "to")
    newest_first = bool(boolean_field(data, "sortByNewest"))
    rows = call.db.execute(
        "SELECT l.id, l.status_code, d.body, l.response, l.responded_at, l.delivery_id"
        " FROM webhook_logs l JOIN webhook_deliveries d ON d.id = l.delivery_id"
        f" WHERE l.webhook_id = ? ORDER BY l.responded_at {'DESC' if newest_first else 'ASC'},"
        " l.rowid",
        (hook["id"],),
    ).fetchall()
    logs = [
        {
            "id": log_id,
            "webhookId": hook["id"],
            "statusCode": code,
            "requestBody": request,
            "responseBody": response,
            "respondedAt": _responded(at),
            "webhookEventStatusId": _status_id(delivery),
        }
        for log_id, code, request, response, at, delivery in rows
        if (start is None or at >= start)
        and (end is None or at <= end)
        and (status == "ALL" or (status == "SUCCEEDED") == (200 <= (code or 0) < 300))
    ]
    return Response.json(200, dump(_page(logs, number, size)))


def _latest_log(db: sqlite3.Connection, delivery: int) -> tuple[str | None, str | None]:
    row = db.execute(
        "SELECT id, responded_at FROM webhook_logs WHERE delivery_id = ?"
        " ORDER BY responded_at DESC, rowid DESC LIMIT 1",
        (delivery,),
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def webhook_statuses(call: Call) -> Response:
    hook = stored_webhook(call)
    number, size = _paging(call)
    wanted = {value for raw in call.query.get("statuses", []) for value in raw.split(",") if value}
    rows = call.db.execute(
        "SELECT id, status, status_code, body, response, attempts FROM webhook_deliveries"
        " WHERE webhook_id = ? ORDER BY id",
        (hook["id"],),
    ).fetchall()
    statuses = []
    for delivery, stored, code, request, response, attempts in rows:
        status = _EVENT_STATUSES[stored]
        if wanted and status not in wanted:
            continue
        log_id, at = _latest_log(call.db, delivery)
        statuses.append(
            {
                "id": _status_id(delivery),
                "webhookId": hook["id"],
                "webhookLogId": log_id,
                "status": status,
                "statusCode": code,
                "requestBody": request,
                "responseBody": response,
                "respondedAt": _responded(at),
                "retryCount": max(attempts - 1, 0),
            }
        )
    return Response.json(200, dump(_page(statuses, number, size)))
